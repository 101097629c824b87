"""Exports of forms with the v2 types (forms-spec §1–2): a sheet / CSV per repeat, nested repeats
joined by `_index`, `_parent_index`, `_parent_table_name` and `_submission_uuid`; labels or codes
for every choice type; dates, datetimes and times as real cells; geopoints split; media answers
as links; a query count that does not grow with the responses; the permissions of the results.

The form is stored directly (as the XLSForm import will store it), since what is checked here is
what the export makes of stored answers."""

import csv
import io
import json
import uuid
import zipfile
from datetime import UTC, date, datetime, time

import pytest
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from ketnoi.surveys import services
from ketnoi.surveys.exports import export_csv_zip, export_json, write_xlsx
from ketnoi.surveys.models import Form, FormVersion, Response
from ketnoi.surveys.results import filtered_responses

pytestmark = pytest.mark.django_db

U1 = uuid.UUID("11111111-1111-4111-8111-111111111111")
U2 = uuid.UUID("22222222-2222-4222-8222-222222222222")
MAIN = "Phiếu trả lời"


def _l(vi: str, en: str = "") -> dict:
    return {"vi": vi, "en": en or vi}


def household_definition() -> dict:
    return {
        "title": _l("Khảo sát hộ gia đình"),
        "questions": [
            {"name": "head", "type": "text", "label": _l("Chủ hộ")},
            {
                "name": "province",
                "type": "select_one",
                "label": _l("Tỉnh"),
                "choices": [
                    {"name": "north", "label": _l("Miền Bắc")},
                    {"name": "south", "label": _l("Miền Nam")},
                ],
            },
            {
                "name": "commune",
                "type": "select_one",
                "label": _l("Xã"),
                "choice_filter": "province = ${province}",
                "choices": [
                    {"name": "c1", "label": _l("Xã Một"), "data": {"province": "north"}},
                    {"name": "c2", "label": _l("Xã Hai"), "data": {"province": "south"}},
                ],
            },
            {"name": "visit_day", "type": "date", "label": _l("Ngày thăm")},
            {"name": "visit_at", "type": "datetime", "label": _l("Thời điểm thăm")},
            {"name": "start", "type": "time", "label": _l("Giờ bắt đầu")},
            {"name": "location", "type": "geopoint", "label": _l("Vị trí")},
            {"name": "house", "type": "image", "label": _l("Ảnh nhà")},
            {
                "name": "priorities",
                "type": "rank",
                "label": _l("Xếp hạng ưu tiên"),
                "choices": [
                    {"name": "water", "label": _l("Nước sạch")},
                    {"name": "road", "label": _l("Đường")},
                    {"name": "school", "label": _l("Trường học")},
                ],
            },
            {
                "name": "crops",
                "type": "select_multiple",
                "label": _l("Cây trồng"),
                "or_other": True,
                "choices": [{"name": "rice", "label": _l("Lúa")}, {"name": "maize", "label": _l("Ngô")}],
            },
            {
                "name": "section",
                "type": "group",
                "label": _l("Thành viên"),
                "children": [
                    {
                        "name": "member",
                        "type": "repeat",
                        "label": _l("Thành viên"),
                        "children": [
                            {"name": "m_name", "type": "text", "label": _l("Tên")},
                            {"name": "m_age", "type": "integer", "label": _l("Tuổi")},
                            {
                                "name": "m_sex",
                                "type": "select_one",
                                "label": _l("Giới"),
                                "choices": [{"name": "f", "label": _l("Nữ")}, {"name": "m", "label": _l("Nam")}],
                            },
                            {
                                "name": "visit",
                                "type": "repeat",
                                "label": _l("Lần khám"),
                                "children": [
                                    {"name": "v_day", "type": "date", "label": _l("Ngày khám")},
                                    {"name": "v_paper", "type": "file", "label": _l("Giấy khám")},
                                ],
                            },
                        ],
                    }
                ],
            },
            {"name": "members_total", "type": "calculate", "calculation": "sum(${m_age})"},
            {
                "name": "assets",
                "type": "repeat",
                "label": _l("Tài sản"),
                "children": [{"name": "a_name", "type": "text", "label": _l("Tên tài sản")}],
            },
        ],
    }


