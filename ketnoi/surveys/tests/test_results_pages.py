"""The results pages: who may read them (every persona), what they show (figures, accessible
SVG charts, filters, split, comparison, paged free text), bad input answered with a message and
never a server error, the empty states, and query counts that do not grow with the responses."""

import re
import uuid
from datetime import datetime

import pytest
from django.urls import reverse

from ketnoi.core.roles import Role
from ketnoi.programmes.models import ProgrammeRole
from ketnoi.surveys import services
from ketnoi.surveys.models import Collection
from ketnoi.surveys.ready_forms import ready_form

from .results_builders import ITEMS, build_lecture, bulk_responses, lecture_answers

pytestmark = pytest.mark.django_db


@pytest.fixture
def lecture(coordinator, prog):
    return build_lecture(coordinator, prog)


def results_url(prog, form, query=""):
    return reverse("surveys:results", args=[prog.code, form.pk]) + (f"?{query}" if query else "")


def compare_url(prog, form, query=""):
    return reverse("surveys:results_compare", args=[prog.code, form.pk]) + (f"?{query}" if query else "")


def text(response) -> str:
    return response.content.decode()


# Who may read ----------------------------------------------------------------------------------

PAGES = [
    lambda prog, form: results_url(prog, form),
    lambda prog, form: results_url(prog, form, "split=would_recommend&class=HN01"),
    lambda prog, form: compare_url(prog, form),
    lambda prog, form: reverse("surveys:export", args=[prog.code, form.pk, "csv"]),
]


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("persona", ["coordinator", "lecturer", "reviewer", "viewer", "staff_admin"])
def test_every_programme_role_reads_the_results(request, client_for, lecture, prog, page, persona):
    form, _hn01, _hcm01 = lecture
    user = request.getfixturevalue(persona)
    assert client_for(user).get(page(prog, form)).status_code == 200


@pytest.mark.parametrize("page", PAGES)
def test_no_role_is_not_found_even_for_a_learner_who_answered(
    client, client_for, coordinator, learner, outsider, make_user, other_prog, prog, page
):
    form = services.form_create(actor=coordinator, programme=prog, definition=ready_form("lecture"))
    identified = services.collection_open(
        actor=coordinator, form=form, title="Có danh tính", mode=Collection.Mode.IDENTIFIED
    )
    services.response_submit(
        collection=identified,
        uuid=uuid.uuid4(),
        answers=lecture_answers(4, "advocacy", "yes", [4] * 5, {}),
        user=learner,
    )
    elsewhere = make_user("elsewhere")
    ProgrammeRole.objects.create(user=elsewhere, programme=other_prog, role=Role.COORDINATOR)
    for user in (learner, outsider, elsewhere):
        assert client_for(user).get(page(prog, form)).status_code == 404
    client.logout()
    response = client.get(page(prog, form))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_form_of_another_programme_is_not_found(client_for, coordinator, lecture, make_user, other_prog):
    form, _hn01, _hcm01 = lecture
    other_coordinator = make_user("other-coordinator")
    ProgrammeRole.objects.create(user=other_coordinator, programme=other_prog, role=Role.COORDINATOR)
    # The form's id under the other programme's code: still not found.
    assert client_for(other_coordinator).get(results_url(other_prog, form)).status_code == 404


# What the page shows ---------------------------------------------------------------------------


def test_results_page_shows_figures_and_accessible_charts(client_for, viewer, prog, lecture):
    form, _hn01, _hcm01 = lecture
    page = text(client_for(viewer).get(results_url(prog, form)))
    assert re.search(r"<strong>7</strong> phiếu trả lời", page)
    assert "Đánh giá chung về bài giảng" in page
    assert "3,57" in page  # the overall mean, with the Vietnamese decimal comma
    assert 'role="img"' in page and "<title id=" in page and "<desc id=" in page
    # The figures are written on the bars and read out in the chart's description.
    assert "3 · 43%" in page
    assert "5 – Rất tốt: 3 · 43%" in page
    assert "Luật về hội" in page  # the "other" texts
    assert "Cần thêm thời gian thảo luận nhóm" in page  # free text
    assert "Mỗi người chọn được nhiều ý" in page
    assert 'href="/static/surveys/results.css"' in page
    for link in ("export.xlsx?labels=1", "export.csv", "export.json"):
        assert link in page


