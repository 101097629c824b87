"""Builders for survey tests: a form from a ready template and an open collection, made through
the services so the same rules apply; answer sets of the lecture form, and a definition with
every kind of question."""

from ketnoi.surveys import services
from ketnoi.surveys.ready_forms import ready_form


def lecture_form(actor, programme, **extra):
    return services.form_create(actor=actor, programme=programme, definition=ready_form("lecture"), **extra)


def open_collection(actor, form, **extra):
    extra.setdefault("title", "Bài giảng thử")
    return services.collection_open(actor=actor, form=form, **extra)


GOOD_LECTURE = {
    "content_relevant": 5,
    "content_new": 4,
    "lecturer_clear": 5,
    "methods_engaging": 3,
    "time_enough": 4,
    "overall": 4,
    "would_recommend": "yes",
}

# A full answer set of the lecture form, as the API tests send it.
ANSWERS = {
    "content_relevant": 4,
    "content_new": 5,
    "lecturer_clear": 3,
    "methods_engaging": 4,
    "time_enough": 5,
    "overall": 4,
    "topics_useful": "advocacy other",
    "topics_useful_other": "Luật về hội",
    "would_recommend": "yes",
    "improve": "Thêm ví dụ thực tế.",
}

# A full answer set of the lecture form, as the respondent page sends it.
LECTURE_ANSWERS = {
    "content_relevant": 5,
    "content_new": 4,
    "lecturer_clear": 5,
    "methods_engaging": 3,
    "time_enough": 4,
    "overall": 5,
    "topics_useful": "advocacy other",
    "topics_useful_other": "Luật về hội",
    "would_recommend": "yes",
    "improve": "Thêm ví dụ thực tế",
}

# A definition with every kind of question (and a group shown by a condition), in two languages.
ALL_TYPES = {
    "title": {"vi": "Mọi loại câu hỏi", "en": "Every kind of question"},
    "questions": [
        {"name": "intro", "type": "note", "label": {"vi": "Xin chào", "en": "Hello"}},
        {"name": "name", "type": "text", "label": {"vi": "Họ tên", "en": "Name"}, "hint": {"vi": "Không bắt buộc"}},
        {"name": "story", "type": "long_text", "label": {"vi": "Câu chuyện", "en": "Story"}},
        {"name": "age", "type": "integer", "label": {"vi": "Tuổi", "en": "Age"}, "constraint": ". >= 18"},
        {"name": "hours", "type": "decimal", "label": {"vi": "Số giờ", "en": "Hours"}},
        {"name": "day", "type": "date", "label": {"vi": "Ngày", "en": "Day"}},
        {
            "name": "city",
            "type": "select_one",
            "label": {"vi": "Thành phố", "en": "City"},
            "choices": [{"name": "hn", "label": {"vi": "Hà Nội"}}, {"name": "hcm", "label": {"vi": "TP HCM"}}],
            "or_other": True,
        },
        {
            "name": "roles",
            "type": "select_multiple",
            "label": {"vi": "Vai trò", "en": "Roles"},
            "choices": [{"name": "a", "label": {"vi": "A"}}, {"name": "b", "label": {"vi": "B"}}],
        },
        {
            "name": "score",
            "type": "rating",
            "label": {"vi": "Điểm", "en": "Score"},
            "scale": {"min": 0, "max": 10, "min_label": {"vi": "Tệ"}, "max_label": {"vi": "Tuyệt"}},
        },
        {
            "name": "grid",
            "type": "matrix",
            "label": {"vi": "Bảng", "en": "Grid"},
            "scale": {"min": 1, "max": 5},
            "items": [{"name": "g1", "label": {"vi": "Một"}}, {"name": "g2", "label": {"vi": "Hai"}}],
        },
        {
            "name": "more",
            "type": "group",
            "label": {"vi": "Thêm", "en": "More"},
            "relevant": "${city} = 'hn'",
            "children": [{"name": "district", "type": "text", "label": {"vi": "Quận", "en": "District"}}],
        },
    ],
}
