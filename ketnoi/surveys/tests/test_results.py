"""Every figure of the results, computed in the database, checked against responses whose
answers are known (see results_builders for the table worked out by hand): both ready forms,
two versions, filters, a split, the comparison, medians of odd and even counts, multiple choice
and "other", empty results, and a query count that does not grow with the responses.

Every test runs twice: once reading the answers (results_sql) and once reading the
collections' tallies where the page would (results_tally) — the same figures either way."""

import sys
import uuid
from datetime import datetime

import pytest
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ketnoi.surveys import services
from ketnoi.surveys.models import Collection, Response
from ketnoi.surveys.ready_forms import ready_form
from ketnoi.surveys.results import (
    filtered_responses,
    form_collections,
    form_questions,
    form_results,
    median_of_counts,
    text_answers,
)
from ketnoi.surveys.results_compare import compare
from ketnoi.surveys.results_filters import apply_filters

from .results_builders import ITEMS, build_lecture, build_workshop, bulk_responses

pytestmark = pytest.mark.django_db


def _whole_collections(responses) -> list[int] | None:
    """The collections `responses` holds every response of (what the pages work out from the
    filters, results_filters.whole_collections), or None when it holds only some."""
    ids = sorted(set(responses.values_list("collection_id", flat=True)))
    whole = Response.objects.filter(collection_id__in=ids).count() == responses.count()
    return ids if whole else None


@pytest.fixture(autouse=True, params=["answers", "tallies"])
def source(request, monkeypatch):
    if request.param == "tallies":
        module = sys.modules[__name__]
        from_answers, compare_answers = form_results, compare

        def from_tallies(form, responses, **options):
            return from_answers(form, responses, tallied=_whole_collections(responses), **options)

        def compare_tallies(form, responses, **options):
            return compare_answers(form, responses, tallied=_whole_collections(responses), **options)

        monkeypatch.setattr(module, "form_results", from_tallies)
        monkeypatch.setattr(module, "compare", compare_tallies)
    return request.param


def results_for(form, query: str = "", split=None):
    responses, _filters = filtered_responses(form, QueryDict(query))
    return form_results(form, responses, split=split)


def by_name(results):
    return {r.question.name: r for r in results.questions}


def bars(stats):
    return {b.code: b.count for b in stats.bars}


@pytest.fixture
def lecture(coordinator, prog):
    return build_lecture(coordinator, prog)


@pytest.fixture
def workshop(coordinator, prog):
    return build_workshop(coordinator, prog)


# Medians ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("counts", "median"),
    [
        ([(1, 1), (2, 1), (3, 1)], 2),  # odd: the middle value
        ([(1, 1), (2, 1), (3, 1), (4, 1)], 2.5),  # even: the mean of the two middle values
        ([(5, 3), (4, 1), (2, 1), (1, 1), (3, 1)], 4),  # 1 2 3 4 5 5 5, unsorted input
        ([(2, 2), (4, 2)], 3),
        ([(7, 1)], 7),
        ([(1, 0), (2, 0)], None),
        ([], None),
    ],
)
def test_median_of_counts(counts, median):
    assert median_of_counts(counts) == median


# The lecture evaluation, across two versions ---------------------------------------------------


def test_questions_are_the_current_versions_then_the_earlier_ones(lecture):
    form, _hn01, _hcm01 = lecture
    questions = form_questions(form)
    assert [q.name for q in questions] == [
        "quality",
        "overall",
        "self_study",
        "topics_useful",
        "would_recommend",
        "improve",
    ]
    topics = questions[3]
    assert [c.name for c in topics.choices] == ["cso_role", "advocacy", "enabling_env", "cooperation", "cso", "other"]
    assert topics.choices[-1].label == "Khác"
    assert all(q.current for q in questions)


def test_lecture_figures_over_both_versions(lecture):
    form, _hn01, _hcm01 = lecture
    results = results_for(form)
    assert results.responses == 7
    questions = by_name(results)

    overall = questions["overall"].groups[0]
    assert overall.answered == 7
    assert overall.mean == pytest.approx(25 / 7)
    assert overall.median == 4  # 1 2 3 4 5 5 5
    assert (overall.minimum, overall.maximum) == (1, 5)
    assert bars(overall) == {1: 1, 2: 1, 3: 1, 4: 1, 5: 3}
    assert overall.bars[-1].label == "5 – Rất tốt" and overall.bars[0].label == "1 – Rất kém"
    assert overall.bars[-1].percent == pytest.approx(300 / 7)

    recommend = questions["would_recommend"].groups[0]
    assert bars(recommend) == {"yes": 4, "no": 3}
    assert [b.label for b in recommend.bars] == ["Có", "Không"]
    assert recommend.bars[0].percent == pytest.approx(400 / 7)


