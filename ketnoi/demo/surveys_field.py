"""A demo form of the kind partners bring from KoboToolbox: the association's survey of its member
organisations before the advocacy training — a cascading city → district choice, a repeat of
the staff to be trained (as many rows as the number given), a calculation shown in a note, a
location, a time and an acknowledgement — with answers from a fixed seed."""

import random
import uuid
from datetime import datetime, timedelta

from django.utils import timezone

from ketnoi.surveys import services as survey_services
from ketnoi.surveys.models import Response


def _label(vi: str, en: str) -> dict:
    return {"vi": vi, "en": en}


CITIES = [("hn", "Hà Nội", "Hanoi"), ("hcm", "TP. Hồ Chí Minh", "Ho Chi Minh City"), ("dn", "Đà Nẵng", "Da Nang")]
DISTRICTS = {
    "hn": [("ba_dinh", "Ba Đình"), ("dong_da", "Đống Đa"), ("cau_giay", "Cầu Giấy")],
    "hcm": [("q1", "Quận 1"), ("q3", "Quận 3"), ("binh_thanh", "Bình Thạnh")],
    "dn": [("hai_chau", "Hải Châu"), ("thanh_khe", "Thanh Khê")],
}
# Roughly the centre of each city, for the offices' locations.
CENTRES = {"hn": (21.03, 105.84), "hcm": (10.78, 106.70), "dn": (16.05, 108.21)}
ROLES = [
    ("director", "Giám đốc", "Director"),
    ("officer", "Cán bộ dự án", "Project officer"),
    ("volunteer", "Tình nguyện viên", "Volunteer"),
]
TOPICS = [
    ("advocacy", "Vận động chính sách", "Policy advocacy"),
    ("law", "Pháp luật về hội", "Law on associations"),
    ("media", "Truyền thông", "Communication"),
]
ORGANISATIONS = [
    "Trung tâm Phát triển Cộng đồng Sông Hồng",
    "Nhóm Thanh niên Vì Môi trường",
    "Hội Phụ nữ Khởi nghiệp",
    "Trung tâm Hỗ trợ Người khuyết tật",
    "Mạng lưới Giáo dục Vì Mọi người",
    "Câu lạc bộ Nông dân Sáng tạo",
    "Trung tâm Sáng kiến Sức khoẻ",
    "Nhóm Hành động Vì Trẻ em",
    "Hội Bảo vệ Quyền lợi Người tiêu dùng Trẻ",
    "Trung tâm Nghiên cứu Chính sách Xã hội",
    "Liên minh Nước sạch Đô thị",
    "Nhóm Hỗ trợ Lao động Di cư",
]
STAFF = ["Lan", "Minh", "Hương", "Tuấn", "Mai", "Dũng", "Thảo", "Hải", "Ngọc", "Phong"]

