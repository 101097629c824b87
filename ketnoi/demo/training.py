"""Demo co-teaching, restated from the cooperation agreement in the project's own words: MSD
co-teaches CSO topics inside ViLEAP's Master of Public Policy, 10 periods per semester, per class,
per campus, in Hà Nội and Ho Chi Minh City.

Two semesters of the 2017–2018 school year, one class per campus per semester (four classes),
state officials from the demo directory as learners. MSD's lecturer (the `giangvien` account's
person) leads, an institute lecturer co-teaches. Three classes got their 10 periods; the
Ho Chi Minh City class of the second semester is behind: 6 periods delivered, one session of 2
still planned, one cancelled. The commitment sits on activity 2 (co-teaching), and indicator CT9
on that activity reads `training.periods_delivered`, so the dashboard shows periods delivered
from the sessions against 2 classes × 10 periods each semester. Attendance is recorded for every
delivered session (mostly present; some late, excused or absent, by a fixed pattern).

Everything goes through the training services, so the rules and the audit hold. Loading again
changes nothing: a programme that already has the course is left as it is.
"""

from datetime import date, time

from ketnoi.directory.models import OrganisationType, Person, Province
from ketnoi.programmes.models import Indicator
from ketnoi.programmes.services import indicator_create, indicator_period_create
from ketnoi.training import services
from ketnoi.training.models import TeachingSession

MSD = "msd-vileap"
COURSE = "Thạc sĩ Chính sách công"
TOPICS = [
    "Khái niệm, cơ cấu và vai trò của tổ chức xã hội",
    "Khung pháp lý cho tổ chức xã hội và dự thảo Luật về Hội",
    "Vận động chính sách: phương pháp và tình huống thực tế",
    "Môi trường thuận lợi và hợp tác giữa chính quyền với tổ chức xã hội",
]
SEMESTERS = [
    ("HK1 2017–2018", date(2017, 9, 4), date(2018, 1, 26)),
    ("HK2 2017–2018", date(2018, 2, 26), date(2018, 6, 29)),
]
MORNING = (time(7, 30), time(10, 0))  # 3 periods of 45 minutes
AFTERNOON = (time(13, 30), time(15, 0))  # 2 periods
DELIVERED, PLANNED, CANCELLED = (
    TeachingSession.Status.DELIVERED,
    TeachingSession.Status.PLANNED,
    TeachingSession.Status.CANCELLED,
)
# (class code, campus, semester index, [(date, periods, topic index, status)])
CLASSES = [
    (
        "HN-K23",
        "Hà Nội",
        0,
        [
            (date(2017, 10, 9), 3, 0, DELIVERED),
            (date(2017, 10, 23), 3, 1, DELIVERED),
            (date(2017, 11, 6), 2, 2, DELIVERED),
            (date(2017, 11, 20), 2, 3, DELIVERED),
        ],
    ),
    (
        "HCM-K23",
        "TP. Hồ Chí Minh",
        0,
        [
            (date(2017, 10, 12), 3, 0, DELIVERED),
            (date(2017, 10, 26), 3, 1, DELIVERED),
            (date(2017, 11, 9), 2, 2, DELIVERED),
            (date(2017, 11, 23), 2, 3, DELIVERED),
        ],
    ),
    (
        "HN-K24",
        "Hà Nội",
        1,
        [
            (date(2018, 3, 12), 3, 0, DELIVERED),
            (date(2018, 3, 26), 3, 1, DELIVERED),
            (date(2018, 4, 9), 2, 2, DELIVERED),
            (date(2018, 4, 23), 2, 3, DELIVERED),
        ],
    ),
    (
        "HCM-K24",
        "TP. Hồ Chí Minh",
        1,
        [
            (date(2018, 3, 15), 3, 0, DELIVERED),
            (date(2018, 3, 29), 3, 1, DELIVERED),
            (date(2018, 4, 12), 2, 2, CANCELLED),
            (date(2018, 5, 10), 2, 3, PLANNED),
        ],
    ),
]
CAMPUS_PROVINCES = {"Hà Nội": "Hà Nội", "TP. Hồ Chí Minh": "Hồ Chí Minh"}
INDICATOR = "CT9"