FIRST = {
    "head": "Lan",
    "province": "north",
    "commune": "c1",
    "visit_day": "2024-03-01",
    "visit_at": "2024-03-01T08:30:00+00:00",
    "start": "07:45",
    "location": "21.0285 105.8542 12.5 4",
    "house": "1712345678901.jpg",
    "priorities": "school water road",
    "crops": "rice other",
    "crops_other": "Chè",
    "member": [
        {
            "m_name": "Lan",
            "m_age": 40,
            "m_sex": "f",
            "visit": [{"v_day": "2024-02-01", "v_paper": "giay.pdf"}, {"v_day": "2024-02-15"}],
        },
        {"m_name": "Minh", "m_age": 12, "m_sex": "m", "visit": []},
    ],
    "members_total": "52",
    "assets": [{"a_name": "Xe máy"}],
}
SECOND = {
    "head": "=1+1",
    "visit_at": "2024-03-02T09:00",
    "location": "not a point",
    "member": [{"m_name": "<script>alert(1)</script>", "m_age": 70, "visit": [{"v_day": "2024-03-02"}]}],
}


def build_household(coordinator, programme, answers=(FIRST, SECOND)):
    form = Form.objects.create(programme=programme, code="ho-gia-dinh", title="Hộ gia đình")
    version = FormVersion.objects.create(form=form, number=1, definition=household_definition())
    form.current_version = version
    form.save(update_fields=["current_version"])
    collection = services.collection_open(actor=coordinator, form=form, title="Đợt 1")
    for number, (response_uuid, given) in enumerate(zip((U1, U2), answers, strict=False)):
        Response.objects.create(
            uuid=response_uuid,
            collection=collection,
            version=version,
            answers=json.loads(json.dumps(given)),
            submitted_at=datetime(2024, 3, 1 + number, 3, 0, tzinfo=UTC),
        )
    return form, collection


@pytest.fixture
def household(coordinator, prog):
    return build_household(coordinator, prog)


def url(prog, form, fmt, query=""):
    return reverse("surveys:export", args=[prog.code, form.pk, fmt]) + (f"?{query}" if query else "")


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def sheet_dicts(workbook, name) -> list[dict]:
    rows = list(workbook[name].iter_rows(values_only=True))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def csv_dicts(data: bytes) -> list[dict]:
    text = data.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:])))


def test_xlsx_has_a_sheet_per_repeat_joined_by_kobo_keys(client_for, coordinator, prog, household):
    form, _collection = household
    response = client_for(coordinator).get(url(prog, form, "xlsx"))
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(body(response)))
    assert workbook.sheetnames == [MAIN, "member", "visit", "assets", "Giải thích cột"]
    main = sheet_dicts(workbook, MAIN)
    assert [(r["_uuid"], r["_index"]) for r in main] == [(str(U1), 1), (str(U2), 2)]
    members = sheet_dicts(workbook, "member")
    assert [(m["m_name"], m["_index"], m["_parent_index"]) for m in members] == [
        ("Lan", 1, 1),
        ("Minh", 2, 1),
        ("<script>alert(1)</script>", 3, 2),
    ]
    assert {m["_parent_table_name"] for m in members} == {MAIN}
    assert [m["_submission_uuid"] for m in members] == [str(U1), str(U1), str(U2)]
    visits = sheet_dicts(workbook, "visit")
    # Lan's two visits belong to member row 1; the second response's visit to member row 3.
    assert [(v["_index"], v["_parent_index"], v["_parent_table_name"]) for v in visits] == [
        (1, 1, "member"),
        (2, 1, "member"),
        (3, 3, "member"),
    ]
    assert [v["_submission_uuid"] for v in visits] == [str(U1), str(U1), str(U2)]
    assert sheet_dicts(workbook, "assets") == [
        {"a_name": "Xe máy", "_index": 1, "_parent_index": 1, "_parent_table_name": MAIN, "_submission_uuid": str(U1)}
    ]
    assert "member" not in main[0] and "m_name" not in main[0]  # repeats are not flattened into the main sheet


def test_xlsx_cells_are_typed_and_geopoints_split(coordinator, prog, household, tmp_path):
    form, _collection = household
    responses, _f = filtered_responses(form, QueryDict(""))
    path = tmp_path / "out.xlsx"
    write_xlsx(form, responses, labels=False, path=str(path), site="https://ketnoi.example")
    workbook = load_workbook(path)
    first, second = sheet_dicts(workbook, MAIN)
    assert first["visit_day"] == datetime(2024, 3, 1)  # a date cell (openpyxl reads dates as datetimes)
    assert first["visit_at"] == datetime(2024, 3, 1, 15, 30)  # 08:30 UTC as local (Asia/Ho_Chi_Minh) time
    assert second["visit_at"] == datetime(2024, 3, 2, 9, 0)  # no offset: already local
    assert first["start"] == time(7, 45)
    header = [c.value for c in workbook[MAIN][1]]
    cells = {key: workbook[MAIN].cell(row=2, column=header.index(key) + 1) for key in ("visit_day", "start")}
    assert cells["visit_day"].number_format == "dd/mm/yyyy" and cells["visit_day"].is_date
    assert cells["start"].is_date
    assert first["location"] == "21.0285 105.8542 12.5 4"
    assert (first["_location_latitude"], first["_location_longitude"]) == (21.0285, 105.8542)
    assert (first["_location_altitude"], first["_location_precision"]) == (12.5, 4)
    assert second["location"] == "not a point" and second["_location_latitude"] is None
    assert first["members_total"] == 52  # a calculation's number is a number
    assert header.index("_location_latitude") == header.index("location") + 1
    visit_day = sheet_dicts(workbook, "visit")[0]["v_day"]
    assert visit_day == datetime(2024, 2, 1)
    assert second["head"] == "=1+1" and workbook[MAIN].cell(row=3, column=header.index("head") + 1).data_type == "s"