def test_split_page_puts_categories_side_by_side(client_for, coordinator, prog, lecture):
    form, _hn01, _hcm01 = lecture
    page = text(client_for(coordinator).get(results_url(prog, form, "split=would_recommend")))
    assert "chia theo “Anh/chị có muốn học thêm về chủ đề này không?”" in page
    assert "Có: 4 phiếu" in page and "Không: 3 phiếu" in page
    assert "4,75" in page  # the mean overall rating of those who want to learn more
    assert '<option value="would_recommend" selected>' in page


def test_filters_narrow_the_page_and_say_what_is_in_force(client_for, coordinator, prog, lecture):
    form, _hn01, _hcm01 = lecture
    page = text(client_for(coordinator).get(results_url(prog, form, "class=HN01&date_from=02/10/2024")))
    assert re.search(r"<strong>3</strong> phiếu trả lời", page) and "khớp bộ lọc" in page
    assert "Lớp: HN01" in page and "Gửi từ ngày: 02/10/2024" in page
    assert "class=HN01" in page and "export.csv?class=HN01&amp;date_from=02%2F10%2F2024" in page


def test_free_text_pages_link_to_each_other(client_for, coordinator, prog, lecture):
    form, _hn01, hcm01 = lecture
    bulk_responses(
        hcm01,
        [
            {"overall": 3, **dict.fromkeys(ITEMS, 3), "would_recommend": "yes", "improve": f"Ý kiến {i}"}
            for i in range(12)
        ],
        start=datetime(2025, 1, 1, 8, 0),
    )
    client = client_for(coordinator)
    page = text(client.get(results_url(prog, form)))
    assert "Trang 1/2" in page and "page_improve=2#q-improve" in page
    second = text(client.get(results_url(prog, form, "page_improve=2")))
    assert "Trang 2/2" in second and "Thêm ví dụ thực tế" in second
    assert "Trang 2/2" in text(client.get(results_url(prog, form, "page_improve=abc&page_improve=7")))


def test_compare_page_tables_the_means_per_class(client_for, lecturer, prog, lecture):
    form, _hn01, _hcm01 = lecture
    page = text(client_for(lecturer).get(compare_url(prog, form, "by=class")))
    assert "2 nhóm theo lớp" in page
    assert re.search(r"HCM01<br><small[^>]*>3 phiếu", page) and re.search(r"HN01<br><small[^>]*>4 phiếu", page)
    assert "3,67" in page and "3,5" in page
    assert "sv-low" in page and "sv-high" in page
    assert 'aria-current="true" role="button">Lớp' in page
    by_collection = text(client_for(lecturer).get(compare_url(prog, form, "by=collection")))
    assert "Bài giảng 1 – lớp HN01" in by_collection


# Bad input -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("date_from=31/02/2024", "Hãy nhập ngày dạng dd/mm/yyyy"),
        ("date_from=05/11/2024&date_to=01/11/2024", "Ngày cuối phải từ ngày đầu trở đi"),
        ("class=XX99", "“XX99” không có trong các đợt khảo sát của biểu mẫu này"),
        ("collection=abc", "không có trong các đợt khảo sát"),
        ("collection=999999", "không có trong các đợt khảo sát"),
        ("split=overall", "Không có câu hỏi chọn một “overall” để chia nhóm"),
        ("split=%3Cscript%3E", "Không có câu hỏi chọn một “&lt;script&gt;”"),
    ],
)
def test_bad_filters_say_what_to_do_and_never_fail(client_for, coordinator, prog, lecture, query, message):
    form, _hn01, _hcm01 = lecture
    response = client_for(coordinator).get(results_url(prog, form, query))
    assert response.status_code == 200
    assert message in text(response)
    assert "<script>" not in text(response)


