import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from ketnoi.core.models import AuditEntry
from ketnoi.directory import importing
from ketnoi.directory.models import OrganisationType, Person, PersonImport
from ketnoi.directory.services import people_import_cancel, people_import_confirm, people_import_preview

from .factories import confirm_list, make_organisation, make_person, read_list

HEADER = ["Họ và tên", "Giới tính", "Năm sinh", "Chức vụ", "Tổ chức", "Email", "Điện thoại", "Tỉnh/thành"]
ROWS = [
    ["Trần Văn Minh", "Nam", "1980", "Giám đốc", "msd", "minh@example.org", "0901 234 567", "Hà Nội"],  # line 2
    ["", "Nữ", "", "", "", "", "", ""],  # line 3: no name
    ["nguyen thi lan", "nữ", "", "", "", "", "+84 912 345 678", ""],  # line 4: already in the directory
    ["Lê Thu Hà", "female", "1990", "", "Trung tâm MSD", "ha@example.org", "", "TP. HCM"],  # line 5
    ["le thu ha", "", "", "", "", "HA@example.org", "", ""],  # line 6: same as line 5
    ["Phạm An", "robot", "1700", "", "Không có", "an@", "", "Atlantis"],  # line 7: many errors
    ["", "", "", "", "", "", "", ""],  # line 8: empty, skipped
    ["Võ Thị Mai", "", "", "", "", "", "", "Bình Dương"],  # line 9: legacy province name
]


def csv_file(rows=ROWS, *, header=HEADER, delimiter=",", bom=True, name="danh-sach.csv"):
    text = "\n".join(
        delimiter.join(f'"{cell}"' if delimiter in cell else cell for cell in row) for row in [header, *rows]
    )
    content = ("\ufeff" if bom else "") + text + "\n"
    return SimpleUploadedFile(name, content.encode("utf-8"), content_type="text/csv")


def xlsx_file(rows, *, header=HEADER, name="danh-sach.xlsx"):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


@pytest.fixture
def directory(db):
    make_organisation("Trung tâm MSD", short_name="MSD", type=OrganisationType.CSO)
    return make_person("Nguyễn Thị Lan", phone="0912345678")


def as_dicts(person_import):
    fields = ("line", "status", "data", "errors", "notes", "duplicate_of", "person_id")
    return list(person_import.import_rows.order_by("line").values(*fields))


def by_line(person_import):
    return {row["line"]: row for row in as_dicts(person_import)}


def test_preview_classifies_rows_and_writes_no_person(coordinator, directory):
    person_import = read_list(actor=coordinator, uploaded_file=csv_file())
    assert Person.objects.count() == 1
    rows = by_line(person_import)
    assert set(rows) == {2, 3, 4, 5, 6, 7, 9}
    assert rows[2]["status"] == "new"
    assert rows[2]["data"]["organisation_name"] == "Trung tâm MSD (MSD)"
    assert rows[2]["data"]["sex"] == "male"
    assert rows[3]["status"] == "error" and rows[3]["errors"] == ["thiếu họ tên"]
    assert rows[4]["status"] == "duplicate"
    assert rows[4]["duplicate_of"] == {"person_id": directory.pk, "name": "Nguyễn Thị Lan"}
    assert rows[5]["status"] == "new" and rows[5]["data"]["province_name"] == "Hồ Chí Minh"
    assert rows[6]["status"] == "duplicate" and rows[6]["duplicate_of"] == {"line": 5}
    assert rows[7]["status"] == "error" and len(rows[7]["errors"]) == 5
    assert rows[9]["status"] == "new" and rows[9]["data"]["province_name"] == "Hồ Chí Minh"
    assert "đơn vị cũ" in rows[9]["notes"][0]
    assert person_import.summary | {"columns": None} == {
        "total": 7,
        "new": 3,
        "duplicate": 2,
        "error": 2,
        "columns": None,
        "ignored_columns": [],
    }
    assert AuditEntry.objects.filter(action="directory.people_import_preview").count() == 1


