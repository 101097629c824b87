"""Survey results benchmark: the results page and the exports of one form with 100,000
responses.

    DEBUG=1 .venv/bin/python bench/survey_results.py [--responses 100000]
        [--database-url postgres://user@127.0.0.1:5432/ketnoi]

Builds, in a throwaway database (a SQLite file in a temporary directory; with --database-url
a test database made beside the named one and dropped afterwards, as the test runner does),
one programme, one form of 30 questions (ratings on 1–5, 1–7 and 1–10, a 5-item matrix, single
and multiple choices with "other, please specify", integers, decimals, a date, short and long
texts, a group shown only to some respondents) and 8 collections (classes on two campuses over
two semesters, four lecturers), then bulk-creates the responses: realistic answers (skewed
ratings, a few blanks, free text from Faker's vi_VN pool). Then it measures, through
django.test.Client logged in as a coordinator (no network, DEBUG off as in production):

- the results page (`surveys:results`): the first view's time (which counts the answers into
  the collections' tallies, results_tally) and the median of the next five with the query
  count — plain, filtered by a class (both read the tallies), filtered by dates and split by a
  single-choice question (both read the answers, results_sql); the comparison page by class;
  and the first view after 1,000 more responses arrived (counted into the tallies then);
- the exports (`surveys:export`): XLSX with codes and with labels, CSV and JSON — each in a
  fresh child process (this script again), timed inside the child, and its peak memory read
  from the child's own rusage (os.wait4 → ru_maxrss; resource.getrusage(RUSAGE_CHILDREN) is
  printed beside it) together with the child's memory before the export started, so the
  export's own growth shows.

It prints JSON figures and the targets beside them; it asserts nothing. The temporary
directory and the database are removed afterwards.
"""

import argparse
import json
import logging
import os
import platform
import random
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PAGE_RUNS = 5
NEW_RESPONSES = 1000
BATCH = 2000
TEXT_POOL = 2000


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--responses", type=int, default=100_000, help="responses to build (default 100,000)")
    parser.add_argument("--database-url", help="e.g. postgres://user@127.0.0.1:5432/ketnoi (a test database is made)")
    parser.add_argument("--child-export", nargs=4, metavar=("FMT", "LABELS", "CODE", "FORM"), help=argparse.SUPPRESS)
    return parser.parse_args()