def test_multiple_choice_counts_each_choice_and_keeps_other_texts(lecture):
    form, _hn01, _hcm01 = lecture
    result = by_name(results_for(form))["topics_useful"]
    topics = result.groups[0]
    assert topics.answered == 7
    # "cso" (version 2) is a prefix of "cso_role": only l5 chose it.
    assert bars(topics) == {"cso_role": 2, "advocacy": 4, "enabling_env": 1, "cooperation": 1, "cso": 1, "other": 1}
    assert topics.bars[1].percent == pytest.approx(400 / 7)
    assert topics.others == 1 and result.others == 1


def test_matrix_is_a_grid_of_counts_with_a_mean_per_item(lecture):
    form, _hn01, _hcm01 = lecture
    matrix = by_name(results_for(form))["quality"]
    assert [i.item.name for i in matrix.items] == ITEMS
    relevant = matrix.items[0].groups[0]  # 5 4 3 2 5 5 1
    assert bars(relevant) == {1: 1, 2: 1, 3: 1, 4: 1, 5: 3}
    assert relevant.mean == pytest.approx(25 / 7) and relevant.median == 4
    time_enough = matrix.items[4].groups[0]  # 5 4 2 1 5 5 1
    assert bars(time_enough) == {1: 2, 2: 1, 3: 0, 4: 1, 5: 3}
    assert time_enough.mean == pytest.approx(23 / 7) and time_enough.median == 4
    assert matrix.answered == 7


def test_integer_added_in_version_two_counts_its_answers_only(lecture):
    form, _hn01, _hcm01 = lecture
    study = by_name(results_for(form))["self_study"].groups[0]  # 2 4 9
    assert study.answered == 3
    assert study.mean == 5 and study.median == 4 and (study.minimum, study.maximum) == (2, 9)
    assert bars(study) == {2.0: 1, 4.0: 1, 9.0: 1}  # the values given, not the empty ones between


def test_free_text_newest_first_and_paginated(lecture):
    form, _hn01, _hcm01 = lecture
    responses, _f = filtered_responses(form, QueryDict(""))
    result = by_name(form_results(form, responses))["improve"]
    assert result.answered == 3
    page = text_answers(responses, result.question, "improve", total=3)
    assert [a.text for a in page.answers] == [
        "Cần thêm thời gian thảo luận nhóm",
        "Giảm lý thuyết",
        "Thêm ví dụ thực tế",
    ]
    second = text_answers(responses, result.question, "improve", total=3, page=2, per_page=2)
    assert (second.number, second.pages, [a.text for a in second.answers]) == (2, 2, ["Thêm ví dụ thực tế"])
    assert text_answers(responses, result.question, "improve", total=3, page="x", per_page=2).number == 1
    assert text_answers(responses, result.question, "improve", total=3, page=99, per_page=2).number == 2
    other = text_answers(responses, result.question, "topics_useful_other", total=1)
    assert [a.text for a in other.answers] == ["Luật về hội"]


# Filters ---------------------------------------------------------------------------------------


def test_filter_by_class_campus_semester_lecturer_and_collection(lecture):
    form, hn01, hcm01 = lecture
    assert results_for(form, "class=HN01").responses == 4
    assert results_for(form, "campus=TP. Hồ Chí Minh").responses == 3
    assert results_for(form, "semester=HK1 2024").responses == 7
    assert results_for(form, "lecturer=Nguyễn Văn An").responses == 4
    assert results_for(form, f"collection={hcm01.pk}").responses == 3
    hn = by_name(results_for(form, "class=HN01"))["overall"].groups[0]  # 5 4 3 2
    assert hn.mean == 3.5 and hn.median == 3.5
    hcm = by_name(results_for(form, "class=HCM01"))["overall"].groups[0]  # 5 5 1
    assert hcm.mean == pytest.approx(11 / 3) and hcm.median == 5


