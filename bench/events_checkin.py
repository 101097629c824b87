"""Check-in benchmark: the scan endpoint at the door of a workshop with 5,000 confirmed delegates.

    DEBUG=1 .venv/bin/python bench/events_checkin.py [--registrations 5000] [--scans 1000]
        [--database-url postgres://user@127.0.0.1:5432/ketnoi]

Builds, in a throwaway database (a SQLite file in a temporary directory; with --database-url
a test database made beside the named one and dropped afterwards, as the test runner does),
one programme, a coordinator and one workshop with `--registrations` confirmed registrations of
directory people (Vietnamese names). Then, through django.test.Client logged in as the
coordinator (no network, DEBUG off as in production), it POSTs `--scans` distinct ticket
payloads (what each delegate's QR code holds) to the scan endpoint (`events:checkin_scan`) and
prints the median, 95th percentile and maximum time in ms and the queries per scan; then the
same payloads again (second scans: "already checked in at …"); then the check-in page with a
search by a name typed without diacritics. Target: p95 under 100 ms on 2 cores. It prints JSON
and asserts nothing. The temporary directory and the database are removed afterwards.
"""

import argparse
import json
import logging
import os
import platform
import random
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BATCH = 2000
PAGE_RUNS = 7
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô"]
MIDDLE = ["Thị", "Văn", "Minh", "Thu", "Đức", "Ngọc", "Hữu", "Thanh", "Quang", "Hoài"]
GIVEN = ["Lan", "Hoa", "Hùng", "Dũng", "Mai", "Tuấn", "Hương", "Anh", "Bình", "Châu", "Đạt", "Giang", "Khánh", "Yến"]


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--registrations", type=int, default=5000, help="confirmed registrations (default 5,000)")
    parser.add_argument("--scans", type=int, default=1000, help="distinct tickets scanned (default 1,000)")
    parser.add_argument("--database-url", help="e.g. postgres://user@127.0.0.1:5432/ketnoi (a test database is made)")
    return parser.parse_args()


def set_up_django() -> None:
    os.environ.setdefault("DEBUG", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ketnoi.settings")
    import django

    django.setup()
    from django.test.utils import setup_test_environment

    # DEBUG off as in production (DEBUG=1 only spares the SECRET_KEY): no query log grows.
    setup_test_environment(debug=False)
    logging.getLogger("django.request").setLevel(logging.CRITICAL)


def build(registrations: int) -> dict:
    from datetime import timedelta

    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from ketnoi.core.text import fold
    from ketnoi.directory.models import Organisation, OrganisationType, Person
    from ketnoi.events import services
    from ketnoi.events.models import Registration, Workshop
    from ketnoi.programmes.models import Programme, ProgrammeRole

    started = time.perf_counter()
    coordinator = get_user_model().objects.create_user(username="dieuphoi", password="x")  # noqa: S106
    programme = Programme.objects.create(name="Chương trình đo hiệu năng", code="bench")
    ProgrammeRole.objects.create(user=coordinator, programme=programme, role="coordinator")
    starts = timezone.now().replace(minute=0, second=0, microsecond=0)
    workshop = services.workshop_create(
        actor=coordinator,
        programme=programme,
        title="Diễn đàn kết nối cơ quan nhà nước và tổ chức xã hội",
        starts_at=starts,
        ends_at=starts + timedelta(hours=8),
        registration=Workshop.Registration.PUBLIC,
        venue="Trung tâm Hội nghị Quốc gia",
    )
    organisations = [
        Organisation(name=f"Tổ chức xã hội số {n}", type=OrganisationType.CSO, name_folded=f"to chuc xa hoi so {n}")
        for n in range(50)
    ]
    Organisation.objects.bulk_create(organisations)
    rng = random.Random(7)
    people = []
    for n in range(registrations):
        name = f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)} {n}"
        people.append(
            Person(
                full_name=name,
                name_folded=fold(name),
                email=f"daibieu{n}@example.org",
                email_normalised=f"daibieu{n}@example.org",
                organisation=organisations[n % len(organisations)],
            )
        )
    for start in range(0, len(people), BATCH):
        Person.objects.bulk_create(people[start : start + BATCH])
    rows = [
        Registration(workshop=workshop, person=p, status=Registration.Status.CONFIRMED, approved=True) for p in people
    ]
    for start in range(0, len(rows), BATCH):
        Registration.objects.bulk_create(rows[start : start + BATCH])
    return {
        "coordinator": coordinator,
        "programme": programme,
        "workshop": workshop,
        "build_s": round(time.perf_counter() - started, 1),
    }