DEFINITION = {
    "title": _label("Khảo sát năng lực tổ chức thành viên", "Member organisation capacity survey"),
    "languages": ["vi", "en"],
    "settings": {"version": "2017090101", "instance_name": "concat(${org_name}, ' – ', ${city})"},
    "questions": [
        {"name": "org_name", "type": "text", "label": _label("Tên tổ chức", "Organisation"), "required": True},
        {
            "name": "city",
            "type": "select_one",
            "label": _label("Thành phố", "City"),
            "required": True,
            "choices": [{"name": code, "label": _label(vi, en)} for code, vi, en in CITIES],
        },
        {
            "name": "district",
            "type": "select_one",
            "label": _label("Quận", "District"),
            "choice_filter": "city = ${city}",
            "appearance": "minimal",
            "choices": [
                {"name": code, "label": _label(name, name), "data": {"city": city}}
                for city, districts in DISTRICTS.items()
                for code, name in districts
            ],
        },
        {
            "name": "staff_count",
            "type": "integer",
            "label": _label("Số cán bộ sẽ dự tập huấn", "Staff who will attend the training"),
            "constraint": ". >= 0 and . <= 10",
            "constraint_message": _label("Từ 0 đến 10 người.", "Between 0 and 10 people."),
            "required": True,
        },
        {
            "name": "staff",
            "type": "repeat",
            "label": _label("Cán bộ dự tập huấn", "Staff attending"),
            "repeat_count": "${staff_count}",
            "children": [
                {"name": "s_name", "type": "text", "label": _label("Tên cán bộ", "Name"), "required": True},
                {
                    "name": "s_role",
                    "type": "select_one",
                    "label": _label("Vai trò của ${s_name}", "Role of ${s_name}"),
                    "choices": [{"name": code, "label": _label(vi, en)} for code, vi, en in ROLES],
                },
                {
                    "name": "s_years",
                    "type": "integer",
                    "label": _label("Số năm làm việc với TCXH", "Years working with CSOs"),
                    "constraint": ". >= 0 and . <= 50",
                },
                {
                    "name": "s_topics",
                    "type": "select_multiple",
                    "label": _label("Chủ đề muốn học", "Topics wanted"),
                    "choices": [{"name": code, "label": _label(vi, en)} for code, vi, en in TOPICS],
                },
            ],
        },
        {"name": "total_years", "type": "calculate", "calculation": "sum(${s_years})"},
        {
            "name": "summary",
            "type": "note",
            "label": _label(
                "${org_name} cử ${staff_count} cán bộ, tổng cộng ${total_years} năm kinh nghiệm.",
                "${org_name} sends ${staff_count} staff with ${total_years} years of experience in all.",
            ),
        },
        {"name": "office", "type": "geopoint", "label": _label("Vị trí văn phòng", "Office location")},
        {"name": "best_time", "type": "time", "label": _label("Giờ thuận tiện để liên hệ", "Best time to call")},
        {
            "name": "consent",
            "type": "acknowledge",
            "label": _label(
                "Tổ chức đồng ý để Hội dùng thông tin này cho việc tổ chức tập huấn.",
                "The organisation agrees that the association uses this for the training.",
            ),
            "required": True,
        },
    ],
}


def _answers(rng: random.Random, organisation: str) -> dict:
    city = rng.choice([code for code, _vi, _en in CITIES])
    count = rng.randint(1, 4)
    staff = [
        {
            "s_name": rng.choice(STAFF),
            "s_role": rng.choice([code for code, _vi, _en in ROLES]),
            "s_years": rng.randint(0, 12),
            "s_topics": " ".join(sorted(rng.sample([code for code, _vi, _en in TOPICS], rng.randint(1, 3)))),
        }
        for _ in range(count)
    ]
    latitude, longitude = CENTRES[city]
    latitude, longitude = latitude + rng.uniform(-0.05, 0.05), longitude + rng.uniform(-0.05, 0.05)
    return {
        "org_name": organisation,
        "city": city,
        "district": rng.choice(DISTRICTS[city])[0],
        "staff_count": count,
        "staff": staff,
        "office": f"{latitude:.5f} {longitude:.5f} 0 {rng.randint(5, 40)}",
        "best_time": f"{rng.randint(8, 16):02d}:{rng.choice(['00', '30'])}",
        "consent": "OK",
    }


def load_field_survey(programme, actor, rng: random.Random) -> int:
    """The member survey, one collection closed before the training; returns the responses."""
    form = survey_services.form_create(actor=actor, programme=programme, definition=DEFINITION)
    day = datetime(2017, 9, 1, 8)
    collection = survey_services.collection_open(
        actor=actor,
        form=form,
        title="Khảo sát tổ chức thành viên trước tập huấn",
        opens_at=timezone.make_aware(day),
    )
    for organisation in ORGANISATIONS:
        uid = uuid.UUID(int=rng.getrandbits(128), version=4)
        survey_services.response_submit(collection=collection, uuid=uid, answers=_answers(rng, organisation))
    moment = timezone.make_aware(day)
    for hours, response in enumerate(collection.responses.order_by("id")):
        Response.objects.filter(pk=response.pk).update(submitted_at=moment + timedelta(hours=4 * hours))
    survey_services.collection_update(
        actor=actor, collection=collection, closes_at=timezone.make_aware(day + timedelta(days=10))
    )
    return len(ORGANISATIONS)
