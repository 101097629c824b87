"""One small XLSForm per feature of the import (forms-spec §1), each built in code. Every
builder returns (workbook bytes, files uploaded beside it)."""

from ..xlsform_builders import rows, xlsx

YN = [["list_name", "name", "label"], ["yn", "yes", "Có"], ["yn", "no", "Không"]]
PNG = b"\x89PNG\r\n\x1a\n0000"


def repeats() -> tuple[bytes, dict]:
    header = ["type", "name", "label", "repeat_count", "appearance"]
    return xlsx(
        rows(
            header,
            ["integer", "n", "Số người"],
            ["begin_repeat", "member", "Thành viên", "${n}"],
            ["text", "m_name", "Tên"],
            ["begin_group", "m_more", "Thêm", None, "field-list"],
            ["integer", "m_age", "Tuổi"],
            ["end_group"],
            ["begin_repeat", "visit", "Lần thăm"],
            ["date", "v_date", "Ngày"],
            ["end_repeat"],
            ["end_repeat"],
            ["begin_repeat", "three", "Ba lần", 3],
            ["text", "t", "T"],
            ["end_repeat"],
            ["begin repeat", "free", "Tự do"],
            ["text", "f", "F"],
            ["end repeat"],
        )
    ), {}


def calculations() -> tuple[bytes, dict]:
    header = ["type", "name", "label", "calculation", "read_only", "default"]
    return xlsx(
        rows(
            header,
            ["integer", "a", "A"],
            ["integer", "b", "B"],
            ["calculate", "total", None, "${a} + ${b}"],
            ["integer", "shown", "Tổng", "${a} + ${b}", "yes"],
            ["note", "say", "Tổng là ${total}"],
            ["hidden", "secret", None, None, None, "x1"],
            ["text", "later", "Trước", None, None, None],
        )
    ), {}


def forward_reference() -> tuple[bytes, dict]:
    return xlsx(rows(["type", "name", "label", "relevant"], ["text", "b", "B", "${a} = 'x'"], ["text", "a", "A"])), {}


def cascading() -> tuple[bytes, dict]:
    return xlsx(
        rows(
            ["type", "name", "label", "choice_filter"],
            ["select_one province", "province", "Tỉnh"],
            ["select_one district", "district", "Huyện", "province=${province}"],
        ),
        [
            ["list_name", "name", "label", "province", "zone"],
            ["province", "hn", "Hà Nội", None, "north"],
            ["province", "dt", "Đồng Tháp", None, "south"],
            ["district", "bd", "Ba Đình", "hn"],
            ["district", "cl", "Cao Lãnh", "dt"],
        ],
    ), {}


def or_other_both_spellings() -> tuple[bytes, dict]:
    return xlsx(
        rows(
            ["type", "name", "label"],
            ["select_one yn or_other", "a", "A"],
            ["select_multiple yn or specify other", "b", "B"],
            ["select_one yn", "c", "C"],
        ),
        YN,
    ), {}


def every_new_type() -> tuple[bytes, dict]:
    header = ["type", "name", "label", "parameters", "appearance", "default"]
    return xlsx(
        rows(
            header,
            ["time", "t", "Giờ"],
            ["datetime", "dt", "Lúc"],
            ["date", "d_fixed", "Ngày cố định", None, None, "2024-03-01"],
            ["dateTime", "dt2", "Lúc 2"],
            ["range", "r", "Thanh trượt", "start=0 end=100 step=5"],
            ["range", "r_default", "Thanh trượt mặc định"],
            ["rank yn", "rk", "Xếp hạng"],
            ["acknowledge", "ack", "Tôi đồng ý"],
            ["trigger", "trg", "Bấm"],
            ["geopoint", "gps", "Vị trí"],
            ["image", "photo", "Ảnh", "max-pixels=1024"],
            ["audio", "voice", "Ghi âm", "quality=normal"],
            ["file", "doc", "Tệp"],
            ["string", "s", "Chữ"],
            ["int", "i", "Số"],
            ["select1 yn", "s1", "Chọn"],
            ["select one from yn", "s3", "Chọn 3"],
            ["select all that apply from yn or specify other", "m3", "Chọn nhiều 3"],
            ["select one yn", "s2", "Chọn 2", None, "horizontal"],
            ["select_one yn", "lk", "Likert chữ", None, "likert"],
            ["photo", "p2", "Ảnh 2"],
        ),
        YN,
    ), {}