class QueryCounter:
    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def scan_all(client, url: str, payloads: list[str]) -> dict:
    from django.db import connection

    times, queries, results, statuses = [], Counter(), Counter(), Counter()
    for payload in payloads:
        counter = QueryCounter()
        body = json.dumps({"payload": payload})
        with connection.execute_wrapper(counter):
            started = time.perf_counter()
            response = client.post(url, data=body, content_type="application/json", secure=True)
            times.append(time.perf_counter() - started)
        queries[counter.count] += 1
        statuses[response.status_code] += 1
        results[response.json().get("result")] += 1
    last = response.json()
    return {
        "scans": len(payloads),
        "p50_ms": round(statistics.median(times) * 1000, 1),
        "p95_ms": round(percentile(times, 0.95) * 1000, 1),
        "max_ms": round(max(times) * 1000, 1),
        "mean_ms": round(statistics.fmean(times) * 1000, 1),
        "queries_per_scan": dict(sorted(queries.items())),
        "results": dict(results),
        "http_status": dict(statuses),
        "counter_after": {"present": last.get("present"), "confirmed": last.get("confirmed")},
    }


def measure_page(client, url: str) -> dict:
    from django.db import connection

    counter = QueryCounter()
    with connection.execute_wrapper(counter):
        response = client.get(url, secure=True)
    times = []
    for _ in range(PAGE_RUNS):
        started = time.perf_counter()
        client.get(url, secure=True)
        times.append(time.perf_counter() - started)
    return {
        "url": url,
        "status": response.status_code,
        "bytes": len(response.content),
        "matches_shown": len(response.context["matches"]) if response.context else None,
        "median_ms": round(statistics.median(times) * 1000, 1),
        "min_ms": round(min(times) * 1000, 1),
        "queries": counter.count,
    }


def machine() -> dict:
    from django.db import connection

    return {
        "cpu_count": os.cpu_count(),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "database": connection.vendor,
    }


def main() -> None:
    args = parse_args()
    started = time.perf_counter()
    var_dir = tempfile.mkdtemp(prefix="ketnoi-bench-checkin-")
    os.mkdir(os.path.join(var_dir, "static"))  # STATIC_ROOT, which WhiteNoise expects
    os.environ["KETNOI_VAR_DIR"] = var_dir
    os.environ["DATABASE_URL"] = args.database_url or f"sqlite:///{var_dir}/bench.sqlite3"
    set_up_django()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.urls import reverse
    from django.utils.http import urlencode

    from ketnoi.core.text import fold
    from ketnoi.events import services
    from ketnoi.events.models import Registration

    original_db = None
    try:
        if args.database_url:
            original_db = connection.settings_dict["NAME"]
            connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
        else:
            call_command("migrate", verbosity=0, interactive=False)
        built = build(args.registrations)
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            cursor.execute("ANALYZE")
        programme, workshop = built["programme"], built["workshop"]
        chosen = list(
            Registration.objects.filter(workshop=workshop).select_related("person").order_by("?")[: args.scans]
        )
        payloads = [services.checkin_payload(r) for r in chosen]
        client = Client()
        client.force_login(built["coordinator"])
        kwargs = {"code": programme.code, "pk": workshop.pk}
        scan_url = reverse("events:checkin_scan", kwargs=kwargs)
        page_url = reverse("events:checkin", kwargs=kwargs)
        client.get(page_url, secure=True)  # the session, the language and the connection settle
        first = scan_all(client, scan_url, payloads)
        second = scan_all(client, scan_url, payloads)
        one_name = fold(chosen[-1].person.full_name)  # typed without diacritics
        pages = {
            "page_without_search": measure_page(client, page_url),
            "page_search_nguyen_thi": measure_page(client, f"{page_url}?q=nguyen+thi"),
            "page_search_one_person": measure_page(client, f"{page_url}?{urlencode({'q': one_name})}"),
        }
        report = {
            "benchmark": "events_checkin",
            "machine": machine(),
            "data": {"confirmed_registrations": args.registrations, "build_s": built["build_s"]},
            "first_scans": first,
            "second_scans": second,
            "pages": pages,
            "measured_through": "django.test.Client logged in as a coordinator, in this process, one POST "
            "of JSON {payload} per ticket, each timed and its queries counted",
            "targets": {"scan_p95_ms": "< 100 on 2 cores"},
            "total_s": round(time.perf_counter() - started, 1),
        }
        print(json.dumps(report, ensure_ascii=False, indent=2))
    finally:
        if original_db is not None:
            connection.creation.destroy_test_db(original_db, verbosity=0)
        shutil.rmtree(var_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
