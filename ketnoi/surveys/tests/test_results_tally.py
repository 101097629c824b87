"""The tallies (results_tally) give the figures the answers give (results_sql) — over random
answers of every kind of question, in one group and per collection — and never go stale:
new, removed and late responses are all seen."""

import math
import random
import uuid
from datetime import date, timedelta

import pytest
from django.db import DatabaseError
from django.db.models import F

from ketnoi.surveys import results_tally, services
from ketnoi.surveys.models import CollectionTally, Response
from ketnoi.surveys.results import _plan_question, form_questions
from ketnoi.surveys.results_sql import Scan

from .results_builders import bulk_responses

pytestmark = pytest.mark.django_db

SCALE = {"min": 1, "max": 5, "min_label": {"vi": "Kém"}, "max_label": {"vi": "Tốt"}}
CHOICES = [{"name": n, "label": {"vi": n}} for n in ("a", "b", "c", "d")]


def _q(name: str, kind: str, **extra) -> dict:
    return {"name": name, "type": kind, "label": {"vi": name}, **extra}


DEFINITION = {
    "title": {"vi": "Mọi loại câu hỏi"},
    "questions": [
        _q("overall", "rating", scale=SCALE),
        _q("recommend", "rating", scale={"min": 0, "max": 10}),
        _q("quality", "matrix", scale=SCALE, items=[{"name": f"i{k}", "label": {"vi": f"Mục {k}"}} for k in range(3)]),
        _q("sex", "select_one", choices=CHOICES),
        _q("topics", "select_multiple", choices=CHOICES, or_other=True),
        _q("sessions", "integer"),
        _q("budget", "integer"),
        _q("hours", "decimal"),
        _q("flat", "decimal"),
        _q("recent", "date"),
        _q("born", "date"),
        _q("why", "text"),
        _q("story", "long_text"),
    ],
}


def _answers(rng: random.Random) -> dict:
    a: dict = {}
    if rng.random() < 0.9:
        a["overall"] = rng.randint(1, 5)
    a["recommend"] = rng.choice([0, 7, 8, 9, 10, 10])
    for k in range(3):
        if rng.random() < 0.8:
            a[f"i{k}"] = rng.randint(1, 5)
    if rng.random() < 0.85:
        a["sex"] = rng.choice("abcd")
    chosen = [c for c in ("a", "b", "c", "d", "other") if rng.random() < 0.4]
    if chosen:
        a["topics"] = " ".join(chosen)
        if "other" in chosen:
            a["topics_other"] = rng.choice(["Luật về hội", "Tài chính", ""])
    a["sessions"] = rng.randint(1, 12)
    if rng.random() < 0.7:
        a["budget"] = rng.randint(0, 5000)  # spread over more than 100 values: counted per range
    if rng.random() < 0.6:
        a["hours"] = round(rng.uniform(0, 12), rng.choice([0, 1, 2]))
    if rng.random() < 0.3:
        a["flat"] = 2.5  # one value only: one range
    if rng.random() < 0.7:
        a["recent"] = (date(2024, 10, 1) + timedelta(days=rng.randint(0, 80))).isoformat()
    if rng.random() < 0.7:
        a["born"] = (date(1960, 1, 1) + timedelta(days=rng.randint(0, 15000))).isoformat()
    if rng.random() < 0.5:
        a["why"] = rng.choice(["Hữu ích", "Cần thêm ví dụ", "Rất hay"])
    if rng.random() < 0.3:
        a["story"] = "Một câu chuyện dài về hợp tác giữa cơ quan nhà nước và tổ chức xã hội. " * rng.randint(1, 3)
    return a


@pytest.fixture
def varied(coordinator, prog):
    form = services.form_create(actor=coordinator, programme=prog, definition=DEFINITION)
    collections = [
        services.collection_open(actor=coordinator, form=form, title=f"Lớp {i}", context={"class": f"L{i}"})
        for i in range(4)
    ]
    return form, collections


def _plan(form) -> Scan:
    scan = Scan()
    scan.count_rows("responses")
    for question in form_questions(form):
        _plan_question(scan, question)
    return scan


def _same(a, b) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)
    if isinstance(a, list | tuple) and isinstance(b, list | tuple):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    return a == b