def texts_and_media() -> tuple[bytes, dict]:
    header = [
        "type",
        "name",
        "label::Tiếng Việt (vi)",
        "label::English (en)",
        "guidance_hint::Tiếng Việt (vi)",
        "required",
        "required_message::Tiếng Việt (vi)",
        "required_message::English (en)",
        "constraint",
        "constraint_message::Tiếng Việt (vi)",
        "constraint_message::English (en)",
        "media::image::Tiếng Việt (vi)",
        "media::audio::English (en)",
        "default",
    ]
    return xlsx(
        rows(
            header,
            [
                "integer",
                "age",
                "Tuổi",
                "Age",
                "Hỏi tuổi tròn",
                "yes",
                "Cần tuổi",
                "Age needed",
                ". < 120",
                "Dưới 120",
                "Under 120",
                "age.png",
                "age.mp3",
                "30",
            ],
            ["select_one pics", "pick", "Chọn hình", "Pick a picture"],
        ),
        [
            ["list_name", "name", "label::Tiếng Việt (vi)", "image", "media::image::English (en)"],
            ["pics", "cat", None, "cat.png", "cat_en.png"],
            ["pics", "dog", "Chó", "dog.png"],
        ],
    ), {"age.png": PNG, "age.mp3": b"ID3\x03", "cat.png": PNG, "cat_en.png": PNG, "dog.png": PNG, "extra.txt": b"x"}


def many_languages() -> tuple[bytes, dict]:
    header = ["type", "name", "label::Tiếng Việt (vi)", "label::English (en)", "label::Khmer (km)", "label::Français"]
    return xlsx(
        rows(header, ["text", "q", "Câu hỏi", "Question", "សំណួរ", "Question (fr)"]),
        None,
        [["form_title", "default_language"], ["Bốn thứ tiếng", "English (en)"]],
    ), {}


def no_vietnamese() -> tuple[bytes, dict]:
    return xlsx(
        rows(["type", "name", "label::English (en)", "label::Khmer (km)"], ["text", "q", "Question", "សំណួរ"])
    ), {}


def settings_kept() -> tuple[bytes, dict]:
    return xlsx(
        rows(["type", "name", "label"], ["text", "name", "Tên"]),
        None,
        [
            ["form_title", "form_id", "version", "instance_name", "style"],
            ["Thiết lập", "my_form", "2024031501", "${name}", "pages"],
        ],
    ), {}


def from_csv_and_xml() -> tuple[bytes, dict]:
    csv = "name,label,label::English (en),province\nbd,Ba Đình,Ba Dinh,hn\ncl,Cao Lãnh,Cao Lanh,dt\n".encode()
    xml = (
        b"<?xml version='1.0'?><root><item><name>a</name><label>Mot</label></item>"
        b"<item><name>b</name><label>Hai</label></item></root>"
    )
    custom = "code;ten\nx1;Xã Một\nx2;Xã Hai\n".encode()
    return xlsx(
        rows(
            ["type", "name", "label::Tiếng Việt (vi)", "parameters"],
            ["select_one_from_file districts.csv", "district", "Huyện"],
            ["select_multiple_from_file items.xml", "items", "Mục"],
            ["select_one_from_file communes.csv", "commune", "Xã", "value=code label=ten"],
        )
    ), {"districts.csv": csv, "items.xml": xml, "communes.csv": custom}


def table_list_groups() -> tuple[bytes, dict]:
    return xlsx(
        rows(
            ["type", "name", "label", "appearance"],
            ["begin_group", "scores", "Chấm điểm", "table-list"],
            ["select_one five", "s1", "Nội dung"],
            ["select_one five", "s2", "Trình bày"],
            ["end_group"],
            ["begin_group", "yesno", "Có/không", "table-list"],
            ["select_one yn", "y1", "Một"],
            ["select_one yn", "y2", "Hai"],
            ["end_group"],
        ),
        [["list_name", "name", "label"], *[["five", n, str(n)] for n in range(1, 6)], *YN[1:]],
    ), {}


def metadata_rows() -> tuple[bytes, dict]:
    return xlsx(
        rows(
            ["type", "name", "label", "hxl", "body::accuracyThreshold"],
            ["start", "start"],
            ["end", "end"],
            ["today", "today"],
            ["deviceid", "deviceid"],
            ["audit", "audit"],
            ["username", "username"],
            ["text", "q", "Câu hỏi", "#x"],
            ["geopoint", "g", "Vị trí", None, "5"],
        )
    ), {}
