"""News comments benchmark: the public page of a post with 10,000 approved comments.

    DEBUG=1 .venv/bin/python bench/news_comments.py [--comments 10000] [--baseline 100]

Builds, in a throwaway SQLite database in a temporary directory, one programme, one published
post with `--comments` approved comments (plus a pending and a spam one every 20, which the
page must skip) and a second post with `--baseline` approved comments. Then it reads the public
post page (`news:post_detail`) through django.test.Client as an anonymous visitor (no network,
DEBUG off as in production): the first page of comments, a middle page and the last page, each
PAGE_RUNS times, and prints the median and minimum time and the query count of each, beside the
same for the baseline post and the ratio. It asserts nothing. The directory is removed afterwards.
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
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PAGE_RUNS = 7
BATCH = 2000


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--comments", type=int, default=10_000, help="approved comments on the big post")
    parser.add_argument("--baseline", type=int, default=100, help="approved comments on the baseline post")
    return parser.parse_args()


def set_up_django(var_dir: str) -> None:
    os.environ.setdefault("DEBUG", "1")
    os.environ["KETNOI_VAR_DIR"] = var_dir
    os.environ["DATABASE_URL"] = f"sqlite:///{var_dir}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ketnoi.settings")
    import django

    django.setup()
    from django.test.utils import setup_test_environment

    setup_test_environment(debug=False)
    logging.getLogger("django.request").setLevel(logging.CRITICAL)


def build(comments: int, baseline: int) -> dict:
    from django.contrib.auth import get_user_model

    from ketnoi.news import services
    from ketnoi.news.models import Comment
    from ketnoi.programmes.models import Programme, ProgrammeRole

    coordinator = get_user_model().objects.create_user(username="dieuphoi", password="x")  # noqa: S106
    programme = Programme.objects.create(name="Chương trình đo hiệu năng", code="bench")
    ProgrammeRole.objects.create(user=coordinator, programme=programme, role="coordinator")
    body = "\n\n".join(f"Đoạn {n}: các đại biểu **thảo luận** về vận động chính sách." for n in range(12))

    def post_with(title: str, approved: int):
        post = services.post_create(actor=coordinator, programme=programme, title=title, body=body, tags=["bench"])
        post = services.post_publish(actor=coordinator, post=post)
        rows = []
        for i in range(approved):
            rows.append(
                Comment(
                    post=post,
                    name=f"Người đọc {i}",
                    email=f"nguoi{i}@example.org",
                    body=f"Bình luận số {i}.\nCảm ơn ban tổ chức!",
                    status=Comment.Status.APPROVED,
                )
            )
            if i % 20 == 0:
                for status in (Comment.Status.PENDING, Comment.Status.SPAM):
                    rows.append(Comment(post=post, name="x", email="x@example.org", body="x", status=status))
        for start in range(0, len(rows), BATCH):
            Comment.objects.bulk_create(rows[start : start + BATCH])
        return post

    started = time.perf_counter()
    big = post_with("Báo cáo hội thảo nhiều bình luận", comments)
    small = post_with("Báo cáo hội thảo ít bình luận", baseline)
    return {"big": big, "small": small, "build_s": round(time.perf_counter() - started, 1)}


class QueryCounter:
    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def measure(client, url: str) -> dict:
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
        "median_ms": round(statistics.median(times) * 1000, 1),
        "min_ms": round(min(times) * 1000, 1),
        "queries": counter.count,
    }


def pages_of(client, post, approved: int) -> dict:
    from django.urls import reverse

    from ketnoi.news.views_public import COMMENTS_PER_PAGE

    url = reverse("news:post_detail", args=[post.slug])
    last = max(1, -(-approved // COMMENTS_PER_PAGE))
    middle = max(1, (last + 1) // 2)
    return {
        "pages_of_comments": last,
        "first": measure(client, url),
        "middle": measure(client, f"{url}?page={middle}"),
        "last": measure(client, f"{url}?page={last}"),
    }


def main() -> None:
    args = parse_args()
    started = time.perf_counter()
    var_dir = tempfile.mkdtemp(prefix="ketnoi-bench-news-")
    os.mkdir(os.path.join(var_dir, "static"))  # STATIC_ROOT, which WhiteNoise expects
    try:
        set_up_django(var_dir)
        from django.core.management import call_command
        from django.db import connection
        from django.test import Client

        call_command("migrate", verbosity=0, interactive=False)
        built = build(args.comments, args.baseline)
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            cursor.execute("ANALYZE")
        client = Client()
        big = pages_of(client, built["big"], args.comments)
        small = pages_of(client, built["small"], args.baseline)
        ratio = {
            name: {
                "median_ms": round(big[name]["median_ms"] / small[name]["median_ms"], 2)
                if small[name]["median_ms"]
                else None,
                "queries": f"{big[name]['queries']} vs {small[name]['queries']}",
            }
            for name in ("first", "middle", "last")
        }
        report = {
            "benchmark": "news_comments",
            "machine": {
                "cpu_count": os.cpu_count(),
                "platform": platform.platform(),
                "python": platform.python_version(),
                "sqlite": sqlite3.sqlite_version,
                "database": connection.vendor,
            },
            "data": {
                "approved_comments": args.comments,
                "baseline_comments": args.baseline,
                **{"build_s": built["build_s"]},
            },
            "post_page": {f"{args.comments}_comments": big, f"{args.baseline}_comments": small},
            "ratio_big_to_baseline": ratio,
            "measured_through": "django.test.Client as an anonymous visitor, in this process, "
            f"median of {PAGE_RUNS} reads after one counted read",
            "total_s": round(time.perf_counter() - started, 1),
        }
        print(json.dumps(report, ensure_ascii=False, indent=2))
    finally:
        shutil.rmtree(var_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
