"""The exports of a form's responses — CSV parsed back, XLSX loaded with openpyxl, JSON parsed —
in codes and in labels, with the results page's filters, Vietnamese intact, texts that look
like formulas kept as texts, a query count that does not grow with the responses, and the same
permissions as the results."""

import csv
import io
import json
import uuid
from datetime import datetime

import pytest
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from ketnoi.surveys import services
from ketnoi.surveys.exports import export_csv, export_json, write_xlsx
from ketnoi.surveys.models import Response
from ketnoi.surveys.results import filtered_responses

from .results_builders import ITEMS, build_lecture, build_workshop, bulk_responses

pytestmark = pytest.mark.django_db

META = ["_uuid", "_submitted_at", "_collection", "_class", "_campus", "_semester", "_lecturer", "_city", "_session"]
LECTURE_CODES = [*META, "_version", "_instance_name", *ITEMS, "overall", "self_study", "topics_useful"]
LECTURE_CODES += ["topics_useful_other", "would_recommend", "improve"]
TABLE_CODES = [*LECTURE_CODES, "_index"]  # the tables end with each response's running number


@pytest.fixture
def lecture(coordinator, prog):
    return build_lecture(coordinator, prog)


def url(prog, form, fmt, query=""):
    return reverse("surveys:export", args=[prog.code, form.pk, fmt]) + (f"?{query}" if query else "")


def streamed(response) -> str:
    assert response.streaming
    return b"".join(response.streaming_content).decode("utf-8")


def csv_rows(text: str) -> list[list[str]]:
    assert text.startswith("\ufeff")  # Excel reads the Vietnamese right only with the BOM
    return list(csv.reader(io.StringIO(text[1:])))


def test_csv_in_codes_has_a_row_per_response_and_a_column_per_answer(client_for, coordinator, prog, lecture):
    form, hn01, _hcm01 = lecture
    response = client_for(coordinator).get(url(prog, form, "csv"))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith(f'attachment; filename="{prog.code}-{form.code}-')
    rows = csv_rows(streamed(response))
    assert rows[0] == TABLE_CODES
    assert len(rows) == 8
    first = dict(zip(rows[0], rows[1], strict=True))  # oldest first
    stored = Response.objects.order_by("submitted_at").first()
    assert first["_uuid"] == str(stored.uuid)
    assert first["_submitted_at"] == "2024-10-01T09:30:00+07:00"
    assert first["_collection"] == "Bài giảng 1 – lớp HN01"
    assert (first["_class"], first["_campus"], first["_lecturer"]) == ("HN01", "Hà Nội", "Nguyễn Văn An")
    assert first["_version"] == "1"
    assert first["topics_useful"] == "cso_role advocacy"
    assert first["overall"] == "5" and first["self_study"] == ""
    third = dict(zip(rows[0], rows[3], strict=True))
    assert third["topics_useful"] == "other" and third["topics_useful_other"] == "Luật về hội"
    assert third["improve"] == "Giảm lý thuyết" and third["time_enough"] == "2"
    last = dict(zip(rows[0], rows[7], strict=True))
    assert (last["_version"], last["self_study"], last["_class"]) == ("2", "9", "HCM01")


def test_csv_in_labels_reads_as_people_write(client_for, viewer, prog, lecture):
    form, _hn01, _hcm01 = lecture
    rows = csv_rows(streamed(client_for(viewer).get(url(prog, form, "csv", "labels=1"))))
    header = rows[0]
    assert header[:3] == ["Mã phiếu", "Thời điểm gửi", "Đợt khảo sát"]
    assert header[3:7] == ["Lớp", "Cơ sở", "Học kỳ", "Giảng viên"]
    assert "Mức độ đồng ý của anh/chị với các nhận định sau – Giảng viên trình bày dễ hiểu" in header
    assert "Chủ đề nào hữu ích nhất với anh/chị? – Khác (ghi rõ)" in header
    first = dict(zip(header, rows[1], strict=True))
    assert first["Thời điểm gửi"] == "01/10/2024 09:30"
    assert first["Chủ đề nào hữu ích nhất với anh/chị?"] == "Vai trò và cơ cấu của tổ chức xã hội; Vận động chính sách"
    assert first["Anh/chị có muốn học thêm về chủ đề này không?"] == "Có"
    fifth = dict(zip(header, rows[5], strict=True))
    assert fifth["Chủ đề nào hữu ích nhất với anh/chị?"] == (
        "Vận động chính sách; Hợp tác giữa chính quyền và TCXH; Tổ chức xã hội nói chung"
    )


