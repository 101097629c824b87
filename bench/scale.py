"""Working at real scale (issue 14): build a centre's worth of data, then time the daily pages.

    DEBUG=1 .venv/bin/python bench/scale.py                  # SQLite, then PostgreSQL
    DEBUG=1 .venv/bin/python bench/scale.py --db sqlite      # one database only
    DEBUG=1 .venv/bin/python bench/scale.py --db postgres --pg-port 54347
    DEBUG=1 .venv/bin/python bench/scale.py --scale 0.1      # a tenth of the data, to try it out

Builds, in a throwaway database, 20,000 people, 2,000 organisations, 3 programmes (their
indicators and values as bench/dashboard.py builds them), 300 workshops with 30,000
registrations (one workshop with 500, three with 200 waiting for approval), 100 classes with
2,000 teaching sessions and their attendance, a survey form with 50,000 responses over 10
collections, 10,000 library documents (indexed for search) and 300 news posts. SQLite: a file in
a temporary directory, migrated. PostgreSQL: a throwaway cluster on loopback
(scripts/pg-test-cluster.sh, port --pg-port), a test database made in it, the cluster stopped
and deleted afterwards.

Rows are bulk-inserted with the field values the services would set (folded names through
`core.text.fold`, normalised phones, unique check-in codes per workshop, search passages indexed
by `library.search_index`); audit entries, consents and e-mails that the services would also
write are left out: no page measured here reads them for these rows, and writing them one by one
would make the build take many minutes. Forms and collections are made through the surveys
services.

Then, as a signed-in coordinator of the three programmes (django.test.Client, no network, DEBUG
off as in production), each page in PAGES is requested 3 times to warm up (the first under
query count taken) and then 30 times timed (fewer, at least 10, when a
page's timed runs pass --budget seconds). The bulk approval of 200 registrations (BULK_APPROVE)
runs once on each of three workshops. Endpoints not built yet print "missing" instead of failing:
each is one line in PAGES / BULK_APPROVE, to be corrected there when it is named differently.

Output: a readable table on stderr and JSON on stdout (figures per page: p50, p95, max, query
count, status, bytes; data sizes; build time per part; the machine: cores, load average before
and after, Python, SQLite and PostgreSQL versions) with each goal of the issue marked met or not:
every page p95 < 150 ms; picker and header search p95 < 50 ms; bulk approval of 200 < 2 s.
It asserts nothing. On a shared machine the figures are indicative only: compare the load average.
"""

import argparse
import contextlib
import json
import logging
import os
import platform
import random
import secrets
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from datetime import time as dtime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# What is measured. One line each: (key, what it is, URL (a Django URL name with its arguments
# from the built data, or a plain path for an endpoint whose name is not settled), goal in ms
# (p95), extra request headers). A name that does not reverse or a path that does not resolve
# prints "missing".
PAGE_GOAL_MS = 150
SEARCH_GOAL_MS = 50
BULK_GOAL_MS = 2000
PAGES = [
    ("people", "Danh bạ: người (danh sách)", ("directory:person_list", []), PAGE_GOAL_MS, {}),
    ("people_search", "Danh bạ: tìm “nguyen”", ("directory:person_list", [], "?q=nguyen"), PAGE_GOAL_MS, {}),
    ("person", "Danh bạ: một người (nhiều đăng ký)", ("directory:person_detail", ["busy_person"]), PAGE_GOAL_MS, {}),
    ("organisations", "Danh bạ: tổ chức", ("directory:organisation_list", []), PAGE_GOAL_MS, {}),
    (
        "organisation",
        "Danh bạ: một tổ chức",
        ("directory:organisation_detail", ["busy_organisation"]),
        PAGE_GOAL_MS,
        {},
    ),
    ("dashboard", "Bảng điều khiển chương trình", ("programmes:detail", ["code"]), PAGE_GOAL_MS, {}),
    ("approvals", "Giá trị chỉ số chờ duyệt", ("programmes:approvals", ["code"]), PAGE_GOAL_MS, {}),
    ("training", "Đào tạo: bảng tuân thủ và danh sách lớp", ("training:overview", ["code"]), PAGE_GOAL_MS, {}),
    ("class", "Đào tạo: một lớp", ("training:class_detail", ["code", "big_class"]), PAGE_GOAL_MS, {}),
    (
        "session",
        "Đào tạo: một buổi (điểm danh)",
        ("training:session_detail", ["code", "big_session"]),
        PAGE_GOAL_MS,
        {},
    ),
    ("workshops", "Hội thảo: danh sách", ("events:list", ["code"]), PAGE_GOAL_MS, {}),
    ("workshop", "Hội thảo 500 đăng ký", ("events:detail", ["code", "big_workshop"]), PAGE_GOAL_MS, {}),
    ("checkin", "Điểm danh hội thảo 500", ("events:checkin", ["code", "big_workshop"]), PAGE_GOAL_MS, {}),
    (
        "registrations",
        "Hội thảo 500: đăng ký chờ duyệt",
        ("events:detail", ["code", "big_workshop"], "?status=pending"),
        PAGE_GOAL_MS,
        {},
    ),
    ("survey", "Kết quả khảo sát (50 000 phiếu)", ("surveys:results", ["code", "form"]), PAGE_GOAL_MS, {}),
    ("library", "Thư viện: tìm “quyền trẻ em”", ("library_public:search", [], "?q=quyen+tre+em"), PAGE_GOAL_MS, {}),
    ("library_manage", "Thư viện: tài liệu (quản lý)", ("library:documents", ["code"]), PAGE_GOAL_MS, {}),
    ("news", "Tin tức (công khai)", ("news:post_list", []), PAGE_GOAL_MS, {}),
    ("news_manage", "Tin tức (quản lý)", ("news:manage_posts", ["code"]), PAGE_GOAL_MS, {}),
    # Endpoints without arguments from the built data: plain paths.
    ("picker", "Ô chọn người: “nguyen”", "/directory/pick/?purpose=directory.people&q=nguyen", SEARCH_GOAL_MS, {}),
    ("search", "Tìm kiếm đầu trang: “nguyen”", "/search/?q=nguyen", SEARCH_GOAL_MS, {"HX-Request": "true"}),
    ("inbox", "Việc cần làm", "/todo/", PAGE_GOAL_MS, {}),
    ("inbox_count", "Việc cần làm: số đếm", "/todo/count/", PAGE_GOAL_MS, {"HX-Request": "true"}),
]
# The bulk approval service, "module:function", called (actor=, workshop=, registrations=).
BULK_APPROVE = "ketnoi.events.services:registrations_approve_many"

