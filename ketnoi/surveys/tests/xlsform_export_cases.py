"""Definitions in the format of forms-spec §1 for the XLSForm export tests: each gathers many
features, so that a few ODK Validate runs (a Java process each) cover them all. Functions, so
that a test may change its copy."""

YES_NO = [{"name": "yes", "label": {"vi": "Có", "en": "Yes"}}, {"name": "no", "label": {"vi": "Không", "en": "No"}}]


def every_new_type() -> dict:
    """The new question types and the new question keys, in Vietnamese and English, with the
    settings a KoboToolbox form carries."""
    return {
        "title": {"vi": "Mọi loại câu hỏi", "en": "Every question type"},
        "settings": {
            "version": "2024031501",
            "instance_name": "concat(${name}, '-', ${visit_date})",
            "form_id": "every_type_v2",
        },
        "questions": [
            {
                "name": "name",
                "type": "text",
                "label": {"vi": "Họ tên", "en": "Name"},
                "hint": {"vi": "Như trên giấy tờ", "en": "As on the papers"},
                "guidance_hint": {"vi": "Hỏi họ tên đầy đủ.", "en": "Ask for the full name."},
                "required": True,
                "required_message": {"vi": "Cần họ tên.", "en": "The name is needed."},
                "appearance": "w2",
            },
            {
                "name": "visit_date",
                "type": "date",
                "label": {"vi": "Ngày thăm", "en": "Visit date"},
                "default": "2024-03-15",  # a literal: forms-spec §1 has no computed default
            },
            {"name": "start_time", "type": "time", "label": {"vi": "Giờ bắt đầu", "en": "Start time"}},
            {"name": "met_at", "type": "datetime", "label": {"vi": "Lúc gặp", "en": "Met at"}, "read_only": True},
            {
                "name": "satisfaction",
                "type": "range",
                "label": {"vi": "Mức hài lòng", "en": "Satisfaction"},
                "parameters": {"start": 0, "end": 100, "step": 5},
                "appearance": "vertical",
            },
            {
                "name": "priorities",
                "type": "rank",
                "label": {"vi": "Xếp hạng ưu tiên", "en": "Rank the priorities"},
                "choices": [
                    {"name": "water", "label": {"vi": "Nước sạch", "en": "Clean water"}},
                    {"name": "roads", "label": {"vi": "Đường sá", "en": "Roads"}},
                    {"name": "school", "label": {"vi": "Trường học", "en": "School"}},
                ],
            },
            {
                "name": "consent",
                "type": "acknowledge",
                "label": {"vi": "Tôi đồng ý", "en": "I agree"},
                "required": True,
            },
            {"name": "ready", "type": "trigger", "label": {"vi": "Bấm khi sẵn sàng", "en": "Press when ready"}},
            {"name": "source", "type": "hidden", "default": "field"},
            {
                "name": "age",
                "type": "integer",
                "label": {"vi": "Tuổi", "en": "Age"},
                "constraint": ". >= 0 and . < 130",
            },
            {
                "name": "birth_year",
                "type": "integer",
                "label": {"vi": "Năm sinh", "en": "Birth year"},
                "calculation": "2024 - ${age}",
            },
            {"name": "adult", "type": "calculate", "calculation": "if(${age} >= 18, 'yes', 'no')"},
            {
                "name": "summary",
                "type": "note",
                "label": {"vi": "${name} sinh năm ${birth_year}", "en": "${name} was born in ${birth_year}"},
            },
            {"name": "place", "type": "geopoint", "label": {"vi": "Vị trí", "en": "Location"}},
            {
                "name": "house_photo",
                "type": "image",
                "label": {"vi": "Ảnh ngôi nhà", "en": "Photo of the house"},
                "parameters": {"max-pixels": "1024"},  # as pyxform reads it: a string
            },
            {
                "name": "voice",
                "type": "audio",
                "label": {"vi": "Ghi âm", "en": "Recording"},
                "relevant": "${adult} = 'yes'",
            },
            {"name": "papers", "type": "file", "label": {"vi": "Giấy tờ", "en": "Papers"}},
            {
                "name": "story",
                "type": "long_text",
                "label": {"vi": "Câu chuyện", "en": "Story"},
                "media": {"image": {"vi": "logo.png", "en": "logo.png"}, "audio": {"vi": "hoi.mp3"}},
            },
            {
                "name": "colour",
                "type": "select_one",
                "label": {"vi": "Màu", "en": "Colour"},
                "appearance": "horizontal-compact",
                "choices": [
                    {
                        "name": "red",
                        "label": {"vi": "Đỏ", "en": "Red"},
                        "media": {"image": {"vi": "red.png", "en": "red.png"}},
                    },
                    {"name": "blue", "media": {"image": {"vi": "blue.png", "en": "blue.png"}}},
                ],
            },
        ],
        "attachments": ["blue.png", "hoi.mp3", "logo.png", "red.png"],  # a set of names: kept sorted
    }


