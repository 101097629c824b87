"""Indicators, periods and hand-entered values: definitions, targets, evidence and approval."""

from datetime import date

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from ketnoi.core.models import AuditEntry
from ketnoi.programmes import services
from ketnoi.programmes.models import Indicator, IndicatorPeriod, IndicatorValue

pytestmark = pytest.mark.django_db


@pytest.fixture
def indicator(coordinator, prog):
    return services.indicator_create(
        actor=coordinator,
        programme=prog,
        code="CT1",
        name="Số tiết đồng giảng dạy",
        unit="tiết",
        frequency=Indicator.Frequency.SEMESTER,
        disaggregations=["sex", "province"],
    )


@pytest.fixture
def period(coordinator, indicator):
    return services.indicator_period_create(
        actor=coordinator,
        indicator=indicator,
        label="HK1 2017–2018",
        start_date=date(2017, 9, 1),
        end_date=date(2018, 1, 31),
        target=40,
    )


# Definitions ----------------------------------------------------------------------------------


def test_indicator_code_is_unique_in_a_programme_ignoring_case(coordinator, prog, indicator, other_prog, staff_admin):
    with pytest.raises(ValidationError) as error:
        services.indicator_create(actor=coordinator, programme=prog, code="ct1", name="Khác", unit="người")
    assert "code" in error.value.message_dict
    # The same code in another programme is fine.
    services.indicator_create(actor=staff_admin, programme=other_prog, code="CT1", name="Khác", unit="người")


def test_indicator_requires_name_and_unit_and_known_disaggregations(coordinator, prog):
    for bad, field in [
        ({"name": " "}, "name"),
        ({"unit": ""}, "unit"),
        ({"disaggregations": ["age"]}, "disaggregations"),
    ]:
        values = {"code": "X1", "name": "Chỉ số", "unit": "người", **bad}
        with pytest.raises(ValidationError) as error:
            services.indicator_create(actor=coordinator, programme=prog, **values)
        assert field in error.value.message_dict
    assert not Indicator.objects.exists()


def test_metric_indicator_needs_a_registered_metric_that_supports_its_breakdowns(coordinator, prog):
    with pytest.raises(ValidationError) as error:
        services.indicator_create(
            actor=coordinator, programme=prog, code="M1", name="x", unit="y", source="metric", metric_key="no.such"
        )
    assert "metric_key" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.indicator_create(
            actor=coordinator,
            programme=prog,
            code="M1",
            name="x",
            unit="y",
            source="metric",
            metric_key="programmes.agreements_signed",
            disaggregations=["sex"],
        )
    assert "disaggregations" in error.value.message_dict
    metric = services.indicator_create(
        actor=coordinator,
        programme=prog,
        code="M1",
        name="Đối tác",
        unit="tổ chức",
        source="metric",
        metric_key="programmes.partner_organisations",
        disaggregations=["organisation_type"],
    )
    assert metric.metric_key == "programmes.partner_organisations"


def test_manual_indicator_forgets_a_stray_metric_key(coordinator, prog):
    indicator = services.indicator_create(
        actor=coordinator, programme=prog, code="X", name="x", unit="y", metric_key="programmes.agreements_signed"
    )
    assert indicator.metric_key == ""


def test_an_indicator_with_values_cannot_become_a_metric_or_drop_a_used_breakdown(
    coordinator, lecturer, indicator, period
):
    services.indicator_value_submit(
        actor=lecturer,
        indicator=indicator,
        period=period,
        value=5,
        disaggregation="sex",
        category="female",
        evidence="x",
    )
    with pytest.raises(ValidationError) as error:
        services.indicator_update(
            actor=coordinator, indicator=indicator, source="metric", metric_key="programmes.agreements_signed"
        )
    assert "source" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.indicator_update(actor=coordinator, indicator=indicator, disaggregations=["province"])
    assert "disaggregations" in error.value.message_dict
    indicator.refresh_from_db()
    assert indicator.source == "manual" and indicator.disaggregations == ["sex", "province"]


# Periods --------------------------------------------------------------------------------------


def test_periods_must_not_overlap_or_repeat_a_label(coordinator, indicator, period):
    with pytest.raises(ValidationError) as error:
        services.indicator_period_create(
            actor=coordinator,
            indicator=indicator,
            label="Chồng lấn",
            start_date=date(2018, 1, 1),
            end_date=date(2018, 6, 30),
            target=10,
        )
    assert "HK1 2017–2018" in error.value.message_dict["start_date"][0]
    with pytest.raises(ValidationError) as error:
        services.indicator_period_create(
            actor=coordinator,
            indicator=indicator,
            label="hk1 2017–2018",
            start_date=date(2019, 1, 1),
            end_date=date(2019, 6, 30),
            target=10,
        )
    assert "label" in error.value.message_dict
    assert IndicatorPeriod.objects.count() == 1