def _mark(learner_index: int, session_index: int) -> str:
    if (learner_index + session_index) % 9 == 4:
        return "absent"
    if (learner_index * 3 + session_index) % 7 == 2:
        return "late"
    if (learner_index + 2 * session_index) % 11 == 5:
        return "excused"
    return "present"


def load_training(programmes: dict, users: dict) -> TeachingSession | None:
    """The demo course with its classes and sessions, unless the programme already has it."""
    programme = programmes.get(MSD)
    if programme is None or programme.courses.filter(name=COURSE).exists():
        return None
    coordinator, lecturer = users["dieuphoi"], users["giangvien"]
    vileap = programme.agreements.first().parties.filter(short_name="ViLEAP").first()
    course = services.course_create(actor=coordinator, programme=programme, name=COURSE, code="MPP", host=vileap)
    topics = [
        services.topic_create(actor=coordinator, course=course, title=title, position=n)
        for n, title in enumerate(TOPICS, 1)
    ]
    provinces = {p.short_name: p for p in Province.objects.filter(scheme=Province.Scheme.CURRENT)}
    campuses = {
        name: services.campus_create(
            actor=coordinator, programme=programme, name=name, province=provinces.get(CAMPUS_PROVINCES[name])
        )
        for name in CAMPUS_PROVINCES
    }
    semesters = [
        services.semester_create(actor=coordinator, programme=programme, name=name, starts_on=start, ends_on=end)
        for name, start, end in SEMESTERS
    ]
    activity = programme.activities.get(number=2)
    services.commitment_set(actor=coordinator, activity=activity, course=course, periods=10)

    lead = Person.objects.filter(user=lecturer).first()
    co_teacher = Person.objects.filter(organisation=vileap).order_by("pk").first()
    lecturers = [(p, role) for p, role in ((lead, "lead"), (co_teacher, "co_teacher")) if p is not None]
    officials = list(
        Person.objects.filter(
            organisation__type__in=[OrganisationType.STATE_AGENCY, OrganisationType.MASS_ORGANISATION]
        ).order_by("pk")
    )
    half = len(officials) // 2
    pools = {"Hà Nội": officials[:half], "TP. Hồ Chí Minh": officials[half:]}

    last = None
    for code, campus, semester_index, sessions in CLASSES:
        learners = pools[campus]
        training_class = services.class_create(
            actor=coordinator,
            course=course,
            campus=campuses[campus],
            semester=semesters[semester_index],
            code=code,
            learners_expected=len(learners),
        )
        services.learners_enrol(actor=coordinator, training_class=training_class, people=learners)
        for session_index, (day, periods, topic, status) in enumerate(sessions):
            starts_at, ends_at = MORNING if periods == 3 else AFTERNOON
            last = services.session_record(
                actor=lecturer,
                training_class=training_class,
                date=day,
                starts_at=starts_at,
                ends_at=ends_at,
                periods=periods,
                topic=topics[topic],
                status=status,
                lecturers=lecturers if status == DELIVERED else [],
            )
            if status == DELIVERED:
                services.attendance_record(
                    actor=lecturer,
                    session=last,
                    marks={p.pk: _mark(n, session_index) for n, p in enumerate(learners)},
                )

    if not programme.indicators.filter(code=INDICATOR).exists():
        indicator = indicator_create(
            actor=coordinator,
            programme=programme,
            code=INDICATOR,
            name="Số tiết đồng giảng đã dạy, tính từ các buổi giảng (cam kết 10 tiết mỗi học kỳ, mỗi lớp, mỗi cơ sở)",
            unit="tiết",
            objective=activity.objective,
            activity=activity,
            frequency=Indicator.Frequency.SEMESTER,
            cumulative=True,
            source=Indicator.Source.METRIC,
            metric_key="training.periods_delivered",
        )
        for name, start, end in SEMESTERS:
            indicator_period_create(
                actor=coordinator, indicator=indicator, label=name, start_date=start, end_date=end, target=20
            )
    return last