SIZES = {
    "people": 20_000,
    "organisations": 2_000,
    "programmes": 3,
    "workshops": 300,
    "registrations": 30_000,
    "big_workshop_registrations": 500,
    "bulk_workshops": 3,
    "bulk_registrations": 200,
    "classes": 100,
    "sessions": 2_000,
    "learners_per_class": 20,
    "survey_responses": 50_000,
    "survey_collections": 10,
    "library_documents": 10_000,
    "news_posts": 300,
}
WARM_UPS = 3
RUNS = 30
MIN_RUNS = 10
BATCH = 2000

FAMILY = ["Nguyễn"] * 8 + ["Trần"] * 3 + ["Lê"] * 2 + ["Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng"]
FAMILY += ["Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý"]
MIDDLE = ["Văn", "Thị", "Hữu", "Đức", "Minh", "Thanh", "Ngọc", "Quốc", "Thu", "Xuân", "Hoài", ""]
GIVEN = "Anh Bình Châu Dũng Đạt Giang Hà Hải Hạnh Hoa Hùng Hương Khánh Lan Linh Long Mai Minh Nam Ngọc Phong"
GIVEN += " Phương Quang Quân Sơn Tâm Thảo Thắng Trang Trung Tuấn Vy Yến Đông Nhung Thuỷ Huệ Lộc Toàn Việt"
ORG_KINDS = [
    ("Trung tâm Hỗ trợ Phát triển Cộng đồng", "cso"),
    ("Hội Liên hiệp Phụ nữ", "mass_organisation"),
    ("Sở Lao động – Thương binh và Xã hội", "state_agency"),
    ("Uỷ ban nhân dân xã", "state_agency"),
    ("Viện Nghiên cứu Chính sách", "academic"),
    ("Trường Đại học", "academic"),
    ("Công ty TNHH Tư vấn", "business"),
    ("Báo", "media"),
    ("Tổ chức Hỗ trợ Trẻ em", "ingo"),
]


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=["both", "sqlite", "postgres"], default="both")
    parser.add_argument("--pg-port", type=int, default=54347, help="port of the throwaway PostgreSQL (default 54347)")
    parser.add_argument("--scale", type=float, default=1.0, help="multiply every size (default 1; 0.1 to try it out)")
    parser.add_argument("--runs", type=int, default=RUNS, help=f"timed requests per page (default {RUNS})")
    parser.add_argument("--budget", type=float, default=20, help="seconds of timed runs per page (default 20)")
    parser.add_argument(
        "--bulk-approve", default=BULK_APPROVE, help=f"the bulk approval service (default {BULK_APPROVE})"
    )
    parser.add_argument("--only", nargs="*", help="measure only these page keys (the data is built in full)")
    parser.add_argument(
        "--keep", metavar="DIR", help="SQLite: build the database in DIR and keep it (to profile a page afterwards)"
    )
    parser.add_argument("--json-out", help=argparse.SUPPRESS)
    return parser.parse_args()


# Set-up ------------------------------------------------------------------------------------------


def set_up_django(database_url: str, var_dir: str) -> None:
    os.makedirs(os.path.join(var_dir, "static"), exist_ok=True)  # STATIC_ROOT, which WhiteNoise expects
    os.environ["KETNOI_VAR_DIR"] = var_dir
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DEBUG", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ketnoi.settings")
    import django

    django.setup()
    from django.test.utils import setup_test_environment

    # The test client's host and in-memory e-mail; DEBUG off as in production (DEBUG=1 only
    # spares the SECRET_KEY), so no query log slows the figures.
    setup_test_environment(debug=False)
    logging.getLogger("django.request").setLevel(logging.CRITICAL)


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S', time.gmtime())} UTC] {message}", file=sys.stderr, flush=True)