def test_filter_by_submission_dates_in_dd_mm_yyyy(lecture):
    form, _hn01, _hcm01 = lecture
    assert results_for(form, "date_from=01/11/2024").responses == 3
    assert results_for(form, "date_to=02/10/2024").responses == 2  # the whole last day counts
    assert results_for(form, "date_from=02/10/2024&date_to=05/11/2024").responses == 4


def test_filter_form_offers_the_values_that_exist_and_explains_mistakes(lecture):
    form, _hn01, _hcm01 = lecture
    _responses, filters = filtered_responses(form, QueryDict(""))
    assert [v for v, _l in filters.fields["class"].choices] == ["", "HCM01", "HN01"]
    assert [v for v, _l in filters.fields["campus"].choices] == ["", "Hà Nội", "TP. Hồ Chí Minh"]
    responses, filters = filtered_responses(form, QueryDict("class=XX01&date_from=31/02/2024"))
    assert "XX01" in filters.errors["class"][0]
    assert "dd/mm/yyyy" in filters.errors["date_from"][0]
    assert responses.count() == 7  # a filter that does not validate is left out
    _responses, filters = filtered_responses(form, QueryDict("date_from=05/11/2024&date_to=01/11/2024"))
    assert "Ngày cuối" in filters.errors["date_to"][0]


def test_filters_and_results_agree_for_another_form(lecture, workshop):
    form, _hn01, _hcm01 = lecture
    workshop_form, _c = workshop
    assert results_for(workshop_form).responses == 4
    assert results_for(form).responses == 7


# Split -----------------------------------------------------------------------------------------


def test_split_by_a_single_choice_gives_every_figure_per_category(lecture):
    form, _hn01, _hcm01 = lecture
    results = results_for(form, split="would_recommend")
    assert results.is_split
    assert [(g.key, g.label, g.responses) for g in results.groups] == [("yes", "Có", 4), ("no", "Không", 3)]
    questions = by_name(results)
    yes, no = questions["overall"].groups
    assert (yes.mean, yes.median, yes.minimum) == (4.75, 5, 4)  # 5 4 5 5
    assert (no.mean, no.median, no.maximum) == (2, 2, 3)  # 3 2 1
    topics_yes, topics_no = questions["topics_useful"].groups
    assert bars(topics_yes) == {"cso_role": 1, "advocacy": 4, "enabling_env": 0, "cooperation": 1, "cso": 1, "other": 0}
    assert bars(topics_no) == {"cso_role": 1, "advocacy": 0, "enabling_env": 1, "cooperation": 0, "cso": 0, "other": 1}
    assert [i.groups[1].mean for i in questions["quality"].items][0] == 2  # content_relevant: 3 2 1
    study_yes, study_no = questions["self_study"].groups
    assert (study_yes.answered, study_yes.median, study_no.median) == (2, 3, 9)
    rows = dict(questions["topics_useful"].bar_rows)
    assert [b.count for b in rows["Vận động chính sách"]] == [4, 0]


def test_split_respects_the_filters_and_ignores_an_unknown_question(lecture):
    form, _hn01, _hcm01 = lecture
    results = results_for(form, "class=HN01", split="would_recommend")
    assert [(g.key, g.responses) for g in results.groups] == [("yes", 2), ("no", 2)]
    assert not results_for(form, split="overall").is_split  # not a single choice
    assert not results_for(form, split="nothing").is_split


def test_split_texts_carry_their_category(lecture):
    form, _hn01, _hcm01 = lecture
    responses, _f = filtered_responses(form, QueryDict(""))
    results = form_results(form, responses, split="would_recommend")
    improve = by_name(results)["improve"]
    page = text_answers(responses, improve.question, "improve", total=improve.answered, split=results.split)
    assert [(a.text, a.group) for a in page.answers][:2] == [
        ("Cần thêm thời gian thảo luận nhóm", "Có"),
        ("Giảm lý thuyết", "Không"),
    ]


# Comparison ------------------------------------------------------------------------------------