def test_media_answers_are_absolute_links(client_for, coordinator, prog, household):
    form, _collection = household
    workbook = load_workbook(io.BytesIO(body(client_for(coordinator).get(url(prog, form, "xlsx")))))
    house = sheet_dicts(workbook, MAIN)[0]["house"]
    expected = f"http://testserver/programmes/{prog.code}/surveys/{form.pk}/media/{U1}/1712345678901.jpg"
    assert house == expected
    paper = sheet_dicts(workbook, "visit")[0]["v_paper"]
    assert paper == f"http://testserver/programmes/{prog.code}/surveys/{form.pk}/media/{U1}/giay.pdf"
    data = json.loads(body(client_for(coordinator).get(url(prog, form, "json"))))
    assert data[0]["house"] == expected
    assert data[0]["member"][0]["visit"][0]["v_paper"].endswith(f"/media/{U1}/giay.pdf")


def test_labels_for_every_choice_type(coordinator, prog, household, tmp_path):
    form, _collection = household
    responses, _f = filtered_responses(form, QueryDict(""))
    path = tmp_path / "labels.xlsx"
    write_xlsx(form, responses, labels=True, path=str(path))
    workbook = load_workbook(path)
    first = sheet_dicts(workbook, MAIN)[0]
    assert first["Tỉnh"] == "Miền Bắc" and first["Xã"] == "Xã Một"  # a filtered choice's label
    assert first["Xếp hạng ưu tiên"] == "Trường học; Nước sạch; Đường"  # in the ranked order
    assert first["Cây trồng"] == "Lúa; Khác" and first["Cây trồng – Khác (ghi rõ)"] == "Chè"
    assert first["Đợt khảo sát"] == "Đợt 1" and first["_index"] == 1
    member = sheet_dicts(workbook, "member")[0]
    assert member == {
        "Tên": "Lan",
        "Tuổi": 40,
        "Giới": "Nữ",
        "_index": 1,
        "_parent_index": 1,
        "_parent_table_name": MAIN,
        "_submission_uuid": str(U1),
    }
    codes = tmp_path / "codes.xlsx"
    write_xlsx(form, responses, labels=False, path=str(codes))
    first = sheet_dicts(load_workbook(codes), MAIN)[0]
    assert (first["province"], first["priorities"], first["crops"]) == ("north", "school water road", "rice other")
    guide = {row[0]: row for row in load_workbook(codes)["Giải thích cột"].iter_rows(values_only=True)}
    assert guide["priorities"][2] == "Xếp hạng" and guide["priorities"][3].startswith("water = Nước sạch")
    assert guide["v_day"][4] == "visit"


def test_csv_is_a_zip_of_one_csv_per_table(client_for, coordinator, prog, household):
    form, _collection = household
    response = client_for(coordinator).get(url(prog, form, "csv", "labels=1"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].endswith('.zip"')
    archive = zipfile.ZipFile(io.BytesIO(body(response)))
    assert archive.namelist() == ["ho-gia-dinh.csv", "member.csv", "visit.csv", "assets.csv"]
    main = csv_dicts(archive.read("ho-gia-dinh.csv"))
    assert [r["_index"] for r in main] == ["1", "2"]
    assert main[0]["Ngày thăm"] == "2024-03-01" and main[0]["Thời điểm thăm"] == "2024-03-01T15:30:00+07:00"
    assert main[0]["Giờ bắt đầu"] == "07:45:00" and main[0]["_location_latitude"] == "21.0285"
    assert main[1]["Chủ hộ"] == "'=1+1"  # never run as a formula
    visits = csv_dicts(archive.read("visit.csv"))
    assert [(v["_index"], v["_parent_index"], v["_parent_table_name"]) for v in visits] == [
        ("1", "1", "member"),
        ("2", "1", "member"),
        ("3", "3", "member"),
    ]
    members = csv_dicts(archive.read("member.csv"))
    assert [m["_parent_table_name"] for m in members] == ["ho-gia-dinh"] * 3
    assert members[0]["Giới"] == "Nữ" and members[2]["_submission_uuid"] == str(U2)


def test_csv_without_repeats_stays_one_csv(client_for, coordinator, prog):
    from .results_builders import build_workshop

    form, _collection = build_workshop(coordinator, prog)
    response = client_for(coordinator).get(url(prog, form, "csv"))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].endswith('.csv"')


