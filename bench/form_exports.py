"""Exports of a form with a repeat (issue 15): XLSX, the CSV zip and the nested JSON of 100,000
submissions with 3 repeat rows each, and the results page of that form.

    DEBUG=1 .venv/bin/python bench/form_exports.py [--responses 100000] [--rows 3]
        [--database-url postgres://postgres@127.0.0.1:54408/ketnoi]

Builds, in a throwaway database (a SQLite file in a temporary directory; with --database-url a
test database made beside the named one and dropped afterwards, as the test runner does), one
programme and one form stored as the XLSForm import stores it (forms-spec §1): 10 top-level
questions (text, select_one, select_multiple with "other", integer, decimal, date, datetime,
geopoint, a calculate, an image) and a repeat `member` of 5 (text, integer, select_one, date,
select_multiple). Responses are bulk-inserted directly with realistic answers (Response rows,
--rows repeat rows each).

Then, through django.test.Client logged in as a coordinator (no network, DEBUG off as in
production):
- the results page (`surveys:results`), first and second load, with query counts;
- each export (`surveys:export`) in a fresh child process started by a small launcher made
  before Django is imported (bench/survey_results.py explains why): time inside the child,
  peak RSS from the child's rusage (os.wait4 → ru_maxrss, which counts XlsxWriter's C-level
  and buffered memory that tracemalloc does not see), and, in a second XLSX run, the Python heap
  peak by tracemalloc for comparison (slower: tracemalloc's own cost is not in the first figure).

Prints JSON with the goals (XLSX < 60 s and < 300 MB peak, CSV < 20 s, results page < 1 s) marked
met or not; it asserts nothing. On a shared machine the figures are indicative only.
"""

import argparse
import json
import os
import random
import resource
import shutil
import sys
import tempfile
import time
import tracemalloc
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from survey_results import Launcher, QueryCounter, _test_database_url, machine, set_up_django  # noqa: E402

BATCH = 2000
USERNAME = "bench-xuat-tep"


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--responses", type=int, default=100_000, help="submissions to build (default 100,000)")
    parser.add_argument("--rows", type=int, default=3, help="repeat rows per submission (default 3)")
    parser.add_argument("--database-url", help="e.g. postgres://postgres@127.0.0.1:54408/ketnoi (a test db is made)")
    parser.add_argument(
        "--child-export", nargs=5, metavar=("FMT", "LABELS", "CODE", "FORM", "TRACE"), help=argparse.SUPPRESS
    )
    return parser.parse_args()


def _l(vi: str, en: str) -> dict:
    return {"vi": vi, "en": en}


def _choices(*names: tuple[str, str, str]) -> list[dict]:
    return [{"name": n, "label": _l(vi, en)} for n, vi, en in names]


PROVINCES = _choices(("hn", "Hà Nội", "Hanoi"), ("hcm", "TP. Hồ Chí Minh", "HCMC"), ("dn", "Đà Nẵng", "Da Nang"))
CROPS = _choices(
    ("rice", "Lúa", "Rice"), ("maize", "Ngô", "Maize"), ("tea", "Chè", "Tea"), ("coffee", "Cà phê", "Coffee")
)
SEXES = _choices(("f", "Nữ", "Female"), ("m", "Nam", "Male"))
SKILLS = _choices(("read", "Đọc", "Read"), ("write", "Viết", "Write"), ("count", "Tính", "Count"))


