"""Demo surveys: the lecture evaluation learners filled after the co-taught lectures (two classes
on two campuses over two semesters), the delegates' feedback after the TEV training, and the
association's KoboToolbox-style survey of its member organisations (surveys_field.py).

Answers are generated from a fixed seed. The services stamp a response with the time it
arrives; demo responses are then moved back to the lecture dates in one update so the results
and the programme's indicators read like the 2017–2018 programme they restate.
"""

import random
import uuid
from datetime import datetime, timedelta

from django.utils import timezone

from ketnoi.programmes import services as programme_services
from ketnoi.surveys import services as survey_services
from ketnoi.surveys.models import Response
from ketnoi.surveys.ready_forms import ready_form

from .surveys_field import load_field_survey

SEED = 2017
# (title, class, campus, semester, lecturer, day of the lecture, responses)
LECTURES = [
    ("Vai trò của TCXH – lớp HN01", "HN01", "Hà Nội", "HK1 2017–2018", "Giảng viên MSD", datetime(2017, 10, 12, 9), 24),
    (
        "Vận động chính sách – lớp HCM01",
        "HCM01",
        "TP. Hồ Chí Minh",
        "HK1 2017–2018",
        "Giảng viên MSD",
        datetime(2017, 11, 9, 9),
        21,
    ),
    (
        "Môi trường thuận lợi cho TCXH – lớp HN02",
        "HN02",
        "Hà Nội",
        "HK2 2018",
        "Giảng viên MSD",
        datetime(2018, 3, 15, 9),
        26,
    ),
    (
        "Hợp tác chính quyền – TCXH – lớp HCM02",
        "HCM02",
        "TP. Hồ Chí Minh",
        "HK2 2018",
        "Giảng viên MSD",
        datetime(2018, 4, 5, 9),
        19,
    ),
]
LECTURE_COMMENTS = [
    "Nên có thêm ví dụ thực tế ở địa phương.",
    "Thời lượng hơi ngắn so với nội dung.",
    "Muốn có tài liệu đọc thêm sau buổi học.",
    "Phần thảo luận nhóm rất bổ ích.",
    "",
]


def _rating(rng: random.Random, centre: float) -> int:
    return max(1, min(5, round(rng.gauss(centre, 0.8))))


def _lecture_answers(rng: random.Random, centre: float) -> dict:
    answers = {
        name: _rating(rng, centre)
        for name in ("content_relevant", "content_new", "lecturer_clear", "methods_engaging", "time_enough", "overall")
    }
    answers["topics_useful"] = " ".join(
        sorted(rng.sample(["cso_role", "advocacy", "enabling_env", "cooperation"], rng.randint(1, 3)))
    )
    answers["would_recommend"] = "yes" if rng.random() < 0.8 else "no"
    comment = rng.choice(LECTURE_COMMENTS)
    if comment:
        answers["improve"] = comment
    return answers


def _workshop_answers(rng: random.Random) -> dict:
    met = rng.random() < 0.7
    answers = {
        "participant_type": rng.choices(["cso", "mass_organisation", "state_agency"], [27, 6, 2])[0],
        "useful": _rating(rng, 4.3),
        "met_new_partners": "yes" if met else "no",
    }
    if met:
        answers["partners_count"] = rng.randint(1, 6)
    return answers


def _backdate(collection, day: datetime, count: int) -> None:
    moment = timezone.make_aware(day)
    for minute, response in enumerate(collection.responses.order_by("id")[:count]):
        Response.objects.filter(pk=response.pk).update(submitted_at=moment + timedelta(hours=3, minutes=minute))


def _close_after(actor, collection, day: datetime) -> None:
    closes_at = timezone.make_aware(day + timedelta(days=2))
    survey_services.collection_update(actor=actor, collection=collection, closes_at=closes_at)


def load_surveys(programmes: dict, users: dict) -> int:
    """Forms, collections and responses for the demo programmes; returns the number of responses."""
    rng = random.Random(SEED)  # noqa: S311 (demo answers, not secrets)
    coordinator = users["dieuphoi"]
    msd = programmes["msd-vileap"]
    lecture = survey_services.form_create(actor=coordinator, programme=msd, definition=ready_form("lecture"))
    total = 0
    for number, (title, klass, campus, semester, lecturer, day, count) in enumerate(LECTURES):
        collection = survey_services.collection_open(
            actor=users["giangvien"],
            form=lecture,
            title=title,
            context={"class": klass, "campus": campus, "semester": semester, "lecturer": lecturer},
            opens_at=timezone.make_aware(day),
        )
        centre = 3.8 + 0.25 * number  # the later lectures were rated better: lessons learned
        for _ in range(count):
            uid = uuid.UUID(int=rng.getrandbits(128), version=4)
            survey_services.response_submit(collection=collection, uuid=uid, answers=_lecture_answers(rng, centre))
        _backdate(collection, day, count)
        _close_after(coordinator, collection, day)
        total += count

    indicator = programme_services.indicator_create(
        actor=coordinator,
        programme=msd,
        code="CT8",
        name="Số phiếu đánh giá bài giảng học viên đã gửi",
        unit="phiếu",
        frequency="semester",
        source="metric",
        metric_key="surveys.responses",
        metric_params={"form": lecture.code},
        activity=msd.activities.get(number=3),
    )
    for label, start, end, target in [
        ("HK1 2017–2018", datetime(2017, 9, 1), datetime(2018, 1, 31), 40),
        ("HK2 2017–2018", datetime(2018, 2, 1), datetime(2018, 6, 30), 40),
    ]:
        programme_services.indicator_period_create(
            actor=coordinator,
            indicator=indicator,
            label=label,
            start_date=start.date(),
            end_date=end.date(),
            target=target,
        )

    tev = programmes["tev-sc"]
    feedback = survey_services.form_create(actor=users["hoi-tev"], programme=tev, definition=ready_form("workshop"))
    day = datetime(2017, 9, 23, 8)
    collection = survey_services.collection_open(
        actor=users["hoi-tev"],
        form=feedback,
        title="Tập huấn vận động chính sách – TP. Hồ Chí Minh",
        context={"city": "TP. Hồ Chí Minh"},
        opens_at=timezone.make_aware(day),
        max_responses=35,
    )
    for _ in range(31):
        uid = uuid.UUID(int=rng.getrandbits(128), version=4)
        survey_services.response_submit(collection=collection, uuid=uid, answers=_workshop_answers(rng))
    _backdate(collection, day, 31)
    _close_after(users["hoi-tev"], collection, day)
    return total + 31 + load_field_survey(tev, users["hoi-tev"], rng)