@pytest.mark.parametrize("by", ["class", "campus", "lecturer", "collection"])
def test_compare_means_of_every_rating_and_matrix_item_per_group(lecture, by):
    form, hn01, hcm01 = lecture
    responses, _f = filtered_responses(form, QueryDict(""))
    comparison = compare(form, responses, by=by, collections=form_collections(form))
    labels = {
        "class": ["HCM01", "HN01"],
        "campus": ["Hà Nội", "TP. Hồ Chí Minh"],
        "lecturer": ["Nguyễn Văn An", "Trần Thị Bình"],
        "collection": [hn01.title, hcm01.title],  # in the order they were opened
    }[by]
    assert [g.label for g in comparison.groups] == labels
    hn_index = 1 if by == "class" else 0
    rows = {row.key: row for row in comparison.rows}
    assert list(rows) == [*ITEMS, "overall"]
    assert rows["overall"].cells[hn_index] == (3.5, 4)
    assert rows["overall"].cells[1 - hn_index][0] == pytest.approx(11 / 3)
    assert rows["time_enough"].cells[hn_index] == (3.0, 4)  # 5 4 2 1
    assert rows["lecturer_clear"].cells[1 - hn_index] == (4.0, 3)  # 5 5 2
    assert rows["content_relevant"].heading.startswith("Mức độ đồng ý")
    assert rows["overall"].lowest == 3.5


def test_compare_by_semester_puts_everyone_together_and_filters_apply(lecture):
    form, _hn01, _hcm01 = lecture
    responses, _f = filtered_responses(form, QueryDict("date_from=01/11/2024"))
    comparison = compare(form, responses, by="semester", collections=form_collections(form))
    assert [(g.label, g.responses) for g in comparison.groups] == [("HK1 2024", 3)]


def test_compare_names_collections_without_the_context_value(coordinator, prog, lecture):
    form, _hn01, _hcm01 = lecture
    loose = services.collection_open(actor=coordinator, form=form, title="Không ghi lớp")
    bulk_responses(loose, [{"overall": 3, **dict.fromkeys(ITEMS, 3), "would_recommend": "yes"}])
    responses, _f = filtered_responses(form, QueryDict(""))
    comparison = compare(form, responses, by="class", collections=form_collections(form))
    assert [g.label for g in comparison.groups] == ["HCM01", "HN01", "(chưa ghi lớp)"]


# The workshop feedback -------------------------------------------------------------------------


def test_workshop_figures(workshop):
    form, _collection = workshop
    results = results_for(form)
    questions = by_name(results)
    assert results.responses == 4
    participant = questions["participant_type"]
    assert bars(participant.groups[0]) == {"state_agency": 1, "cso": 2, "mass_organisation": 0, "other": 1}
    assert participant.others == 1
    useful = questions["useful"].groups[0]  # 5 4 2 4
    assert useful.mean == 3.75 and useful.median == 4
    partners = questions["partners_count"].groups[0]  # 3 10 3 (asked only of those who met partners)
    assert partners.answered == 3
    assert partners.mean == pytest.approx(16 / 3) and partners.median == 3
    assert bars(partners) == {3.0: 2, 10.0: 1}
    assert questions["follow_up"].answered == 2
    met = questions["met_new_partners"].groups[0]
    assert bars(met) == {"yes": 3, "no": 1}


def test_workshop_split_by_where_delegates_come_from(workshop):
    form, _collection = workshop
    results = results_for(form, split="participant_type")
    assert [(g.key, g.responses) for g in results.groups] == [("state_agency", 1), ("cso", 2), ("other", 1)]
    useful = by_name(results)["useful"]
    assert [s.mean for s in useful.groups] == [5, 4, 2]


# Decimals, wide integers and dates -------------------------------------------------------------

NUMBERS = {
    "title": {"vi": "Số liệu"},
    "questions": [
        {"name": "weight", "type": "decimal", "label": {"vi": "Cân nặng"}},
        {"name": "age", "type": "integer", "label": {"vi": "Tuổi"}},
        {"name": "born", "type": "date", "label": {"vi": "Ngày tham gia"}},
        {"name": "group", "type": "select_one", "label": {"vi": "Nhóm"}, "choices": [{"name": "a"}, {"name": "b"}]},
    ],
}


@pytest.fixture
def numbers(coordinator, prog):
    form = services.form_create(actor=coordinator, programme=prog, definition=NUMBERS)
    collection = services.collection_open(actor=coordinator, form=form, title="Số liệu")
    return form, collection