class Steps:
    """Build times per part."""

    def __init__(self):
        self.times: dict[str, float] = {}

    def __call__(self, name: str, fn, *args, **kwargs):
        started = time.perf_counter()
        result = fn(*args, **kwargs)
        self.times[name] = round(time.perf_counter() - started, 1)
        log(f"built {name} in {self.times[name]} s")
        return result


# Data --------------------------------------------------------------------------------------------


def _created(model, objects, **filters):
    """bulk_create, and the rows with their keys (SQLite and PostgreSQL return them; another
    backend may not)."""
    rows = model.objects.bulk_create(objects, batch_size=BATCH)
    if rows and rows[0].pk is None:
        rows = list(model.objects.filter(**filters).order_by("pk"))
    return rows


def build_directory(rng: random.Random, n_people: int, n_organisations: int, admin):
    from ketnoi.core.text import fold, normalise_phone
    from ketnoi.directory.models import Organisation, Person, Province, Sex

    provinces = list(Province.objects.filter(scheme=Province.Scheme.CURRENT))
    organisations = []
    for i in range(n_organisations):
        kind, type_ = ORG_KINDS[i % len(ORG_KINDS)]
        province = rng.choice(provinces)
        name = f"{kind} {province.short_name} số {i + 1}"
        short = f"TC{i + 1}"
        organisations.append(
            Organisation(
                name=name,
                short_name=short,
                type=type_,
                province=province,
                email=f"lienhe{i + 1}@tochuc.example.org",
                name_folded=fold(f"{name} {short}"),
                created_by=admin,
            )
        )
    organisations = _created(Organisation, organisations)
    given = GIVEN.split()
    people = []
    for i in range(n_people):
        middle = rng.choice(MIDDLE)
        full_name = " ".join(p for p in (rng.choice(FAMILY), middle, rng.choice(given)) if p)
        phone = f"09{rng.randrange(10**8):08d}" if i % 3 else ""
        email = f"{fold(full_name).replace(' ', '.')}.{i + 1}@example.org" if i % 4 else ""
        people.append(
            Person(
                full_name=full_name,
                name_folded=fold(full_name),
                sex=Sex.FEMALE if middle == "Thị" or i % 2 else Sex.MALE,
                birth_year=1960 + i % 40,
                position="Cán bộ" if i % 5 else "Trưởng phòng",
                organisation=organisations[i % len(organisations)] if i % 10 else None,
                email=email,
                email_normalised=email.lower(),
                phone=phone,
                phone_normalised=normalise_phone(phone),
                province=rng.choice(provinces),
                created_by=admin,
            )
        )
    people = _created(Person, people)
    return organisations, people


def build_programmes(n: int, admin, coordinator, lecturer, organisations):
    """Programmes with their plan, indicators and values, as bench/dashboard.py builds them
    (the first with 50 indicators, the others with 5)."""
    from bench.dashboard import build

    parties = organisations[:2]
    return [
        build(
            "chinh" if i == 0 else f"doi-tac-{i}",
            50 if i == 0 else 5,
            admin=admin,
            coordinator=coordinator,
            reporter=lecturer,
            parties=parties,
        )
        for i in range(n)
    ]


def _checkin_codes(rng: random.Random, n: int) -> list[str]:
    from ketnoi.events.models import CHECKIN_ALPHABET, CHECKIN_CODE_LENGTH

    codes: set[str] = set()
    while len(codes) < n:
        codes.add("".join(rng.choice(CHECKIN_ALPHABET) for _ in range(CHECKIN_CODE_LENGTH)))
    return sorted(codes, key=lambda _: rng.random())