def definition() -> dict:
    return {
        "title": _l("Khảo sát hộ gia đình (đo hiệu năng)", "Household survey (benchmark)"),
        "settings": {"form_id": "household_bench"},
        "questions": [
            {"name": "head", "type": "text", "label": _l("Chủ hộ", "Head of household")},
            {"name": "province", "type": "select_one", "label": _l("Tỉnh", "Province"), "choices": PROVINCES},
            {
                "name": "crops",
                "type": "select_multiple",
                "label": _l("Cây trồng", "Crops"),
                "choices": CROPS,
                "or_other": True,
            },
            {"name": "n_members", "type": "integer", "label": _l("Số thành viên", "Members")},
            {"name": "income", "type": "decimal", "label": _l("Thu nhập (triệu)", "Income (million)")},
            {"name": "visit_day", "type": "date", "label": _l("Ngày thăm", "Visit day")},
            {"name": "visit_at", "type": "datetime", "label": _l("Thời điểm thăm", "Visited at")},
            {"name": "location", "type": "geopoint", "label": _l("Vị trí", "Location")},
            {"name": "house", "type": "image", "label": _l("Ảnh nhà", "Photo of the house")},
            {
                "name": "member",
                "type": "repeat",
                "label": _l("Thành viên", "Member"),
                "children": [
                    {"name": "m_name", "type": "text", "label": _l("Tên", "Name")},
                    {"name": "m_age", "type": "integer", "label": _l("Tuổi", "Age")},
                    {"name": "m_sex", "type": "select_one", "label": _l("Giới", "Sex"), "choices": SEXES},
                    {"name": "m_born", "type": "date", "label": _l("Ngày sinh", "Born")},
                    {
                        "name": "m_skills",
                        "type": "select_multiple",
                        "label": _l("Kỹ năng", "Skills"),
                        "choices": SKILLS,
                    },
                ],
            },
            {"name": "total_age", "type": "calculate", "calculation": "sum(${m_age})"},
        ],
    }


NAMES = ["Lan", "Minh", "Hoa", "Tuấn", "Hương", "Nam", "Mai", "Dũng", "Thảo", "Long", "Ngọc", "Sơn"]
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi"]


def answers(rng: random.Random, rows: int, number: int) -> dict:
    members = []
    for _ in range(rows):
        born = date(1950, 1, 1) + timedelta(days=rng.randint(0, 25000))
        members.append(
            {
                "m_name": f"{rng.choice(FAMILY)} {rng.choice(NAMES)}",
                "m_age": 2025 - born.year,
                "m_sex": rng.choice(("f", "m")),
                "m_born": born.isoformat(),
                "m_skills": " ".join(s for s in ("read", "write", "count") if rng.random() < 0.6),
            }
        )
    crops = [c for c in ("rice", "maize", "tea", "coffee", "other") if rng.random() < 0.35] or ["rice"]
    a = {
        "head": f"{rng.choice(FAMILY)} Văn {rng.choice(NAMES)}",
        "province": rng.choice(("hn", "hcm", "dn")),
        "crops": " ".join(crops),
        "n_members": rows,
        "income": round(rng.uniform(10, 400), 1),
        "visit_day": (date(2025, 1, 1) + timedelta(days=rng.randint(0, 300))).isoformat(),
        "visit_at": f"2025-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}T{rng.randint(7, 17):02d}:{rng.randint(0, 59):02d}",
        "location": " ".join(
            (f"{rng.uniform(8.5, 23):.6f}", f"{rng.uniform(102, 109.5):.6f}", f"{rng.uniform(0, 300):.1f}", "5.0")
        ),
        "house": f"{1712345678901 + number}.jpg",
        "member": members,
        "total_age": str(sum(m["m_age"] for m in members)),
    }
    if "other" in crops:
        a["crops_other"] = rng.choice(("Sắn", "Khoai lang", "Đậu tương"))
    return a


def build(n_responses: int, rows: int) -> dict:
    from django.contrib.auth import get_user_model
    from django.db import transaction

    from ketnoi.core.roles import Role
    from ketnoi.programmes.models import Programme, ProgrammeRole
    from ketnoi.surveys import services
    from ketnoi.surveys.models import Form, FormVersion, Response

    rng = random.Random(2026)
    coordinator = get_user_model().objects.create_user(USERNAME, first_name="Điều phối viên")
    programme = Programme.objects.create(name="Chương trình đo hiệu năng xuất tệp", code="bench-xuat-tep")
    ProgrammeRole.objects.create(programme=programme, user=coordinator, role=Role.COORDINATOR)
    # Stored as the XLSForm import stores a form (this branch's definition check predates repeats).
    form = Form.objects.create(programme=programme, code="ho-gia-dinh", title="Khảo sát hộ gia đình")
    version = FormVersion.objects.create(form=form, number=1, definition=definition())
    form.current_version = version
    form.save(update_fields=["current_version"])
    opened = datetime(2025, 1, 1, 1, 0, tzinfo=UTC)
    collections = [
        services.collection_open(
            actor=coordinator, form=form, title=f"Đợt {i}", opens_at=opened + timedelta(days=30 * i)
        )
        for i in range(1, 5)
    ]
    started = time.perf_counter()
    with transaction.atomic():
        for start in range(0, n_responses, BATCH):
            batch = []
            for number in range(start, min(start + BATCH, n_responses)):
                collection = collections[number % len(collections)]
                batch.append(
                    Response(
                        uuid=uuid.UUID(int=rng.getrandbits(128), version=4),
                        collection=collection,
                        version=version,
                        answers=answers(rng, rows, number),
                        submitted_at=collection.opens_at + timedelta(seconds=rng.randint(0, 60 * 86400)),
                    )
                )
            Response.objects.bulk_create(batch, batch_size=BATCH)
    return {"programme": programme, "form": form, "insert_s": round(time.perf_counter() - started, 1)}