def test_decimals_in_ranges_with_medians_read_from_the_middle(numbers):
    form, collection = numbers
    weights = [0.5 + 1.5 * i for i in range(31)]  # 31 distinct values, 0.5 … 45.5
    bulk_responses(collection, [{"weight": w, "group": "a" if i % 2 else "b"} for i, w in enumerate(weights)])
    weight = by_name(results_for(form))["weight"].groups[0]
    assert weight.answered == 31
    assert weight.median == pytest.approx(23.0)  # the 16th of 31
    assert weight.buckets == "range" and len(weight.bars) == 8
    assert sum(b.count for b in weight.bars) == 31
    assert weight.bars[0].label == "0,5–6,12"
    split = by_name(results_for(form, split="group"))["weight"].groups
    # group a: odd indexes (15 values, median the 8th: index 15 → 23.0); b: even (16 values).
    assert split[0].median == pytest.approx(23.0)
    assert split[1].median == pytest.approx((21.5 + 24.5) / 2)


def test_a_widely_spread_integer_is_charted_in_ranges_with_an_exact_median(numbers):
    form, collection = numbers
    bulk_responses(collection, [{"age": age} for age in [18, 19, 20, 21, 22, 30, 40, 50, 60, 61]])
    age = by_name(results_for(form))["age"].groups[0]
    assert age.median == 26  # (22 + 30) / 2
    assert age.buckets == "value" and len(age.bars) <= 8
    assert age.bars[0].label == "18–23" and age.bars[0].count == 5
    assert sum(b.count for b in age.bars) == 10


def test_dates_counted_per_day_or_per_month(numbers):
    form, collection = numbers
    bulk_responses(collection, [{"born": d} for d in ["2024-10-01", "2024-10-01", "2024-10-03"]])
    born = by_name(results_for(form))["born"].groups[0]
    assert born.buckets == "day"
    assert [(b.label, b.count) for b in born.bars] == [("01/10/2024", 2), ("03/10/2024", 1)]
    assert born.min_text == "01/10/2024" and born.max_text == "03/10/2024"
    bulk_responses(collection, [{"born": "2025-03-15"}])
    born = by_name(results_for(form))["born"].groups[0]
    assert born.buckets == "month"
    assert [(b.label, b.count) for b in born.bars] == [("10/2024", 3), ("03/2025", 1)]


def test_a_decimal_on_a_range_edge_falls_where_its_label_says(numbers):
    form, collection = numbers
    bulk_responses(collection, [{"weight": w} for w in [0, 1, 1.5, 2, 8]])  # ranges of width 1 from 0 to 8
    weight = by_name(results_for(form))["weight"].groups[0]
    assert [(b.label, b.count) for b in weight.bars[:3]] == [("0–1", 1), ("1–2", 2), ("2–3", 1)]
    assert weight.bars[-1].label == "7–8" and weight.bars[-1].count == 1  # the last range holds its end
    assert weight.median == 1.5
    bulk_responses(collection, [{"weight": 4.25}] * 2)
    weight = by_name(results_for(form))["weight"].groups[0]
    assert weight.median == 2  # 0 1 1.5 2 4.25 4.25 8
    one = services.collection_open(actor=collection.form.created_by, form=form, title="Một giá trị")
    bulk_responses(one, [{"weight": 3.5}])
    only = by_name(results_for(form, f"collection={one.pk}"))["weight"].groups[0]
    assert [(b.label, b.count) for b in only.bars] == [("3,5–3,5", 1)] and only.median == 3.5


def test_an_integer_over_a_hundred_values_wide_is_counted_in_ranges_with_an_exact_median(numbers):
    form, collection = numbers
    ages = [0, 50, 150, 1000, 1000]
    bulk_responses(collection, [{"age": a, "group": "a" if i < 3 else "b"} for i, a in enumerate(ages)])
    age = by_name(results_for(form))["age"].groups[0]
    assert age.buckets == "range" and age.median == 150
    assert [(b.label, b.count) for b in age.bars if b.count] == [("0–125", 2), ("126–251", 1), ("882–1.007", 2)]
    a, b = by_name(results_for(form, split="group"))["age"].groups
    assert (a.median, b.median) == (50, 1000)
    assert sum(bar.count for bar in a.bars) == 3 and len(a.bars) == len(b.bars)