def test_exports_follow_the_results_filters(client_for, coordinator, prog, lecture):
    form, _hn01, hcm01 = lecture
    client = client_for(coordinator)
    assert len(csv_rows(streamed(client.get(url(prog, form, "csv", "class=HN01"))))) == 5
    assert len(csv_rows(streamed(client.get(url(prog, form, "csv", f"collection={hcm01.pk}"))))) == 4
    assert len(json.loads(streamed(client.get(url(prog, form, "json", "date_from=01/11/2024"))))) == 3
    empty = csv_rows(streamed(client.get(url(prog, form, "csv", "date_to=01/01/2020"))))
    assert empty == [TABLE_CODES]


def test_export_with_a_wrong_filter_goes_back_to_the_results_with_the_reason(client_for, coordinator, prog, lecture):
    form, _hn01, _hcm01 = lecture
    client = client_for(coordinator)
    response = client.get(url(prog, form, "csv", "date_from=32/13/2024"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("surveys:results", args=[prog.code, form.pk]))
    page = client.get(response["Location"])
    assert "Bộ lọc chưa đúng nên chưa tải được tệp" in page.content.decode()
    assert "Hãy nhập ngày dạng dd/mm/yyyy" in page.content.decode()


def test_json_is_an_array_of_objects_keyed_by_codes(client_for, lecturer, prog, lecture):
    form, _hn01, _hcm01 = lecture
    client = client_for(lecturer)
    response = client.get(url(prog, form, "json"))
    assert response["Content-Type"] == "application/json; charset=utf-8"
    data = json.loads(streamed(response))
    assert len(data) == 7 and list(data[0]) == LECTURE_CODES
    assert data[0]["overall"] == 5 and data[0]["content_new"] == 5
    assert data[4]["self_study"] == 2 and data[0]["self_study"] is None
    assert data[0]["_submitted_at"] == "2024-10-01T09:30:00+07:00"
    labelled = json.loads(streamed(client.get(url(prog, form, "json", "labels=1"))))
    assert list(labelled[0]) == LECTURE_CODES  # the same keys, the values as people read them
    assert labelled[2]["topics_useful"] == "Khác" and labelled[2]["would_recommend"] == "Không"
    assert "Giảm lý thuyết" in streamed(client.get(url(prog, form, "json")))  # not \\u-escaped


def test_xlsx_codes_and_labels(client_for, coordinator, prog, lecture):
    form, _hn01, _hcm01 = lecture
    client = client_for(coordinator)
    response = client.get(url(prog, form, "xlsx"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert workbook.sheetnames == ["Phiếu trả lời", "Giải thích cột"]
    rows = list(workbook["Phiếu trả lời"].iter_rows(values_only=True))
    assert list(rows[0]) == TABLE_CODES and len(rows) == 8
    first = dict(zip(rows[0], rows[1], strict=True))
    assert first["_submitted_at"] == datetime(2024, 10, 1, 9, 30)  # a real date cell, local time
    assert first["overall"] == 5 and first["topics_useful"] == "cso_role advocacy"
    assert first["_version"] == 1 and first["self_study"] is None
    guide = {row[0]: row for row in workbook["Giải thích cột"].iter_rows(values_only=True)}
    assert guide["would_recommend"][3] == "yes = Có; no = Không"
    assert guide["overall"][2] == "Thang điểm" and guide["overall"][3] == "1 – Rất kém … 5 – Rất tốt"

    labelled = load_workbook(io.BytesIO(b"".join(client.get(url(prog, form, "xlsx", "labels=1")).streaming_content)))
    rows = list(labelled["Phiếu trả lời"].iter_rows(values_only=True))
    first = dict(zip(rows[0], rows[1], strict=True))
    assert first["Anh/chị có muốn học thêm về chủ đề này không?"] == "Có"
    assert first["Đợt khảo sát"] == "Bài giảng 1 – lớp HN01"


def test_texts_that_look_like_formulas_stay_texts(coordinator, prog, tmp_path):
    form, collection = build_workshop(coordinator, prog)
    services.response_submit(
        collection=collection,
        uuid=uuid.uuid4(),
        answers={
            "participant_type": "cso",
            "useful": 3,
            "met_new_partners": "no",
            "follow_up": '=HYPERLINK("http://example.org","bấm vào đây")',
        },
    )
    responses, _f = filtered_responses(form, QueryDict(""))
    rows = csv_rows("".join(export_csv(form, responses, labels=False)))
    assert rows[-1][-2] == '\'=HYPERLINK("http://example.org","bấm vào đây")'
    path = tmp_path / "out.xlsx"
    write_xlsx(form, responses, labels=False, path=str(path))
    cell = load_workbook(path).active.cell(row=6, column=len(rows[0]) - 1)
    assert cell.data_type == "s" and cell.value.startswith("=HYPERLINK")
    data = json.loads("".join(export_json(form, responses, labels=False)))
    assert data[-1]["follow_up"].startswith("=HYPERLINK")  # JSON is data, not a spreadsheet


def test_workshop_export_in_labels(coordinator, prog):
    form, _collection = build_workshop(coordinator, prog)
    responses, _f = filtered_responses(form, QueryDict(""))
    rows = csv_rows("".join(export_csv(form, responses, labels=True)))
    header = rows[0]
    assert header[-7:-1] == [
        "Anh/chị đến từ",
        "Anh/chị đến từ – Khác (ghi rõ)",
        "Hội thảo hữu ích với anh/chị ở mức nào?",
        "Anh/chị có kết nối được đối tác mới không?",
        "Bao nhiêu đối tác mới?",
        "Anh/chị muốn tiếp tục hợp tác về vấn đề gì?",
    ]
    assert rows[3][-7:] == ["Khác", "Trường đại học", "2", "Không", "", "", "3"]
    assert rows[1][7] == "Đà Nẵng"  # the city of the collection's context


def _count_queries(func) -> int:
    with CaptureQueriesContext(connection) as queries:
        func()
    return len(queries.captured_queries)


def test_exports_run_a_fixed_number_of_queries(coordinator, prog, lecture, tmp_path):
    form, _hn01, hcm01 = lecture
    answers = {"overall": 4, **dict.fromkeys(ITEMS, 4), "would_recommend": "yes", "topics_useful": "cso"}

    def counts():
        responses, _f = filtered_responses(form, QueryDict("semester=HK1 2024"))
        return (
            _count_queries(lambda: list(export_csv(form, responses, labels=True))),
            _count_queries(lambda: list(export_json(form, responses, labels=False))),
            _count_queries(lambda: write_xlsx(form, responses, labels=True, path=str(tmp_path / "x.xlsx"))),
        )

    bulk_responses(hcm01, [answers] * 10)
    few = counts()
    bulk_responses(hcm01, [answers] * 30)
    assert counts() == few
    assert max(few) <= 4


def test_unknown_format_is_not_found_and_other_methods_are_refused(client_for, coordinator, prog, lecture):
    form, _hn01, _hcm01 = lecture
    client = client_for(coordinator)
    assert client.get(url(prog, form, "pdf")).status_code == 404
    assert client.post(url(prog, form, "csv")).status_code == 405


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json"])
def test_no_role_no_export(client, client_for, learner, outsider, make_user, other_prog, prog, coordinator, fmt):
    from ketnoi.core.roles import Role
    from ketnoi.programmes.models import ProgrammeRole

    form, _hn01, _hcm01 = build_lecture(coordinator, prog)
    assert client.get(url(prog, form, fmt)).status_code == 302  # anonymous: log in first
    elsewhere = make_user("elsewhere")
    ProgrammeRole.objects.create(user=elsewhere, programme=other_prog, role=Role.COORDINATOR)
    for user in (learner, outsider, elsewhere):
        assert client_for(user).get(url(prog, form, fmt)).status_code == 404