@pytest.mark.parametrize(
    "values, field",
    [
        ({"target": -1}, "target"),
        ({"target": "nhiều"}, "target"),
        ({"start_date": date(2019, 6, 1), "end_date": date(2019, 1, 1)}, "end_date"),
    ],
)
def test_bad_period_input_is_refused_with_the_field(coordinator, indicator, values, field):
    given = {"label": "2019", "start_date": date(2019, 1, 1), "end_date": date(2019, 12, 31), "target": 5, **values}
    with pytest.raises(ValidationError) as error:
        services.indicator_period_create(actor=coordinator, indicator=indicator, **given)
    assert field in error.value.message_dict
    assert not IndicatorPeriod.objects.exists()


def test_period_update_changes_the_target_and_is_audited(coordinator, indicator, period):
    services.indicator_period_update(actor=coordinator, period=period, target="45")
    period.refresh_from_db()
    assert str(period.target) == "45.00"
    entry = AuditEntry.objects.get(action="programmes.period_update")
    assert entry.changes["period"] == "HK1 2017–2018"


# Values ---------------------------------------------------------------------------------------


def test_a_value_needs_evidence_and_waits_for_approval(lecturer, indicator, period):
    with pytest.raises(ValidationError) as error:
        services.indicator_value_submit(actor=lecturer, indicator=indicator, period=period, value=10)
    assert "evidence" in error.value.message_dict
    value = services.indicator_value_submit(
        actor=lecturer, indicator=indicator, period=period, value="10", evidence="Sổ đầu bài lớp HN01"
    )
    assert value.status == IndicatorValue.Status.SUBMITTED
    assert IndicatorValue.objects.count() == 1


def test_evidence_file_alone_is_enough_but_its_type_is_checked(lecturer, indicator, period):
    bad = SimpleUploadedFile("virus.sh", b"#!/bin/sh", content_type="text/x-sh")
    with pytest.raises(ValidationError) as error:
        services.indicator_value_submit(actor=lecturer, indicator=indicator, period=period, value=1, evidence_file=bad)
    assert "evidence_file" in error.value.message_dict
    good = SimpleUploadedFile("diem-danh.pdf", b"%PDF-1.4", content_type="application/pdf")
    value = services.indicator_value_submit(
        actor=lecturer, indicator=indicator, period=period, value=1, evidence_file=good
    )
    assert value.evidence_file.name.endswith(".pdf")


@pytest.mark.parametrize(
    "values, field",
    [
        ({"value": -3}, "value"),
        ({"value": "mười"}, "value"),
        ({"disaggregation": "organisation_type", "category": "cso"}, "disaggregation"),
        ({"disaggregation": "sex", "category": "robot"}, "category"),
        ({"disaggregation": "province", "category": "99"}, "category"),
    ],
)
def test_bad_values_are_refused_naming_the_field(lecturer, indicator, period, values, field):
    given = {"value": 3, "evidence": "Biên bản", **values}
    with pytest.raises(ValidationError) as error:
        services.indicator_value_submit(actor=lecturer, indicator=indicator, period=period, **given)
    assert field in error.value.message_dict
    assert not IndicatorValue.objects.exists()


def test_a_value_by_province_uses_the_current_province_code(lecturer, indicator, period):
    value = services.indicator_value_submit(
        actor=lecturer,
        indicator=indicator,
        period=period,
        value=3,
        disaggregation="province",
        category="01",
        evidence="x",
    )
    assert value.category == "01"


def test_period_of_another_indicator_and_metric_indicators_are_refused(coordinator, lecturer, prog, indicator):
    other = services.indicator_create(actor=coordinator, programme=prog, code="CT2", name="x", unit="y")
    foreign = services.indicator_period_create(
        actor=coordinator,
        indicator=other,
        label="2017",
        start_date=date(2017, 1, 1),
        end_date=date(2017, 12, 31),
        target=1,
    )
    with pytest.raises(ValidationError) as error:
        services.indicator_value_submit(actor=lecturer, indicator=indicator, period=foreign, value=1, evidence="x")
    assert "period" in error.value.message_dict
    metric = services.indicator_create(
        actor=coordinator,
        programme=prog,
        code="M1",
        name="Thoả thuận",
        unit="thoả thuận",
        source="metric",
        metric_key="programmes.agreements_signed",
    )
    period = services.indicator_period_create(
        actor=coordinator,
        indicator=metric,
        label="2017",
        start_date=date(2017, 1, 1),
        end_date=date(2017, 12, 31),
        target=1,
    )
    with pytest.raises(ValidationError, match="tự động"):
        services.indicator_value_submit(actor=coordinator, indicator=metric, period=period, value=1, evidence="x")