def test_dates_over_a_few_months_are_shown_per_month_and_over_years_per_year(numbers):
    form, collection = numbers
    bulk_responses(collection, [{"born": d} for d in ["2024-10-01", "2024-10-30", "2024-12-20"]])
    born = by_name(results_for(form))["born"].groups[0]
    assert born.buckets == "month"  # 80 days: counted per day, shown per month
    assert [(b.label, b.count) for b in born.bars] == [("10/2024", 2), ("12/2024", 1)]
    bulk_responses(collection, [{"born": "2028-01-01"}])
    born = by_name(results_for(form))["born"].groups[0]
    assert born.buckets == "year"
    assert [(b.label, b.count) for b in born.bars] == [("2024", 3), ("2028", 1)]


def test_answers_that_are_not_what_the_question_expects_never_fail_the_page(numbers, client_for, coordinator, prog):
    form, collection = numbers
    # Stored around the checks (older data, a hand-made import): a date that is not one, a
    # choice the form never had.
    bulk_responses(collection, [{"born": "không nhớ", "group": "c"}, {"born": "2024-10-01", "group": "a"}])
    results = by_name(results_for(form))
    assert results["born"].answered == 2 and results["born"].groups[0].bars == []
    assert bars(results["group"].groups[0]) == {"a": 1, "b": 0}
    page = client_for(coordinator).get(f"/programmes/{prog.code}/surveys/{form.pk}/results/?split=group")
    assert page.status_code == 200


@pytest.mark.parametrize("persona", ["outsider", "other_coordinator"])
def test_the_results_page_is_404_without_a_role_on_the_programme(request, numbers, client_for, prog, persona):
    form, collection = numbers
    bulk_responses(collection, [{"born": "2024-10-01", "group": "a"}])
    client = client_for(request.getfixturevalue(persona))
    assert client.get(f"/programmes/{prog.code}/surveys/{form.pk}/results/?split=group").status_code == 404


def test_a_rating_that_was_an_integer_before_counts_every_answer_in_its_mean(coordinator, prog):
    v1 = {"title": {"vi": "Điểm"}, "questions": [{"name": "score", "type": "integer", "label": {"vi": "Điểm"}}]}
    form = services.form_create(actor=coordinator, programme=prog, definition=v1)
    collection = services.collection_open(actor=coordinator, form=form, title="Đợt 1")
    services.response_submit(collection=collection, uuid=uuid.uuid4(), answers={"score": 37})
    v2 = {
        "title": {"vi": "Điểm"},
        "questions": [{"name": "score", "type": "rating", "label": {"vi": "Điểm"}, "scale": {"min": 1, "max": 5}}],
    }
    form = services.form_update(actor=coordinator, form=form, definition=v2)
    collection = Collection.objects.get(pk=collection.pk)
    for score in (4, 5):
        services.response_submit(collection=collection, uuid=uuid.uuid4(), answers={"score": score})
    score = by_name(results_for(form))["score"].groups[0]
    assert score.answered == 3 and score.mean == pytest.approx(46 / 3)
    assert (score.minimum, score.maximum) == (4, 37)
    assert bars(score) == {1: 0, 2: 0, 3: 0, 4: 1, 5: 1}


def test_a_form_with_more_figures_than_one_statement_holds(coordinator, prog, source):
    many = [{"name": f"c{i}", "label": {"vi": f"Lựa chọn {i}"}} for i in range(130)]
    definition = {
        "title": {"vi": "Nhiều lựa chọn"},
        "questions": [
            *({"name": f"q{q}", "type": "select_one", "label": {"vi": f"Câu {q}"}, "choices": many} for q in range(3)),
            {"name": "n", "type": "integer", "label": {"vi": "Số"}},
        ],
    }
    form = services.form_create(actor=coordinator, programme=prog, definition=definition)
    collection = services.collection_open(actor=coordinator, form=form, title="Đợt 1")
    bulk_responses(collection, [{"q0": "c1", "q1": "c129", "q2": f"c{i}", "n": i} for i in range(5)])
    with CaptureQueriesContext(connection) as queries:
        results = by_name(results_for(form))
    assert len([q for q in queries.captured_queries if "WITH t AS" in q["sql"]]) == (2 if source == "answers" else 0)
    assert results["q0"].groups[0].bars[1].count == 5 and results["q1"].groups[0].bars[129].count == 5
    assert [b.count for b in results["q2"].groups[0].bars[:6]] == [1, 1, 1, 1, 1, 0]
    assert results["n"].groups[0].median == 2


