"""Two ready forms a programme can start from: the lecture-quality evaluation learners fill after
each co-taught lecture, and the feedback delegates give after a workshop."""

import copy


def _l(vi: str, en: str) -> dict:
    return {"vi": vi, "en": en}


AGREE_5 = {
    "min": 1,
    "max": 5,
    "min_label": _l("Rất không đồng ý", "Strongly disagree"),
    "max_label": _l("Rất đồng ý", "Strongly agree"),
}

LECTURE_EVALUATION = {
    "title": _l("Đánh giá bài giảng", "Lecture evaluation"),
    "questions": [
        {
            "name": "quality",
            "type": "matrix",
            "label": _l(
                "Mức độ đồng ý của anh/chị với các nhận định sau", "How far do you agree with these statements"
            ),
            "required": True,
            "scale": AGREE_5,
            "items": [
                {
                    "name": "content_relevant",
                    "label": _l("Nội dung phù hợp với công việc của tôi", "The content fits my work"),
                },
                {"name": "content_new", "label": _l("Tôi học được kiến thức mới", "I learned something new")},
                {
                    "name": "lecturer_clear",
                    "label": _l("Giảng viên trình bày dễ hiểu", "The lecturer explained clearly"),
                },
                {
                    "name": "methods_engaging",
                    "label": _l("Phương pháp giảng dạy thu hút", "The teaching methods were engaging"),
                },
                {"name": "time_enough", "label": _l("Thời lượng hợp lý", "The time was right")},
            ],
        },
        {
            "name": "overall",
            "type": "rating",
            "label": _l("Đánh giá chung về bài giảng", "Overall rating of the lecture"),
            "required": True,
            "scale": {
                "min": 1,
                "max": 5,
                "min_label": _l("Rất kém", "Very poor"),
                "max_label": _l("Rất tốt", "Very good"),
            },
        },
        {
            "name": "topics_useful",
            "type": "select_multiple",
            "label": _l("Chủ đề nào hữu ích nhất với anh/chị?", "Which topics were most useful to you?"),
            "choices": [
                {
                    "name": "cso_role",
                    "label": _l("Vai trò và cơ cấu của tổ chức xã hội", "The role and structure of CSOs"),
                },
                {"name": "advocacy", "label": _l("Vận động chính sách", "Policy advocacy")},
                {
                    "name": "enabling_env",
                    "label": _l("Môi trường thuận lợi cho TCXH", "An enabling environment for CSOs"),
                },
                {
                    "name": "cooperation",
                    "label": _l("Hợp tác giữa chính quyền và TCXH", "Cooperation between government and CSOs"),
                },
            ],
            "or_other": True,
        },
        {
            "name": "would_recommend",
            "type": "select_one",
            "label": _l("Anh/chị có muốn học thêm về chủ đề này không?", "Would you like to learn more on this topic?"),
            "required": True,
            "choices": [{"name": "yes", "label": _l("Có", "Yes")}, {"name": "no", "label": _l("Không", "No")}],
        },
        {
            "name": "improve",
            "type": "long_text",
            "label": _l("Điều gì nên cải thiện cho khoá sau?", "What should the next course improve?"),
            "hint": _l("Không bắt buộc.", "Optional."),
            "constraint": "string-length(.) <= 1000",
            "constraint_message": _l("Tối đa 1000 ký tự.", "At most 1000 characters."),
        },
    ],
}

WORKSHOP_FEEDBACK = {
    "title": _l("Phản hồi sau hội thảo", "Workshop feedback"),
    "questions": [
        {
            "name": "participant_type",
            "type": "select_one",
            "label": _l("Anh/chị đến từ", "You come from"),
            "required": True,
            "choices": [
                {"name": "state_agency", "label": _l("Cơ quan nhà nước", "A state agency")},
                {"name": "cso", "label": _l("Tổ chức xã hội", "A civil society organisation")},
                {"name": "mass_organisation", "label": _l("Tổ chức chính trị - xã hội", "A mass organisation")},
            ],
            "or_other": True,
        },
        {
            "name": "useful",
            "type": "rating",
            "label": _l("Hội thảo hữu ích với anh/chị ở mức nào?", "How useful was the workshop to you?"),
            "required": True,
            "scale": {
                "min": 1,
                "max": 5,
                "min_label": _l("Không hữu ích", "Not useful"),
                "max_label": _l("Rất hữu ích", "Very useful"),
            },
        },
        {
            "name": "met_new_partners",
            "type": "select_one",
            "label": _l("Anh/chị có kết nối được đối tác mới không?", "Did you meet new partners?"),
            "required": True,
            "choices": [{"name": "yes", "label": _l("Có", "Yes")}, {"name": "no", "label": _l("Không", "No")}],
        },
        {
            "name": "partners_count",
            "type": "integer",
            "label": _l("Bao nhiêu đối tác mới?", "How many new partners?"),
            "relevant": "${met_new_partners} = 'yes'",
            "constraint": ". >= 1 and . <= 50",
            "constraint_message": _l("Từ 1 đến 50.", "Between 1 and 50."),
        },
        {
            "name": "follow_up",
            "type": "text",
            "label": _l(
                "Anh/chị muốn tiếp tục hợp tác về vấn đề gì?", "What would you like to keep working on together?"
            ),
        },
    ],
}

READY_FORMS = {"lecture": LECTURE_EVALUATION, "workshop": WORKSHOP_FEEDBACK}


def ready_form(key: str) -> dict:
    """A fresh copy, so a caller may change it without touching the template."""
    return copy.deepcopy(READY_FORMS[key])
