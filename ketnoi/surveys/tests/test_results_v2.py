"""Results of the definition format v2 (forms-spec §1–§2): repeats (rows and rows per
response, nested), calculations, time, datetime, range, rank, acknowledge, geopoints and media —
the same figures from the tallies and from the answers (the SQL statement with the Python pass
over repeats: a date filter, a split), on the page, escaped, with bounded queries and the
usual refusals."""

import re
from datetime import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from ketnoi.core.roles import Role
from ketnoi.programmes.models import ProgrammeRole
from ketnoi.surveys import results_rows
from ketnoi.surveys.models import Response
from ketnoi.surveys.results import form_questions, form_results
from ketnoi.surveys.results_pages import map_svg, parse_point

from .results_v2_builders import ANSWERS, HOSTILE, HOUSEHOLD, add_responses, build_household, household_form

pytestmark = pytest.mark.django_db


@pytest.fixture
def household(coordinator, prog):
    return build_household(coordinator, prog)


def by_name(results):
    return {r.question.name: r for r in results.questions}


def both_ways(form, collection, **extra):
    """The figures from the tallies, and from the answers themselves (SQL and the Python pass)."""
    responses = Response.objects.filter(collection__form=form)
    return (
        by_name(form_results(form, responses, tallied=[collection.pk], **extra)),
        by_name(form_results(form, responses, tallied=None, **extra)),
    )


def results_url(prog, form, query=""):
    return reverse("surveys:results", args=[prog.code, form.pk]) + (f"?{query}" if query else "")


def bars(stats):
    return {b.code: b.count for b in stats.bars}


# Figures ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("chunk", [results_rows.CHUNK, 2])
def test_every_kind_has_its_figures_from_the_tallies_and_from_the_answers(household, monkeypatch, chunk):
    monkeypatch.setattr(results_rows, "CHUNK", chunk)  # read in chunks: the same figures
    form, collection = household
    for found in both_ways(form, collection):
        member = found["member"].groups[0]
        assert (member.answered, member.total, member.mean, member.minimum, member.maximum) == (3, 9, 3, 3, 3)
        age = found["m_age"].groups[0]
        assert age.answered == 9 and age.mean == pytest.approx(211 / 9) and age.median == 20
        assert (age.minimum, age.maximum) == (2, 50)
        sex = found["m_sex"].groups[0]
        assert bars(sex) == {"f": 3, "m": 6} and round(sex.bars[0].percent) == 33
        assert [(b.code, b.count) for b in sex.present] == [("f", 2), ("m", 3)] and sex.responses == 3
        visits = found["visit"].groups[0]  # rows of the inner repeat per member row (none: 0 rows)
        assert (visits.answered, visits.total, visits.mean) == (9, 3, 3 / 9) and bars(visits) == {0: 7, 1: 1, 2: 1}
        assert found["v_date"].groups[0].answered == 3 and found["m_name"].groups[0].answered == 9

        total = found["members_total"]
        assert total.as_number and total.groups[0].mean == pytest.approx(211 / 3) and total.groups[0].median == 63
        assert found["code"].as_text and not found["code"].as_number and found["code"].groups[0].answered == 3
        assert bars(found["visit_time"].groups[0]) == {"08": 1, "09": 2}
        started = found["started"].groups[0]
        assert bars(started) == {"2024-03-01": 1, "2024-03-02": 2}
        assert (started.min_text, started.max_text) == ("01/03/2024 08:10", "02/03/2024 17:30")
        water = found["water"].groups[0]
        assert found["water"].as_number and (water.mean, water.median, water.minimum, water.maximum) == (7, 7, 4, 10)
        ranks = {bar.code: (bar.count, mean) for bar, mean in found["priorities"].groups[0].ranks}
        assert (
            ranks["a"] == (2, pytest.approx(4 / 3)) and ranks["b"] == (1, 2) and ranks["c"] == (0, pytest.approx(8 / 3))
        )
        assert found["consent"].groups[0].ok == 2
        assert found["location"].groups[0].answered == 3 and found["photo"].groups[0].answered == 2


def test_a_response_without_the_repeat_counts_as_none_of_its_rows(household):
    form, collection = household
    add_responses(collection, [{"head": "Không có thành viên"}, {"member": []}])
    for found in both_ways(form, collection):
        member = found["member"].groups[0]
        assert (member.answered, member.total, member.minimum) == (5, 9, 0) and bars(member) == {0: 2, 3: 3}
        assert [(b.code, b.count, round(b.percent)) for b in found["m_sex"].groups[0].present] == [
            ("f", 2, 40),
            ("m", 3, 60),
        ]


