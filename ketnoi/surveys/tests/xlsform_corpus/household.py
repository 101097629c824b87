"""A household survey as a KoboToolbox partner writes it: three languages, a repeat of household
members with a nested group, a total calculated and shown in a note, cascading province →
district lists, a photo, a GPS point, instance_name and the metadata rows Kobo adds."""

from ..xlsform_builders import rows, xlsx

VI, EN, KM = "Tiếng Việt (vi)", "English (en)", "Khmer (km)"
HEADER = [
    "type",
    "name",
    f"label::{VI}",
    f"label::{EN}",
    f"label::{KM}",
    f"hint::{VI}",
    f"hint::{EN}",
    "required",
    "relevant",
    "constraint",
    f"constraint_message::{VI}",
    f"constraint_message::{EN}",
    "calculation",
    "choice_filter",
    "appearance",
    "repeat_count",
    "parameters",
    "default",
    "$kuid",
]


def _row(kind, name, vi=None, en=None, km=None, **extra) -> list:
    row = [kind, name, vi, en, km] + [None] * (len(HEADER) - 5)
    columns = {
        "hint_vi": 5,
        "hint_en": 6,
        "required": 7,
        "relevant": 8,
        "constraint": 9,
        "msg_vi": 10,
        "msg_en": 11,
        "calculation": 12,
        "choice_filter": 13,
        "appearance": 14,
        "repeat_count": 15,
        "parameters": 16,
        "default": 17,
        "kuid": 18,
    }
    for key, value in extra.items():
        row[columns[key]] = value
    return row


SURVEY = [
    _row("start", "start"),
    _row("end", "end"),
    _row("today", "today"),
    _row("deviceid", "deviceid"),
    _row("note", "intro", "Phiếu khảo sát hộ gia đình", "Household survey", "ការស្ទង់មតិគ្រួសារ", kuid="a1"),
    _row("begin_group", "location", "Địa bàn", "Location", "ទីតាំង", appearance="field-list"),
    _row("select_one province", "province", "Tỉnh", "Province", "ខេត្ត", required="yes"),
    _row(
        "select_one district",
        "district",
        "Huyện",
        "District",
        "ស្រុក",
        required="yes",
        choice_filter="province=${province}",
    ),
    _row("text", "village", "Thôn/xóm", "Village", "ភូមិ", required="yes"),
    _row("geopoint", "gps", "Vị trí hộ", "Household location", "ទីតាំងគ្រួសារ", hint_vi="Đứng trước cửa nhà"),
    _row("end_group", None),
    _row("text", "head_name", "Tên chủ hộ", "Name of household head", "ឈ្មោះមេគ្រួសារ", required="yes"),
    _row("select_one yes_no", "consent", "Chủ hộ đồng ý trả lời?", "Does the head agree?", "យល់ព្រម?", required="yes"),
    _row("begin_group", "main", "Thông tin hộ", "Household", "គ្រួសារ", relevant="${consent} = 'yes'"),
    _row(
        "integer",
        "n_members",
        "Số người trong hộ",
        "Household size",
        "ចំនួនសមាជិក",
        required="yes",
        constraint=". >= 1 and . <= 30",
        msg_vi="Từ 1 đến 30 người.",
        msg_en="Between 1 and 30.",
    ),
    _row("begin_repeat", "member", "Thành viên", "Member", "សមាជិក", repeat_count="${n_members}"),
    _row("text", "m_name", "Họ tên", "Name", "ឈ្មោះ", required="yes"),
    _row("select_one sex", "m_sex", "Giới tính", "Sex", "ភេទ", required="yes", appearance="horizontal"),
    _row("integer", "m_age", "Tuổi", "Age", "អាយុ", required="yes", constraint=". >= 0 and . <= 120"),
    _row("begin_group", "m_school", "Học tập", "Schooling", "ការសិក្សា", relevant="${m_age} >= 6 and ${m_age} <= 18"),
    _row("select_one yes_no", "m_in_school", "Đang đi học?", "In school?", "កំពុងរៀន?"),
    _row(
        "select_one grade", "m_grade", "Lớp", "Grade", "ថ្នាក់", relevant="${m_in_school} = 'yes'", appearance="minimal"
    ),
    _row("end_group", None),
    _row("select_multiple work", "m_work", "Công việc", "Work", "ការងារ", relevant="${m_age} >= 15"),
    _row(
        "decimal",
        "m_income",
        "Thu nhập tháng (triệu đồng)",
        "Monthly income (million VND)",
        "ប្រាក់ចំណូល",
        relevant="${m_age} >= 15",
        default="0",
    ),
    _row("end_repeat", None),
    _row("calculate", "total_income", calculation="sum(${m_income})"),
    _row("calculate", "n_children", calculation="count(${m_age})"),
    _row(
        "note",
        "income_note",
        "Tổng thu nhập của hộ: ${total_income} triệu đồng.",
        "Household income: ${total_income} million VND.",
        "ប្រាក់ចំណូលសរុប: ${total_income}",
    ),
    _row("select_one yes_no", "has_toilet", "Hộ có nhà vệ sinh?", "Does the household have a toilet?", "បង្គន់?"),
    _row(
        "select_one toilet or_other",
        "toilet_type",
        "Loại nhà vệ sinh",
        "Toilet type",
        "ប្រភេទ",
        relevant="${has_toilet} = 'yes'",
    ),
    _row("select_one water", "water", "Nguồn nước chính", "Main water source", "ប្រភពទឹក", appearance="minimal"),
    _row("image", "house_photo", "Ảnh ngôi nhà", "Photo of the house", "រូបផ្ទះ", parameters="max-pixels=1024"),
    _row("begin_group", "assets", "Tài sản", "Assets", "ទ្រព្យសម្បត្តិ", appearance="table-list"),
    _row("select_one yes_no", "has_tv", "Ti vi", "TV", "ទូរទស្សន៍"),
    _row("select_one yes_no", "has_motorbike", "Xe máy", "Motorbike", "ម៉ូតូ"),
    _row("select_one yes_no", "has_fridge", "Tủ lạnh", "Fridge", "ទូរទឹកកក"),
    _row("end_group", None),
    _row("begin_group", "wellbeing", "Đánh giá cuộc sống", "Well-being", "សុខុមាលភាព", appearance="table-list"),
    _row("select_one agree", "wb_food", "Đủ ăn quanh năm", "Enough food all year", "អាហារ"),
    _row("select_one agree", "wb_health", "Sức khoẻ tốt", "Good health", "សុខភាព"),
    _row("end_group", None),
    _row("select_one yes_no", "has_livestock", "Hộ có nuôi gia súc?", "Does the household keep livestock?", "សត្វ?"),
    _row("begin_repeat", "livestock", "Gia súc", "Livestock", "សត្វ", relevant="${has_livestock} = 'yes'"),
    _row("select_one animal", "animal", "Loài", "Animal", "ប្រភេទសត្វ", required="yes"),
    _row("integer", "animal_count", "Số con", "How many", "ចំនួន", constraint=". > 0"),
    _row("end_repeat", None),
    _row("calculate", "n_animal_kinds", calculation="count(${animal})"),
    _row(
        "range",
        "satisfaction",
        "Mức hài lòng với dịch vụ xã",
        "Satisfaction with commune services",
        "ការពេញចិត្ត",
        parameters="start=0 end=10 step=1",
    ),
    _row("audio", "voice_note", "Ghi âm ý kiến (nếu đồng ý)", "Recorded comment (if agreed)", "សំឡេង"),
    _row("time", "visit_time", "Giờ bắt đầu phỏng vấn", "Interview start time", "ម៉ោង"),
    _row("hidden", "survey_round", default="round1_2024"),
    _row("acknowledge", "checked", "Tôi đã kiểm tra lại các câu trả lời", "I have checked the answers", "ខ្ញុំបានពិនិត្យ"),
    _row("date", "visit_date", "Ngày phỏng vấn", "Interview date", "កាលបរិច្ឆេទ", constraint=". <= today()"),
    _row("text", "comments", "Ghi chú của điều tra viên", "Enumerator notes", "កំណត់ចំណាំ", appearance="multiline"),
    _row("end_group", None),
    _row("note", "thanks", "Cảm ơn ${head_name}!", "Thank you, ${head_name}!", "អរគុណ ${head_name}!"),
    _row("username", "username"),
    _row("audit", "audit"),
]

