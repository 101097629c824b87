"""Indicator pages: definition, periods and targets, values with evidence, and approval."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ketnoi.core.models import AuditEntry
from ketnoi.programmes import services
from ketnoi.programmes.models import Indicator, IndicatorPeriod, IndicatorValue

from .factories import PDF_BYTES, build_plan, indicator

pytestmark = pytest.mark.django_db


def url(name, prog, *args):
    return reverse(f"programmes:{name}", args=[prog.code, *args])


@pytest.fixture
def plan(coordinator, prog):
    return build_plan(coordinator, prog)


# Indicators ----------------------------------------------------------------------------------


def indicator_data(**extra):
    return {
        "code": "CT2",
        "name": "Số cán bộ cơ sở tham gia hội thảo kết nối",
        "unit": "người",
        "kind": "count",
        "baseline": "0",
        "frequency": "annual",
        "cumulative": "on",
        "source": "manual",
        **extra,
    }


def test_coordinator_adds_an_indicator_with_disaggregations(client_for, coordinator, prog, plan):
    client = client_for(coordinator)
    form = client.get(url("indicator_create", prog) + f"?activity={plan.activity.pk}").content.decode()
    assert 'type="checkbox" name="disaggregations" value="sex"' in form
    assert '<option value="programmes.agreements_signed">' in form  # metric_key offers the registry
    assert f'<option value="{plan.activity.pk}" selected>' in form
    data = indicator_data(
        activity=plan.activity.pk, disaggregations=["sex", "organisation_type"], baseline="2,5", kind="amount"
    )
    response = client.post(url("indicator_create", prog), data)
    made = Indicator.objects.get(programme=prog, code="CT2")
    assert response.status_code == 302 and response["Location"] == url("indicator_detail", prog, made.pk)
    assert made.disaggregations == ["sex", "organisation_type"] and made.baseline == Decimal("2.5")
    assert made.objective == plan.objective  # taken from the activity


def test_indicator_code_clash_and_missing_metric_are_refused(client_for, coordinator, prog, plan):
    client = client_for(coordinator)
    response = client.post(url("indicator_create", prog), indicator_data(code="ct1"))
    assert response.status_code == 200 and "đã được dùng" in response.content.decode()
    response = client.post(url("indicator_create", prog), indicator_data(source="metric"))
    content = response.content.decode()
    assert response.status_code == 200 and 'id="id_metric_key_error"' in content
    assert Indicator.objects.filter(programme=prog).count() == 1


def test_coordinator_edits_an_indicator(client_for, coordinator, prog, plan):
    client = client_for(coordinator)
    form = client.get(url("indicator_edit", prog, plan.indicator.pk)).content.decode()
    assert 'value="sex" id="id_disaggregations_0" checked' in form
    response = client.post(
        url("indicator_edit", prog, plan.indicator.pk),
        indicator_data(code="CT1", name="Tên mới", disaggregations=["sex"], activity=plan.activity.pk),
    )
    assert response.status_code == 302
    plan.indicator.refresh_from_db()
    assert plan.indicator.name == "Tên mới" and plan.indicator.disaggregations == ["sex"]


def test_indicator_page_shows_periods_values_and_audit(client_for, coordinator, lecturer, viewer, prog, plan):
    entry = services.indicator_value_submit(
        actor=lecturer,
        indicator=plan.indicator,
        period=plan.periods[0],
        value=12,
        disaggregation="sex",
        category="female",
        evidence="Danh sách điểm danh lớp K20",
    )
    services.indicator_value_review(actor=coordinator, value=entry, approve=True)
    content = client_for(coordinator).get(url("indicator_detail", prog, plan.indicator.pk)).content.decode()
    assert "2017" in content and "01/01/2017" in content and "Danh sách điểm danh lớp K20" in content
    assert "Giới tính: Nữ" in content and "Đã phê duyệt" in content and "Điều phối" in content
    assert url("period_create", prog, plan.indicator.pk) in content
    assert url("value_create", prog, plan.indicator.pk) in content
    assert url("period_edit", prog, plan.indicator.pk, plan.periods[0].pk) in content
    assert "programmes.indicator_create" in content  # audit
    content = client_for(viewer).get(url("indicator_detail", prog, plan.indicator.pk)).content.decode()
    assert url("value_create", prog, plan.indicator.pk) not in content and "Nhật ký thay đổi" not in content


def test_indicator_page_without_periods_guides(client_for, coordinator, prog):
    made = services.indicator_create(actor=coordinator, programme=prog, code="X", name="Chưa có kỳ", unit="người")
    content = client_for(coordinator).get(url("indicator_detail", prog, made.pk)).content.decode()
    assert "Chưa có kỳ báo cáo nào. Thêm kỳ đầu tiên" in content
    response = client_for(coordinator).get(url("value_create", prog, made.pk), follow=True)
    assert "chưa có kỳ báo cáo" in response.content.decode()


# Periods -------------------------------------------------------------------------------------


def test_coordinator_adds_and_edits_a_period(client_for, coordinator, prog, plan):
    client = client_for(coordinator)
    data = {"label": "2019", "start_date": "01/01/2019", "end_date": "31/12/2019", "target": "45"}
    response = client.post(url("period_create", prog, plan.indicator.pk), data)
    period = IndicatorPeriod.objects.get(indicator=plan.indicator, label="2019")
    assert response.status_code == 302 and period.target == Decimal("45")
    response = client.post(url("period_edit", prog, plan.indicator.pk, period.pk), {**data, "target": "50"})
    period.refresh_from_db()
    assert response.status_code == 302 and period.target == Decimal(50)


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"target": "-5"}, "target", "Chỉ tiêu phải là một số không âm."),
        ({"start_date": "31/12/2019", "end_date": "01/01/2019"}, "end_date", "phải sau hoặc trùng ngày bắt đầu"),
        ({"start_date": "01/06/2018", "end_date": "31/05/2019"}, "start_date", "trùng thời gian với kỳ “2018”"),
        ({"label": "2017", "start_date": "01/01/2016", "end_date": "31/12/2016"}, "label", "đã có kỳ “2017”"),
        ({"start_date": "2019-31-12"}, "start_date", ""),
    ],
)
def test_bad_period_is_refused_beside_the_field(client_for, coordinator, prog, plan, change, field, message):
    data = {"label": "2019", "start_date": "01/01/2019", "end_date": "31/12/2019", "target": "40", **change}
    response = client_for(coordinator).post(url("period_create", prog, plan.indicator.pk), data)
    content = response.content.decode()
    assert response.status_code == 200 and f'id="id_{field}_error"' in content and message in content
    assert IndicatorPeriod.objects.filter(indicator=plan.indicator).count() == 2


# Values --------------------------------------------------------------------------------------


def test_lecturer_enters_a_value_with_evidence_file(client_for, lecturer, prog, plan, mailoutbox):
    client = client_for(lecturer)
    form = client.get(url("value_create", prog, plan.indicator.pk)).content.decode()
    assert 'enctype="multipart/form-data"' in form and "Tổng (không phân tách)" in form
    assert '<optgroup label="Giới tính">' in form and '<option value="sex:female">Nữ</option>' in form
    assert '<optgroup label="Tỉnh/thành phố">' in form
    assert "Giá trị (người)" in form and "Số học viên được học về tổ chức xã hội" in form
    assert f'<option value="{plan.periods[1].pk}" selected>2018</option>' in form  # the latest begun period
    evidence = SimpleUploadedFile("diem-danh.pdf", PDF_BYTES, content_type="application/pdf")
    data = {"period": plan.periods[0].pk, "breakdown": "", "value": "35", "evidence_file": evidence}
    response = client.post(url("value_create", prog, plan.indicator.pk), data)
    assert response.status_code == 302 and response["Location"] == url("indicator_detail", prog, plan.indicator.pk)
    entry = IndicatorValue.objects.get()
    assert (entry.value, entry.status, entry.disaggregation) == (Decimal(35), "submitted", "")
    assert entry.evidence_file.name.endswith(".pdf")


def test_value_for_a_category(client_for, lecturer, prog, plan):
    data = {"period": plan.periods[1].pk, "breakdown": "sex:male", "value": "4", "evidence": "Biên bản"}
    response = client_for(lecturer).post(url("value_create", prog, plan.indicator.pk), data)
    assert response.status_code == 302
    entry = IndicatorValue.objects.get()
    assert (entry.disaggregation, entry.category, entry.value) == ("sex", "male", Decimal("4"))


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"evidence": ""}, "evidence", "Hãy ghi minh chứng"),
        ({"value": "-1"}, "value", "Giá trị không được âm."),
        ({"value": "nhiều"}, "value", ""),
        ({"breakdown": "organisation_type:cso"}, "breakdown", ""),
        ({"period": "999999"}, "period", ""),
    ],
)
def test_bad_value_is_refused_beside_the_field(client_for, lecturer, prog, plan, change, field, message):
    data = {"period": plan.periods[0].pk, "breakdown": "", "value": "3", "evidence": "Biên bản", **change}
    response = client_for(lecturer).post(url("value_create", prog, plan.indicator.pk), data)
    content = response.content.decode()
    assert response.status_code == 200 and f'id="id_{field}_error"' in content and message in content
    assert not IndicatorValue.objects.exists()


def test_period_of_another_indicator_is_not_offered(client_for, coordinator, lecturer, prog, plan):
    _other, (foreign, _p) = indicator(coordinator, prog, "CT9")
    data = {"period": foreign.pk, "breakdown": "", "value": "3", "evidence": "Biên bản"}
    response = client_for(lecturer).post(url("value_create", prog, plan.indicator.pk), data)
    assert response.status_code == 200 and 'id="id_period_error"' in response.content.decode()
    assert not IndicatorValue.objects.exists()


def test_evidence_file_of_a_wrong_type_is_refused(client_for, lecturer, prog, plan):
    script = SimpleUploadedFile("minh-chung.sh", b"#!/bin/sh\nrm -rf /\n", content_type="text/x-sh")
    data = {"period": plan.periods[0].pk, "breakdown": "", "value": "3", "evidence_file": script}
    response = client_for(lecturer).post(url("value_create", prog, plan.indicator.pk), data)
    assert response.status_code == 200 and 'id="id_evidence_file_error"' in response.content.decode()
    assert not IndicatorValue.objects.exists()


def test_metric_indicator_takes_no_value(client_for, coordinator, prog):
    made, _periods = indicator(coordinator, prog, "M1", source="metric", metric_key="programmes.agreements_signed")
    client = client_for(coordinator)
    content = client.get(url("indicator_detail", prog, made.pk)).content.decode()
    assert "Số liệu tự động: tính trực tiếp" in content and url("value_create", prog, made.pk) not in content
    response = client.get(url("value_create", prog, made.pk))
    assert response.status_code == 302 and response["Location"] == url("indicator_detail", prog, made.pk)
    response = client.post(url("value_create", prog, made.pk), {"value": "3", "evidence": "x"})
    assert response.status_code == 302 and not IndicatorValue.objects.exists()


# Approval ------------------------------------------------------------------------------------


def submit(actor, plan, value=5, period=0):
    return services.indicator_value_submit(
        actor=actor, indicator=plan.indicator, period=plan.periods[period], value=value, evidence="Danh sách"
    )


def test_approvals_page_lists_waiting_values(client_for, coordinator, lecturer, prog, plan):
    submit(lecturer, plan, value=7)
    content = client_for(coordinator).get(url("approvals", prog)).content.decode()
    assert "CT1" in content and "7 người" in content and "Danh sách" in content and "lecturer" in content
    assert url("value_review", prog, IndicatorValue.objects.get().pk) in content


def test_approvals_page_when_nothing_waits(client_for, coordinator, prog):
    content = client_for(coordinator).get(url("approvals", prog)).content.decode()
    assert "Không có giá trị nào chờ phê duyệt." in content


def test_coordinator_approves_a_value(client_for, coordinator, lecturer, prog, plan):
    entry = submit(lecturer, plan, value=20)
    response = client_for(coordinator).post(url("value_review", prog, entry.pk), {"decision": "approve"}, follow=True)
    entry.refresh_from_db()
    assert entry.status == "approved" and entry.reviewed_by == coordinator
    assert "Đã phê duyệt 20 cho CT1" in response.content.decode()
    content = client_for(coordinator).get(url("detail", prog)).content.decode()
    assert "Thực hiện <strong>20</strong>" in content


def test_rejection_needs_a_note(client_for, coordinator, lecturer, prog, plan):
    entry = submit(lecturer, plan)
    client = client_for(coordinator)
    response = client.post(url("value_review", prog, entry.pk), {"decision": "reject", "note": ""}, follow=True)
    assert "Hãy ghi lý do từ chối" in response.content.decode()
    entry.refresh_from_db()
    assert entry.status == "submitted"
    client.post(url("value_review", prog, entry.pk), {"decision": "reject", "note": "Thiếu chữ ký"})
    entry.refresh_from_db()
    assert (entry.status, entry.review_note) == ("rejected", "Thiếu chữ ký")


def test_self_approval_is_refused_with_a_message(client_for, coordinator, prog, plan):
    entry = submit(coordinator, plan)
    response = client_for(coordinator).post(url("value_review", prog, entry.pk), {"decision": "approve"}, follow=True)
    assert response.status_code == 200
    assert "Người nhập số liệu không tự phê duyệt được" in response.content.decode()
    entry.refresh_from_db()
    assert entry.status == "submitted"
    assert not AuditEntry.objects.filter(action="programmes.value_review").exists()


def test_review_returns_to_a_safe_next_page_only(client_for, coordinator, lecturer, prog, plan):
    client = client_for(coordinator)
    back = url("indicator_detail", prog, plan.indicator.pk)
    response = client.post(url("value_review", prog, submit(lecturer, plan).pk), {"decision": "approve", "next": back})
    assert response["Location"] == back
    entry = submit(lecturer, plan)
    response = client.post(
        url("value_review", prog, entry.pk), {"decision": "approve", "next": "https://evil.example/"}
    )
    assert response["Location"] == url("approvals", prog)


def test_a_value_reviewed_twice_shows_the_services_message(client_for, coordinator, lecturer, prog, plan):
    entry = submit(lecturer, plan)
    client = client_for(coordinator)
    client.post(url("value_review", prog, entry.pk), {"decision": "approve"})
    response = client.post(url("value_review", prog, entry.pk), {"decision": "approve"}, follow=True)
    assert "đã được xử lý" in response.content.decode()


def test_values_of_another_programme_cannot_be_reviewed_here(client_for, coordinator, staff_admin, other_prog, prog):
    other = build_plan(staff_admin, other_prog)
    entry = services.indicator_value_submit(
        actor=staff_admin, indicator=other.indicator, period=other.periods[0], value=1, evidence="x"
    )
    response = client_for(coordinator).post(url("value_review", prog, entry.pk), {"decision": "approve"})
    assert response.status_code == 404


@pytest.mark.parametrize("persona", ["outsider", "other_coordinator"])
def test_no_role_on_the_programme_gets_404_and_writes_nothing(request, client_for, lecturer, prog, plan, persona):
    value = services.indicator_value_submit(
        actor=lecturer, indicator=plan.indicator, period=plan.periods[0], value=5, evidence="Danh sách"
    )
    client = client_for(request.getfixturevalue(persona))
    for name, args in [
        ("indicator_detail", [plan.indicator.pk]),
        ("indicator_create", []),
        ("period_create", [plan.indicator.pk]),
        ("value_create", [plan.indicator.pk]),
        ("approvals", []),
    ]:
        assert client.get(url(name, prog, *args)).status_code == 404, name
    assert client.post(url("indicator_create", prog), indicator_data()).status_code == 404
    assert client.post(url("value_review", prog, value.pk), {"decision": "approve"}).status_code == 404
    assert not Indicator.objects.filter(code="CT2").exists()
    assert IndicatorValue.objects.get(pk=value.pk).status == IndicatorValue.Status.SUBMITTED