def add_responses(form, n: int, rows: int) -> None:
    """n more responses over the form's collections, as they arrive after a background refresh."""
    from ketnoi.surveys.models import Response

    rng = random.Random(2027)
    collections = list(form.collections.order_by("id"))
    version = form.current_version
    Response.objects.bulk_create(
        [
            Response(
                uuid=uuid.UUID(int=rng.getrandbits(128), version=4),
                collection=collections[number % len(collections)],
                version=version,
                answers=answers(rng, rows, number),
            )
            for number in range(n)
        ],
        batch_size=BATCH,
    )


def measure_kept(client, url: str, form, rows: int) -> dict:
    """The results page as people meet it: the tallies kept by the background refresh
    (surveys/tasks.py: one every TALLY_EVERY responses), so up to TALLY_EVERY responses of each
    collection wait to be counted when the page opens."""
    from ketnoi.surveys.tasks import TALLY_EVERY

    waiting = TALLY_EVERY * form.collections.count()
    add_responses(form, waiting, rows)
    started = time.perf_counter()
    response = client.get(url, secure=True)
    return {
        "kept_ms": round((time.perf_counter() - started) * 1000, 1),
        "kept_waiting": waiting,
        "status": response.status_code,
    }


def measure_results(client, url: str) -> dict:
    from django.db import connection

    figures = {}
    for load in ("first", "second"):
        counter = QueryCounter()
        started = time.perf_counter()
        with connection.execute_wrapper(counter):
            response = client.get(url, secure=True)
        figures[f"{load}_ms"] = round((time.perf_counter() - started) * 1000, 1)
        figures[f"{load}_queries"] = counter.count
        figures["status"] = response.status_code
    return figures


def child_export(fmt: str, labels: str, programme_code: str, form_pk: str, trace: str) -> None:
    """In the child: the export through its URL, consumed as a browser would, then the figures."""
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.urls import reverse

    client = Client()
    client.force_login(get_user_model().objects.get(username=USERNAME))
    url = reverse("surveys:export", kwargs={"code": programme_code, "pk": int(form_pk), "fmt": fmt})
    url += "?labels=1" if labels == "1" else ""
    before = resource.getrusage(resource.RUSAGE_SELF)
    before_kb = before.ru_maxrss
    if trace == "1":
        tracemalloc.start()
    started = time.perf_counter()
    response = client.get(url, secure=True)
    size = 0
    for chunk in response.streaming_content if response.streaming else [response.content]:
        size += len(chunk)
    if hasattr(response, "close"):
        response.close()
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_SELF)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    heap_peak = tracemalloc.get_traced_memory()[1] if trace == "1" else None
    figures = {
        "status": response.status_code,
        "content_type": response.get("Content-Type"),
        "seconds": round(seconds, 1),
        # CPU time of the child (the database's reads included for SQLite, in this process):
        # on a shared machine the wall time above also holds the waits for a core.
        "cpu_seconds": round(cpu, 1),
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
        "bytes": size,
        "rss_before_export_mb": round(before_kb / 1024, 1),
        "tracemalloc_peak_mb": round(heap_peak / 2**20, 1) if heap_peak is not None else None,
    }
    print(json.dumps(figures))