def test_json_is_nested_as_the_answers(client_for, coordinator, prog, household):
    form, _collection = household
    client = client_for(coordinator)
    data = json.loads(body(client.get(url(prog, form, "json"))))
    first = data[0]
    assert first["_uuid"] == str(U1) and first["visit_day"] == "2024-03-01"
    assert first["visit_at"] == "2024-03-01T15:30:00+07:00" and first["start"] == "07:45:00"
    assert first["location"] == "21.0285 105.8542 12.5 4" and "_location_latitude" not in first
    assert first["members_total"] == 52
    assert [m["m_name"] for m in first["member"]] == ["Lan", "Minh"]
    assert first["member"][0]["visit"][1] == {"v_day": "2024-02-15", "v_paper": None}
    assert first["member"][1]["visit"] == [] and first["assets"] == [{"a_name": "Xe máy"}]
    assert data[1]["assets"] == [] and data[1]["member"][0]["visit"] == [{"v_day": "2024-03-02", "v_paper": None}]
    labelled = json.loads(body(client.get(url(prog, form, "json", "labels=1"))))
    assert list(labelled[0]) == list(first)  # the same keys; the values as people read them
    assert labelled[0]["priorities"] == "Trường học; Nước sạch; Đường"
    assert labelled[0]["member"][1]["m_sex"] == "Nam"


def test_answers_of_an_earlier_version_keep_their_columns_and_labels(coordinator, prog, household, tmp_path):
    form, collection = household
    older = household_definition()
    member = older["questions"][10]["children"][0]
    member["children"].append({"name": "m_job", "type": "text", "label": _l("Nghề")})
    older["questions"][1]["choices"].append({"name": "central", "label": _l("Miền Trung")})
    version = FormVersion.objects.create(form=form, number=0, definition=older)
    Response.objects.create(
        collection=collection,
        version=version,
        answers={"province": "central", "member": [{"m_name": "Hoa", "m_job": "Nông dân"}]},
    )
    responses, _f = filtered_responses(form, QueryDict(""))
    path = tmp_path / "versions.xlsx"
    write_xlsx(form, responses, labels=True, path=str(path))
    workbook = load_workbook(path)
    assert sheet_dicts(workbook, MAIN)[-1]["Tỉnh"] == "Miền Trung"
    assert sheet_dicts(workbook, "member")[-1]["Nghề"] == "Nông dân"


def test_sheet_and_file_names_are_safe_and_unique(coordinator, prog, tmp_path):
    definition = household_definition()
    long_a = "a" * 40 + "_first"
    long_b = "a" * 40 + "_second"
    definition["questions"] += [
        {"name": long_a, "type": "repeat", "children": [{"name": "x1", "type": "text", "label": _l("X")}]},
        {"name": long_b, "type": "repeat", "children": [{"name": "x2", "type": "text", "label": _l("X")}]},
        {"name": "Member", "type": "repeat", "children": [{"name": "x3", "type": "text", "label": _l("X")}]},
    ]
    form, collection = build_household(coordinator, prog, answers=())
    FormVersion.objects.filter(pk=form.current_version_id).update(definition=definition)
    Response.objects.create(
        collection=collection, version=form.current_version, answers={long_a: [{"x1": "a"}], long_b: [{"x2": "b"}]}
    )
    responses, _f = filtered_responses(form, QueryDict(""))
    path = tmp_path / "names.xlsx"
    write_xlsx(form, responses, labels=False, path=str(path))
    workbook = load_workbook(path)
    names = workbook.sheetnames
    assert len(names) == len({n.casefold() for n in names}) and all(len(n) <= 31 for n in names)
    assert names[4:7] == ["a" * 31, "a" * 29 + "~2", "Member~2"]
    second = sheet_dicts(workbook, "a" * 29 + "~2")
    assert second[0]["x2"] == "b" and second[0]["_parent_table_name"] == MAIN
    archive = zipfile.ZipFile(io.BytesIO(b"".join(export_csv_zip(form, responses, labels=False))))
    assert len(set(archive.namelist())) == 7