def build_events(rng: random.Random, sizes: dict, programmes, people, organisations, coordinator):
    """Workshops spread over the programmes (the first holds half), their organisers, and
    registrations: most linked to a directory person (as an invitation or the organiser leaves
    them), one in ten typed and waiting for its confirmation, as registration_submit leaves it."""
    from django.utils import timezone

    from ketnoi.core.text import fold, normalise_phone
    from ketnoi.events.models import Registration, Workshop, WorkshopOrganisation

    Status = Registration.Status
    n_workshops = sizes["workshops"]
    now = timezone.now()
    workshops = []
    for i in range(n_workshops):
        programme = programmes[0] if i % 2 == 0 else programmes[1 + i % (len(programmes) - 1)]
        starts = now + timedelta(days=(i % 120) - 90, hours=i % 8)
        workshops.append(
            Workshop(
                programme=programme,
                title=f"Hội thảo kết nối số {i + 1}: vai trò của tổ chức xã hội",
                kind=Workshop.Kind.CONNECTING if i % 3 else Workshop.Kind.TRAINING,
                province=organisations[i % len(organisations)].province,
                venue="Hội trường tầng 3",
                starts_at=starts,
                ends_at=starts + timedelta(hours=4),
                registration=Workshop.Registration.PUBLIC if i % 2 else Workshop.Registration.INVITATION,
                needs_approval=i < 1 + sizes["bulk_workshops"] or i % 5 == 0,
                held=starts < now,
                created_by=coordinator,
            )
        )
    workshops = _created(Workshop, workshops)
    WorkshopOrganisation.objects.bulk_create(
        [
            WorkshopOrganisation(workshop=w, organisation=organisations[i % len(organisations)], role="organiser")
            for i, w in enumerate(workshops)
        ],
        batch_size=BATCH,
    )
    big = workshops[0]  # first: programmes[0], upcoming or past as i % 120 says
    big.starts_at = now + timedelta(hours=1)  # the check-in page is for a workshop about to begin
    big.ends_at = big.starts_at + timedelta(hours=4)
    big.held = False
    big.save(update_fields=["starts_at", "ends_at", "held"])
    bulk = workshops[1 : 1 + sizes["bulk_workshops"]]
    others = workshops[1 + sizes["bulk_workshops"] :]
    plan = {big.pk: sizes["big_workshop_registrations"]}
    for w in bulk:
        plan[w.pk] = sizes["bulk_registrations"]
    rest = max(0, sizes["registrations"] - sum(plan.values()))
    for i, w in enumerate(others):
        plan[w.pk] = rest // len(others) + (1 if i < rest % len(others) else 0)

    rows = []
    stamp = now - timedelta(days=60)
    for w in workshops:
        n = min(plan[w.pk], len(people))  # one registration a person per workshop
        codes = _checkin_codes(rng, n)
        chosen = rng.sample(people, n)
        for k in range(n):
            stamp += timedelta(seconds=7)
            if w in bulk:
                status, approved = Status.PENDING, False
            elif w is big:
                status = (
                    [Status.CONFIRMED] * 14
                    + [Status.PENDING] * 3
                    + [Status.ATTENDED, Status.CANCELLED]
                    + [Status.WAITING]
                )
                status = status[k % len(status)]
                approved = status != Status.PENDING
            else:
                status = Status.ATTENDED if w.held and k % 4 else Status.CONFIRMED
                status = Status.CANCELLED if k % 17 == 0 else status
                approved = True
            typed = k % 10 == 9
            person = chosen[k]
            registration = Registration(
                workshop=w,
                status=status,
                approved=approved,
                code=secrets.token_urlsafe(16),
                checkin_code=codes[k],
                waiting_since=stamp if status == Status.WAITING else None,
                checked_in_at=stamp if status == Status.ATTENDED else None,
                organisation=person.organisation if k % 3 else None,
                organisation_name="" if k % 3 else (person.organisation.name if person.organisation_id else ""),
            )
            if typed:  # typed on the public form, its e-mail link not opened yet
                registration.full_name = person.full_name
                registration.name_folded = fold(person.full_name)
                registration.email = f"dang.ky.{w.pk}.{k}@example.org"
                registration.phone = person.phone
                registration.phone_normalised = normalise_phone(person.phone)
                registration.sex = person.sex
                registration.province_id = person.province_id
            else:
                registration.person = person
                registration.confirmed_at = stamp
                registration.confirmed_via = Registration.ConfirmedVia.INVITATION
            rows.append(registration)
    Registration.objects.bulk_create(rows, batch_size=BATCH)
    return big, bulk