def test_a_split_counts_the_rows_of_each_category(household):
    form, collection = household
    found = by_name(form_results(form, Response.objects.filter(collection__form=form), split="area"))
    urban, rural = found["m_age"].groups
    assert (urban.answered, urban.mean) == (6, pytest.approx(123 / 6)) and (rural.answered, rural.mean) == (3, 88 / 3)
    urban_sex, rural_sex = found["m_sex"].groups
    assert [b.count for b in urban_sex.present] == [2, 2] and [b.count for b in rural_sex.present] == [0, 1]
    assert [s.total for s in found["member"].groups] == [6, 3]
    assert [s.mean for s in found["members_total"].groups] == [61.5, 88]


def test_labels_follow_the_reader_then_the_form_default_language(coordinator, prog):
    definition = {
        **HOUSEHOLD,
        "title": {"km": "គ្រួសារ", "fr": "Ménage"},
        "languages": ["km", "fr"],
        "settings": {"default_language": "km"},
        "questions": [
            {"name": "only_km", "type": "integer", "label": {"km": "ចំនួន", "fr": "Nombre"}},
            {"name": "fr_en", "type": "integer", "label": {"en": "Count", "km": "ចំនួនពីរ"}},
        ],
    }
    form, _collection = household_form(coordinator, prog, definition)
    with translation.override("en"):
        labels = {q.name: q.label for q in form_questions(form) if q.name in ("only_km", "fr_en")}
    assert labels == {"only_km": "ចំនួន", "fr_en": "Count"}
    household = household_form(coordinator, prog)[0]
    with translation.override("en"):
        shown = {q.name: (q.label, q.repeat_label) for q in form_questions(household, repeats=True)}
    assert shown["m_age"] == ("Age", "Members") and shown["v_date"] == ("Visit date", "Visits")
    flat = {q.name for q in form_questions(household)}  # a flat export's columns: top-level answers only
    assert "m_age" not in flat and "member" not in flat and {"location", "members_total"} <= flat


def test_the_api_and_the_comparison_read_a_form_with_repeats(client_for, coordinator, prog, household):
    import json

    from ketnoi.surveys.api_results import results_for

    form, _collection = household
    entries = {q["name"]: q for q in results_for(form)["questions"]}
    assert entries["m_age"]["answered"] == 9 and json.dumps(entries)
    compare = reverse("surveys:results_compare", args=[prog.code, form.pk])
    assert client_for(coordinator).get(compare).status_code == 200


# The page --------------------------------------------------------------------------------------

PAGES = ["", "date_from=01/01/2024", "split=area", "date_from=01/01/2024&split=area"]


@pytest.mark.parametrize("query", PAGES)
def test_the_page_shows_repeats_points_media_and_escapes_answers(client_for, coordinator, prog, household, query):
    form, _collection = household
    response = client_for(coordinator).get(results_url(prog, form, query))
    assert response.status_code == 200
    html = response.content.decode()
    assert "trong nhóm lặp lại “Thành viên”" in html and "9 dòng trả lời" in html
    assert HOSTILE not in html and "&lt;script&gt;" in html
    if "split" not in query:
        assert "3 phiếu, kể cả phiếu không có dòng nào" in html and "Số dòng trung bình mỗi phiếu" in html
        assert "9 dòng ngoài, kể cả dòng không có dòng nào của nhóm này" in html  # the nested repeat, per member
        assert "08:00–08:59" in html and "1,33" in html  # an hour's bar; the mean place of "a"
        assert "lần xác nhận “OK”" in html
        svg = re.search(r'<svg class="sv-map".*?</svg>', html, re.S).group(0)
        assert svg.count("<circle") == 2 and 'role="img"' in svg and "<title" in svg  # the malformed one is left out
        assert "21.028500" in html and "106.700900" in html  # the table the map stands for
        assert "1712.jpg" in html and "1713.png" in html
        assert "TRAN-3" in html  # a text calculation lists its values
    if "split" in query:  # the rows of a repeat are counted as rows
        assert re.search(r"<th[^>]*>Số dòng</th><th[^>]*>Trung bình</th>", html)
    assert "Lan" in html and html.count("&lt;script&gt;") >= 2  # the texts of a repeat's rows too, escaped