def household_repeats() -> dict:
    """Repeats: counted by an answer, by a number, not counted; nested; with a group and a
    matrix inside; calculations over the rows."""
    return {
        "title": {"vi": "Hộ gia đình", "en": "Household"},
        "questions": [
            {"name": "household_head", "type": "text", "label": {"vi": "Chủ hộ", "en": "Head of household"}},
            {"name": "n_members", "type": "integer", "label": {"vi": "Số người", "en": "Members"}, "required": True},
            {
                "name": "member",
                "type": "repeat",
                "label": {"vi": "Thành viên", "en": "Member"},
                "repeat_count": "${n_members}",
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
                    {"name": "m_position", "type": "calculate", "calculation": "position(..)"},
                    {
                        "name": "m_school",
                        "type": "group",
                        "label": {"vi": "Đi học", "en": "Schooling"},
                        "relevant": "${m_age} < 18",
                        "appearance": "field-list",
                        "children": [
                            {
                                "name": "m_in_school",
                                "type": "select_one",
                                "label": {"vi": "Đang đi học?", "en": "In school?"},
                                "choices": YES_NO,
                            },
                        ],
                    },
                    {
                        "name": "m_health",
                        "type": "matrix",
                        "label": {"vi": "Sức khoẻ", "en": "Health"},
                        "required": True,
                        "scale": {"min": 1, "max": 5},
                        "items": [
                            {"name": "m_sleep", "label": {"vi": "Giấc ngủ", "en": "Sleep"}},
                            {"name": "m_food", "label": {"vi": "Ăn uống", "en": "Food"}},
                        ],
                    },
                    {
                        "name": "visit",
                        "type": "repeat",
                        "label": {"vi": "Lần khám", "en": "Visit"},
                        "children": [
                            {"name": "v_date", "type": "date", "label": {"vi": "Ngày khám", "en": "Visit date"}}
                        ],
                    },
                ],
            },
            {"name": "members_total", "type": "calculate", "calculation": "sum(${m_age})"},
            {"name": "first_name", "type": "calculate", "calculation": "indexed-repeat(${m_name}, ${member}, 1)"},
            {
                "name": "rooms",
                "type": "repeat",
                "label": {"vi": "Phòng", "en": "Room"},
                "repeat_count": 2,
                "children": [{"name": "room_use", "type": "text", "label": {"vi": "Dùng để", "en": "Used for"}}],
            },
        ],
    }


