"""Forms of definition v2 (forms-spec §1) for the respondent page's tests: a household survey
with a repeat, a cascading select, a calculation shown in a note, a photo and a location."""

import io

from ketnoi.surveys.models import FormVersion

HOUSEHOLD = {
    "title": {"vi": "Khảo sát hộ gia đình", "en": "Household survey"},
    "languages": ["vi", "en"],
    "attachments": ["hanoi.png"],
    "questions": [
        {"name": "head", "type": "text", "required": True, "label": {"vi": "Tên chủ hộ", "en": "Head of household"}},
        {"name": "greeting", "type": "note", "label": {"vi": "Xin chào ${head}!", "en": "Hello ${head}!"}},
        {
            "name": "province",
            "type": "select_one",
            "label": {"vi": "Tỉnh/thành phố", "en": "Province"},
            "choices": [
                {"name": "hn", "label": {"vi": "Hà Nội", "en": "Hanoi"}, "media": {"image": {"vi": "hanoi.png"}}},
                {"name": "hcm", "label": {"vi": "TP. Hồ Chí Minh", "en": "Ho Chi Minh City"}},
            ],
        },
        {
            "name": "district",
            "type": "select_one",
            "appearance": "minimal",
            "label": {"vi": "Quận/huyện", "en": "District"},
            "choice_filter": "province = ${province}",
            "choices": [
                {"name": "ba_dinh", "label": {"vi": "Ba Đình"}, "data": {"province": "hn"}},
                {"name": "hoan_kiem", "label": {"vi": "Hoàn Kiếm"}, "data": {"province": "hn"}},
                {"name": "quan_1", "label": {"vi": "Quận 1"}, "data": {"province": "hcm"}},
            ],
        },
        {"name": "rooms", "type": "integer", "label": {"vi": "Số phòng", "en": "Rooms"}},
        {"name": "beds", "type": "calculate", "calculation": "${rooms} * 2"},
        {"name": "beds_note", "type": "note", "label": {"vi": "Cần ${beds} giường.", "en": "${beds} beds needed."}},
        {
            "name": "member",
            "type": "repeat",
            "label": {"vi": "Thành viên", "en": "Member"},
            "children": [
                {"name": "m_name", "type": "text", "required": True, "label": {"vi": "Tên", "en": "Name"}},
                {
                    "name": "m_age",
                    "type": "integer",
                    "label": {"vi": "Tuổi của ${m_name}", "en": "Age of ${m_name}"},
                    "constraint": ". >= 0 and . <= 120",
                    "constraint_message": {"vi": "Tuổi từ 0 đến 120.", "en": "An age from 0 to 120."},
                },
            ],
        },
        {"name": "photo", "type": "image", "label": {"vi": "Ảnh ngôi nhà", "en": "Photo of the house"}},
        {"name": "where", "type": "geopoint", "label": {"vi": "Vị trí ngôi nhà", "en": "Location of the house"}},
    ],
}

EVERY_NEW_TYPE = {
    "title": {"vi": "Mọi loại câu hỏi mới"},
    "questions": [
        {"name": "start_time", "type": "time", "label": {"vi": "Giờ bắt đầu"}},
        {"name": "visit_at", "type": "datetime", "label": {"vi": "Ngày giờ thăm"}},
        {
            "name": "pain",
            "type": "range",
            "label": {"vi": "Mức đau"},
            "parameters": {"start": 10, "end": 0, "step": 2},
        },
        {
            "name": "priorities",
            "type": "rank",
            "label": {"vi": "Xếp hạng ưu tiên"},
            "choices": [{"name": "water", "label": {"vi": "Nước"}}, {"name": "school", "label": {"vi": "Trường"}}],
        },
        {
            "name": "consent",
            "type": "acknowledge",
            "label": {"vi": "Tôi đồng ý tham gia"},
            "required": True,
            "required_message": {"vi": "Cần có sự đồng ý."},
        },
        {"name": "go", "type": "trigger", "label": {"vi": "Bấm để tiếp tục"}},
        {"name": "secret", "type": "hidden", "default": "abc"},
        {"name": "sum", "type": "calculate", "calculation": "1 + 1"},
        {"name": "where", "type": "geopoint", "label": {"vi": "Vị trí"}},
        {"name": "voice", "type": "audio", "label": {"vi": "Ghi âm"}},
        {"name": "doc", "type": "file", "label": {"vi": "Tệp"}},
        {
            "name": "town",
            "type": "text",
            "label": {"vi": "Xã"},
            "default": "Tân Lập",
            "read_only": True,
            "guidance_hint": {"vi": "Hỏi trưởng thôn nếu không rõ."},
        },
        {
            "name": "likes",
            "type": "select_one",
            "appearance": "horizontal",
            "label": {"vi": "Thích không?"},
            "choices": [{"name": "y", "label": {"vi": "Có"}}, {"name": "n", "label": {"vi": "Không"}}],
            "default": "y",
        },
        {
            "name": "household",
            "type": "repeat",
            "label": {"vi": "Hộ"},
            "repeat_count": "2",
            "children": [
                {"name": "h_name", "type": "text", "label": {"vi": "Tên hộ"}},
                {
                    "name": "visits",
                    "type": "repeat",
                    "label": {"vi": "Lần thăm"},
                    "children": [{"name": "v_day", "type": "date", "label": {"vi": "Ngày"}}],
                },
            ],
        },
    ],
}


def with_definition(form, definition: dict) -> None:
    """Give the form's current version a definition of format v2. The check that form_create
    runs (definition.check_definition) learns these types with the engine's work; until then
    the version is written directly so the respondent page can be tested against the contract."""
    FormVersion.objects.filter(pk=form.current_version_id).update(definition=definition)
    form.current_version.refresh_from_db()


def small_jpeg() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (32, 24), (200, 120, 40)).save(buffer, format="JPEG")
    return buffer.getvalue()
