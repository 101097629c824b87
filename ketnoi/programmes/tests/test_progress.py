"""Target against actual: the rules of programme_progress, and its fixed query count."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ketnoi.directory.models import Organisation, OrganisationType
from ketnoi.programmes import services
from ketnoi.programmes.progress import programme_progress

pytestmark = pytest.mark.django_db

Y2017 = ("2017", date(2017, 1, 1), date(2017, 12, 31))
Y2018 = ("2018", date(2018, 1, 1), date(2018, 12, 31))


def _indicator(actor, programme, code, periods, **extra):
    indicator = services.indicator_create(
        actor=actor, programme=programme, code=code, name=f"Chỉ số {code}", unit="người", **extra
    )
    made = [
        services.indicator_period_create(
            actor=actor, indicator=indicator, label=label, start_date=s, end_date=e, target=t
        )
        for (label, s, e), t in periods
    ]
    return indicator, made


def _approved(reporter, approver, indicator, period, value, **extra):
    entry = services.indicator_value_submit(
        actor=reporter, indicator=indicator, period=period, value=value, evidence="Biên bản", **extra
    )
    return services.indicator_value_review(actor=approver, value=entry, approve=True)


def _item(progress, code):
    return next(i for i in progress.indicators if i.indicator.code == code)


def test_cumulative_indicator_adds_approved_values_only(coordinator, lecturer, prog):
    indicator, (p17, p18) = _indicator(coordinator, prog, "CT1", [(Y2017, 40), (Y2018, 40)])
    _approved(lecturer, coordinator, indicator, p17, 25)
    _approved(lecturer, coordinator, indicator, p17, 15)
    _approved(lecturer, coordinator, indicator, p18, 30)
    services.indicator_value_submit(actor=lecturer, indicator=indicator, period=p18, value=100, evidence="chờ")
    rejected = services.indicator_value_submit(actor=lecturer, indicator=indicator, period=p18, value=50, evidence="x")
    services.indicator_value_review(actor=coordinator, value=rejected, approve=False, note="sai")

    item = _item(programme_progress(prog), "CT1")
    assert [(r.actual, r.cumulative_actual, r.cumulative_target) for r in item.periods] == [
        (Decimal(40), Decimal(40), Decimal(40)),
        (Decimal(30), Decimal(70), Decimal(80)),
    ]
    assert (item.actual, item.target, item.percent) == (Decimal(70), Decimal(80), Decimal("87.5"))
    assert item.pending == 1


def test_level_indicator_takes_the_latest_approved_value_of_the_latest_reported_period(coordinator, lecturer, prog):
    indicator, (p17, p18) = _indicator(coordinator, prog, "CT2", [(Y2017, 4), (Y2018, 5)], cumulative=False)
    _approved(lecturer, coordinator, indicator, p17, "3.9")
    _approved(lecturer, coordinator, indicator, p17, "4.3")  # a correction replaces, never adds

    item = _item(programme_progress(prog), "CT2")
    assert str(item.periods[0].actual) == "4.30"  # two places, as stored, on every database
    assert item.periods[1].actual is None
    assert (item.actual, item.target) == (Decimal("4.3"), Decimal(4))  # 2018 has no value yet
    _approved(lecturer, coordinator, indicator, p18, "4.5")
    item = _item(programme_progress(prog), "CT2")
    assert (item.actual, item.target, item.percent) == (Decimal("4.5"), Decimal(5), Decimal("90.0"))


def test_future_period_shows_no_carried_total(coordinator, lecturer, prog):
    today = timezone.localdate()
    future = ("Năm tới", today + timedelta(days=30), today + timedelta(days=395))
    indicator, (p17, _next) = _indicator(coordinator, prog, "CT3", [(Y2017, 10), (future, 10)])
    _approved(lecturer, coordinator, indicator, p17, 8)
    item = _item(programme_progress(prog), "CT3")
    assert item.periods[1].cumulative_actual is None
    assert item.periods[1].cumulative_target == Decimal(20)


def test_breakdowns_are_labelled_with_shares(coordinator, lecturer, prog):
    indicator, (p17, p18) = _indicator(
        coordinator, prog, "CT4", [(Y2017, 50), (Y2018, 50)], disaggregations=["sex", "organisation_type"]
    )
    _approved(lecturer, coordinator, indicator, p17, 46)
    _approved(lecturer, coordinator, indicator, p17, 25, disaggregation="sex", category="female")
    _approved(lecturer, coordinator, indicator, p17, 21, disaggregation="sex", category="male")
    _approved(lecturer, coordinator, indicator, p18, 5, disaggregation="sex", category="female")
    _approved(lecturer, coordinator, indicator, p17, 20, disaggregation="organisation_type", category="state_agency")

    item = _item(programme_progress(prog), "CT4")
    assert item.actual == Decimal(46)  # breakdown values never add to the headline figure
    sex = {(s.label, s.value, s.share) for s in item.breakdowns["sex"]}
    assert sex == {("Nữ", Decimal(30), Decimal("58.8")), ("Nam", Decimal(21), Decimal("41.2"))}
    assert [s.label for s in item.breakdowns["organisation_type"]] == ["Cơ quan nhà nước"]


def test_metric_indicator_is_computed_live_per_period_and_cumulatively(coordinator, staff_admin, prog):
    a, b, c = (
        Organisation.objects.create(name=n, type=t)
        for n, t in [("A", OrganisationType.CSO), ("B", OrganisationType.ACADEMIC), ("C", OrganisationType.CSO)]
    )
    services.agreement_create(
        actor=coordinator, programme=prog, title="2017", parties=[a, b], signed_on=date(2017, 3, 1)
    )
    services.agreement_create(
        actor=coordinator, programme=prog, title="2018", parties=[a, c], signed_on=date(2018, 5, 1)
    )
    services.agreement_create(actor=coordinator, programme=prog, title="Chưa ký", parties=[b, c])
    _indicator(
        coordinator,
        prog,
        "CT7",
        [(Y2017, 2), (Y2018, 1)],
        source="metric",
        metric_key="programmes.partner_organisations",
        disaggregations=["organisation_type"],
    )
    item = _item(programme_progress(prog), "CT7")
    assert [(r.actual, r.cumulative_actual) for r in item.periods] == [(2, 2), (2, 3)]
    assert (item.actual, item.target) == (Decimal(3), Decimal(3))
    assert {s.category: s.value for s in item.breakdowns["organisation_type"]} == {"cso": 2, "academic": 1}


def test_activity_and_objective_progress_is_the_mean_of_capped_indicator_progress(coordinator, lecturer, prog):
    objective = services.objective_create(actor=coordinator, programme=prog, title="Mục tiêu")
    activity = services.activity_create(actor=coordinator, programme=prog, title="Hoạt động", objective=objective)
    over, (p_over,) = _indicator(coordinator, prog, "A1", [(Y2017, 10)], activity=activity)
    under, (p_under,) = _indicator(coordinator, prog, "A2", [(Y2017, 10)], activity=activity)
    direct, _periods = _indicator(coordinator, prog, "O1", [(Y2017, 10)], objective=objective)
    _approved(lecturer, coordinator, over, p_over, 30)  # 300 % counts as 100 %
    _approved(lecturer, coordinator, under, p_under, 4)

    progress = programme_progress(prog)
    (tree,) = progress.objectives
    assert tree.objective == objective
    assert tree.activities[0].percent == Decimal(70)
    assert [i.indicator.code for i in tree.indicators] == ["O1"]
    assert tree.percent == Decimal(70)  # O1 has no value yet: unknown, not zero
    assert progress.percent == Decimal(70)
    assert _item(progress, "A1").percent == Decimal(300)


def test_activities_without_an_objective_are_still_shown(coordinator, prog):
    services.activity_create(actor=coordinator, programme=prog, title="Hoạt động lẻ")
    (tree,) = programme_progress(prog).objectives
    assert tree.objective is None and tree.activities[0].activity.title == "Hoạt động lẻ"


def _build(coordinator, lecturer, prog, first: int, n: int) -> None:
    for k in range(first, first + n):
        objective = services.objective_create(actor=coordinator, programme=prog, title=f"Mục tiêu {k}")
        activity = services.activity_create(
            actor=coordinator, programme=prog, title=f"Hoạt động {k}", objective=objective
        )
        indicator, periods = _indicator(
            coordinator,
            prog,
            f"K{k}",
            [(Y2017, 10), (Y2018, 10)],
            activity=activity,
            disaggregations=["sex", "province"],
        )
        for period in periods:
            _approved(lecturer, coordinator, indicator, period, 3)
            _approved(lecturer, coordinator, indicator, period, 2, disaggregation="sex", category="female")
            _approved(lecturer, coordinator, indicator, period, 1, disaggregation="province", category="01")


def test_query_count_does_not_grow_with_rows(coordinator, lecturer, prog):
    _build(coordinator, lecturer, prog, 0, 2)
    with CaptureQueriesContext(connection) as small:
        programme_progress(prog)
    _build(coordinator, lecturer, prog, 2, 6)
    with CaptureQueriesContext(connection) as large:
        progress = programme_progress(prog)
    assert len(progress.indicators) == 8
    assert len(large.captured_queries) == len(small.captured_queries)