def test_confirm_creates_only_the_good_rows_once(coordinator, directory):
    person_import = read_list(actor=coordinator, uploaded_file=csv_file())
    confirm_list(actor=coordinator, person_import=person_import)
    assert person_import.status == PersonImport.Status.CONFIRMED and person_import.confirmed_at
    assert person_import.summary["created"] == 3
    assert sorted(Person.objects.values_list("full_name", flat=True)) == [
        "Lê Thu Hà",
        "Nguyễn Thị Lan",
        "Trần Văn Minh",
        "Võ Thị Mai",
    ]
    minh = Person.objects.get(full_name="Trần Văn Minh")
    assert minh.organisation.short_name == "MSD" and minh.birth_year == 1980 and minh.created_by == coordinator
    assert by_line(person_import)[2]["person_id"] == minh.pk
    assert AuditEntry.objects.filter(action="directory.person_create").count() == 3
    with pytest.raises(ValidationError, match="đã được xác nhận"):
        people_import_confirm(actor=coordinator, person_import=person_import)
    assert Person.objects.count() == 4


def test_a_row_that_fails_at_confirmation_never_stops_the_others(coordinator, directory):
    person_import = read_list(actor=coordinator, uploaded_file=csv_file())
    row = person_import.import_rows.get(line=2)
    row.data["birth_year"] = 1800  # changed behind the preview's back
    row.save()
    make_person("Lê Thu Hà", email="ha@example.org")  # line 5 was added by someone meanwhile
    confirm_list(actor=coordinator, person_import=person_import)
    rows = by_line(PersonImport.objects.get(pk=person_import.pk))
    assert rows[2]["status"] == "error" and "1900" in rows[2]["errors"][0]
    assert rows[5]["status"] == "duplicate"
    assert rows[9]["status"] == "created"
    assert not Person.objects.filter(full_name="Trần Văn Minh").exists()


def test_cancelled_import_cannot_be_confirmed(coordinator, directory):
    person_import = read_list(actor=coordinator, uploaded_file=csv_file())
    people_import_cancel(actor=coordinator, person_import=person_import)
    with pytest.raises(ValidationError, match="đã bị huỷ"):
        people_import_confirm(actor=coordinator, person_import=person_import)
    assert Person.objects.count() == 1


def test_semicolon_csv_without_bom_and_english_headers(coordinator, directory):
    header = ["full_name", "sex", "email", "Organisation", "phone"]
    rows = [["Đỗ Văn Hùng", "male", "hung@example.org", "MSD", "0987 654 321"], ["Hoàng Yến", "F", "", "", ""]]
    person_import = read_list(actor=coordinator, uploaded_file=csv_file(rows, header=header, delimiter=";", bom=False))
    assert [row["status"] for row in as_dicts(person_import)] == ["new", "new"]
    assert as_dicts(person_import)[0]["data"]["organisation_name"] == "Trung tâm MSD (MSD)"
    assert as_dicts(person_import)[1]["data"]["sex"] == "female"


def test_xlsx_with_numbers_as_cells(coordinator, directory):
    rows = [["Bùi Thị Hoa", "Nữ", 1992, "Chuyên viên", "MSD", "hoa@example.org", 912000111, "Cần Thơ"], [None] * 8]
    person_import = read_list(actor=coordinator, uploaded_file=xlsx_file(rows))
    (row,) = as_dicts(person_import)
    assert row["status"] == "new" and row["line"] == 2
    assert row["data"]["birth_year"] == 1992 and row["data"]["phone"] == "0912000111"


def test_xlsx_template_has_the_headers_and_reads_back(coordinator):
    workbook = load_workbook(io.BytesIO(importing.template_workbook()))
    assert [cell.value for cell in workbook.worksheets[0][1]] == importing.TEMPLATE_HEADERS
    person_import = read_list(
        actor=coordinator, uploaded_file=SimpleUploadedFile("mau.xlsx", importing.template_workbook())
    )
    assert person_import.status == "failed" and "không có dòng nào có dữ liệu" in person_import.failure