def cascading_lists() -> dict:
    """Lists filtered by an earlier answer over the choices' own columns, one read from an
    attached CSV, "other" with and without a filter, and choices shown by their image."""
    return {
        "title": {"vi": "Địa bàn", "en": "Area"},
        "attachments": ["communes.csv", "hanoi.png"],
        "questions": [
            {
                "name": "region",
                "type": "select_one",
                "label": {"vi": "Miền", "en": "Region"},
                "choices": [
                    {"name": "north", "label": {"vi": "Miền Bắc", "en": "North"}},
                    {"name": "south", "label": {"vi": "Miền Nam", "en": "South"}},
                ],
            },
            {
                "name": "province",
                "type": "select_one",
                "label": {"vi": "Tỉnh", "en": "Province"},
                "choice_filter": "region = ${region}",
                "choices": [
                    {
                        "name": "hn",
                        "label": {"vi": "Hà Nội", "en": "Hanoi"},
                        "media": {"image": {"vi": "hanoi.png", "en": "hanoi.png"}},
                        "data": {"region": "north", "size": "big"},
                    },
                    {"name": "hp", "label": {"vi": "Hải Phòng", "en": "Hai Phong"}, "data": {"region": "north"}},
                    {
                        "name": "ct",
                        "label": {"vi": "Cần Thơ", "en": "Can Tho"},
                        "data": {"region": "south", "size": "big"},
                    },
                ],
            },
            {
                "name": "commune",
                "type": "select_one",
                "label": {"vi": "Xã", "en": "Commune"},
                "from_file": "communes.csv",
                "choice_filter": "province = ${province}",
                "choices": [
                    {"name": "c1", "label": {"vi": "Xã Một"}, "data": {"province": "hn"}},
                    {"name": "c2", "label": {"vi": "Xã Hai"}, "data": {"province": "ct"}},
                ],
            },
            {
                "name": "services",
                "type": "select_multiple",
                "label": {"vi": "Dịch vụ", "en": "Services"},
                "or_other": True,
                "appearance": "minimal",
                "choices": [
                    {"name": "health", "label": {"vi": "Y tế", "en": "Health"}},
                    {"name": "credit", "label": {"vi": "Tín dụng", "en": "Credit"}},
                ],
            },
        ],
    }


def or_other_filtered() -> dict:
    """or_other where pyxform refuses it (with a choice filter; over a file): the export spells
    out what it means."""
    return {
        "title": {"vi": "Khác có lọc"},
        "attachments": ["crops.csv"],
        "questions": [
            {
                "name": "season",
                "type": "select_one",
                "label": {"vi": "Vụ"},
                "choices": [{"name": "spring", "label": {"vi": "Xuân"}}],
            },
            {
                "name": "crop",
                "type": "select_one",
                "label": {"vi": "Cây trồng"},
                "or_other": True,
                "choice_filter": "season = ${season}",
                "choices": [{"name": "rice", "label": {"vi": "Lúa"}, "data": {"season": "spring"}}],
            },
            {
                "name": "tool",
                "type": "select_multiple",
                "label": {"vi": "Nông cụ"},
                "or_other": True,
                "from_file": "crops.csv",
                "choices": [{"name": "plough", "label": {"vi": "Cày"}}],
            },
        ],
    }


def many_languages() -> dict:
    """Four languages, one of them named, one not; texts missing in some of them; Khmer the
    default, first in the respondent's order (`languages`)."""
    return {
        "title": {"vi": "Nhiều thứ tiếng", "en": "Many languages", "km": "ភាសាច្រើន", "fr": "Plusieurs langues"},
        "languages": ["km", "vi", "en", "fr"],
        "language_names": {"km": "Khmer"},
        "settings": {"default_language": "km"},
        "questions": [
            {
                "name": "village",
                "type": "text",
                "label": {"vi": "Thôn", "en": "Village", "km": "ភូមិ", "fr": "Village"},
                "hint": {"km": "ឈ្មោះភូមិ"},
                "constraint": "string-length(.) <= 80",
                "constraint_message": {"vi": "Tối đa 80 ký tự.", "fr": "80 caractères au plus."},
            },
            {
                "name": "fruit",
                "type": "select_one",
                "label": {"vi": "Quả", "km": "ផ្លែឈើ"},
                "or_other": True,
                "choices": [
                    {"name": "mango", "label": {"vi": "Xoài", "en": "Mango", "km": "ស្វាយ", "fr": "Mangue"}},
                    {"name": "durian", "label": {"vi": "Sầu riêng", "km": "ធុរេន"}},
                ],
            },
            {
                "name": "score",
                "type": "rating",
                "label": {"vi": "Điểm", "fr": "Note"},
                "scale": {"min": 1, "max": 5, "min_label": {"vi": "Kém", "km": "អន់"}},
            },
        ],
    }