def run_export(launcher, database_url: str, var_dir: str, fmt: str, labels: bool, code: str, pk: int, trace=False):
    env = {**os.environ, "DATABASE_URL": database_url, "KETNOI_VAR_DIR": var_dir}
    flags = ["1" if labels else "0", code, str(pk), "1" if trace else "0"]
    result = launcher.run([sys.executable, __file__, "--child-export", fmt, *flags], env)
    figures: dict = {"format": fmt, "labels": labels, "tracemalloc": trace}
    try:
        figures.update(json.loads(result["out"].strip().splitlines()[-1]))
    except (ValueError, IndexError):
        figures["error"] = result["err"][-1500:]
    figures["peak_rss_mb"] = round(result["maxrss_kb"] / 1024, 1)
    if "rss_before_export_mb" in figures:
        figures["export_growth_mb"] = round(figures["peak_rss_mb"] - figures["rss_before_export_mb"], 1)
    return figures


def goals(results: dict, exports: list[dict]) -> list[dict]:
    def first(fmt: str, labels: bool = False) -> dict:
        return next(e for e in exports if e["format"] == fmt and e["labels"] == labels and not e["tracemalloc"])

    xlsx, csv_zip = first("xlsx"), first("csv")
    checks = [
        ("xlsx_seconds", xlsx.get("seconds"), 60),
        ("xlsx_peak_rss_mb", xlsx.get("peak_rss_mb"), 300),
        ("csv_zip_seconds", csv_zip.get("seconds"), 20),
        ("results_first_ms", results.get("first_ms"), 1000),
        ("results_second_ms", results.get("second_ms"), 1000),
        ("results_kept_ms", results.get("kept_ms"), 1000),
    ]
    return [
        {"goal": name, "value": value, "below": limit, "met": value is not None and value < limit}
        for name, value, limit in checks
    ]


def main() -> None:
    args = parse_args()
    if args.child_export:
        set_up_django()
        child_export(*args.child_export)
        return
    started = time.perf_counter()
    launcher = Launcher()  # while this process is still small
    var_dir = tempfile.mkdtemp(prefix="ketnoi-bench-exports-")
    os.mkdir(os.path.join(var_dir, "static"))  # STATIC_ROOT, which WhiteNoise expects
    os.environ["KETNOI_VAR_DIR"] = var_dir
    os.environ["DATABASE_URL"] = args.database_url or f"sqlite:///{var_dir}/bench.sqlite3"
    set_up_django()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    original_db = None
    try:
        if args.database_url:
            original_db = connection.settings_dict["NAME"]
            connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
        else:
            call_command("migrate", verbosity=0, interactive=False)
        t0 = time.perf_counter()
        built = build(args.responses, args.rows)
        build_s = time.perf_counter() - t0
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)" if connection.vendor == "sqlite" else "ANALYZE")
        database_url = args.database_url and _test_database_url(args.database_url, connection.settings_dict["NAME"])
        database_url = database_url or os.environ["DATABASE_URL"]
        programme, form = built["programme"], built["form"]
        client = Client()
        client.force_login(_user())
        results_url = reverse("surveys:results", kwargs={"code": programme.code, "pk": form.pk})
        results = measure_results(client, results_url)
        results.update(measure_kept(client, results_url, form, args.rows))
        connection.close()  # the children read the database on their own connections
        runs = [("xlsx", False, False), ("xlsx", True, False), ("csv", False, False), ("json", False, False)]
        runs.append(("xlsx", False, True))
        exports = [
            run_export(launcher, database_url, var_dir, fmt, labels, programme.code, form.pk, trace)
            for fmt, labels, trace in runs
        ]
        report = {
            "benchmark": "form_exports",
            "machine": {**machine(), "load_average_at_end": [round(x, 2) for x in os.getloadavg()]},
            "data": {
                "responses": args.responses,
                "repeat_rows_per_response": args.rows,
                "repeat_rows": args.responses * args.rows,
                "build_s": round(build_s, 1),
                "insert_s": built["insert_s"],
            },
            "results_page": results,
            "exports": exports,
            "goals": goals(results, exports),
            "measured_through": "django.test.Client logged in as a coordinator; each export in a fresh child "
            "process (time inside the child, peak RSS from its rusage, tracemalloc in a separate XLSX run)",
            "total_s": round(time.perf_counter() - started, 1),
        }
        print(json.dumps(report, ensure_ascii=False, indent=2))
    finally:
        launcher.close()
        if original_db is not None:
            connection.creation.destroy_test_db(original_db, verbosity=0)
        shutil.rmtree(var_dir, ignore_errors=True)


def _user():
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username=USERNAME)


if __name__ == "__main__":
    main()
