"""The teaching metrics and the dashboard: periods delivered (by class, campus, semester),
sessions held, learners reached (each once; by sex, organisation type, province)."""

from datetime import date, time

import pytest
from django.urls import reverse

from ketnoi.core.registry import get_metric
from ketnoi.directory.models import Province
from ketnoi.programmes import services as programme_services
from ketnoi.training import services
from ketnoi.training.models import SessionLecturer

from .factories import CANCELLED, PLANNED, record

LEAD = SessionLecturer.Role.LEAD


def value(key, prog, start=None, end=None, **extra):
    return get_metric(key).value(programme=prog, start=start, end=end, **extra)


def test_periods_and_sessions(coordinator, prog, course, klass, campus_hcm, lead):
    hcm = services.class_create(
        actor=coordinator, course=course, campus=campus_hcm, semester=klass.semester, code="HCM01"
    )
    record(coordinator, klass, periods=3, lecturers=[(lead, LEAD)])
    record(coordinator, klass, periods=2, day=date(2026, 4, 1), lecturers=[(lead, LEAD)], ends_at=time(9, 0))
    record(coordinator, klass, periods=3, day=date(2026, 4, 2), status=PLANNED)
    record(coordinator, klass, periods=3, day=date(2026, 4, 3), status=CANCELLED)
    record(coordinator, hcm, periods=1, lecturers=[(lead, LEAD)], ends_at=time(8, 15))
    assert value("training.periods_delivered", prog) == 6
    assert value("training.sessions_held", prog) == 3
    assert value("training.periods_delivered", prog, start=date(2026, 3, 15)) == 2
    assert value("training.periods_delivered", prog, params={"class": str(hcm.pk)}) == 1
    assert value("training.periods_delivered", prog, params={"campus": "hà nội"}) == 5
    assert value("training.periods_delivered", prog, params={"semester": klass.semester.pk}) == 6
    assert value("training.sessions_held", prog, params={"class": "HN01"}) == 2


def test_learners_reached_once_with_breakdowns(coordinator, prog, klass, lead, enrolled):
    province = Province.objects.filter(scheme=Province.Scheme.CURRENT).first()
    enrolled[0].province = province
    enrolled[0].save()
    first = record(coordinator, klass, lecturers=[(lead, LEAD)])
    second = record(coordinator, klass, day=date(2026, 3, 3), lecturers=[(lead, LEAD)])
    a, b, c, d, e = enrolled
    services.attendance_record(actor=coordinator, session=first, marks={a.pk: "present", b.pk: "late", c.pk: "absent"})
    services.attendance_record(actor=coordinator, session=second, marks={a.pk: "present", d.pk: "excused"})
    assert value("training.learners_reached", prog) == 2
    by_sex = value("training.learners_reached", prog, disaggregate_by="sex")
    assert sum(by_sex.values()) == 2
    assert value("training.learners_reached", prog, disaggregate_by="organisation_type") == {"state_agency": 2}
    if province:
        assert value("training.learners_reached", prog, disaggregate_by="province")[province.code] == 1


def test_dashboard_shows_periods_against_the_commitment(client_for, coordinator, viewer, prog, activity, klass, lead):
    services.commitment_set(actor=coordinator, activity=activity, course=klass.course, periods=10)
    indicator = programme_services.indicator_create(
        actor=coordinator,
        programme=prog,
        activity=activity,
        code="T1",
        name="Số tiết đồng giảng",
        unit="tiết",
        source="metric",
        metric_key="training.periods_delivered",
    )
    programme_services.indicator_period_create(
        actor=coordinator,
        indicator=indicator,
        label="HK1 2026",
        start_date=date(2026, 1, 1),
        end_date=date(2026, 6, 30),
        target=10,
    )
    record(coordinator, klass, periods=3, lecturers=[(lead, LEAD)])
    record(coordinator, klass, periods=3, day=date(2026, 3, 3), lecturers=[(lead, LEAD)])
    content = client_for(viewer).get(reverse("programmes:detail", args=[prog.code])).content.decode()
    assert "Thực hiện <strong>6</strong>" in content


@pytest.mark.parametrize("persona", ["outsider", "other_coordinator"])
def test_the_dashboard_with_the_periods_is_404_without_a_role(
    request, client_for, coordinator, prog, klass, lead, persona
):
    record(coordinator, klass, periods=3, lecturers=[(lead, LEAD)])
    client = client_for(request.getfixturevalue(persona))
    assert client.get(reverse("programmes:detail", args=[prog.code])).status_code == 404
