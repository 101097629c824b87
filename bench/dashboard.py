"""Dashboard benchmark: how programme progress, the dashboard page and the XLSX export grow
with the size of a programme.

    DEBUG=1 .venv/bin/python bench/dashboard.py [--database-url postgres://user@host:5432/ketnoi]

Builds three programmes (small, medium, large: 5, 50 and 500 indicators, each with 4 periods,
several approved values per period, a breakdown on every third indicator, every fifth a level
rather than a sum, some values waiting for approval, one metric indicator, objectives and
activities in proportion) in a throwaway database and prints JSON:
the machine, per size the median time and query count of `programme_progress`, of the
dashboard page (`programmes:detail`, as a coordinator) and of the export (`programmes:export`)
when those URLs exist, and the large/small ratios. It prints figures; it asserts nothing.

Without --database-url the database is a SQLite file in a temporary directory. With it, Django
creates a separate test database beside the named one (as the test runner does) and drops it
afterwards, so the named database's data is never touched (the user needs CREATEDB, as for the
test suite). Figures are taken with DEBUG off, as in production.
"""

import argparse
import json
import logging
import os
import platform
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SIZES = {"small": 5, "medium": 50, "large": 500}
PERIODS = 4
HEADLINE_VALUES = 3  # approved values per period, e.g. one per campus or class
PROGRESS_RUNS = 7
PAGE_RUNS = 5
EXPORT_RUNS = 3


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", help="e.g. postgres://user@127.0.0.1:5432/ketnoi (a test database is made)")
    return parser.parse_args()


