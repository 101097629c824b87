"""The dashboard as an Excel workbook: indicators per period, and their breakdowns."""

from datetime import date
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from ketnoi.programmes import services

from .factories import approved, build_plan, indicator, organisation

pytestmark = pytest.mark.django_db


def test_export_holds_indicators_per_period_and_breakdowns(client_for, coordinator, lecturer, viewer, prog):
    plan = build_plan(coordinator, prog)
    approved(lecturer, coordinator, plan.indicator, plan.periods[0], 30)
    approved(lecturer, coordinator, plan.indicator, plan.periods[0], 18, disaggregation="sex", category="female")
    approved(lecturer, coordinator, plan.indicator, plan.periods[0], 12, disaggregation="sex", category="male")
    a, b = organisation("A"), organisation("B")
    services.agreement_create(actor=coordinator, programme=prog, title="TT", parties=[a, b], signed_on=date(2017, 5, 1))
    indicator(coordinator, prog, "M1", source="metric", metric_key="programmes.agreements_signed")

    response = client_for(viewer).get(reverse("programmes:export", args=[prog.code]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"] == 'attachment; filename="thu-nghiem-chi-so.xlsx"'

    workbook = load_workbook(BytesIO(response.content))
    assert workbook.sheetnames == ["Chỉ số", "Phân tách"]
    rows = list(workbook["Chỉ số"].iter_rows(values_only=True))
    assert rows[0] == (
        "Mục tiêu",
        "Hoạt động",
        "Mã",
        "Chỉ số",
        "Đơn vị",
        "Kỳ",
        "Chỉ tiêu",
        "Thực hiện",
        "Tỉ lệ hoàn thành (%)",
        "Nguồn số liệu",
    )
    ct1 = [r for r in rows[1:] if r[2] == "CT1"]
    assert [(r[5], r[6], r[7], r[8]) for r in ct1] == [("2017", 40, 30, 75), ("2018", 40, None, None)]
    assert ct1[0][0].startswith("1. Đưa vai trò") and ct1[0][1].startswith("1. Đồng giảng dạy")
    assert ct1[0][3] == "Số học viên được học về tổ chức xã hội" and ct1[0][4] == "người"
    assert ct1[0][9] == "Nhập tay, đã phê duyệt"
    m1 = [r for r in rows[1:] if r[2] == "M1"]  # both agreements were signed in 2017
    assert m1[0][7] == 2 and m1[0][9] == "Tự động: Số thoả thuận hợp tác đã ký"

    breakdowns = list(workbook["Phân tách"].iter_rows(values_only=True))
    assert breakdowns[0] == ("Chỉ số", "Phân tách theo", "Nhóm", "Giá trị", "Tỉ lệ (%)")
    assert ("CT1 – Số học viên được học về tổ chức xã hội", "Giới tính", "Nữ", 18, 60) in breakdowns
    assert ("CT1 – Số học viên được học về tổ chức xã hội", "Giới tính", "Nam", 12, 40) in breakdowns


def test_export_of_an_empty_programme_has_headers_only(client_for, coordinator, prog):
    response = client_for(coordinator).get(reverse("programmes:export", args=[prog.code]))
    workbook = load_workbook(BytesIO(response.content))
    assert workbook["Chỉ số"].max_row == 1 and workbook["Phân tách"].max_row == 1


def test_export_is_out_of_sight_for_outsiders(client_for, outsider, prog):
    assert client_for(outsider).get(reverse("programmes:export", args=[prog.code])).status_code == 404


def test_export_is_out_of_sight_for_another_programme_s_coordinator(client_for, other_coordinator, prog):
    assert client_for(other_coordinator).get(reverse("programmes:export", args=[prog.code])).status_code == 404


def test_typed_text_that_looks_like_a_formula_stays_text(client_for, coordinator, prog):
    indicator(coordinator, prog, "F1", name='=HYPERLINK("http://example.org","bấm vào đây")')
    response = client_for(coordinator).get(reverse("programmes:export", args=[prog.code]))
    sheet = load_workbook(BytesIO(response.content))["Chỉ số"]
    cells = [
        cell for row in sheet.iter_rows(min_row=2) for cell in row if cell.value and "HYPERLINK" in str(cell.value)
    ]
    assert cells and all(cell.data_type == "s" for cell in cells)
    assert cells[0].value == '=HYPERLINK("http://example.org","bấm vào đây")'