def test_the_page_reads_in_english_with_the_forms_english_labels(client_for, coordinator, prog, household):
    form, _collection = household
    html = client_for(coordinator).get(results_url(prog, form), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert (
        "in the repeat “Members”" in html
        and "9 rows answered" in html
        and "3 responses, responses without" in html
        and "Mean rows per response" in html
    )
    assert "Visit date" in html and "Map of 2 locations" in html and "Mean rank" in html


def test_points_and_files_are_paged_newest_first(client_for, coordinator, prog, household):
    form, collection = household
    add_responses(
        collection,
        [{"location": f"{10 + i / 100:.2f} 106 0 {i}", "photo": f"p{i}.jpg"} for i in range(30)],
        day=datetime(2024, 3, 5, 9, 0),
    )
    client = client_for(coordinator)
    first = client.get(results_url(prog, form)).content.decode()
    assert "10.290000" in first and "10.000000" not in first  # 20 points a page, newest first
    gallery = re.search(r'<ul class="sv-gallery">.*?</ul>', first, re.S).group(0)
    assert "p29.jpg" in gallery and "p18.jpg" in gallery and "p17.jpg" not in gallery  # 12 files a page
    assert f'href="{results_url(prog, form, "page_location=2")}#q-location"' in first
    second = client.get(results_url(prog, form, "page_location=2")).content.decode()
    assert "10.090000" in second and "10.000000" in second and "10.290000" not in second
    assert "p29.jpg" in re.search(r'<ul class="sv-gallery">.*?</ul>', second, re.S).group(0)  # still page 1
    assert client.get(results_url(prog, form, "page_location=x&page_photo=-4")).status_code == 200


def test_answers_inside_repeats_are_listed_newest_first_and_paged(client_for, coordinator, prog, household):
    form, collection = household
    add_responses(
        collection,
        [{"member": [{"m_name": f"Người {i}-{j}", "m_age": 1} for j in range(3)]} for i in range(5)],
        day=datetime(2024, 3, 6, 9, 0),
    )
    client = client_for(coordinator)
    html = client.get(results_url(prog, form)).content.decode()
    names = re.search(r'id="page_member/m_name".*?</ol>', html, re.S).group(0)
    assert names.index("Người 4-0") < names.index("Người 4-2") < names.index("Người 3-0")
    assert "Người 0-2" not in names and "24 câu trả lời" in names  # 10 a page of 24 rows
    last = client.get(results_url(prog, form, "page_member%2Fm_name=3")).content.decode()
    names = re.search(r'id="page_member/m_name".*?</ol>', last, re.S).group(0)
    assert "Lan" in names and "Người" not in names and "Trang 3/3" in last


def test_points_and_files_inside_a_repeat_are_mapped_and_listed(client_for, coordinator, prog):
    definition = {
        **HOUSEHOLD,
        "questions": [
            {
                "name": "plot",
                "type": "repeat",
                "label": {"vi": "Thửa ruộng"},
                "children": [
                    {"name": "corner", "type": "geopoint", "label": {"vi": "Góc ruộng"}},
                    {"name": "plot_photo", "type": "image", "label": {"vi": "Ảnh ruộng"}},
                ],
            }
        ],
    }
    form, collection = household_form(coordinator, prog, definition)
    rows = [{"corner": "20.1 105.2 0 3", "plot_photo": "a.jpg"}, {"corner": "bad"}, {"corner": "20.3 105.4 0 4"}]
    add_responses(collection, [{"plot": rows}, {"plot": [{"plot_photo": "b.jpg"}]}])
    html = client_for(coordinator).get(results_url(prog, form)).content.decode()
    svg = re.search(r'<svg class="sv-map".*?</svg>', html, re.S).group(0)
    assert svg.count("<circle") == 2 and "20.300000" in html and "105.200000" in html
    gallery = re.search(r'<ul class="sv-gallery">.*?</ul>', html, re.S).group(0)
    assert gallery.index("b.jpg") < gallery.index("a.jpg")  # newest first


def test_media_link_to_the_response_media_url_with_thumbnails(client_for, coordinator, prog, household):
    form, _collection = household
    html = client_for(coordinator).get(results_url(prog, form)).content.decode()
    first = Response.objects.get(answers__photo="1712.jpg").uuid
    link = reverse("surveys:response_media", args=[prog.code, form.pk, first, "1712.jpg"])
    assert f'href="{link}"' in html and f'src="{link}?thumb=1"' in html
    assert html.count(f'href="{link}"') == 2  # in the gallery, and beside its point in the table


# Refusals and bad input ------------------------------------------------------------------------


def test_no_access_and_another_programme_are_refused(
    client, client_for, household, prog, outsider, make_user, other_prog
):
    form, _collection = household
    elsewhere = make_user("elsewhere")
    ProgrammeRole.objects.create(user=elsewhere, programme=other_prog, role=Role.COORDINATOR)
    for user in (outsider, elsewhere):
        assert client_for(user).get(results_url(prog, form)).status_code == 404
    client.logout()
    response = client.get(results_url(prog, form))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


BROKEN = [
    {
        "member": "không phải danh sách",
        "location": "91 200",
        "visit_time": "xx",
        "started": 5,
        "members_total": "1.2.3",
    },
    {"member": [None, 7, {"m_age": "bốn mươi", "m_sex": "zz", "visit": {"v_date": "x"}}], "location": ["1", "2"]},
    {"member": [{"m_age": 1e300, "visit": [None, {"v_date": "2024-13-45"}]}], "priorities": 5},
    {"location": "NaN NaN", "photo": "../../etc/passwd", "code": {"a": 1}},
]


@pytest.mark.parametrize("query", PAGES)
def test_hostile_answers_never_fail_the_page(client_for, coordinator, prog, household, query):
    form, collection = household
    add_responses(collection, BROKEN)
    response = client_for(coordinator).get(results_url(prog, form, query))
    assert response.status_code == 200
    html = response.content.decode()
    if "split" not in query:
        assert html.count("<circle") == 2  # "91 200", "NaN NaN" and lists are not points
        assert "../../etc/passwd" in html  # shown as a name, escaped by the template, never a link


def test_hostile_answers_give_the_same_figures_both_ways(household):
    form, collection = household
    add_responses(collection, BROKEN)
    from_tallies, from_answers = both_ways(form, collection)
    for name in ("member", "m_age", "m_sex", "visit", "v_date", "members_total", "water", "location"):
        for mine, theirs in zip(from_tallies[name].groups, from_answers[name].groups, strict=True):
            assert (mine.answered, mine.mean, mine.total, bars(mine)) == (
                theirs.answered,
                theirs.mean,
                theirs.total,
                bars(theirs),
            )
    assert not from_tallies["members_total"].as_number  # "1.2.3" is not a number: shown as texts


# Cost ------------------------------------------------------------------------------------------


def _more(collection, n):
    add_responses(collection, [dict(ANSWERS[i % 3], head=f"H{i}") for i in range(n)], day=datetime(2024, 3, 4, 8, 0))


@pytest.mark.parametrize("query", PAGES)
def test_page_queries_do_not_grow_with_the_responses(
    client_for, coordinator, prog, household, query, django_assert_max_num_queries
):
    form, collection = household
    client = client_for(coordinator)
    client.get(results_url(prog, form, query))  # warm the session and the tallies
    with CaptureQueriesContext(connection) as few:
        assert client.get(results_url(prog, form, query)).status_code == 200
    queries = len(few.captured_queries)  # read now: the log is emptied by the next request
    assert 0 < queries <= 20
    _more(collection, 40)
    client.get(results_url(prog, form, query))
    with django_assert_max_num_queries(queries):
        assert client.get(results_url(prog, form, query)).status_code == 200


# Pieces ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "point"),
    [
        ("21.0285 105.8542 10 5", (21.0285, 105.8542, 10.0, 5.0)),
        ("21 105", (21.0, 105.0, 0.0, 0.0)),
        ("-90 180 0 0", (-90.0, 180.0, 0.0, 0.0)),
        ("91 100", None),
        ("10 181", None),
        ("10 10 0 -1", None),
        ("1 2 3 4 5", None),
        ("inf 2", None),
        ("nan 2", None),
        ("abc def", None),
        ("", None),
        (12, None),
        (None, None),
        ("1 " * 200, None),
    ],
)
def test_a_point_reads_only_as_forms_spec_writes_it(value, point):
    assert parse_point(value) == point


def test_the_map_draws_every_point_inside_its_frame():
    svg = map_svg("loc", [(21.0, 105.8), (10.8, 106.7), (16.0, 108.2)])
    width, height = (float(n) for n in re.search(r'viewBox="0 0 (\S+) (\S+)"', svg).groups())
    dots = [(float(x), float(y)) for x, y in re.findall(r'cx="([^"]+)" cy="([^"]+)"', svg)]
    assert len(dots) == 3 and all(0 <= x <= width and 0 <= y <= height for x, y in dots)
    assert dots[0][1] < dots[2][1] < dots[1][1]  # north is up
    assert map_svg("loc", []) == ""
    assert 'cx="160.0"' in map_svg("one", [(21.0, 105.8)])  # a single point stands in the middle
