"""Hand-built responses with known answers for the results and export tests: the lecture
evaluation answered in two classes across two versions, and the workshop feedback.

The lecture figures, worked out by hand:

    response  version class  overall topics_useful              would_recommend  quality (5 items)
    l1        1       HN01   5       cso_role advocacy          yes              5 5 5 5 5
    l2        1       HN01   4       advocacy                   yes              4 4 4 4 4
    l3        1       HN01   3       other (Luật về hội)         no               3 3 3 3 2
    l4        1       HN01   2       cso_role                   no               2 2 2 2 1
    l5        2       HCM01  5       advocacy cooperation cso   yes              5 5 5 4 5   self_study 2
    l6        2       HCM01  5       advocacy                   yes              5 4 5 4 5   self_study 4
    l7        2       HCM01  1       enabling_env               no               1 1 2 1 1   self_study 9

Version 2 adds the choice "cso" (a prefix of "cso_role", which must not be counted as it) and
the integer question `self_study`. l1–l4 were submitted 01–04/10/2024, l5–l7 05–07/11/2024.
"""

import copy
import uuid
from datetime import datetime

from django.utils import timezone

from ketnoi.surveys import services
from ketnoi.surveys.models import Response
from ketnoi.surveys.ready_forms import ready_form

ITEMS = ["content_relevant", "content_new", "lecturer_clear", "methods_engaging", "time_enough"]

HN01 = {"class": "HN01", "campus": "Hà Nội", "semester": "HK1 2024", "lecturer": "Nguyễn Văn An"}
HCM01 = {"class": "HCM01", "campus": "TP. Hồ Chí Minh", "semester": "HK1 2024", "lecturer": "Trần Thị Bình"}

LECTURE_V1 = [
    (5, "cso_role advocacy", "yes", [5, 5, 5, 5, 5], {"improve": "Thêm ví dụ thực tế"}),
    (4, "advocacy", "yes", [4, 4, 4, 4, 4], {}),
    (3, "other", "no", [3, 3, 3, 3, 2], {"topics_useful_other": "Luật về hội", "improve": "Giảm lý thuyết"}),
    (2, "cso_role", "no", [2, 2, 2, 2, 1], {}),
]
LECTURE_V2 = [
    (5, "advocacy cooperation cso", "yes", [5, 5, 5, 4, 5], {"self_study": 2}),
    (5, "advocacy", "yes", [5, 4, 5, 4, 5], {"self_study": 4, "improve": "Cần thêm thời gian thảo luận nhóm"}),
    (1, "enabling_env", "no", [1, 1, 2, 1, 1], {"self_study": 9}),
]


def lecture_answers(overall, topics, recommend, quality, extra):
    return {
        "overall": overall,
        "topics_useful": topics,
        "would_recommend": recommend,
        **dict(zip(ITEMS, quality, strict=True)),
        **extra,
    }


def lecture_v2_definition():
    definition = ready_form("lecture")
    topics = next(q for q in definition["questions"] if q["name"] == "topics_useful")
    topics["choices"].append({"name": "cso", "label": {"vi": "Tổ chức xã hội nói chung", "en": "CSOs in general"}})
    definition["questions"].insert(
        2,
        {
            "name": "self_study",
            "type": "integer",
            "label": {"vi": "Số giờ tự học sau buổi học", "en": "Hours of self-study"},
        },
    )
    return definition


def _at(response, day: datetime):
    Response.objects.filter(pk=response.pk).update(submitted_at=timezone.make_aware(day))


def build_lecture(coordinator, programme):
    """The lecture evaluation with l1–l7 above; returns (form, hn01 collection, hcm01 collection)."""
    form = services.form_create(actor=coordinator, programme=programme, definition=ready_form("lecture"))
    hn01 = services.collection_open(actor=coordinator, form=form, title="Bài giảng 1 – lớp HN01", context=HN01)
    for day, answers in enumerate(LECTURE_V1, start=1):
        response, _ = services.response_submit(collection=hn01, uuid=uuid.uuid4(), answers=lecture_answers(*answers))
        _at(response, datetime(2024, 10, day, 9, 30))
    form = services.form_update(actor=coordinator, form=form, definition=lecture_v2_definition())
    assert form.current_version.number == 2
    hcm01 = services.collection_open(actor=coordinator, form=form, title="Bài giảng 2 – lớp HCM01", context=HCM01)
    for day, answers in enumerate(LECTURE_V2, start=5):
        response, _ = services.response_submit(collection=hcm01, uuid=uuid.uuid4(), answers=lecture_answers(*answers))
        _at(response, datetime(2024, 11, day, 14, 0))
    form.refresh_from_db()
    return form, hn01, hcm01


WORKSHOP = [
    {
        "participant_type": "state_agency",
        "useful": 5,
        "met_new_partners": "yes",
        "partners_count": 3,
        "follow_up": "Hợp tác về pháp luật",
    },
    {"participant_type": "cso", "useful": 4, "met_new_partners": "yes", "partners_count": 10},
    {"participant_type": "other", "participant_type_other": "Trường đại học", "useful": 2, "met_new_partners": "no"},
    {
        "participant_type": "cso",
        "useful": 4,
        "met_new_partners": "yes",
        "partners_count": 3,
        "follow_up": "Đào tạo tiếp",
    },
]


def build_workshop(coordinator, programme):
    form = services.form_create(actor=coordinator, programme=programme, definition=ready_form("workshop"))
    collection = services.collection_open(
        actor=coordinator, form=form, title="Hội thảo Đà Nẵng", context={"city": "Đà Nẵng"}
    )
    for day, answers in enumerate(WORKSHOP, start=1):
        response, _ = services.response_submit(collection=collection, uuid=uuid.uuid4(), answers=copy.deepcopy(answers))
        _at(response, datetime(2024, 12, day, 16, 0))
    form.refresh_from_db()
    return form, collection


def bulk_responses(collection, answers_list, *, start=datetime(2024, 10, 1, 8, 0)):
    """Many stored responses at once, answers taken as given (already clean)."""
    version = collection.form.current_version
    Response.objects.bulk_create(
        Response(
            collection=collection,
            version=version,
            answers=answers,
            submitted_at=timezone.make_aware(start.replace(minute=i % 60)),
        )
        for i, answers in enumerate(answers_list)
    )