def test_a_context_filter_that_matches_no_collection_gives_empty_results(lecture):
    form, _hn01, _hcm01 = lecture
    collections = form_collections(form)
    responses = apply_filters(
        Response.objects.filter(collection__form=form), {"class": "XX01"}, collections=collections
    )
    results = form_results(form, responses)
    assert results.responses == 0 and all(r.answered == 0 for r in results.questions)
    assert compare(form, responses, by="class", collections=collections).groups == []


# A name whose kind changed between versions ----------------------------------------------------


def test_answers_of_a_name_that_changed_kind_are_counted_only_where_the_kind_matches(coordinator, prog):
    v1 = {"title": {"vi": "Đổi kiểu"}, "questions": [{"name": "hours", "type": "text", "label": {"vi": "Số giờ"}}]}
    form = services.form_create(actor=coordinator, programme=prog, definition=v1)
    collection = services.collection_open(actor=coordinator, form=form, title="Đợt 1")
    services.response_submit(collection=collection, uuid=uuid.uuid4(), answers={"hours": "khoảng hai giờ"})
    v2 = {"title": {"vi": "Đổi kiểu"}, "questions": [{"name": "hours", "type": "integer", "label": {"vi": "Số giờ"}}]}
    form = services.form_update(actor=coordinator, form=form, definition=v2)
    collection = Collection.objects.get(pk=collection.pk)
    for hours in (2, 4):
        services.response_submit(collection=collection, uuid=uuid.uuid4(), answers={"hours": hours})
    hours = by_name(results_for(form))["hours"].groups[0]
    assert hours.answered == 2 and hours.mean == 3


# Empty results ---------------------------------------------------------------------------------


def test_no_responses_gives_zero_everywhere_without_errors(coordinator, prog):
    form = services.form_create(actor=coordinator, programme=prog, definition=ready_form("lecture"))
    results = results_for(form)
    assert results.responses == 0
    assert all(r.answered == 0 for r in results.questions)
    assert results_for(form, split="would_recommend").groups == []
    responses, _f = filtered_responses(form, QueryDict(""))
    comparison = compare(form, responses, by="class", collections=form_collections(form))
    assert comparison.groups == [] and all(row.cells == [] for row in comparison.rows)


# Queries ---------------------------------------------------------------------------------------


def _volume(collection, n: int):
    pattern = [
        {"overall": 5, **dict.fromkeys(ITEMS, 4), "topics_useful": "advocacy cso", "would_recommend": "yes"},
        {"overall": 2, **dict.fromkeys(ITEMS, 2), "topics_useful": "other", "would_recommend": "no"},
        {"overall": 4, **dict.fromkeys(ITEMS, 5), "would_recommend": "yes", "self_study": 3, "improve": "Tốt"},
    ]
    bulk_responses(collection, [pattern[i % 3] for i in range(n)], start=datetime(2024, 12, 1, 8, 0))


def _queries(form, split=None) -> int:
    with CaptureQueriesContext(connection) as queries:
        responses, _f = filtered_responses(form, QueryDict("semester=HK1 2024"))
        form_results(form, responses, split=split)
        compare(form, responses, by="class", collections=form_collections(form))
    return len(queries.captured_queries)


@pytest.mark.parametrize("split", [None, "would_recommend"])
def test_query_count_does_not_grow_with_the_responses(lecture, split, source):
    form, _hn01, hcm01 = lecture
    _volume(hcm01, 10)
    few = _queries(form, split)
    _volume(hcm01, 20)
    assert Response.objects.filter(collection__form=form).count() == 37
    assert _queries(form, split) == few
    # From the tallies: their check (responses and the tallies' states), read, new answers and
    # save, and the test's own three.
    assert few <= (8 if source == "answers" else 21)


def test_submitted_at_is_local_time_for_date_filters(lecture):
    form, hn01, _hcm01 = lecture
    # 23:30 on 31/10 in Hà Nội is 16:30 UTC: it belongs to 31/10, not 01/11.
    response, _ = services.response_submit(
        collection=hn01,
        uuid=uuid.uuid4(),
        answers={"overall": 3, **dict.fromkeys(ITEMS, 3), "would_recommend": "yes"},
    )
    Response.objects.filter(pk=response.pk).update(submitted_at=timezone.make_aware(datetime(2024, 10, 31, 23, 30)))
    assert results_for(form, "date_to=31/10/2024").responses == 5
    assert results_for(form, "date_from=01/11/2024").responses == 3