def set_up_django() -> None:
    os.environ.setdefault("DEBUG", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ketnoi.settings")
    import django

    django.setup()
    from django.test.utils import setup_test_environment

    # The test client's host; DEBUG off as in production (DEBUG=1 only spares the SECRET_KEY),
    # so no query log grows while 100,000 rows are read.
    setup_test_environment(debug=False)
    logging.getLogger("django.request").setLevel(logging.CRITICAL)


# The form --------------------------------------------------------------------------------------


def _l(vi: str, en: str) -> dict:
    return {"vi": vi, "en": en}


def _scale(low: int, high: int) -> dict:
    return {"min": low, "max": high, "min_label": _l("Rất kém", "Very poor"), "max_label": _l("Rất tốt", "Very good")}


def _choices(*names: tuple[str, str, str]) -> list[dict]:
    return [{"name": n, "label": _l(vi, en)} for n, vi, en in names]


PROVINCES = _choices(
    ("hn", "Hà Nội", "Hanoi"),
    ("hcm", "TP. Hồ Chí Minh", "Ho Chi Minh City"),
    ("dn", "Đà Nẵng", "Da Nang"),
    ("hp", "Hải Phòng", "Hai Phong"),
    ("ct", "Cần Thơ", "Can Tho"),
    ("hue", "Huế", "Hue"),
    ("na", "Nghệ An", "Nghe An"),
    ("tn", "Thái Nguyên", "Thai Nguyen"),
)
AGENCIES = _choices(
    ("ministry", "Bộ, ngành trung ương", "A ministry"),
    ("province", "UBND tỉnh/thành phố", "A provincial committee"),
    ("district", "UBND cấp xã/phường", "A commune committee"),
    ("department", "Sở, ban, ngành", "A department"),
    ("party", "Cơ quan Đảng", "A Party body"),
    ("mass", "Tổ chức chính trị - xã hội", "A mass organisation"),
)
TOPICS = _choices(
    ("cso_role", "Vai trò của TCXH", "The role of CSOs"),
    ("advocacy", "Vận động chính sách", "Policy advocacy"),
    ("law_assoc", "Luật về hội", "The law on associations"),
    ("finance", "Tài chính dự án", "Project finance"),
    ("media", "Truyền thông", "Media"),
    ("gender", "Bình đẳng giới", "Gender equality"),
)


def definition() -> dict:
    """30 answered questions (a group and its children included; the matrix counts once)."""
    questions: list[dict] = []

    def rating(name: str, vi: str, en: str, high: int = 5, required: bool = True) -> dict:
        return {
            "name": name,
            "type": "rating",
            "label": _l(vi, en),
            "required": required,
            "scale": _scale(1, high),
        }

    questions += [
        rating("overall", "Đánh giá chung về khoá học", "Overall rating of the course"),
        rating("content", "Nội dung bài giảng", "The content"),
        rating("lecturer", "Giảng viên", "The lecturer"),
        rating("materials", "Tài liệu", "The materials", required=False),
        rating("venue", "Địa điểm, cơ sở vật chất", "The venue", required=False),
        rating("pace", "Tốc độ giảng", "The pace", high=7),
        rating("recommend", "Khả năng giới thiệu cho đồng nghiệp", "Would recommend it", high=10),
        rating("relevance", "Mức độ liên quan đến công việc", "Relevance to your work", high=10, required=False),
        {
            "name": "quality",
            "type": "matrix",
            "label": _l("Mức độ đồng ý với các nhận định", "How far do you agree"),
            "required": True,
            "scale": _scale(1, 5),
            "items": _choices(
                ("q_clear", "Trình bày dễ hiểu", "Clear"),
                ("q_examples", "Ví dụ thực tế", "Real examples"),
                ("q_discussion", "Thảo luận hữu ích", "Useful discussion"),
                ("q_time", "Thời lượng hợp lý", "Time was right"),
                ("q_new", "Kiến thức mới", "New knowledge"),
            ),
        },
        {
            "name": "province",
            "type": "select_one",
            "label": _l("Tỉnh/thành nơi công tác", "Province"),
            "required": True,
            "choices": PROVINCES,
        },
        {
            "name": "agency",
            "type": "select_one",
            "label": _l("Cơ quan công tác", "Agency"),
            "required": True,
            "choices": AGENCIES,
            "or_other": True,
        },
        {
            "name": "sex",
            "type": "select_one",
            "label": _l("Giới tính", "Sex"),
            "choices": _choices(("female", "Nữ", "Female"), ("male", "Nam", "Male"), ("other_sex", "Khác", "Other")),
        },
        {
            "name": "first_time",
            "type": "select_one",
            "label": _l("Lần đầu tham gia khoá học về TCXH?", "First course on CSOs?"),
            "required": True,
            "choices": _choices(("yes", "Có", "Yes"), ("no", "Không", "No")),
        },
        {
            "name": "format",
            "type": "select_one",
            "label": _l("Hình thức học phù hợp nhất", "Best format"),
            "choices": _choices(
                ("in_person", "Trực tiếp", "In person"),
                ("online", "Trực tuyến", "Online"),
                ("blended", "Kết hợp", "Blended"),
            ),
        },
        {
            "name": "level",
            "type": "select_one",
            "label": _l("Cấp quản lý", "Management level"),
            "choices": _choices(
                ("staff", "Chuyên viên", "Officer"),
                ("deputy", "Phó phòng", "Deputy head"),
                ("head", "Trưởng phòng", "Head"),
                ("director", "Lãnh đạo đơn vị", "Director"),
            ),
        },
        {
            "name": "topics",
            "type": "select_multiple",
            "label": _l("Chủ đề hữu ích", "Useful topics"),
            "choices": TOPICS,
            "or_other": True,
        },
        {
            "name": "next_topics",
            "type": "select_multiple",
            "label": _l("Chủ đề muốn học tiếp", "Topics for next time"),
            "choices": TOPICS,
        },
        {
            "name": "channels",
            "type": "select_multiple",
            "label": _l("Biết đến khoá học qua", "Heard of the course through"),
            "choices": _choices(
                ("letter", "Công văn", "An official letter"),
                ("colleague", "Đồng nghiệp", "A colleague"),
                ("web", "Trang web", "The website"),
                ("social", "Mạng xã hội", "Social media"),
            ),
        },
        {
            "name": "support",
            "type": "select_multiple",
            "label": _l("Hỗ trợ cần thêm", "Support needed"),
            "choices": _choices(
                ("documents", "Tài liệu", "Documents"),
                ("coaching", "Tư vấn", "Coaching"),
                ("network", "Kết nối", "Networking"),
            ),
        },
        {
            "name": "years",
            "type": "integer",
            "label": _l("Số năm công tác", "Years in service"),
            "constraint": ". >= 0 and . <= 45",
        },
        {"name": "sessions", "type": "integer", "label": _l("Số buổi đã dự", "Sessions attended"), "required": True},
        {
            "name": "cso_contacts",
            "type": "integer",
            "label": _l("Số TCXH đã làm việc cùng", "CSOs worked with"),
        },
        {"name": "hours_week", "type": "decimal", "label": _l("Số giờ tự học mỗi tuần", "Self-study hours a week")},
        {"name": "cost", "type": "decimal", "label": _l("Chi phí đi lại (triệu đồng)", "Travel cost (million VND)")},
        {"name": "start_date", "type": "date", "label": _l("Ngày bắt đầu công tác", "Start date")},
        {"name": "job_title", "type": "text", "label": _l("Chức danh", "Job title")},
        {"name": "unit_name", "type": "text", "label": _l("Tên đơn vị", "Unit")},
        {
            "name": "about_cso",
            "type": "group",
            "label": _l("Làm việc với TCXH", "Working with CSOs"),
            "relevant": "${first_time} = 'no'",
            "children": [
                {"name": "cso_story", "type": "long_text", "label": _l("Một lần hợp tác", "One collaboration")},
                {"name": "cso_obstacle", "type": "long_text", "label": _l("Khó khăn gặp phải", "Obstacles met")},
            ],
        },
        {"name": "improve", "type": "long_text", "label": _l("Đề xuất cải thiện", "What to improve")},
    ]
    return {"title": _l("Đánh giá khoá học (đo hiệu năng)", "Course evaluation (benchmark)"), "questions": questions}


# The responses ---------------------------------------------------------------------------------


def _weighted(rng: random.Random, low: int, high: int) -> int:
    # Evaluations lean to the upper half of the scale, as real ones do.
    points = list(range(low, high + 1))
    weights = [1 + i * i for i in range(len(points))]
    return rng.choices(points, weights=weights)[0]


def text_pools(rng: random.Random) -> dict[str, list[str]]:
    from faker import Faker

    fake = Faker("vi_VN")
    fake.seed_instance(rng.randint(0, 10**6))
    return {
        "short": [fake.job()[:80] for _ in range(TEXT_POOL // 4)],
        "unit": [f"{fake.company()} {fake.city()}"[:120] for _ in range(TEXT_POOL // 4)],
        "long": [fake.paragraph(nb_sentences=rng.randint(1, 4)) for _ in range(TEXT_POOL)],
    }


def answers(rng: random.Random, texts: dict[str, list[str]]) -> dict:
    a: dict = {}
    for name, high, required in (
        ("overall", 5, True),
        ("content", 5, True),
        ("lecturer", 5, True),
        ("materials", 5, False),
        ("venue", 5, False),
        ("pace", 7, True),
        ("recommend", 10, True),
        ("relevance", 10, False),
    ):
        if required or rng.random() < 0.85:
            a[name] = _weighted(rng, 1, high)
    for item in ("q_clear", "q_examples", "q_discussion", "q_time", "q_new"):
        a[item] = _weighted(rng, 1, 5)
    a["province"] = rng.choices([c["name"] for c in PROVINCES], weights=[8, 7, 3, 2, 2, 2, 2, 1])[0]
    agency = rng.choice([c["name"] for c in AGENCIES] + ["other"])
    a["agency"] = agency
    if agency == "other":
        a["agency_other"] = rng.choice(texts["unit"])
    if rng.random() < 0.9:
        a["sex"] = rng.choices(["female", "male", "other_sex"], weights=[52, 47, 1])[0]
    a["first_time"] = rng.choices(["yes", "no"], weights=[3, 2])[0]
    if rng.random() < 0.8:
        a["format"] = rng.choice(["in_person", "online", "blended"])
    if rng.random() < 0.7:
        a["level"] = rng.choice(["staff", "deputy", "head", "director"])
    topics = [c["name"] for c in TOPICS]
    for name, extra in (("topics", True), ("next_topics", False)):
        chosen = [t for t in topics + (["other"] if extra else []) if rng.random() < 0.3]
        if chosen:
            a[name] = " ".join(chosen)
        if "other" in chosen:
            a["topics_other"] = rng.choice(texts["short"])
    chosen = [c for c in ("letter", "colleague", "web", "social") if rng.random() < 0.35]
    if chosen:
        a["channels"] = " ".join(chosen)
    chosen = [c for c in ("documents", "coaching", "network") if rng.random() < 0.4]
    if chosen:
        a["support"] = " ".join(chosen)
    if rng.random() < 0.85:
        a["years"] = min(45, int(rng.expovariate(1 / 9)))
    a["sessions"] = rng.randint(1, 12)
    if rng.random() < 0.6:
        a["cso_contacts"] = rng.randint(0, 30)
    if rng.random() < 0.5:
        a["hours_week"] = round(rng.uniform(0, 12), 1)
    if rng.random() < 0.4:
        a["cost"] = round(rng.uniform(0.1, 5), 2)
    if rng.random() < 0.6:
        a["start_date"] = (date(1985, 1, 1) + timedelta(days=rng.randint(0, 14000))).isoformat()
    if rng.random() < 0.7:
        a["job_title"] = rng.choice(texts["short"])
    if rng.random() < 0.5:
        a["unit_name"] = rng.choice(texts["unit"])
    if a["first_time"] == "no":
        if rng.random() < 0.5:
            a["cso_story"] = rng.choice(texts["long"])
        if rng.random() < 0.4:
            a["cso_obstacle"] = rng.choice(texts["long"])
    if rng.random() < 0.35:
        a["improve"] = rng.choice(texts["long"])
    return a


CLASSES = [
    ("HN01", "Hà Nội", "2025-1", "Nguyễn Thị Lan"),
    ("HN02", "Hà Nội", "2025-1", "Trần Văn Minh"),
    ("HCM01", "TP. Hồ Chí Minh", "2025-1", "Lê Thu Hà"),
    ("HCM02", "TP. Hồ Chí Minh", "2025-1", "Phạm Quốc Bảo"),
    ("HN03", "Hà Nội", "2025-2", "Nguyễn Thị Lan"),
    ("HN04", "Hà Nội", "2025-2", "Trần Văn Minh"),
    ("HCM03", "TP. Hồ Chí Minh", "2025-2", "Lê Thu Hà"),
    ("HCM04", "TP. Hồ Chí Minh", "2025-2", "Phạm Quốc Bảo"),
]


def build(n_responses: int) -> dict:
    from django.contrib.auth import get_user_model
    from django.db import transaction

    from ketnoi.core.roles import Role
    from ketnoi.programmes.models import Programme, ProgrammeRole
    from ketnoi.surveys import services
    from ketnoi.surveys.definition import check_answers
    from ketnoi.surveys.models import Response

    rng = random.Random(2025)
    coordinator = get_user_model().objects.create_user("bench-dieuphoi", first_name="Điều phối viên")
    programme = Programme.objects.create(name="Chương trình đo hiệu năng khảo sát", code="bench-ket-qua")
    ProgrammeRole.objects.create(programme=programme, user=coordinator, role=Role.COORDINATOR)
    form = services.form_create(actor=coordinator, programme=programme, definition=definition())
    version = form.current_version
    opened = datetime(2025, 2, 10, 1, 0, tzinfo=UTC)
    collections = [
        services.collection_open(
            actor=coordinator,
            form=form,
            title=f"Đánh giá khoá học – lớp {code}",
            context={"class": code, "campus": campus, "semester": semester, "lecturer": lecturer},
            opens_at=opened + timedelta(days=120 * (semester == "2025-2") + 7 * i),
        )
        for i, (code, campus, semester, lecturer) in enumerate(CLASSES)
    ]
    texts = text_pools(rng)
    for _ in range(200):  # what is built is what the server would have accepted
        check_answers(version.definition, answers(rng, texts))

    started = time.perf_counter()
    with transaction.atomic():
        for start in range(0, n_responses, BATCH):
            batch = []
            for _ in range(min(BATCH, n_responses - start)):
                collection = rng.choice(collections)
                batch.append(
                    Response(
                        uuid=uuid.UUID(int=rng.getrandbits(128), version=4),
                        collection=collection,
                        version=version,
                        answers=answers(rng, texts),
                        submitted_at=collection.opens_at + timedelta(seconds=rng.randint(0, 90 * 86400)),
                    )
                )
            Response.objects.bulk_create(batch, batch_size=BATCH)
    return {
        "programme": programme,
        "form": form,
        "coordinator": coordinator,
        "insert_s": round(time.perf_counter() - started, 1),
        "questions": sum(1 for q in _walk(version.definition["questions"]) if q["type"] not in ("group", "note")),
        "answer_columns": len(_answer_keys(version.definition)),
    }


def _walk(questions):
    from ketnoi.surveys.definition import walk

    return walk(questions)


def _answer_keys(definition: dict) -> list[str]:
    from ketnoi.surveys.definition import answer_names

    return [key for q in _walk(definition["questions"]) for key in answer_names(q)]


# Measurements ----------------------------------------------------------------------------------


class QueryCounter:
    """Counts the statements a page runs and times each execute, so a slow page says which
    query (the fetching of its rows is not in the figure)."""

    def __init__(self):
        self.count = 0
        self.timed: list[tuple[float, str]] = []

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.timed.append((time.perf_counter() - started, sql))

    def slowest(self, n: int = 3) -> list[dict]:
        return [
            {"ms": round(seconds * 1000, 1), "sql_chars": len(sql), "sql": sql[:160]}
            for seconds, sql in sorted(self.timed, key=lambda t: t[0], reverse=True)[:n]
        ]


def measure_page(client, url: str) -> dict:
    from django.db import connection

    counter = QueryCounter()
    started = time.perf_counter()
    with connection.execute_wrapper(counter):
        response = client.get(url, secure=True)
    first = time.perf_counter() - started
    if response.status_code != 200:
        return {"url": url, "status": response.status_code}
    times = []
    for _ in range(PAGE_RUNS):
        started = time.perf_counter()
        client.get(url, secure=True)
        times.append(time.perf_counter() - started)
    return {
        "url": url,
        "status": response.status_code,
        "first_ms": round(first * 1000, 1),  # with the query counter; counts the tallies when they are new
        "median_ms": round(statistics.median(times) * 1000, 1),
        "min_ms": round(min(times) * 1000, 1),
        "queries": counter.count,
        # Time in the execute calls only: SQLite also works while an aggregate's rows are
        # fetched, so the rest of median_ms is not all Python.
        "sql_execute_ms": round(sum(seconds for seconds, _sql in counter.timed) * 1000, 1),
        "slowest_queries": counter.slowest(),
        "bytes": len(response.content),
        "runs": PAGE_RUNS,
    }


def child_export(fmt: str, labels: str, programme_code: str, form_pk: str) -> None:
    """In the child: the export through its URL, consumed as a browser would, then the figures."""
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.urls import reverse

    user = get_user_model().objects.get(username="bench-dieuphoi")
    client = Client()
    client.force_login(user)
    url = reverse("surveys:export", kwargs={"code": programme_code, "pk": int(form_pk), "fmt": fmt})
    if labels == "1":
        url += "?labels=1"
    before_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    response = client.get(url, secure=True)
    size = 0
    rows = 0
    content = response.streaming_content if response.streaming else [response.content]
    for chunk in content:
        size += len(chunk)
        if fmt == "csv":
            rows += chunk.count(b"\n")
    if hasattr(response, "close"):
        response.close()
    seconds = time.perf_counter() - started
    print(
        json.dumps(
            {
                "status": response.status_code,
                "seconds": round(seconds, 1),
                "bytes": size,
                "csv_lines": rows if fmt == "csv" else None,
                "rss_before_export_mb": round(before_kb / 1024, 1),
            }
        )
    )


# A child's peak memory (ru_maxrss) starts at the size of the process that forked it: forked
# from this process, grown by building 100,000 responses, every export would look as big as the
# builder. So the exports are started by a small launcher process made first, before Django is
# even imported; it reaps each export with os.wait4 and reports that child's own rusage, and the
# children's rusage (resource.getrusage(RUSAGE_CHILDREN), a maximum over its children so far).
LAUNCHER = """
import json, os, resource, subprocess, sys, tempfile
for line in sys.stdin:
    command = json.loads(line)
    with tempfile.TemporaryFile() as errors:
        child = subprocess.Popen(command["argv"], env=command["env"], stdout=subprocess.PIPE, stderr=errors)
        out = child.stdout.read()
        child.stdout.close()
        _pid, status, usage = os.wait4(child.pid, 0)
        child.returncode = os.waitstatus_to_exitcode(status)
        errors.seek(0)
        err = errors.read().decode(errors="replace")[-2000:]
    print(json.dumps({
        "out": out.decode(), "err": err, "status": child.returncode,
        "maxrss_kb": usage.ru_maxrss,
        "children_maxrss_kb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
        "launcher_maxrss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
    }), flush=True)
"""


class Launcher:
    def __init__(self):
        self.process = subprocess.Popen(  # noqa: S603 - this interpreter running the code above
            [sys.executable, "-c", LAUNCHER], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )

    def run(self, argv: list[str], env: dict) -> dict:
        self.process.stdin.write(json.dumps({"argv": argv, "env": env}) + "\n")
        self.process.stdin.flush()
        return json.loads(self.process.stdout.readline())

    def close(self) -> None:
        self.process.stdin.close()
        self.process.wait(timeout=30)


def run_export(launcher: Launcher, database_url: str, var_dir: str, fmt: str, labels: bool, programme_code, form_pk):
    env = {**os.environ, "DATABASE_URL": database_url, "KETNOI_VAR_DIR": var_dir}
    argv = [sys.executable, __file__, "--child-export", fmt, "1" if labels else "0", programme_code, str(form_pk)]
    result = launcher.run(argv, env)
    figures: dict = {"format": fmt, "labels": labels}
    try:
        figures.update(json.loads(result["out"].strip().splitlines()[-1]))
    except (ValueError, IndexError):
        figures["error"] = result["err"][-1500:]
    figures["peak_rss_mb"] = round(result["maxrss_kb"] / 1024, 1)
    figures["children_max_rss_mb"] = round(result["children_maxrss_kb"] / 1024, 1)
    figures["launcher_rss_mb"] = round(result["launcher_maxrss_kb"] / 1024, 1)
    if "rss_before_export_mb" in figures:
        figures["export_growth_mb"] = round(figures["peak_rss_mb"] - figures["rss_before_export_mb"], 1)
    return figures


def machine() -> dict:
    from django.db import connection

    info = {
        "cpu_count": os.cpu_count(),
        "machine": platform.machine(),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "database": connection.vendor,
    }
    if connection.vendor == "postgresql":
        info["postgresql"] = connection.pg_version
    return info


def after_new_responses(client, url: str, form, n: int) -> dict:
    """The results page right after n more responses arrived in every class: the first view
    counts them into the tallies (results_tally), the next ones read the tallies only."""
    from ketnoi.surveys.models import Collection, Response

    rng = random.Random(7)
    texts = text_pools(rng)
    collections = list(Collection.objects.filter(form=form))
    Response.objects.bulk_create(
        Response(
            uuid=uuid.UUID(int=rng.getrandbits(128), version=4),
            collection=collections[i % len(collections)],
            version=form.current_version,
            answers=answers(rng, texts),
        )
        for i in range(n)
    )
    started = time.perf_counter()
    response = client.get(url, secure=True)
    elapsed_ms = round((time.perf_counter() - started) * 1000, 1)
    return {"new_responses": n, "status": response.status_code, "first_ms": elapsed_ms}


def main() -> None:
    args = parse_args()
    if args.child_export:
        set_up_django()
        child_export(*args.child_export)
        return
    started = time.perf_counter()
    launcher = Launcher()  # while this process is still small
    var_dir = tempfile.mkdtemp(prefix="ketnoi-bench-results-")
    os.mkdir(os.path.join(var_dir, "static"))  # STATIC_ROOT, which WhiteNoise expects
    os.environ["KETNOI_VAR_DIR"] = var_dir
    os.environ["DATABASE_URL"] = args.database_url or f"sqlite:///{var_dir}/bench.sqlite3"
    set_up_django()
    from django.core.management import call_command
    from django.db import connection

    original_db = None
    try:
        if args.database_url:
            original_db = connection.settings_dict["NAME"]
            connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
        else:
            call_command("migrate", verbosity=0, interactive=False)
        t0 = time.perf_counter()
        built = build(args.responses)
        build_s = time.perf_counter() - t0
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        elif connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        database_url = args.database_url and _test_database_url(args.database_url, connection.settings_dict["NAME"])
        database_url = database_url or os.environ["DATABASE_URL"]

        from django.test import Client
        from django.urls import reverse

        programme, form = built["programme"], built["form"]
        client = Client()
        client.force_login(built["coordinator"])
        results_url = reverse("surveys:results", kwargs={"code": programme.code, "pk": form.pk})
        compare_url = reverse("surveys:results_compare", kwargs={"code": programme.code, "pk": form.pk})
        pages = {
            "results": measure_page(client, results_url),
            "results_filtered_by_class": measure_page(client, f"{results_url}?class=HN01"),
            "results_filtered_by_dates": measure_page(client, f"{results_url}?date_from=01/03/2025&date_to=31/05/2025"),
            "results_split_by_province": measure_page(client, f"{results_url}?split=province"),
            "compare_by_class": measure_page(client, f"{compare_url}?by=class"),
        }
        pages["results_after_new_responses"] = after_new_responses(client, results_url, form, NEW_RESPONSES)
        connection.close()  # the children read the database on their own connections
        exports = [
            run_export(launcher, database_url, var_dir, fmt, labels, programme.code, form.pk)
            for fmt, labels in (("json", False), ("csv", False), ("xlsx", False), ("xlsx", True))
        ]
        db_size = None
        if connection.vendor == "sqlite":
            db_size = round(sum(f.stat().st_size for f in Path(var_dir).glob("bench.sqlite3*")) / 2**20, 1)
        report = {
            "benchmark": "survey_results",
            "machine": machine(),
            "data": {
                "responses": args.responses,
                "questions": built["questions"],
                "answer_columns": built["answer_columns"],
                "collections": len(CLASSES),
                "build_s": round(build_s, 1),
                "insert_s": built["insert_s"],
                "database_mb": db_size,
            },
            "pages": pages,
            "exports": exports,
            "measured_through": "django.test.Client logged in as a coordinator, in this process (pages) and "
            "in a fresh child process per export (time inside the child, peak RSS from its rusage)",
            "targets": {"results_page_ms": "< 1000", "xlsx_s": "< 60", "xlsx_peak_mb": "< 300"},
            "total_s": round(time.perf_counter() - started, 1),
        }
        print(json.dumps(report, ensure_ascii=False, indent=2))
    finally:
        launcher.close()
        if original_db is not None:
            connection.creation.destroy_test_db(original_db, verbosity=0)
        shutil.rmtree(var_dir, ignore_errors=True)


def _test_database_url(url: str, name: str) -> str:
    from urllib.parse import urlsplit, urlunsplit

    return urlunsplit(urlsplit(url)._replace(path=f"/{name}"))


if __name__ == "__main__":
    main()
