"""Survey metrics as a programme indicator reads them, narrowed by the indicator's parameters."""

import uuid
from datetime import date

import pytest

from ketnoi.core.registry import get_metric
from ketnoi.programmes import services as programme_services
from ketnoi.programmes.progress import programme_progress
from ketnoi.surveys import services
from ketnoi.surveys.ready_forms import ready_form

from .factories import GOOD_LECTURE, lecture_form, open_collection

pytestmark = pytest.mark.django_db


@pytest.fixture
def answered(coordinator, prog):
    lecture = lecture_form(coordinator, prog)
    workshop = services.form_create(actor=coordinator, programme=prog, definition=ready_form("workshop"))
    hn = open_collection(coordinator, lecture, context={"class": "HN01"})
    hcm = open_collection(coordinator, lecture, context={"class": "HCM01"}, title="HCM")
    ws = open_collection(coordinator, workshop, title="Hội thảo")
    for collection, overall in [(hn, 5), (hn, 3), (hcm, 4)]:
        answers = {**GOOD_LECTURE, "overall": overall}
        services.response_submit(collection=collection, uuid=uuid.uuid4(), answers=answers)
    services.response_submit(
        collection=ws, uuid=uuid.uuid4(), answers={"participant_type": "cso", "useful": 2, "met_new_partners": "no"}
    )
    return lecture


def test_responses_count_and_narrow(prog, answered):
    metric = get_metric("surveys.responses")
    assert metric.value(programme=prog, start=None, end=None) == 4
    assert metric.value(programme=prog, start=None, end=None, params={"form": answered.code}) == 3
    assert metric.value(programme=prog, start=None, end=None, params={"class": "HN01"}) == 2
    assert metric.value(programme=prog, start=date(2000, 1, 1), end=date(2000, 12, 31)) == 0


def test_mean_rating_of_one_question_of_one_form(prog, other_prog, answered):
    metric = get_metric("surveys.mean_rating")
    assert metric.value(programme=prog, start=None, end=None, params={"question": "overall"}) == 4.0
    assert metric.value(programme=prog, start=None, end=None, params={"question": "overall", "class": "HN01"}) == 4.0
    assert metric.value(programme=prog, start=None, end=None, params={"question": "useful"}) == 2.0
    # Every rating and matrix answer of the lecture form: 3 responses × 6 ratings.
    every = metric.value(programme=prog, start=None, end=None, params={"form": answered.code})
    assert every == round((3 * (5 + 4 + 5 + 3 + 4) + 5 + 3 + 4) / 18, 2)
    assert metric.value(programme=other_prog, start=None, end=None) == 0


def test_an_indicator_reads_the_mean_rating_live(coordinator, prog, answered):
    indicator = programme_services.indicator_create(
        actor=coordinator,
        programme=prog,
        code="KS1",
        name="Điểm đánh giá chung",
        unit="điểm",
        cumulative=False,
        source="metric",
        metric_key="surveys.mean_rating",
        metric_params={"question": "overall"},
    )
    today = date.today()
    programme_services.indicator_period_create(
        actor=coordinator,
        indicator=indicator,
        label="Năm nay",
        start_date=date(today.year, 1, 1),
        end_date=date(today.year, 12, 31),
        target=4,
    )
    (item,) = programme_progress(prog).indicators
    assert float(item.actual) == 4.0 and float(item.percent) == 100.0