def english_only() -> dict:
    """A form with no Vietnamese at all: its default language is English."""
    return {
        "title": {"en": "English only"},
        "settings": {"default_language": "en"},
        "questions": [
            {"name": "q1", "type": "text", "label": {"en": "Your name"}, "required": True},
            {
                "name": "q2",
                "type": "select_one",
                "label": {"en": "Agree?"},
                "choices": [{"name": "y", "label": {"en": "Yes"}}],
            },
        ],
    }


def table_lists() -> dict:
    """Tables: a matrix with every rule, a matrix in a group, a table-list group of single
    choices over one list (not a scale, so no matrix: kept as a group)."""
    return {
        "title": {"vi": "Các bảng", "en": "Tables"},
        "questions": [
            {"name": "attended", "type": "select_one", "label": {"vi": "Có dự?", "en": "Attended?"}, "choices": YES_NO},
            {
                "name": "quality",
                "type": "matrix",
                "label": {"vi": "Chất lượng", "en": "Quality"},
                "hint": {"vi": "1 = kém", "en": "1 = poor"},
                "guidance_hint": {"vi": "Đọc từng dòng.", "en": "Read each row."},
                "relevant": "${attended} = 'yes'",
                "required": True,
                "required_message": {"vi": "Hãy chấm mọi dòng.", "en": "Rate every row."},
                "constraint": ". >= 2",
                "constraint_message": {"vi": "Ít nhất 2.", "en": "At least 2."},
                "scale": {
                    "min": 1,
                    "max": 5,
                    "min_label": {"vi": "Kém", "en": "Poor"},
                    "max_label": {"vi": "Tốt", "en": "Good"},
                },
                "items": [
                    {"name": "content", "label": {"vi": "Nội dung", "en": "Content"}},
                    {"name": "method", "label": {"vi": "Phương pháp", "en": "Method"}},
                ],
            },
            {
                "name": "block",
                "type": "group",
                "label": {"vi": "Khối", "en": "Block"},
                "children": [
                    {
                        "name": "tenscale",
                        "type": "matrix",
                        "label": {"vi": "Thang 0–10", "en": "0–10 scale"},
                        "scale": {"min": 0, "max": 10},
                        "items": [{"name": "t1", "label": {"vi": "Một", "en": "One"}}],
                    }
                ],
            },
            {
                "name": "yes_no_table",
                "type": "group",
                "label": {"vi": "Bảng có/không", "en": "Yes/no table"},
                "appearance": "table-list",
                "children": [
                    {"name": "yn1", "type": "select_one", "label": {"vi": "Hàng 1", "en": "Row 1"}, "choices": YES_NO},
                    {"name": "yn2", "type": "select_one", "label": {"vi": "Hàng 2", "en": "Row 2"}, "choices": YES_NO},
                ],
            },
        ],
    }