def test_viewers_and_strangers_cannot_submit(viewer, outsider, indicator, period):
    for user in (viewer, outsider):
        with pytest.raises(PermissionDenied):
            services.indicator_value_submit(actor=user, indicator=indicator, period=period, value=1, evidence="x")
    assert not IndicatorValue.objects.exists()


def test_submission_notifies_coordinators_after_commit(
    django_capture_on_commit_callbacks, lecturer, coordinator, indicator, period
):
    coordinator.email = "dieuphoi@example.org"
    coordinator.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.indicator_value_submit(actor=lecturer, indicator=indicator, period=period, value=10, evidence="x")
    assert [m.to for m in mail.outbox] == [["dieuphoi@example.org"]]
    assert "CT1" in mail.outbox[0].subject


def test_approval_is_by_another_coordinator_and_only_once(coordinator, lecturer, indicator, period):
    mine = services.indicator_value_submit(actor=coordinator, indicator=indicator, period=period, value=4, evidence="x")
    with pytest.raises(PermissionDenied, match="không tự phê duyệt"):
        services.indicator_value_review(actor=coordinator, value=mine, approve=True)
    theirs = services.indicator_value_submit(actor=lecturer, indicator=indicator, period=period, value=6, evidence="x")
    with pytest.raises(PermissionDenied):
        services.indicator_value_review(actor=lecturer, value=mine, approve=True)
    approved = services.indicator_value_review(actor=coordinator, value=theirs, approve=True)
    assert approved.status == IndicatorValue.Status.APPROVED
    assert approved.reviewed_by == coordinator and approved.reviewed_at is not None
    with pytest.raises(ValidationError, match="đã được xử lý"):
        services.indicator_value_review(actor=coordinator, value=theirs, approve=False, note="muộn")
    assert AuditEntry.objects.filter(action="programmes.value_review").count() == 1


def test_staff_may_approve_their_own_entry(staff_admin, indicator, period):
    value = services.indicator_value_submit(
        actor=staff_admin, indicator=indicator, period=period, value=1, evidence="x"
    )
    assert services.indicator_value_review(actor=staff_admin, value=value, approve=True).status == "approved"


def test_rejection_needs_a_reason_which_reaches_the_submitter(
    django_capture_on_commit_callbacks, coordinator, lecturer, indicator, period
):
    lecturer.email = "giangvien@example.org"
    lecturer.save()
    value = services.indicator_value_submit(actor=lecturer, indicator=indicator, period=period, value=6, evidence="x")
    with pytest.raises(ValidationError) as error:
        services.indicator_value_review(actor=coordinator, value=value, approve=False)
    assert "review_note" in error.value.message_dict
    value.refresh_from_db()
    assert value.status == IndicatorValue.Status.SUBMITTED
    with django_capture_on_commit_callbacks(execute=True):
        services.indicator_value_review(actor=coordinator, value=value, approve=False, note="Thiếu danh sách lớp")
    assert mail.outbox[-1].to == ["giangvien@example.org"]
    assert "Thiếu danh sách lớp" in mail.outbox[-1].body


def test_metric_params_are_checked_against_what_the_metric_accepts(coordinator, prog):
    with pytest.raises(ValidationError) as error:
        services.indicator_create(
            actor=coordinator,
            programme=prog,
            code="S1",
            name="Phiếu",
            unit="phiếu",
            source="metric",
            metric_key="programmes.agreements_signed",
            metric_params={"form": "x"},
        )
    assert "metric_params" in error.value.message_dict
    indicator = services.indicator_create(
        actor=coordinator,
        programme=prog,
        code="S1",
        name="Phiếu",
        unit="phiếu",
        source="metric",
        metric_key="surveys.responses",
        metric_params={"form": " danh-gia ", "class": ""},
    )
    assert indicator.metric_params == {"form": "danh-gia"}
    services.indicator_update(actor=coordinator, indicator=indicator, source="manual")
    indicator.refresh_from_db()
    assert indicator.metric_params == {} and indicator.metric_key == ""