@pytest.mark.parametrize(
    ("upload", "fragment"),
    [
        (SimpleUploadedFile("danh-sach.xlsx", b"PK\x03\x04 not really a zip"), "Không đọc được tệp Excel"),
        (SimpleUploadedFile("danh-sach.csv", "Họ và tên\nNguyễn Lan\n".encode("utf-16")), "UTF-8"),
        (SimpleUploadedFile("danh-sach.csv", "Ho va ten\nJosé Müller\n".encode("latin-1")), "UTF-8"),
        (SimpleUploadedFile("danh-sach.csv", "Tên đệm,Tuổi\nA,3\n".encode()), "Không tìm thấy cột họ tên"),
        (SimpleUploadedFile("danh-sach.csv", ("Họ và tên\n" + "Lan\n" * 10_001).encode()), "10,000"),
    ],
)
def test_bad_files_fail_with_a_clear_reason_and_nothing_written(coordinator, upload, fragment):
    person_import = read_list(actor=coordinator, uploaded_file=upload)
    assert person_import.status == PersonImport.Status.FAILED
    assert fragment in person_import.failure
    assert not person_import.import_rows.exists() and Person.objects.count() == 0
    assert not person_import.upload  # the private copy is gone
    with pytest.raises(ValidationError, match="Không đọc được"):
        people_import_confirm(actor=coordinator, person_import=person_import)


@pytest.mark.parametrize(
    ("upload", "fragment"),
    [
        (SimpleUploadedFile("danh-sach.csv", b""), "trống"),
        (SimpleUploadedFile("danh-sach.xlsx", "Họ và tên\nLan\n".encode()), "không phải bảng tính Excel"),
        (SimpleUploadedFile("danh-sach.csv", b"x" * (5 * 1024 * 1024 + 1)), "tối đa 5 MB"),
    ],
)
def test_empty_huge_and_fake_files_are_refused_at_upload(coordinator, upload, fragment):
    with pytest.raises(ValidationError) as error:
        people_import_preview(actor=coordinator, uploaded_file=upload)
    assert fragment in " ".join(error.value.messages)
    assert PersonImport.objects.count() == 0 and Person.objects.count() == 0


def test_exactly_10000_rows_are_accepted(coordinator):
    upload = SimpleUploadedFile("lon.csv", ("Họ và tên,Điện thoại\n" + "Lan,\n" * 10_000).encode())
    person_import = read_list(actor=coordinator, uploaded_file=upload)
    assert person_import.summary["total"] == 10_000
    assert person_import.progress == {"read": 10_000, "matched": 0, "new": 10_000, "refused": 0}


def test_readers_cannot_import(viewer, directory):
    with pytest.raises(PermissionDenied):
        read_list(actor=viewer, uploaded_file=csv_file())
    assert PersonImport.objects.count() == 0


def test_headers_are_recognised_folded():
    columns, ignored = importing.map_columns(
        ["HO TEN", "Giới Tính", "nam_sinh", "E-mail", "SĐT", "Tỉnh / Thành", "Ghi chú"]
    )
    assert columns == {"full_name": 0, "sex": 1, "birth_year": 2, "email": 3, "phone": 4, "province": 5}
    assert ignored == ["Ghi chú"]


def test_xlsx_line_numbers_follow_the_spreadsheet_when_a_title_comes_first(coordinator):
    workbook = Workbook()
    sheet = workbook.active
    sheet["A1"] = "Danh sách đại biểu hội thảo 28/9"
    sheet.append([])
    sheet.append(["STT", "Họ và tên", "Giới tính"])
    sheet.append([1, "Nguyễn Văn Nam", "Nam"])
    sheet.append([2, None, "Nữ"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    upload = SimpleUploadedFile("dai-bieu.xlsx", buffer.getvalue())
    person_import = read_list(actor=coordinator, uploaded_file=upload)
    assert [(row["line"], row["status"]) for row in as_dicts(person_import)] == [(4, "new"), (5, "error")]
    assert person_import.summary["ignored_columns"] == ["STT"]
