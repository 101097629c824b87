"""A household form of the definition format v2 (forms-spec §1) with known answers, for the
results tests: a repeat of members (3 rows per response) holding a nested repeat of visits,
calculations (one numeric, one text), time, datetime, range, rank, acknowledge, a geopoint and
an image. The form is made through the services (the engine checks the definition); the
responses are stored as given, so that hostile values the engine would refuse reach the results.

    response  area   visit_time  started            water  priorities  consent  members (age sex, visits)
    h1        urban  08:15       2024-03-01T08:10   4      b a c       OK       40 f 2 · 12 m 0 · 8 f 1
    h2        urban  09:40       2024-03-02T09:00   7      a b c       OK       30 f – · 31 m – · 2 m –
    h3        rural  09:05       2024-03-02T17:30   10     a c b       –        50 m – · 20 m – · 18 m –

members_total (calculate): 60, 63, "88" (a number written as text); code (calculate): texts.
location: two points and one malformed value; photo: h1 and h2. h2's head is hostile HTML.
"""

import copy
import uuid
from datetime import datetime

from django.utils import timezone

from ketnoi.surveys import services
from ketnoi.surveys.models import Response


def _choices(*names: str) -> list[dict]:
    return [{"name": n, "label": {"vi": f"Lựa chọn {n}", "en": f"Choice {n}"}} for n in names]


HOUSEHOLD = {
    "title": {"vi": "Hộ gia đình", "en": "Household"},
    "languages": ["vi", "en"],
    "settings": {"default_language": "vi"},
    "questions": [
        {"name": "head", "type": "text", "label": {"vi": "Chủ hộ", "en": "Head of household"}},
        {
            "name": "area",
            "type": "select_one",
            "label": {"vi": "Khu vực", "en": "Area"},
            "choices": [
                {"name": "urban", "label": {"vi": "Thành thị", "en": "Urban"}},
                {"name": "rural", "label": {"vi": "Nông thôn", "en": "Rural"}},
            ],
        },
        {"name": "visit_time", "type": "time", "label": {"vi": "Giờ đến", "en": "Arrival time"}},
        {"name": "started", "type": "datetime", "label": {"vi": "Bắt đầu lúc", "en": "Started at"}},
        {
            "name": "water",
            "type": "range",
            "label": {"vi": "Mức nước", "en": "Water level"},
            "parameters": {"start": 0, "end": 10, "step": 1},
        },
        {
            "name": "priorities",
            "type": "rank",
            "label": {"vi": "Ưu tiên", "en": "Priorities"},
            "choices": _choices("a", "b", "c"),
        },
        {"name": "consent", "type": "acknowledge", "label": {"vi": "Đồng ý", "en": "Consent"}},
        {
            "name": "member",
            "type": "repeat",
            "label": {"vi": "Thành viên", "en": "Members"},
            "children": [
                {"name": "m_name", "type": "text", "label": {"vi": "Tên", "en": "Name"}},
                {"name": "m_age", "type": "integer", "label": {"vi": "Tuổi", "en": "Age"}},
                {
                    "name": "m_sex",
                    "type": "select_one",
                    "label": {"vi": "Giới tính", "en": "Sex"},
                    "choices": [
                        {"name": "f", "label": {"vi": "Nữ", "en": "Female"}},
                        {"name": "m", "label": {"vi": "Nam", "en": "Male"}},
                    ],
                },
                {
                    "name": "visit",
                    "type": "repeat",
                    "label": {"vi": "Lần khám", "en": "Visits"},
                    "children": [
                        {"name": "v_date", "type": "date", "label": {"vi": "Ngày khám", "en": "Visit date"}},
                    ],
                },
            ],
        },
        {
            "name": "members_total",
            "type": "calculate",
            "calculation": "sum(${m_age})",
            "label": {"vi": "Tổng tuổi", "en": "Total age"},
        },
        {
            "name": "code",
            "type": "calculate",
            "calculation": "concat(${head}, '-', count(${m_age}))",
            "label": {"vi": "Mã hộ", "en": "Household code"},
        },
        {"name": "location", "type": "geopoint", "label": {"vi": "Vị trí", "en": "Location"}},
        {"name": "photo", "type": "image", "label": {"vi": "Ảnh nhà", "en": "House photo"}},
    ],
}

HOSTILE = "<script>alert('x')</script>"


def _member(age, sex, visits=None, name="X"):
    row = {"m_name": name, "m_age": age, "m_sex": sex}
    if visits is not None:
        row["visit"] = [{"v_date": v} for v in visits]
    return row


ANSWERS = [
    {
        "head": "Lan",
        "area": "urban",
        "visit_time": "08:15",
        "started": "2024-03-01T08:10:00+07:00",
        "water": 4,
        "priorities": "b a c",
        "consent": "OK",
        "member": [
            _member(40, "f", ["2024-03-01", "2024-03-05"], "Lan"),
            _member(12, "m", []),
            _member(8, "f", ["2024-03-02"]),
        ],
        "members_total": 60,
        "code": "LAN-3",
        "location": "21.0285 105.8542 10 5",
        "photo": "1712.jpg",
    },
    {
        "head": HOSTILE,
        "area": "urban",
        "visit_time": "09:40",
        "started": "2024-03-02T09:00",
        "water": 7,
        "priorities": "a b c",
        "consent": "OK",
        "member": [_member(30, "f", name=HOSTILE), _member(31, "m"), _member(2, "m")],
        "members_total": 63,
        "code": "TRAN-3",
        "location": "10.7769 106.7009 0 12",
        "photo": "1713.png",
    },
    {
        "head": "Bình",
        "area": "rural",
        "visit_time": "09:05",
        "started": "2024-03-02T17:30",
        "water": 10,
        "priorities": "a c b",
        "member": [_member(50, "m"), _member(20, "m"), _member(18, "m")],
        "members_total": "88",
        "code": "BINH-3",
        "location": "không phải vị trí 999",
        "photo": "",
    },
]


def household_form(coordinator, programme, definition=None):
    """A form of `definition` (HOUSEHOLD), and one open collection."""
    form = services.form_create(
        actor=coordinator, programme=programme, definition=copy.deepcopy(definition or HOUSEHOLD)
    )
    collection = services.collection_open(actor=coordinator, form=form, title="Khảo sát hộ – xã A")
    return form, collection


def add_responses(collection, answers_list, *, day=datetime(2024, 3, 3, 10, 0)):
    version = collection.form.current_version
    return Response.objects.bulk_create(
        Response(
            collection=collection,
            version=version,
            uuid=uuid.uuid4(),
            answers=answers,
            submitted_at=timezone.make_aware(day.replace(minute=i % 60)),
        )
        for i, answers in enumerate(answers_list)
    )


def build_household(coordinator, programme):
    form, collection = household_form(coordinator, programme)
    add_responses(collection, ANSWERS)
    form.refresh_from_db()
    return form, collection