def refused_table_lists() -> dict:
    """Table-lists pyxform refuses (rows over different lists; a first row with a choice
    filter): the export writes them as field-list, which it takes."""
    return {
        "title": {"vi": "Bảng bị từ chối", "en": "Refused tables"},
        "questions": [
            {"name": "attended", "type": "select_one", "label": {"vi": "Có dự?", "en": "Attended?"}, "choices": YES_NO},
            {
                "name": "mixed_table",
                "type": "group",
                "label": {"vi": "Bảng lẫn", "en": "Mixed table"},
                "appearance": "table-list w3",
                "children": [
                    {"name": "mx1", "type": "select_one", "label": {"vi": "A", "en": "A"}, "choices": YES_NO},
                    {
                        "name": "mx2",
                        "type": "select_one",
                        "label": {"vi": "B", "en": "B"},
                        "choices": [{"name": "x", "label": {"vi": "X", "en": "X"}}],
                    },
                    {"name": "mx3", "type": "text", "label": {"vi": "C", "en": "C"}},
                ],
            },
            {
                "name": "filtered_table",
                "type": "group",
                "label": {"vi": "Bảng lọc", "en": "Filtered table"},
                "appearance": "table-list",
                "children": [
                    {
                        "name": "ft1",
                        "type": "select_one",
                        "label": {"vi": "Hàng 1", "en": "Row 1"},
                        "choice_filter": "name != ${attended}",
                        "choices": YES_NO,
                    },
                    {"name": "ft2", "type": "select_one", "label": {"vi": "Hàng 2", "en": "Row 2"}, "choices": YES_NO},
                ],
            },
        ],
    }


def classic_tables() -> dict:
    """Matrices with the rules a definition had before forms-spec §1 (which today's import
    reads back), at the top and in a group, beside a rating and an "other"."""
    return {
        "title": {"vi": "Bảng cổ điển", "en": "Classic tables"},
        "questions": [
            {
                "name": "attended",
                "type": "select_one",
                "label": {"vi": "Có dự?", "en": "Attended?"},
                "or_other": True,
                "choices": YES_NO,
            },
            {
                "name": "quality",
                "type": "matrix",
                "label": {"vi": "Chất lượng", "en": "Quality"},
                "hint": {"vi": "1 = kém", "en": "1 = poor"},
                "relevant": "${attended} = 'yes'",
                "required": True,
                "constraint": ". >= 2",
                "constraint_message": {"vi": "Ít nhất 2.", "en": "At least 2."},
                "scale": {"min": 1, "max": 7, "max_label": {"vi": "Tốt", "en": "Good"}},
                "items": [
                    {"name": "content", "label": {"vi": "Nội dung", "en": "Content"}},
                    {"name": "method", "label": {"vi": "Phương pháp"}},
                ],
            },
            {
                "name": "block",
                "type": "group",
                "label": {"vi": "Khối"},
                "relevant": "${content} > 3",
                "children": [
                    {
                        "name": "tenscale",
                        "type": "matrix",
                        "label": {"vi": "Thang 0–10"},
                        "scale": {"min": 0, "max": 10},
                        "items": [{"name": "t1", "label": {"vi": "Một"}}, {"name": "t2", "label": {"vi": "Hai"}}],
                    },
                    {"name": "overall", "type": "rating", "label": {"vi": "Chung"}, "scale": {"min": 1, "max": 10}},
                ],
            },
        ],
    }


def unlabelled() -> dict:
    """Questions pyxform would refuse without a label: the export labels them with their name."""
    return {
        "title": {"vi": "Không nhãn"},
        "questions": [
            {"name": "press_me", "type": "trigger"},
            {"name": "plain", "type": "text", "hint": {"vi": "Chỉ có gợi ý"}},
            {"name": "scale", "type": "matrix", "scale": {"min": 1, "max": 5}, "items": [{"name": "row_one"}]},
        ],
    }


# Every definition above, by name; and those today's import reads back (the others need the
# import of forms-spec §1, written in parallel: the coordinator runs their round trip after merge).
CASES = {
    "every_new_type": every_new_type,
    "household_repeats": household_repeats,
    "cascading_lists": cascading_lists,
    "or_other_filtered": or_other_filtered,
    "many_languages": many_languages,
    "english_only": english_only,
    "table_lists": table_lists,
    "refused_table_lists": refused_table_lists,
    "classic_tables": classic_tables,
    "unlabelled": unlabelled,
}
ROUND_TRIP_TODAY = ["classic_tables"]
ROUND_TRIP_NEEDS_NEW_IMPORT = [
    "every_new_type",
    "household_repeats",
    "cascading_lists",
    "many_languages",
    "english_only",
    "table_lists",
]