def test_hostile_answers_stay_inert(coordinator, prog, tmp_path):
    hostile = {
        "head": "\x01\x02bell\x07 and\x1b escape " + "x" * 10_000,
        "member": [{"m_name": '=HYPERLINK("http://evil")', "m_age": "not a number", "visit": "not a list"}],
        "assets": [{"a_name": "@SUM(A1)"}, "not a row", None],
        "crops": ["a", "list"],
        "visit_day": "2024-02-31",
        "start": "25:99",
    }
    form, _collection = build_household(coordinator, prog, answers=(hostile,))
    responses, _f = filtered_responses(form, QueryDict(""))
    path = tmp_path / "hostile.xlsx"
    write_xlsx(form, responses, labels=True, path=str(path))
    workbook = load_workbook(path)
    first = sheet_dicts(workbook, MAIN)[0]
    assert first["Chủ hộ"].endswith("x" * 10_000) and "bell" in first["Chủ hộ"]
    assert first["Ngày thăm"] == "2024-02-31" and first["Giờ bắt đầu"] == "25:99"  # kept as the text sent
    assert first["Cây trồng"] == '["a", "list"]'
    member = sheet_dicts(workbook, "member")[0]
    assert member["Tên"].startswith("=HYPERLINK") and member["Tuổi"] == "not a number"
    assert [a["Tên tài sản"] for a in sheet_dicts(workbook, "assets")] == ["@SUM(A1)"]
    archive = zipfile.ZipFile(io.BytesIO(b"".join(export_csv_zip(form, responses, labels=False))))
    assert csv_dicts(archive.read("assets.csv"))[0]["a_name"] == "'@SUM(A1)"
    assert csv_dicts(archive.read("member.csv"))[0]["m_name"].startswith("'=HYPERLINK")
    data = json.loads("".join(export_json(form, responses, labels=False)))
    assert data[0]["member"][0]["visit"] == [] and data[0]["assets"] == [{"a_name": "@SUM(A1)"}]


def _count_queries(func) -> int:
    with CaptureQueriesContext(connection) as queries:
        func()
    return len(queries.captured_queries)


def test_exports_with_repeats_run_a_fixed_number_of_queries(coordinator, prog, household, tmp_path):
    form, collection = household

    def counts():
        # A fresh form each time, as a request has: its programme is read once, for the links.
        fresh = [Form.objects.get(pk=form.pk) for _ in range(3)]
        responses, _f = filtered_responses(form, QueryDict(""))
        return (
            _count_queries(lambda: list(export_csv_zip(fresh[0], responses, labels=True))),
            _count_queries(lambda: list(export_json(fresh[1], responses, labels=False))),
            _count_queries(lambda: write_xlsx(fresh[2], responses, labels=True, path=str(tmp_path / "x.xlsx"))),
        )

    few = counts()
    Response.objects.bulk_create(
        Response(collection=collection, version=form.current_version, answers=FIRST, submitted_at=timezone.now())
        for _ in range(30)
    )
    assert counts() == few
    assert max(few) <= 4


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json"])
def test_no_role_no_export_of_a_form_with_repeats(client, client_for, learner, outsider, make_user, other_prog, fmt):
    from ketnoi.core.roles import Role
    from ketnoi.programmes.models import ProgrammeRole

    owner = make_user("owner")
    ProgrammeRole.objects.create(user=owner, programme=other_prog, role=Role.COORDINATOR)
    form, _collection = build_household(owner, other_prog)
    assert client.get(url(other_prog, form, fmt)).status_code == 302  # anonymous: log in first
    elsewhere = make_user("elsewhere")
    from ketnoi.programmes.models import Programme

    third = Programme.objects.create(name="Chương trình thứ ba", code="ba")
    ProgrammeRole.objects.create(user=elsewhere, programme=third, role=Role.COORDINATOR)
    for user in (learner, outsider, elsewhere):
        assert client_for(user).get(url(other_prog, form, fmt)).status_code == 404
    assert client_for(owner).get(url(other_prog, form, fmt)).status_code == 200


def test_a_date_cell_is_a_date_not_a_text(coordinator, prog, household, tmp_path):
    form, _collection = household
    responses, _f = filtered_responses(form, QueryDict(""))
    path = tmp_path / "dates.xlsx"
    write_xlsx(form, responses, labels=False, path=str(path))
    sheet = load_workbook(path)[MAIN]
    header = [c.value for c in sheet[1]]
    cell = sheet.cell(row=2, column=header.index("visit_day") + 1)
    assert cell.data_type == "d" and cell.value.date() == date(2024, 3, 1)