def set_up_django(database_url: str | None) -> str:
    var_dir = tempfile.mkdtemp(prefix="ketnoi-bench-")
    os.mkdir(os.path.join(var_dir, "static"))  # STATIC_ROOT, which WhiteNoise expects to exist
    os.environ["KETNOI_VAR_DIR"] = var_dir
    os.environ["DATABASE_URL"] = database_url or f"sqlite:///{var_dir}/bench.sqlite3"
    os.environ.setdefault("DEBUG", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ketnoi.settings")
    import django

    django.setup()
    from django.test.utils import setup_test_environment

    # The test client's host and in-memory e-mail; DEBUG off as in production (DEBUG=1 only
    # spares the SECRET_KEY and keeps plain static storage), so no query log slows the figures.
    setup_test_environment(debug=False)
    # A page that fails is reported in the JSON; its traceback on stderr would only be noise.
    logging.getLogger("django.request").setLevel(logging.CRITICAL)
    return var_dir


def create_database(database_url: str | None) -> str | None:
    """Migrate the SQLite file; on another database make a test database. Returns the name to
    restore when the test database is dropped, or None."""
    from django.core.management import call_command
    from django.db import connection

    if database_url:
        original = connection.settings_dict["NAME"]
        connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
        return original
    call_command("migrate", verbosity=0, interactive=False)
    return None


# Data ----------------------------------------------------------------------------------------


def build(size_name: str, n_indicators: int, *, admin, coordinator, reporter, parties):
    from django.utils import timezone

    from ketnoi.core.roles import Role
    from ketnoi.programmes.models import (
        Activity,
        Agreement,
        Indicator,
        IndicatorPeriod,
        IndicatorValue,
        Objective,
        Programme,
        ProgrammeRole,
    )

    programme = Programme.objects.create(
        name=f"Chương trình đo hiệu năng ({size_name})",
        code=f"bench-{size_name}",
        start_date=date(2015, 1, 1),
        end_date=date(2018, 12, 31),
        created_by=admin,
    )
    ProgrammeRole.objects.create(programme=programme, user=coordinator, role=Role.COORDINATOR)
    ProgrammeRole.objects.create(programme=programme, user=reporter, role=Role.LECTURER)
    agreement = Agreement.objects.create(
        programme=programme, title=f"Thỏa thuận {size_name}", signed_on=date(2015, 3, 1), created_by=admin
    )
    agreement.parties.set(parties)

    n_objectives = max(1, n_indicators // 10)
    n_activities = max(1, n_indicators // 3)
    objectives = Objective.objects.bulk_create(
        Objective(programme=programme, agreement=agreement, number=i + 1, title=f"Mục tiêu {i + 1}")
        for i in range(n_objectives)
    )
    activities = Activity.objects.bulk_create(
        Activity(
            programme=programme,
            agreement=agreement,
            objective=objectives[i % n_objectives],
            number=i + 1,
            title=f"Hoạt động {i + 1}",
            responsible=parties[i % len(parties)],
            planned_quantity=Decimal(10),
            unit="tiết",
        )
        for i in range(n_activities)
    )

    indicators = []
    for i in range(n_indicators):
        activity = activities[i % n_activities] if i % 4 else None  # some hang on the objective only
        objective = activity.objective if activity else objectives[i % n_objectives]
        metric = i == 0  # one metric indicator: its queries do not grow with the rows
        indicators.append(
            Indicator(
                programme=programme,
                objective=objective,
                activity=activity,
                code=f"CS{i + 1}",
                name=f"Chỉ số {i + 1}",
                unit="người",
                frequency=Indicator.Frequency.ANNUAL,
                cumulative=i % 5 != 1,  # every fifth is a level (a mean score, a rate)
                disaggregations=["sex", "organisation_type"] if i % 3 == 2 else [],
                source=Indicator.Source.METRIC if metric else Indicator.Source.MANUAL,
                metric_key="programmes.partner_organisations" if metric else "",
            )
        )
    indicators = Indicator.objects.bulk_create(indicators)

    periods = IndicatorPeriod.objects.bulk_create(
        IndicatorPeriod(
            indicator=indicator,
            label=str(2015 + p),
            start_date=date(2015 + p, 1, 1),
            end_date=date(2015 + p, 12, 31),
            target=Decimal(40),
        )
        for indicator in indicators
        for p in range(PERIODS)
    )

    reviewed = timezone.now() - timedelta(days=30)
    values = []

    def value(indicator, period, number, *, split="", category="", approved=True):
        nonlocal reviewed
        reviewed += timedelta(minutes=1)
        values.append(
            IndicatorValue(
                indicator=indicator,
                period=period,
                value=Decimal(number),
                disaggregation=split,
                category=category,
                evidence="Biên bản (dữ liệu đo hiệu năng)",
                status=IndicatorValue.Status.APPROVED if approved else IndicatorValue.Status.SUBMITTED,
                reviewed_by=coordinator if approved else None,
                reviewed_at=reviewed if approved else None,
                created_by=reporter,
            )
        )

    for n, period in enumerate(periods):
        indicator = period.indicator
        if indicator.source == Indicator.Source.METRIC:
            continue
        for k in range(HEADLINE_VALUES):
            value(indicator, period, 8 + (n + k) % 7)
        if indicator.disaggregations:
            value(indicator, period, 12, split="sex", category="female")
            value(indicator, period, 10, split="sex", category="male")
            value(indicator, period, 9, split="organisation_type", category="state_agency")
            value(indicator, period, 13, split="organisation_type", category="cso")
        if n % 10 == 3:
            value(indicator, period, 5, approved=False)
    IndicatorValue.objects.bulk_create(values, batch_size=2000)
    return programme


# Measurements --------------------------------------------------------------------------------


class QueryCounter:
    """Counts every statement the connection runs (the DEBUG query log is capped and is reset
    at each request, so it cannot count a page)."""

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def timed(fn, runs: int) -> dict:
    """Median wall time over `runs` calls (after one warm-up) and the query count of one call."""
    from django.db import connection

    counter = QueryCounter()
    with connection.execute_wrapper(counter):
        result = fn()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return {
        "median_ms": round(statistics.median(times) * 1000, 2),
        "min_ms": round(min(times) * 1000, 2),
        "queries": counter.count,
        "runs": runs,
        "_result": result,
    }


def reverse_for(name: str, programme) -> str | None:
    """The URL of a programme page, whatever the route's argument is called; None if absent."""
    from django.urls import NoReverseMatch, reverse

    attempts = [
        {"kwargs": {"code": programme.code}},
        {"kwargs": {"programme_code": programme.code}},
        {"kwargs": {"slug": programme.code}},
        {"kwargs": {"pk": programme.pk}},
        {"kwargs": {"programme_id": programme.pk}},
        {"args": [programme.code]},
        {"args": [programme.pk]},
    ]
    for attempt in attempts:
        try:
            return reverse(name, **attempt)
        except NoReverseMatch:
            continue
    return None


def measure_page(client, url: str | None, runs: int, *, name: str) -> dict:
    if url is None:
        return {"skipped": f"URL {name} does not exist yet"}

    def get():
        return client.get(url, secure=True)

    try:
        figures = timed(get, runs)
    except Exception as error:  # a page under construction must not stop the other figures
        return {"url": url, "error": f"{type(error).__name__}: {error}"[:300]}
    response = figures.pop("_result")
    figures.update(url=url, status=response.status_code, bytes=len(response.content))
    figures["content_type"] = response.get("Content-Type", "")
    return figures


def measure(size_name: str, programme, client) -> dict:
    from ketnoi.programmes.models import Indicator, IndicatorPeriod, IndicatorValue, Programme
    from ketnoi.programmes.progress import programme_progress

    def progress():
        # A fresh instance each time, as a request would have.
        return programme_progress(Programme.objects.get(pk=programme.pk))

    figures = timed(progress, PROGRESS_RUNS)
    result = figures.pop("_result")
    return {
        "rows": {
            "objectives": programme.objectives.count(),
            "activities": programme.activities.count(),
            "indicators": Indicator.objects.filter(programme=programme).count(),
            "periods": IndicatorPeriod.objects.filter(indicator__programme=programme).count(),
            "values": IndicatorValue.objects.filter(indicator__programme=programme).count(),
            "pending": result.pending,
        },
        "programme_progress": {**figures, "overall_percent": str(result.percent)},
        "dashboard_page": measure_page(
            client, reverse_for("programmes:detail", programme), PAGE_RUNS, name="programmes:detail"
        ),
        "export_xlsx": measure_page(
            client, reverse_for("programmes:export", programme), EXPORT_RUNS, name="programmes:export"
        ),
    }


def ratios(results: dict) -> dict:
    small, large = results["small"], results["large"]
    out = {"indicators": round(large["rows"]["indicators"] / small["rows"]["indicators"], 1)}
    for part in ("programme_progress", "dashboard_page", "export_xlsx"):
        a, b = small[part], large[part]
        if "median_ms" in a and "median_ms" in b:
            out[part] = {
                "time": round(b["median_ms"] / a["median_ms"], 1) if a["median_ms"] else None,
                "queries": round(b["queries"] / a["queries"], 2) if a["queries"] else None,
            }
    return out


def machine() -> dict:
    from django.conf import settings
    from django.db import connection

    info = {
        "cpu_count": os.cpu_count(),
        "machine": platform.machine(),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "database": connection.vendor,
        "debug": settings.DEBUG,
    }
    if connection.vendor == "postgresql":
        info["postgresql"] = connection.pg_version
    return info


def main() -> None:
    args = parse_args()
    var_dir = set_up_django(args.database_url)
    started = time.perf_counter()
    original_db = create_database(args.database_url)
    try:
        from django.contrib.auth import get_user_model
        from django.test import Client

        from ketnoi.directory.models import Organisation

        User = get_user_model()
        admin = User.objects.create_user("bench-admin", is_staff=True, is_superuser=True)
        coordinator = User.objects.create_user("bench-dieuphoi", first_name="Điều phối viên")
        reporter = User.objects.create_user("bench-giangvien", first_name="Giảng viên")
        parties = [
            Organisation.objects.create(name="Trung tâm hỗ trợ TCXH (đo hiệu năng)", type="cso"),
            Organisation.objects.create(name="Viện chính sách công (đo hiệu năng)", type="academic"),
        ]
        client = Client()
        client.force_login(coordinator)

        results = {}
        for size_name, n_indicators in SIZES.items():
            t0 = time.perf_counter()
            programme = build(
                size_name, n_indicators, admin=admin, coordinator=coordinator, reporter=reporter, parties=parties
            )
            build_s = time.perf_counter() - t0
            results[size_name] = {"build_s": round(build_s, 2), **measure(size_name, programme, client)}
        report = {
            "benchmark": "dashboard",
            "machine": machine(),
            "sizes": results,
            "ratios_large_over_small": ratios(results),
            "total_s": round(time.perf_counter() - started, 1),
        }
        print(json.dumps(report, ensure_ascii=False, indent=2))
    finally:
        if original_db is not None:
            from django.db import connection

            connection.creation.destroy_test_db(original_db, verbosity=0)
        shutil.rmtree(var_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