def build_training(rng: random.Random, sizes: dict, programmes, people, organisations, coordinator):
    """One course per programme with a periods commitment, 3 campuses, 2 semesters; the classes
    (most in the first programme), their learners, sessions (past ones delivered, with every
    learner's attendance marked), one lead lecturer each."""
    from django.utils import timezone

    from ketnoi.programmes.models import Activity
    from ketnoi.training.models import (
        Attendance,
        Campus,
        Commitment,
        Course,
        Enrolment,
        Semester,
        SessionLecturer,
        TeachingSession,
        Topic,
        TrainingClass,
    )

    today = timezone.localdate()
    n_classes = sizes["classes"]
    per_class = max(1, sizes["sessions"] // n_classes)
    classes = []
    for p, programme in enumerate(programmes):
        course = Course.objects.create(
            programme=programme, name=f"Kỹ năng làm việc với tổ chức xã hội ({p + 1})", host=organisations[p]
        )
        topics = Topic.objects.bulk_create(Topic(course=course, title=f"Chủ đề {t + 1}", position=t) for t in range(6))
        activity = Activity.objects.filter(programme=programme).order_by("pk").first()
        Commitment.objects.create(activity=activity, course=course, periods=24)
        campuses = [Campus.objects.create(programme=programme, name=f"Cơ sở {c + 1}") for c in range(3)]
        semesters = [
            Semester.objects.create(
                programme=programme,
                name=f"Học kỳ {s + 1}",
                starts_on=today - timedelta(days=150 - 120 * s),
                ends_on=today - timedelta(days=31 - 120 * s),
            )
            for s in range(2)
        ]
        share = n_classes // 2 if p == 0 else (n_classes - n_classes // 2) // (len(programmes) - 1)
        if p == len(programmes) - 1:
            share = n_classes - len(classes)
        classes += _created(
            TrainingClass,
            [
                TrainingClass(
                    course=course,
                    campus=campuses[c % 3],
                    semester=semesters[c % 2],
                    code=f"L{p + 1}-{c + 1:03d}",
                    learners_expected=sizes["learners_per_class"],
                    created_by=coordinator,
                )
                for c in range(share)
            ],
            course=course,
        )
        for c in classes[-share:]:
            c.topics = topics
    enrolments, sessions = [], []
    for c in classes:
        learners = rng.sample(people, sizes["learners_per_class"])
        c.learners = learners
        enrolments += [Enrolment(training_class=c, person=person) for person in learners]
        semester = c.semester
        span = (semester.ends_on - semester.starts_on).days
        for s in range(per_class):
            day = semester.starts_on + timedelta(days=s * span // per_class)
            sessions.append(
                TeachingSession(
                    training_class=c,
                    topic=c.topics[s % len(c.topics)],
                    date=day,
                    starts_at=dtime(8, 0),
                    ends_at=dtime(11, 0),
                    periods=3,
                    status=TeachingSession.Status.DELIVERED if day < today else TeachingSession.Status.PLANNED,
                    created_by=coordinator,
                )
            )
    Enrolment.objects.bulk_create(enrolments, batch_size=BATCH)
    sessions = _created(TeachingSession, sessions)
    by_class = {c.pk: c for c in classes}
    lecturers = rng.sample(people, 40)
    SessionLecturer.objects.bulk_create(
        [
            SessionLecturer(
                session=s,
                person=lecturers[i % len(lecturers)],
                organisation=lecturers[i % len(lecturers)].organisation,
            )
            for i, s in enumerate(sessions)
        ],
        batch_size=BATCH,
    )
    marks = ["present"] * 7 + ["late", "excused", "absent"]
    attendance = [
        Attendance(session=s, person=person, status=rng.choice(marks), recorded_by=coordinator)
        for s in sessions
        if s.status == TeachingSession.Status.DELIVERED
        for person in by_class[s.training_class_id].learners
    ]
    Attendance.objects.bulk_create(attendance, batch_size=BATCH)
    big_class = classes[0]
    big_session = next(s for s in sessions if s.training_class_id == big_class.pk and s.status == "delivered")
    return big_class, big_session, len(attendance)


def build_surveys(rng: random.Random, sizes: dict, programme, coordinator):
    """One form (bench/survey_results.py's 30 questions) through the services, its collections,
    and the responses bulk-inserted with answers the server would have accepted."""
    from django.db import transaction

    from bench.survey_results import answers, definition, text_pools
    from ketnoi.surveys import services
    from ketnoi.surveys.models import Response

    form = services.form_create(actor=coordinator, programme=programme, definition=definition())
    opened = datetime(2025, 2, 10, 1, 0, tzinfo=UTC)
    collections = [
        services.collection_open(
            actor=coordinator,
            form=form,
            title=f"Đánh giá khoá học – lớp {i + 1}",
            context={"class": f"L{i + 1}"},
            opens_at=opened + timedelta(days=7 * i),
        )
        for i in range(sizes["survey_collections"])
    ]
    texts = text_pools(rng)
    version = form.current_version
    with transaction.atomic():
        batch = []
        for _ in range(sizes["survey_responses"]):
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
            if len(batch) == BATCH:
                Response.objects.bulk_create(batch)
                batch = []
        Response.objects.bulk_create(batch)
    return form


def build_library(rng: random.Random, sizes: dict, programme) -> int:
    """Documents with a creator, subjects, one file and one passage of text each, indexed as
    extraction leaves them (bench/library_search.py's builder, Vietnamese prose from the test
    collection)."""
    import bench.library_search as library_bench
    from bench.library_relevance import load_collection

    library_bench.PASSAGES_PER_DOCUMENT = 1  # and the metadata passage: 20,000 passages for 10,000 documents
    prose = library_bench.Prose(load_collection(), rng)
    added, _serial = library_bench.add_synthetic(prose, programme, sizes["library_documents"], 1)
    return added


def build_news(sizes: dict, programmes, coordinator):
    from django.utils import timezone

    from ketnoi.news.models import Post

    now = timezone.now()
    Post.objects.bulk_create(
        [
            Post(
                programme=programmes[i % len(programmes)],
                title=f"Bản tin số {i + 1}: kết quả hội thảo kết nối",
                slug=f"ban-tin-so-{i + 1}",
                summary="Tóm tắt kết quả hội thảo và các bước tiếp theo của chương trình.",
                body="Nội dung **bản tin**.\n\n" * 20,
                status=Post.Status.PUBLISHED if i % 10 else Post.Status.DRAFT,
                published_at=now - timedelta(hours=i) if i % 10 else None,
                created_by=coordinator,
            )
            for i in range(sizes["news_posts"])
        ],
        batch_size=BATCH,
    )


def build(sizes: dict) -> tuple[dict, dict, dict]:
    """Everything; returns (objects the pages need, build times, row counts)."""
    from django.contrib.auth import get_user_model
    from django.db import transaction

    from ketnoi.core.roles import Role
    from ketnoi.programmes.models import ProgrammeRole

    rng = random.Random(14)
    steps = Steps()
    User = get_user_model()
    admin = User.objects.create_user("bench-admin", is_staff=True, is_superuser=True)
    coordinator = User.objects.create_user("bench-dieuphoi", first_name="Điều phối viên", email="dp@example.org")
    lecturer = User.objects.create_user("bench-giangvien", first_name="Giảng viên")
    with transaction.atomic():
        organisations, people = steps("directory", build_directory, rng, sizes["people"], sizes["organisations"], admin)
    programmes = steps("programmes", build_programmes, sizes["programmes"], admin, coordinator, lecturer, organisations)
    for programme in programmes[1:]:  # bench/dashboard.py grants the roles on each programme it builds
        ProgrammeRole.objects.get_or_create(programme=programme, user=coordinator, role=Role.COORDINATOR)
    with transaction.atomic():
        big_workshop, bulk_workshops = steps(
            "events", build_events, rng, sizes, programmes, people, organisations, coordinator
        )
    with transaction.atomic():
        big_class, big_session, n_attendance = steps(
            "training", build_training, rng, sizes, programmes, people, organisations, coordinator
        )
    form = steps("surveys", build_surveys, rng, sizes, programmes[0], coordinator)
    steps("library", build_library, rng, sizes, programmes[0])
    with transaction.atomic():
        steps("news", build_news, sizes, programmes, coordinator)

    from django.db.models import Count

    from ketnoi.directory.models import Organisation, Person

    busy_person = Person.objects.annotate(n=Count("registrations")).order_by("-n", "pk").first()
    busy_organisation = Organisation.objects.annotate(n=Count("people")).order_by("-n", "pk").first()
    data = {
        "coordinator": coordinator,
        "programme": programmes[0],
        "code": programmes[0].code,
        "busy_person": busy_person.pk,
        "busy_organisation": busy_organisation.pk,
        "big_workshop": big_workshop.pk,
        "bulk_workshops": bulk_workshops,
        "big_class": big_class.pk,
        "big_session": big_session.pk,
        "form": form.pk,
    }
    return data, steps.times, counts(n_attendance)


def counts(n_attendance: int) -> dict:
    from ketnoi.directory.models import Organisation, Person
    from ketnoi.events.models import Registration, Workshop
    from ketnoi.library.models import Document, Passage
    from ketnoi.news.models import Post
    from ketnoi.programmes.models import Indicator, IndicatorValue, Programme
    from ketnoi.surveys.models import Response
    from ketnoi.training.models import Enrolment, TeachingSession, TrainingClass

    return {
        "people": Person.objects.count(),
        "organisations": Organisation.objects.count(),
        "programmes": Programme.objects.count(),
        "indicators": Indicator.objects.count(),
        "indicator_values": IndicatorValue.objects.count(),
        "workshops": Workshop.objects.count(),
        "registrations": Registration.objects.count(),
        "classes": TrainingClass.objects.count(),
        "enrolments": Enrolment.objects.count(),
        "sessions": TeachingSession.objects.count(),
        "attendance": n_attendance,
        "survey_responses": Response.objects.count(),
        "library_documents": Document.objects.count(),
        "library_passages": Passage.objects.count(),
        "news_posts": Post.objects.count(),
    }


# Measuring ---------------------------------------------------------------------------------------


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = max(0, min(len(ordered) - 1, int(-(-q * len(ordered) // 1)) - 1))
    return ordered[index]


def page_url(spec, data: dict) -> str | None:
    """The URL of a PAGES entry, or None when it does not exist (yet)."""
    from django.urls import NoReverseMatch, Resolver404, resolve, reverse

    if isinstance(spec, str):
        try:
            resolve(spec.split("?")[0])
        except Resolver404:
            return None
        return spec
    name, args, *query = spec
    try:
        return reverse(name, args=[data[a] for a in args]) + (query[0] if query else "")
    except NoReverseMatch:
        return None


class QueryCounter:
    """Counts every statement the connection runs (CaptureQueriesContext reads the query log,
    which each request resets when it starts)."""

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def measure_page(client, url: str, headers: dict, runs: int, budget: float) -> dict:
    from django.db import connection

    def get():
        return client.get(url, headers=headers, secure=True)

    try:
        counter = QueryCounter()
        with connection.execute_wrapper(counter):
            response = get()
        for _ in range(WARM_UPS - 1):
            get()
        times = []
        spent = time.perf_counter()
        for i in range(runs):
            if i >= MIN_RUNS and time.perf_counter() - spent > budget:
                break
            started = time.perf_counter()
            get()
            times.append((time.perf_counter() - started) * 1000)
    except Exception as error:  # a page that fails is reported, the others still measured
        return {"url": url, "error": f"{type(error).__name__}: {error}"[:300]}
    return {
        "url": url,
        "status": response.status_code,
        "bytes": len(response.content),
        "queries": counter.count,
        "runs": len(times),
        "p50_ms": round(percentile(times, 0.50), 1),
        "p95_ms": round(percentile(times, 0.95), 1),
        "max_ms": round(max(times), 1),
    }


def measure_bulk(data: dict, service_name: str) -> dict:
    """The bulk approval service on each bulk workshop's pending registrations, timed once each."""
    import importlib

    from django.db import connection

    from ketnoi.events.models import Registration

    module_name, _, function_name = service_name.partition(":")
    try:
        service = getattr(importlib.import_module(module_name), function_name)
    except (ImportError, AttributeError):
        return {"service": service_name, "missing": True}
    times, queries, approved = [], [], []
    for workshop in data["bulk_workshops"]:
        registrations = list(workshop.registrations.filter(status=Registration.Status.PENDING).order_by("pk"))
        counter = QueryCounter()
        try:
            with connection.execute_wrapper(counter):
                started = time.perf_counter()
                service(actor=data["coordinator"], workshop=workshop, registrations=registrations)
                times.append((time.perf_counter() - started) * 1000)
        except Exception as error:
            return {"service": service_name, "error": f"{type(error).__name__}: {error}"[:300]}
        queries.append(counter.count)
        approved.append(workshop.registrations.filter(approved=True).count())
    return {
        "service": service_name,
        "registrations": len(registrations),
        "runs": len(times),
        "p50_ms": round(percentile(times, 0.5), 1),
        "max_ms": round(max(times), 1),
        "queries": max(queries),
        "approved_after": approved,
    }


def machine(database: str) -> dict:
    from django.db import connection

    info = {
        "cores": os.cpu_count(),
        "machine": platform.machine(),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "database": database,
    }
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            info["postgresql"] = cursor.fetchone()[0]
    return info


def goals(pages: dict, bulk: dict) -> list[dict]:
    out = []
    for key, _label, _spec, goal, _headers in PAGES:
        figures = pages.get(key, {})
        if "p95_ms" in figures:
            met = figures["p95_ms"] < goal and figures.get("status") == 200
            out.append({"goal": f"{key} p95 < {goal} ms", "value_ms": figures["p95_ms"], "met": met})
        elif key in pages:
            out.append({"goal": f"{key} p95 < {goal} ms", "value_ms": None, "met": None, "why": "missing"})
    if "max_ms" in bulk:
        out.append({"goal": f"bulk approval of 200 < {BULK_GOAL_MS} ms", "value_ms": bulk["max_ms"]})
        out[-1]["met"] = bulk["max_ms"] < BULK_GOAL_MS
    else:
        out.append({"goal": f"bulk approval of 200 < {BULK_GOAL_MS} ms", "value_ms": None, "met": None})
        out[-1]["why"] = "missing" if bulk.get("missing") else bulk.get("error", "")
    return out


def run_one(args) -> dict:
    """Build and measure on one database (this process)."""
    var_dir = args.keep or tempfile.mkdtemp(prefix="ketnoi-bench-scale-")
    pg_dir = None
    started = time.perf_counter()
    if args.db == "postgres":
        pg_dir = os.path.join(tempfile.gettempdir(), f"ketnoi-bench-scale-pg-{os.getpid()}")
        subprocess.run(  # noqa: S603 (this repository's script, fixed arguments)
            [str(ROOT / "scripts/pg-test-cluster.sh"), "start", pg_dir, str(args.pg_port)],
            check=True,
            stdout=sys.stderr,
        )
        database_url = f"postgres://postgres@127.0.0.1:{args.pg_port}/ketnoi"
    else:
        database_url = f"sqlite:///{var_dir}/bench.sqlite3"
    try:
        set_up_django(database_url, var_dir)
        from django.core.management import call_command
        from django.db import connection

        if pg_dir:
            connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
        else:
            call_command("migrate", verbosity=0, interactive=False)
        sizes = {k: max(1, round(v * args.scale)) for k, v in SIZES.items()}
        sizes["programmes"], sizes["bulk_workshops"] = SIZES["programmes"], SIZES["bulk_workshops"]
        sizes["bulk_registrations"] = SIZES["bulk_registrations"]
        sizes["big_workshop_registrations"] = SIZES["big_workshop_registrations"]
        log(f"{args.db}: building {sizes}")
        build_started = time.perf_counter()
        data, build_times, rows = build(sizes)
        build_s = round(time.perf_counter() - build_started, 1)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")  # as autovacuum would have by the time people use the data
        else:
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")

        from django.test import Client

        client = Client()
        client.force_login(data["coordinator"])
        load_before = os.getloadavg()
        pages = {}
        for key, _label, spec, _goal, headers in PAGES:
            if args.only and key not in args.only:
                continue
            url = page_url(spec, data)
            if url is None:
                pages[key] = {"missing": spec if isinstance(spec, str) else spec[0]}
                log(f"{key}: missing")
                continue
            pages[key] = measure_page(client, url, headers, args.runs, args.budget)
            log(f"{key}: {pages[key]}")
        bulk = measure_bulk(data, args.bulk_approve) if not args.only or "bulk" in args.only else {"skipped": True}
        log(f"bulk approval: {bulk}")
        return {
            "machine": {**machine(args.db), "load_average_before": load_before, "load_average_after": os.getloadavg()},
            "sizes": rows,
            "build_s": build_s,
            "build_parts_s": build_times,
            "pages": pages,
            "bulk_approval": bulk,
            "goals": goals(pages, bulk),
            "total_s": round(time.perf_counter() - started, 1),
        }
    finally:
        if pg_dir:
            from django.db import connections

            connections.close_all()
            subprocess.run(  # noqa: S603 (this repository's script, fixed arguments)
                [str(ROOT / "scripts/pg-test-cluster.sh"), "stop", pg_dir], check=False
            )
        if not args.keep:
            shutil.rmtree(var_dir, ignore_errors=True)


def table(results: dict) -> str:
    """The figures side by side, one line per page, each goal marked."""
    names = list(results)
    lines = [
        f"{'page':<16}{'goal':>7}  " + "  ".join(f"{n + ' p50/p95 ms':>22}{'q':>5}  " for n in names) + "  what",
    ]
    for key, label, _spec, goal, _headers in PAGES:
        cells = []
        for n in names:
            figures = results[n].get("pages", {}).get(key)
            if figures is None:
                cells.append(f"{'—':>22}{'':>5}  ")
            elif "missing" in figures:
                cells.append(f"{'missing':>22}{'':>5}  ")
            elif "error" in figures:
                cells.append(f"{'error':>22}{'':>5}  ")
            else:
                mark = "ok" if figures["p95_ms"] < goal and figures["status"] == 200 else "NOT MET"
                if figures["status"] != 200:
                    mark = f"HTTP {figures['status']}"
                cell = f"{figures['p50_ms']:.0f}/{figures['p95_ms']:.0f} {mark}"
                cells.append(f"{cell:>22}{figures['queries']:>5}  ")
        lines.append(f"{key:<16}{'<' + str(goal):>7}  " + "  ".join(cells) + f"  {label}")
    cells = []
    for n in names:
        bulk = results[n].get("bulk_approval", {})
        if "max_ms" in bulk:
            mark = "ok" if bulk["max_ms"] < BULK_GOAL_MS else "NOT MET"
            cells.append(f"{bulk['p50_ms']:.0f}/{bulk['max_ms']:.0f} {mark}".rjust(22) + f"{bulk['queries']:>5}  ")
        else:
            said = "missing" if bulk.get("missing") else "skipped" if bulk.get("skipped") else "error"
            cells.append(f"{said:>22}{'':>5}  ")
    lines.append(
        f"{'bulk_approve':<16}{'<' + str(BULK_GOAL_MS):>7}  " + "  ".join(cells) + "  Duyệt 200 đăng ký (p50/max)"
    )
    for n in names:
        r = results[n]
        if "machine" in r:
            m = r["machine"]
            lines.append(
                f"{n}: build {r['build_s']} s {r['build_parts_s']}; {m['cores']} cores, Python {m['python']}, "
                f"SQLite {m['sqlite']}{', PostgreSQL ' + m['postgresql'] if 'postgresql' in m else ''}, "
                f"load {m['load_average_before'][0]:.1f} → {m['load_average_after'][0]:.1f}"
            )
        else:
            lines.append(f"{n}: {r.get('error', 'no result')}")
    return "\n".join(lines)


def main() -> None:
    args = parse_args()
    if args.db != "both":
        # Only the JSON goes to stdout: what the cluster script and migrations say goes to stderr.
        with contextlib.redirect_stdout(sys.stderr):
            result = run_one(args)
        if args.json_out:
            Path(args.json_out).write_text(json.dumps(result, ensure_ascii=False), encoding="utf-8")
            return
        results = {args.db: result}
    else:
        # Django is set up once per process: each database in a child process of this script.
        results = {}
        for db in ("sqlite", "postgres"):
            out = Path(tempfile.gettempdir()) / f"ketnoi-bench-scale-{os.getpid()}-{db}.json"
            argv = [sys.executable, __file__, "--db", db, "--json-out", str(out), "--pg-port", str(args.pg_port)]
            argv += ["--scale", str(args.scale), "--runs", str(args.runs), "--budget", str(args.budget)]
            argv += ["--bulk-approve", args.bulk_approve]
            argv += ["--only", *args.only] if args.only else []
            child = subprocess.run(  # noqa: S603 (this repository's script, fixed arguments)
                argv, check=False
            )
            if child.returncode == 0 and out.exists():
                results[db] = json.loads(out.read_text(encoding="utf-8"))
                out.unlink()
            else:
                results[db] = {"error": f"the {db} run failed (exit {child.returncode}); its log is above"}
    report = {"benchmark": "scale", "goals_ms": {"page_p95": PAGE_GOAL_MS, "search_p95": SEARCH_GOAL_MS}, **results}
    report["goals_ms"]["bulk_approval_200"] = BULK_GOAL_MS
    print(table(results), file=sys.stderr)
    print(json.dumps(report, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