def test_bad_comparison_says_what_to_do(client_for, coordinator, prog, lecture):
    form, _hn01, _hcm01 = lecture
    response = client_for(coordinator).get(compare_url(prog, form, "by=weather"))
    assert response.status_code == 200
    assert "Không so sánh được theo “weather”" in text(response)


def test_unknown_form_is_not_found(client_for, coordinator, prog):
    assert client_for(coordinator).get(results_url(prog, type("F", (), {"pk": 999999})())).status_code == 404


# Empty states ----------------------------------------------------------------------------------


def test_empty_results_say_how_to_collect_answers(client_for, coordinator, viewer, prog):
    form = services.form_create(actor=coordinator, programme=prog, definition=ready_form("workshop"))
    page = text(client_for(coordinator).get(results_url(prog, form)))
    assert "Chưa có phiếu trả lời nào." in page
    assert "gửi đường link hoặc chiếu mã QR" in page
    assert reverse("surveys:collection_open", args=[prog.code, form.pk]) in page
    viewer_page = text(client_for(viewer).get(results_url(prog, form)))
    assert "Chưa có phiếu trả lời nào." in viewer_page
    assert reverse("surveys:collection_open", args=[prog.code, form.pk]) not in viewer_page
    compare_page = text(client_for(coordinator).get(compare_url(prog, form)))
    assert "Chưa có phiếu trả lời nào." in compare_page


def test_filters_that_match_nothing_say_so(client_for, coordinator, prog, lecture):
    form, _hn01, _hcm01 = lecture
    page = text(client_for(coordinator).get(results_url(prog, form, "date_to=01/01/2020")))
    assert "Không có phiếu nào khớp bộ lọc." in page and "Bỏ lọc" in page


def test_a_form_without_ratings_has_nothing_to_compare(client_for, coordinator, prog):
    definition = {
        "title": {"vi": "Chỉ chữ"},
        "questions": [{"name": "note", "type": "text", "label": {"vi": "Ý kiến"}}],
    }
    form = services.form_create(actor=coordinator, programme=prog, definition=definition)
    page = text(client_for(coordinator).get(compare_url(prog, form)))
    assert "không có câu chấm điểm" in page


# Queries ---------------------------------------------------------------------------------------


def _grow(collection, n):
    bulk_responses(
        collection,
        [
            lecture_answers(5 - i % 5, "advocacy cso" if i % 2 else "other", "yes" if i % 3 else "no", [4] * 5, {})
            | ({"topics_useful_other": "Khác nữa", "improve": "Ý kiến"} if not i % 2 else {})
            for i in range(n)
        ],
    )


@pytest.mark.parametrize(
    "page",
    [
        lambda prog, form: results_url(prog, form, "semester=HK1 2024"),
        lambda prog, form: results_url(prog, form, "split=would_recommend"),
        lambda prog, form: compare_url(prog, form, "by=class"),
    ],
)
def test_page_queries_do_not_grow_with_the_responses(
    client_for, coordinator, prog, lecture, django_assert_num_queries, page
):
    form, _hn01, hcm01 = lecture
    client = client_for(coordinator)
    _grow(hcm01, 10)
    client.get(page(prog, form))  # warm the session (and the tallies, results_tally)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as nothing_new:
        assert client.get(page(prog, form)).status_code == 200
    assert len(nothing_new.captured_queries) <= 14
    # New responses are counted into the tallies at a fixed cost, however many they are.
    _grow(hcm01, 1)
    with CaptureQueriesContext(connection) as one_new:
        assert client.get(page(prog, form)).status_code == 200
    _grow(hcm01, 30)
    with django_assert_num_queries(len(one_new.captured_queries)):
        assert client.get(page(prog, form)).status_code == 200
    assert len(one_new.captured_queries) <= len(nothing_new.captured_queries) + 5
