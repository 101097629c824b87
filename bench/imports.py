"""Import benchmark: reading and confirming a 10,000-row list of people, and the preview page.

    DEBUG=1 .venv/bin/python bench/imports.py [--rows 10000] [--database-url postgres://user@host:5432/ketnoi]

Builds a CSV in memory (a tenth of the rows match people already in the directory, one row in
twenty is refused, the rest are new), uploads it through `people_import_preview` (the reading
task runs at once: TASKS_BACKEND is the immediate backend here), confirms it through
`people_import_confirm` (the writing task, 200 rows a transaction), and times a page of the
preview (first, last, problems only) with its query count; then reads a library catalogue of
the same number of rows and confirms its first `--library-confirm` rows (each a document made by
`document_create`, indexed for search). Prints JSON; asserts nothing.

Without --database-url the database is a SQLite file in a temporary directory; with it a test
database is made beside the named one and dropped afterwards.
"""

import argparse
import json
import os
import platform
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--library-confirm", type=int, default=1000, help="catalogue rows to confirm")
    parser.add_argument("--database-url", help="e.g. postgres://user@127.0.0.1:5432/ketnoi (a test database is made)")
    return parser.parse_args()


def set_up_django(database_url: str | None) -> str:
    var_dir = tempfile.mkdtemp(prefix="ketnoi-bench-")
    os.mkdir(os.path.join(var_dir, "static"))
    os.environ["KETNOI_VAR_DIR"] = var_dir
    os.environ["DATABASE_URL"] = database_url or f"sqlite:///{var_dir}/bench.sqlite3"
    os.environ["TASKS_BACKEND"] = "django_tasks.backends.immediate.ImmediateBackend"
    os.environ.setdefault("DEBUG", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ketnoi.settings")
    import django

    django.setup()
    from django.test.utils import setup_test_environment

    setup_test_environment(debug=False)
    return var_dir


def create_database(database_url: str | None) -> str | None:
    from django.core.management import call_command
    from django.db import connection

    if database_url:
        original = connection.settings_dict["NAME"]
        connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
        return original
    call_command("migrate", verbosity=0, interactive=False)
    return None


def make_csv(rows: int) -> bytes:
    lines = ["Họ và tên,Giới tính,Năm sinh,Email,Điện thoại,Tỉnh/thành"]
    for i in range(rows):
        if i % 20 == 19:
            lines.append(f"Người Lỗi {i},robot,1700,khong-hop-le@,,Atlantis")
        else:
            lines.append(f"Nguyễn Văn {i},Nam,1985,nguoi{i}@example.org,09{i:08d},Hà Nội")
    return ("\n".join(lines) + "\n").encode()


def existing_people(rows: int) -> int:
    from ketnoi.directory.models import Person

    people = [
        Person(full_name=f"Nguyễn Văn {i}", email=f"nguoi{i}@example.org") for i in range(0, rows, 10) if i % 20 != 19
    ]
    for person in people:
        person.save()  # the save computes the folded name, e-mail and phone
    return len(people)


def library_figures(admin, programme, rows: int, confirm: int) -> dict:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from ketnoi.library.models import Document, DocumentImport, DocumentImportRow
    from ketnoi.library.services import document_import_confirm, document_import_start

    lines = ["Nhan đề,Tác giả,Năm,Loại,Ngôn ngữ,Chủ đề,Nhà xuất bản,URL"]
    for i in range(rows):
        year = "1700" if i % 20 == 19 else "2020"
        lines.append(f"Tài liệu {i},Tác giả {i % 300}; Tổ chức: Viện {i % 7},{year},Sách,vi,chủ đề {i % 50},NXB,")
    content = ("\n".join(lines) + "\n").encode()
    upload = SimpleUploadedFile("danh-muc.csv", content, content_type="text/csv")
    document_import, read_seconds = timed(
        lambda: document_import_start(actor=admin, programme=programme, uploaded_file=upload)
    )
    document_import = DocumentImport.objects.get(pk=document_import.pk)
    # Confirm only the first rows: leave the rest as already handled.
    keep = list(
        document_import.import_rows.filter(status="new").order_by("line").values_list("pk", flat=True)[:confirm]
    )
    DocumentImportRow.objects.filter(document_import=document_import, status="new").exclude(pk__in=keep).update(
        status="duplicate"
    )
    _done, confirm_seconds = timed(lambda: document_import_confirm(actor=admin, document_import=document_import))
    document_import.refresh_from_db()
    return {
        "rows": rows,
        "read_seconds": read_seconds,
        "progress": document_import.progress,
        "confirmed_rows": confirm,
        "confirm_seconds": confirm_seconds,
        "documents": Document.objects.count(),
        "status_after_confirm": document_import.status,
    }


def timed(call):
    start = time.perf_counter()
    result = call()
    return result, round(time.perf_counter() - start, 3)


def page_figures(client, url: str) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # warm
    times = []
    for _ in range(5):
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            response = client.get(url)
            times.append(time.perf_counter() - start)
    times.sort()
    return {"status": response.status_code, "median_ms": round(times[2] * 1000, 1), "queries": len(queries)}


def main() -> None:
    args = parse_args()
    var_dir = set_up_django(args.database_url)
    original = create_database(args.database_url)
    try:
        from django.core.files.uploadedfile import SimpleUploadedFile
        from django.test import Client
        from django.urls import reverse

        from ketnoi.core.models import User
        from ketnoi.core.roles import Role
        from ketnoi.directory.models import Person, PersonImport
        from ketnoi.directory.services import people_import_confirm, people_import_preview
        from ketnoi.programmes.models import Programme, ProgrammeRole

        # A coordinator (staff would be asked for a second factor by the pages).
        admin = User.objects.create_user(username="bench")
        programme = Programme.objects.create(name="Đo nhập danh sách", code="bench-imports")
        ProgrammeRole.objects.create(programme=programme, user=admin, role=Role.COORDINATOR)
        existing = existing_people(args.rows)
        content = make_csv(args.rows)
        upload = SimpleUploadedFile("danh-sach.csv", content, content_type="text/csv")
        person_import, read_seconds = timed(lambda: people_import_preview(actor=admin, uploaded_file=upload))
        person_import = PersonImport.objects.get(pk=person_import.pk)
        client = Client()
        client.force_login(admin)
        preview = reverse("directory:people_import_preview", args=[person_import.pk])
        last_page = (args.rows + 49) // 50
        pages = {
            "first": page_figures(client, preview),
            "last": page_figures(client, f"{preview}?page={last_page}"),
            "problems": page_figures(client, f"{preview}?problems=1&page=2"),
        }
        refused, refused_seconds = timed(
            lambda: client.get(reverse("directory:people_import_refused", args=[person_import.pk]))
        )
        before = Person.objects.count()
        _done, confirm_seconds = timed(lambda: people_import_confirm(actor=admin, person_import=person_import))
        person_import.refresh_from_db()
        library = library_figures(admin, programme, args.rows, args.library_confirm)
        print(
            json.dumps(
                {
                    "machine": {
                        "python": platform.python_version(),
                        "cpus": os.cpu_count(),
                        "processor": platform.processor() or platform.machine(),
                    },
                    "database": "postgresql" if args.database_url else "sqlite",
                    "rows": args.rows,
                    "file_bytes": len(content),
                    "existing_people": existing,
                    "read_seconds": read_seconds,
                    "status_after_read": "preview" if person_import.summary else person_import.status,
                    "summary": {k: v for k, v in person_import.summary.items() if isinstance(v, int)},
                    "preview_pages": pages,
                    "refused_file": {"seconds": refused_seconds, "bytes": len(refused.content)},
                    "confirm_seconds": confirm_seconds,
                    "people_added": Person.objects.count() - before,
                    "status_after_confirm": person_import.status,
                    "library_catalogue": library,
                },
                indent=2,
            )
        )
    finally:
        if original is not None:
            from django.db import connection

            connection.creation.destroy_test_db(original, verbosity=0)
        shutil.rmtree(var_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