CHOICES = [
    ["list_name", "name", f"label::{VI}", f"label::{EN}", f"label::{KM}", "province", "image", "$kuid"],
    ["province", "hn", "Hà Nội", "Hanoi", "ហាណូយ", None, None, "k1"],
    ["province", "dt", "Đồng Tháp", "Dong Thap", "ដុងថាប"],
    ["district", "bd", "Ba Đình", "Ba Dinh", "បាឌិញ", "hn"],
    ["district", "hk", "Hoàn Kiếm", "Hoan Kiem", "ហ័នគៀម", "hn"],
    ["district", "cl", "Cao Lãnh", "Cao Lanh", "កាវឡាញ", "dt"],
    ["district", "sd", "Sa Đéc", "Sa Dec", "សាដែក", "dt"],
    ["yes_no", "yes", "Có", "Yes", "បាទ/ចាស"],
    ["yes_no", "no", "Không", "No", "ទេ"],
    ["sex", "f", "Nữ", "Female", "ស្រី"],
    ["sex", "m", "Nam", "Male", "ប្រុស"],
    ["grade", "primary", "Tiểu học", "Primary", "បឋម"],
    ["grade", "secondary", "Trung học", "Secondary", "មធ្យម"],
    ["work", "farm", "Làm ruộng", "Farming", "កសិកម្ម"],
    ["work", "trade", "Buôn bán", "Trade", "ពាណិជ្ជកម្ម"],
    ["work", "wage", "Làm thuê", "Wage work", "ការងារឈ្នួល"],
    ["toilet", "flush", "Tự hoại", "Flush", "បង្គន់ចាក់ទឹក", None, "flush.png"],
    ["toilet", "pit", "Hố xí", "Pit latrine", "រណ្តៅ", None, "pit.png"],
    ["water", "tap", "Nước máy", "Tap", "ទឹកម៉ាស៊ីន"],
    ["water", "well", "Giếng", "Well", "អណ្តូង"],
    ["water", "river", "Sông, suối", "River", "ទន្លេ"],
    *[["agree", n, str(n), str(n), str(n)] for n in range(1, 6)],
    ["animal", "cow", "Bò", "Cow", "គោ"],
    ["animal", "buffalo", "Trâu", "Buffalo", "ក្របី"],
    ["animal", "pig", "Lợn", "Pig", "ជ្រូក"],
]

SETTINGS = [
    ["form_title", "form_id", "version", "instance_name", "default_language"],
    ["Khảo sát hộ gia đình 2024", "household_2024", "2024031501", "${head_name}", VI],
]

FILES = {"flush.png": b"\x89PNG\r\n\x1a\nflush", "pit.png": b"\x89PNG\r\n\x1a\npit"}


def household() -> bytes:
    return xlsx(rows(HEADER, *SURVEY), CHOICES, SETTINGS)
