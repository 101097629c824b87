"""A list of 10,000 people read and written by the import's background tasks (the immediate
backend runs them after the upload's commit): progress counts, a paged preview with only the rows
with problems, the refused rows as a workbook with their reason, confirmation in batches, and
pages whose query count does not grow with the list."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from ketnoi.core.imports import refused_rows_xlsx
from ketnoi.directory import importing, tasks
from ketnoi.directory.models import Person, PersonImport, PersonImportRow

from .factories import make_person, read_list, run_tasks

pytestmark = pytest.mark.django_db

HEADER = ["Họ và tên", "Chức vụ", "Email"]
ROWS = 10_000
UNIQUE = 400  # rows 0..399 name different people; later rows repeat one of them
EXISTING = 50  # of those, people already in the directory
FORMULAS = ['=HYPERLINK("http://example.org")', "+1", "-2", "@SUM(A1)"]


def big_csv() -> bytes:
    lines = [",".join(HEADER)]
    for i in range(ROWS):
        if i % 100 == 0:  # refused: an e-mail without a domain, and a cell a spreadsheet would run
            lines.append(f"Người lỗi {i},{FORMULAS[(i // 100) % 4]},khong-hop-le@")
        else:
            j = i if i < UNIQUE else i % UNIQUE or 1
            j = j + 1 if j % 100 == 0 else j
            lines.append(f"Nguyễn Văn {j},Cán bộ,nguoi{j}@example.org")
    return ("\n".join(lines) + "\n").encode()


def expected_counts() -> dict:
    refused = ROWS // 100
    unique = sum(1 for i in range(UNIQUE) if i % 100)
    new = unique - EXISTING
    return {"read": ROWS, "matched": ROWS - refused - new, "new": new, "refused": refused}


@pytest.fixture
def existing(db):
    return [make_person(f"Nguyễn Văn {i}", email=f"nguoi{i}@example.org") for i in range(1, EXISTING + 1)]


def url(name: str, person_import, query: str = "") -> str:
    return reverse(f"directory:{name}", args=[person_import.pk]) + query


def lines_of(response) -> list[int]:
    return [row.line for row in response.context["page"].object_list]


def test_ten_thousand_rows_read_previewed_refused_and_confirmed(client_for, coordinator, existing):
    client = client_for(coordinator)
    with run_tasks():
        response = client.post(reverse("directory:people_import"), {"file": SimpleUploadedFile("lon.csv", big_csv())})
    person_import = PersonImport.objects.get()
    assert response["Location"] == url("people_import_preview", person_import)
    counts = expected_counts()
    assert person_import.status == PersonImport.Status.PREVIEW
    assert person_import.progress == counts
    assert person_import.summary["total"] == ROWS and person_import.summary["error"] == counts["refused"]
    assert not Person.objects.exclude(pk__in=[p.pk for p in existing]).exists()  # nobody added yet

    first = client.get(url("people_import_preview", person_import))
    assert lines_of(first) == list(range(2, 52))
    assert "Mới: 346" in first.content.decode() and 'id="download-refused"' in first.content.decode()
    later = client.get(url("people_import_preview", person_import, "?page=150"))
    assert lines_of(later) == list(range(7452, 7502))
    problems = client.get(url("people_import_preview", person_import, "?problems=1&page=3"))
    statuses = {row.status for row in problems.context["page"].object_list}
    assert statuses <= {"error", "duplicate"} and problems.context["page"].paginator.count == ROWS - counts["new"]
    assert "problems=1&amp;page=4" in problems.content.decode()  # the filter is kept across pages

    refused = client.get(url("people_import_refused", person_import))
    assert refused.status_code == 200 and refused["Content-Disposition"].endswith('.xlsx"')
    sheet = load_workbook(io.BytesIO(refused.content)).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == (*HEADER, "Lý do")
    assert len(rows) == 1 + counts["refused"]
    assert rows[1][0] == "Người lỗi 0" and "email “khong-hop-le@” không hợp lệ" in rows[1][3]
    assert {row[1] for row in rows[1:]} == set(FORMULAS)  # kept as text, not run as formulas
    assert all(cell.data_type == "s" for row in sheet.iter_rows(min_row=2) for cell in row if cell.value)

    with run_tasks():
        client.post(url("people_import_confirm", person_import))
    person_import.refresh_from_db()
    assert person_import.status == PersonImport.Status.CONFIRMED
    assert person_import.progress["written"] == counts["new"] == person_import.summary["created"]
    assert Person.objects.count() == EXISTING + counts["new"]
    assert Person.objects.filter(full_name="Nguyễn Văn 399", email="nguoi399@example.org").count() == 1
    assert not person_import.upload  # the private copy is deleted
    assert person_import.import_rows.filter(status="created", person__isnull=False).count() == counts["new"]

    # The writing task run again (a retry, a second worker) adds no one.
    PersonImport.objects.filter(pk=person_import.pk).update(status=PersonImport.Status.CONFIRMING)
    assert tasks.write_people_import.call(person_import.pk) == "confirmed"
    assert Person.objects.count() == EXISTING + counts["new"]


def test_a_ten_thousand_row_workbook_reads_the_same(coordinator):
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(["Họ và tên", "Email"])
    for i in range(ROWS):
        sheet.append([f"Trần Thị {i}", "sai@" if i % 1000 == 0 else f"tran{i}@example.org"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    person_import = read_list(actor=coordinator, uploaded_file=SimpleUploadedFile("lon.xlsx", buffer.getvalue()))
    assert person_import.progress == {"read": ROWS, "matched": 0, "new": ROWS - 10, "refused": 10}
    assert person_import.import_rows.count() == ROWS


def test_progress_fragment_polls_while_reading_and_stops_when_done(client_for, coordinator):
    person_import = PersonImport.objects.create(
        filename="lon.csv",
        status=PersonImport.Status.READING,
        progress={"read": 750, "matched": 12, "new": 730, "refused": 8},
        created_by=coordinator,
    )
    client = client_for(coordinator)
    page = client.get(url("people_import_preview", person_import)).content.decode()
    assert 'aria-live="polite"' in page and 'hx-trigger="every 2s"' in page
    assert '<noscript><meta http-equiv="refresh"' in page and 'id="import-reload"' in page
    fragment = client.get(url("people_import_progress", person_import))
    text = fragment.content.decode()
    assert fragment.status_code == 200 and 'hx-trigger="every 2s"' in text
    assert "Đã đọc 750 dòng: 12 trùng với dữ liệu đã có, 730 mới, 8 bị từ chối." in text
    PersonImport.objects.filter(pk=person_import.pk).update(status=PersonImport.Status.PREVIEW)
    done = client.get(url("people_import_progress", person_import))
    assert done.status_code == 286 and done["HX-Refresh"] == "true"
    assert "hx-trigger" not in done.content.decode()


def test_a_failure_halfway_leaves_nothing_half_written(coordinator, monkeypatch):
    calls = []
    classify = importing.Classifier.classify

    def fail_on_the_third_batch(self, batch):
        calls.append(1)
        if len(calls) == 3:
            raise RuntimeError("disk full")
        return classify(self, batch)

    monkeypatch.setattr(importing.Classifier, "classify", fail_on_the_third_batch)
    upload = SimpleUploadedFile("lon.csv", ("Họ và tên\n" + "".join(f"Lan {i}\n" for i in range(1000))).encode())
    person_import = read_list(actor=coordinator, uploaded_file=upload)
    assert person_import.status == PersonImport.Status.FAILED
    assert "thử lại" in person_import.failure and "CSV UTF-8" in person_import.failure
    assert not PersonImportRow.objects.exists() and not person_import.upload and Person.objects.count() == 0


def test_cancelling_while_reading_stops_the_task(client_for, coordinator):
    upload = SimpleUploadedFile("a.csv", "Họ và tên\nLan\n".encode())
    from ketnoi.directory.services import people_import_cancel, people_import_preview

    person_import = people_import_preview(actor=coordinator, uploaded_file=upload)  # the task not run yet
    people_import_cancel(actor=coordinator, person_import=person_import)
    assert tasks.read_people_import.call(person_import.pk) == "gone"
    person_import.refresh_from_db()
    assert person_import.status == "cancelled" and not person_import.import_rows.exists()


def test_refused_rows_file_keeps_formulas_as_text():
    content = refused_rows_xlsx(
        ["Họ và tên", "=1+1"],
        [(["=cmd|' /C calc'!A0", "+84 912", "-5", "@SUM(A1)"], "=lý do")],
        reason_label="Lý do",
        sheet="Dòng bị từ chối",
    )
    import zipfile

    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        xml = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in xml  # no formula anywhere
    rows = list(load_workbook(io.BytesIO(content)).worksheets[0].iter_rows(values_only=True))
    assert rows == [("Họ và tên", "=1+1", "Lý do"), ("=cmd|' /C calc'!A0", "+84 912", "=lý do")]


def make_import(user, n: int) -> PersonImport:
    person_import = PersonImport.objects.create(
        filename="a.csv", status="preview", summary={"total": n, "new": n}, created_by=user, header=["Họ và tên"]
    )
    statuses = ["new", "duplicate", "error"]
    PersonImportRow.objects.bulk_create(
        PersonImportRow(
            person_import=person_import,
            line=i + 2,
            status=statuses[i % 3],
            cells=[f"Lan {i}"],
            data={"full_name": f"Lan {i}", "email": "", "phone": "", "organisation_name": ""},
            errors=["thiếu email"] if i % 3 == 2 else [],
            duplicate_of={"line": 2} if i % 3 == 1 else None,
        )
        for i in range(n)
    )
    return person_import


@pytest.mark.parametrize("query", ["", "?problems=1", "?page=2", "?problems=1&page=2"])
def test_preview_query_count_does_not_grow_with_the_list(client_for, coordinator, query):
    client = client_for(coordinator)
    counts = []
    for n in (30, 3000):
        person_import = make_import(coordinator, n)
        client.get(url("people_import_preview", person_import, query))
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url("people_import_preview", person_import, query)).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


@pytest.mark.parametrize("name", ["people_import_preview", "people_import_progress", "people_import_refused"])
def test_others_cannot_see_an_import_or_its_refused_rows(client_for, coordinator, other_coordinator, outsider, name):
    person_import = make_import(coordinator, 6)
    assert client_for(coordinator).get(url(name, person_import)).status_code in (200, 286)  # 286: done polling
    other = client_for(other_coordinator).get(url(name, person_import))
    assert other.status_code == 404 and b"Lan 2" not in other.content
    refused = client_for(outsider).get(url(name, person_import))
    assert refused.status_code == 403 and b"Lan 2" not in refused.content