def _assert_same(from_answers, from_tallies):
    assert from_answers.wide.keys() == from_tallies.wide.keys()
    for g, figures in from_answers.wide.items():
        for name, value in figures.items():
            assert _same(value, from_tallies.wide[g][name]), (g, name, value, from_tallies.wide[g][name])
    assert from_answers.counts.keys() == from_tallies.counts.keys()
    for name, per_group in from_answers.counts.items():
        for g, pairs in per_group.items():
            expected = sorted((float(b) if isinstance(b, int) else b, n) for b, n in pairs)
            found = sorted((float(b) if isinstance(b, int) else b, n) for b, n in from_tallies.counts[name][g])
            assert _same(expected, found), (name, g)
    assert from_answers.middles.keys() == from_tallies.middles.keys()
    for name, per_group in from_answers.middles.items():
        for g, values in per_group.items():
            assert _same([float(v) for v in values], from_tallies.middles[name][g]), (name, g)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_tallies_give_the_figures_the_answers_give(varied, seed):
    form, collections = varied
    rng = random.Random(seed)
    for collection in collections[: rng.randint(1, 4)]:
        bulk_responses(collection, [_answers(rng) for _ in range(rng.randint(1, 60))])
    ids = [c.pk for c in collections]
    responses = Response.objects.filter(collection__form=form)
    scan = _plan(form)
    _assert_same(scan.run(responses), results_tally.evaluate(scan, results_tally.tallies(ids)))
    # Per collection, as the comparison reads them; then one collection alone, as a filter does.
    _assert_same(
        scan.run(responses, F("collection_id")),
        results_tally.evaluate(scan, results_tally.tallies(ids), group_of=lambda pk: pk),
    )
    first = collections[0]
    _assert_same(
        scan.run(responses.filter(collection=first)), results_tally.evaluate(scan, results_tally.tallies([first.pk]))
    )


def test_a_tally_keeps_counts_never_the_free_texts(varied):
    form, (collection, *_rest) = varied
    bulk_responses(collection, [{"why": "Ý kiến riêng của tôi", "sex": "a", "overall": 4}])
    results_tally.tallies([collection.pk])
    tally = CollectionTally.objects.get(collection=collection)
    assert tally.responses == 1 and tally.through_id == Response.objects.get().pk
    assert "Ý kiến riêng" not in str(tally.counts)
    assert tally.counts[str(form.current_version_id)]["why"] == [[1, 1]]


def _figures(collections) -> dict:
    form = collections[0].form
    scan = _plan(form)
    return results_tally.evaluate(scan, results_tally.tallies([c.pk for c in collections])).wide[None]


def test_new_and_removed_responses_are_seen(varied):
    _form, (collection, other, *_rest) = varied
    bulk_responses(collection, [{"overall": 5}, {"overall": 3}])
    assert _figures([collection])[("overall", "n")] == 2
    bulk_responses(collection, [{"overall": 1}])
    figures = _figures([collection])
    assert figures[("overall", "n")] == 3 and figures[("overall", "point", 1)] == 1
    assert CollectionTally.objects.get(collection=collection).responses == 3
    Response.objects.filter(answers__overall=5).delete()
    figures = _figures([collection])
    assert figures["responses"] == 2 and figures[("overall", "point", 5)] == 0
    # Removed and added at once: the count adds up, the last id does not.
    Response.objects.filter(answers__overall=3).delete()
    bulk_responses(collection, [{"overall": 2}])
    figures = _figures([collection])
    assert figures[("overall", "point", 3)] == 0 and figures[("overall", "point", 2)] == 1
    Response.objects.filter(collection=collection).delete()
    assert _figures([collection])["responses"] == 0
    bulk_responses(other, [{"overall": 4}])
    assert _figures([collection, other])[("overall", "point", 4)] == 1


def test_a_response_committed_late_under_an_earlier_id_is_counted(varied):
    """On PostgreSQL an id is taken at insert and seen at commit, so a response can appear
    below the last id already counted: the count no longer adds up and the tally is redone."""
    _form, (collection, *_rest) = varied
    bulk_responses(collection, [{"overall": 5}, {"overall": 4}, {"overall": 3}])
    late = Response.objects.order_by("id")[1]
    late_answers, late_version = late.answers, late.version_id
    late.delete()
    assert _figures([collection])[("overall", "n")] == 2
    bulk_responses(collection, [{"overall": 2}])
    Response.objects.create(
        id=late.pk, uuid=uuid.uuid4(), collection=collection, version_id=late_version, answers=late_answers
    )
    figures = _figures([collection])
    assert figures[("overall", "n")] == 4 and figures[("overall", "point", 4)] == 1


def test_a_tally_that_cannot_be_saved_still_gives_the_figures(varied, monkeypatch):
    _form, (collection, *_rest) = varied
    bulk_responses(collection, [{"overall": 5}, {"overall": 4}])

    def busy(*args, **kwargs):
        raise DatabaseError("database is locked")

    monkeypatch.setattr(CollectionTally.objects, "bulk_create", busy)
    assert _figures([collection])[("overall", "n")] == 2
    assert not CollectionTally.objects.exists()


def test_a_collection_without_responses_has_no_tally_and_zero_figures(varied):
    _form, collections = varied
    figures = _figures(collections)
    assert figures["responses"] == 0 and figures[("overall", "n")] == 0 and figures[("overall", "point", 5)] == 0
    assert not CollectionTally.objects.exists()
