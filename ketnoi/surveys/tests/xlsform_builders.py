"""XLSForm workbooks built in memory with openpyxl, for the import and export tests.

`xlsx(survey=[header, row, …], choices=[…], settings=[…])` writes the sheets as given (a cell
left None stays empty). VARIED_FORMS holds a varied set of real-looking forms, the kind a
partner brings from KoboToolbox or writes by hand; the import tests check each field of each,
the export tests send each round the export and back.
"""

import base64
import io
import zlib
from collections.abc import Callable

import openpyxl

VI, EN = "Vietnamese (vi)", "English (en)"
LABEL_VI, LABEL_EN = f"label::{VI}", f"label::{EN}"
HINT_VI, HINT_EN = f"hint::{VI}", f"hint::{EN}"
MSG_VI, MSG_EN = f"constraint_message::{VI}", f"constraint_message::{EN}"
CHOICES_HEADER = ["list_name", "name", LABEL_VI, LABEL_EN]


def xlsx(
    survey: list[list] | None = None,
    choices: list[list] | None = None,
    settings: list[list] | None = None,
    *,
    survey_sheet: str = "survey",
    extra_sheets: dict[str, list[list]] | None = None,
) -> bytes:
    workbook = openpyxl.Workbook()
    first = workbook.active
    sheets: list[tuple[str, list[list] | None]] = [(survey_sheet, survey)]
    if choices is not None:
        sheets.append(("choices", choices))
    if settings is not None:
        sheets.append(("settings", settings))
    sheets.extend((extra_sheets or {}).items())
    for index, (name, rows) in enumerate(sheets):
        sheet = first if index == 0 else workbook.create_sheet(name)
        sheet.title = name
        for row in rows or []:
            sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def rows(header: list[str], *body: list) -> list[list]:
    """A sheet: the header, then each row padded to the header's width."""
    return [header, *[list(row) + [None] * (len(header) - len(row)) for row in body]]


def survey(*body: list, header: list[str] | None = None) -> list[list]:
    return rows(header or ["type", "name", LABEL_VI, LABEL_EN], *body)


def choice_rows(*body: list) -> list[list]:
    return rows(CHOICES_HEADER, *body)


def scale_choices(list_name: str, low: int, high: int, low_label=("", ""), high_label=("", "")) -> list[list]:
    result = []
    for number in range(low, high + 1):
        vi, en = low_label if number == low else high_label if number == high else (str(number), str(number))
        result.append([list_name, number, vi or str(number), en or str(number)])
    return result


def settings(title: str = "Biểu mẫu thử", form_id: str = "thu", **extra: str) -> list[list]:
    header = ["form_title", "form_id", *extra]
    return [header, [title, form_id, *extra.values()]]


# The varied set ---------------------------------------------------------------------------------


def every_type() -> bytes:
    header = ["type", "name", LABEL_VI, LABEL_EN, HINT_VI, HINT_EN, "required", "appearance"]
    return xlsx(
        rows(
            header,
            ["note", "intro", "Cảm ơn anh/chị đã tham gia.", "Thank you for taking part."],
            ["text", "full_name", "Họ và tên", "Full name", "Viết hoa chữ cái đầu", "Capitalise", "yes"],
            ["text", "comments", "Ý kiến khác", "Other comments", None, None, None, "multiline"],
            ["integer", "age", "Tuổi", "Age", None, None, "TRUE"],
            ["decimal", "hours", "Số giờ học", "Hours of study"],
            ["date", "attended_on", "Ngày tham dự", "Date attended"],
            ["select_one yes_no", "first_time", "Lần đầu tham gia?", "First time?", None, None, "yes"],
            ["select_multiple topics", "topics", "Chủ đề quan tâm", "Topics of interest", None, None, None, "minimal"],
            ["select_one agree5", "satisfied", "Mức độ hài lòng", "Satisfaction", None, None, "yes", "likert"],
        ),
        choice_rows(
            ["yes_no", "yes", "Có", "Yes"],
            ["yes_no", "no", "Không", "No"],
            ["topics", "law", "Pháp luật", "Law"],
            ["topics", "finance", "Tài chính", "Finance"],
            ["topics", "media", "Truyền thông", "Media"],
            *scale_choices("agree5", 1, 5, ("Rất không hài lòng", "Very unhappy"), ("Rất hài lòng", "Very happy")),
        ),
        settings("Mọi loại câu hỏi", "every_type", default_language=VI, form_title_en="Every question type"),
    )


def nested_groups() -> bytes:
    header = ["type", "name", LABEL_VI, LABEL_EN, "relevant"]
    return xlsx(
        rows(
            header,
            ["select_one yes_no", "consent", "Anh/chị đồng ý tham gia?", "Do you agree to take part?"],
            ["begin_group", "about", "Về anh/chị", "About you", "${consent} = 'yes'"],
            ["text", "organisation", "Cơ quan", "Organisation"],
            ["begin_group", "work", "Công việc", "Work"],
            ["integer", "years", "Số năm công tác", "Years in post"],
            ["select_one yes_no", "manages", "Có quản lý nhân sự?", "Do you manage staff?", "${years} >= 2"],
            ["integer", "team_size", "Quy mô nhóm", "Team size", "${manages} = 'yes'"],
            ["end_group"],
            ["note", "thanks", "Cảm ơn", "Thanks", "${team_size} > 10 or ${years} > 20"],
            ["end_group"],
            ["text", "last", "Lời cuối", "Last words"],
        ),
        choice_rows(["yes_no", "yes", "Có", "Yes"], ["yes_no", "no", "Không", "No"]),
        settings("Nhóm lồng nhau", "nested"),
    )


def constraints() -> bytes:
    header = ["type", "name", LABEL_VI, LABEL_EN, "constraint", MSG_VI, MSG_EN, "required"]
    return xlsx(
        rows(
            header,
            ["integer", "age", "Tuổi", "Age", ". >= 18 and . <= 70", "Từ 18 đến 70 tuổi.", "Between 18 and 70."],
            [
                "text",
                "phone",
                "Điện thoại",
                "Phone",
                "regex(., '0[0-9]{9}')",
                "10 chữ số, bắt đầu bằng 0.",
                "10 digits.",
            ],
            ["text", "summary", "Tóm tắt", "Summary", "string-length(.) <= 200", "Tối đa 200 ký tự.", "200 at most."],
            ["decimal", "score", "Điểm", "Score", ". >= 0 and . <= 10", "Từ 0 đến 10.", "0 to 10.", "yes"],
            ["date", "when", "Ngày", "Date", ". <= today()", "Không chọn ngày tương lai.", "Not in the future."],
            [
                "select_multiple topics",
                "topics",
                "Chủ đề",
                "Topics",
                "count-selected(.) <= 2",
                "Chọn tối đa 2.",
                "Two at most.",
            ],
        ),
        choice_rows(["topics", "a", "A", "A"], ["topics", "b", "B", "B"], ["topics", "c", "C", "C"]),
        settings("Ràng buộc", "constraints"),
    )


def or_other() -> bytes:
    header = ["type", "name", LABEL_VI, LABEL_EN, "relevant", "required"]
    return xlsx(
        rows(
            header,
            ["select_one org_type or_other", "org_type", "Loại tổ chức", "Organisation type", None, "yes"],
            ["select_multiple channels or_other", "channels", "Kênh thông tin", "Channels"],
            ["text", "which_other", "Kênh khác là gì?", "Which other channel?", "selected(${channels}, 'other')"],
        ),
        choice_rows(
            ["org_type", "state", "Cơ quan nhà nước", "State agency"],
            ["org_type", "cso", "Tổ chức xã hội", "CSO"],
            ["channels", "email", "Thư điện tử", "E-mail"],
            ["channels", "zalo", "Zalo", "Zalo"],
        ),
        settings("Lựa chọn khác", "or_other"),
    )


def likert_ten() -> bytes:
    header = ["type", "name", LABEL_VI, LABEL_EN, "appearance", "required"]
    return xlsx(
        rows(
            header,
            ["select_one ten", "recommend", "Khả năng giới thiệu", "How likely to recommend", "likert", "yes"],
            ["select_one zero_ten", "nps", "Điểm NPS", "NPS", "likert"],
            ["select_one ten", "plain_ten", "Không likert", "Not likert"],
        ),
        choice_rows(
            *scale_choices("ten", 1, 10, ("Chắc chắn không", "Not at all"), ("Chắc chắn có", "Certainly")),
            *scale_choices("zero_ten", 0, 10),
        ),
        settings("Thang 1–10", "likert_ten"),
    )


def table_list_matrix() -> bytes:
    header = ["type", "name", LABEL_VI, LABEL_EN, "appearance", "required", "relevant", HINT_VI, HINT_EN]
    return xlsx(
        rows(
            header,
            ["select_one yes_no", "attended", "Anh/chị có dự buổi học?", "Did you attend?"],
            [
                "begin_group",
                "quality",
                "Đánh giá bài giảng",
                "Rate the lecture",
                "table-list",
                None,
                "${attended} = 'yes'",
                "1 = kém, 5 = tốt",
                "1 = poor, 5 = good",
            ],
            ["select_one agree", "content", "Nội dung", "Content", None, "yes"],
            ["select_one agree", "method", "Phương pháp", "Method", None, "yes"],
            ["select_one agree", "timing", "Thời lượng", "Timing", None, "yes"],
            ["end_group"],
            ["begin_group", "words", "Bảng chữ", "Word table", "table-list"],
            ["select_one yes_no", "w1", "Hàng 1", "Row 1"],
            ["select_one yes_no", "w2", "Hàng 2", "Row 2"],
            ["end_group"],
            ["begin_group", "uneven", "Bảng không đều", "Uneven table", "table-list"],
            ["select_one agree", "u1", "Hàng 1", "Row 1", None, "yes"],
            ["select_one agree", "u2", "Hàng 2", "Row 2", None, None, "${u1} > 2"],
            ["end_group"],
        ),
        choice_rows(
            ["yes_no", "yes", "Có", "Yes"],
            ["yes_no", "no", "Không", "No"],
            *scale_choices("agree", 1, 5, ("Rất không đồng ý", "Strongly disagree"), ("Rất đồng ý", "Strongly agree")),
        ),
        settings("Bảng đánh giá", "matrix"),
    )


def english_only() -> bytes:
    header = ["type", "name", "label::English (en)", "hint::English (en)"]
    return xlsx(
        rows(
            header,
            ["text", "name", "Your name", "As on your ID"],
            ["select_one yn", "ok", "All good?"],
        ),
        rows(["list_name", "name", "label::English (en)"], ["yn", "yes", "Yes"], ["yn", "no", "No"]),
        settings("English form", "english", default_language="English (en)"),
    )


def plain_label() -> bytes:
    header = ["type", "name", "label", "hint", "constraint", "constraint_message"]
    return xlsx(
        rows(
            header,
            ["text", "ho_ten", "Họ tên", "Ghi đầy đủ"],
            ["integer", "so_nam", "Số năm", None, ". > 0", "Phải lớn hơn 0"],
            ["select_one co_khong", "dong_y", "Đồng ý?"],
        ),
        rows(["list_name", "name", "label"], ["co_khong", "co", "Có"], ["co_khong", "khong", "Không"]),
        [["form_title"], ["Nhãn thường"]],
    )


def numeric_choices() -> bytes:
    return xlsx(
        survey(
            ["select_one grade", "grade", "Khối lớp", "Grade"],
            ["select_multiple years", "years", "Năm", "Years"],
            ["select_one half", "half", "Nửa điểm", "Half points"],
        ),
        choice_rows(
            ["grade", 10, "Lớp 10", "Grade 10"],
            ["grade", 11, "Lớp 11", "Grade 11"],
            ["grade", 12, "Lớp 12", "Grade 12"],
            ["years", 2024, "2024", "2024"],
            ["years", 2025, "2025", "2025"],
            ["half", 0.5, "Nửa", "Half"],
            ["half", 1, "Một", "One"],
        ),
        settings("Mã số", "numeric"),
    )


def kobo_style() -> bytes:
    """What KoboToolbox's form builder exports: metadata rows, spaced type aliases, XPath paths in
    expressions, a `Tiếng Việt` language column, a name-less note."""
    header = ["type", "name", "label::Tiếng Việt (vi)", "label::English (en)", "relevant", "required"]
    return xlsx(
        rows(
            header,
            ["start", "start"],
            ["end", "end"],
            ["today", "today"],
            ["deviceid", "deviceid"],
            ["note", None, "Phiếu khảo sát", "Survey"],
            ["begin group", "g1", "Phần 1", "Part 1"],
            ["select one yn", "q1", "Câu 1", "Question 1", None, "true()"],
            ["integer", "q2", "Câu 2", "Question 2", "../q1 = 'yes'"],
            ["end group"],
            ["text", "q3", "Câu 3", "Question 3", "/kobo/g1/q2 > 3 and selected(${q1}, 'yes')"],
        ),
        rows(
            ["list_name", "name", "label::Tiếng Việt (vi)", "label::English (en)"],
            ["yn", "yes", "Có", "Yes"],
            ["yn", "no", "Không", "No"],
        ),
        [["form_title", "form_id", "version"], ["Kobo", "kobo", "vQ3"]],
    )


VARIED_FORMS: dict[str, Callable[[], bytes]] = {
    "every_type": every_type,
    "nested_groups": nested_groups,
    "constraints": constraints,
    "or_other": or_other,
    "likert_ten": likert_ten,
    "table_list_matrix": table_list_matrix,
    "english_only": english_only,
    "plain_label": plain_label,
    "numeric_choices": numeric_choices,
    "kobo_style": kobo_style,
}


# Legacy .xls (BIFF) workbooks, which openpyxl cannot write: made once with xlwt and kept here
# zlib-compressed and base64-encoded. Survey: a likert select_one "useful" over "agree" 1–5 (ends
# labelled Không/No and Rất/Very), required; a group "more" relevant on ${useful} >= 4 holding a
# multiline text "why"; settings form_title "Phản hồi (xls)". The second adds a geopoint on row 6.


def legacy_xls(with_geopoint: bool = False) -> bytes:
    return zlib.decompress(base64.b64decode("".join(_XLS_WITH_GEOPOINT if with_geopoint else _XLS)))


_XLS = (
    "eNrtWE1sG0UUfrNeO7GbHzt/kLQ1S2hLUiohaA+oUmpAKkVCjUKFEoSQzMae2qus12Z3HWIQ0FJ8RELiBOJSUQ5cCr1QED2UGwek"
    "InpAICElcONHCKlIHNqY997+4AUL1RIEgjzWvJlvdt57+2a+ebPyZ1cy62cvTG3AH8oRiMFmKwmJtjGBNRmANODzVou6QduPtdUr"
    "26ok+3EjE3H4aPDTPtpD2u8NUOA99WOUAN9gfRJqMF+1pLaF5UF+B13QO8yJBHJPQUa+iXIIJvnNRlgWWI6yfJdnX2J5P4+8wnIO"
    "566LJ+BKbn7/fT6TH1em+dkQSgEXWecrHrkHxuETYvKLrwpvbhwesA3d/G8+yKoDcA5w745JS9q6uQ5juInn4JeWBnAtOK2Xtd74"
    "1o4LwPFfo+N9HcZfU1SAU9B6ShARm0jI03HvIDp1e1U2mjAMBmVW1C6Uq0ZBOk1MvnKHl3Ed6bqGVXKuwwVxN47sxYoG3UZNYmPp"
    "FTkBYOrL0jx8eNGQLo04UptZNWZHwwdHrZJpOGVtRlqzKQC9VpO6rVsFiX5t+XTdsGWRu6Zc1S0XM4aD3YKbp6Sgl2wpMW3UHXmy"
    "bmZAPAxfZg2M0oUyvJWtYq8MP2Xr2P6Ix7UMOYwRlnRHM1zNU8qhummsSNuNATSkg7Ety5Jh5Ut2tV7DOCpVm8J5rPxdBZvjiNDE"
    "nuc87ee1I3PaIQparpGBZ8oNPA6LP2iOXs3h8FK5kcNrq1I3XcM0LIl9aRU920ly7Lh5WhZcdo4F20fK16wSJoP5Kh62e7EexHoo"
    "BuIEvJ11aYEXpd3ApTpZtSt513BN2ecDozgEYoFDtzj0q7wYM7AGJjgwS7fkmunkaXKKLlROwOlIAh7kpDSAsoi7T/0Mp6Y0Kl9/"
    "5+fPjy8v5PI8coovXe9q3ktMghacJg1UHuInTCbKD7CfNe5i+RJb3cn9KZZjOBPbfQvjfuehMzznZX66D/0c5HI1d2dbfwb7ze8f"
    "/SDb/DZHoZ0/tvHs2PkvcmdhGj8ViqhPvzNwQBwQb7xO5cNc0Ao/hX/NcvJP6bxfSfvv3vK/P4bhBqS4m2HpIVodESLFXysPxRDF"
    "QqQiUkMURxQPUQJRwvcqGEe9Cvba588X7LU/ROQ1GSLymgoRed0RIvI64PtROkSnsJ9Bf76390MhIj/DISI/6RBRBBnfcozji1qO"
    "seURf36MLY+GiCyPhYgsj4eIIpjwLau84lHLKlu+hT4blRF4n0LAC/j3shU89z5U1W3Mc7Ujz2/tiucBe9WO7J1E+YISsDcRYe9U"
    "hL072xiqdmRoYMvbtVSEobsiDN3Vxkm1IycDW7EI2z1O7o5wcncbC9WOLAxsqWwrYLvKtrIhivmIbMU72IpHbMXZ1oSvHWdbt4WI"
    "bGkB9+Hf4L4Syu3KfaUj92+PcH+6jd9KR37fEcnOe/5yT3qlV3rFP0zgJ2fvczHhfzDS/zo3sG72/ib535YTUMWfixfYUbCwtaHR"
    "FX8mIC4CW+ImdYL/C6ksoXcbVmCZ32Ola/7i9SLa47lpxfTfd4S69b/ZzXv+w/5/A9bbzNI="
)

_XLS_WITH_GEOPOINT = (
    "eNrtWF1oHFUUPnd+Nj/Nz27+NKmu09imSe2Lpg9SSFeFWkEa0iKJiLBOktvdIZOZdWY2ZhW1WvMoCD4pvhTrgyBVX6yiD/bNB6Fi"
    "H0SpktQ3fxChgg9t1nPO/LijS2lAYyO5y5x7vzv3nnPPvd85d9gvLuRWT78/tAZ/KYdAhfV6G2Qa+gQ+bTHIAr6v16kZ16341LfL"
    "liptrXiQGR0+7vy8hc6QznsNFHhPO48S4DI+j0MFJl1HGptYHuA1mILWMCEyyD0FGfkGyi4Y5JX1sJxj2cvyXR79Ccv7uOdllhM4"
    "dlU8BhcKk/vujZj8qDLM77pQCjjHc77hnruhHz4jJj//igjH6nC/Z5n2zfkir3XAGcCzOyId6Zn2KvThIZ6B3+oGwJU4Wj81tvs3"
    "t18A9v+e7m9p0v+qogGchPoTgoi4goR8Rw8D0a96S7K2At2wSpkVZ8+VXWtO+iuYfC/tCDOuL4PAckr+VbgkxrFnDB9UGNQqEivH"
    "XJQDALY5K+2DB6ctGVCPL43RJWusN3lx2CnZll82RqUz1g5gVirS9ExnTqJdTz5ZtTw5z01bLplOgBnDx+ZcUKSkYJY8KTFtVH15"
    "omrnQDwEX+ct9DKAMryZd7FVhl/yVax/xnAtQwF9hBnTN6zACCcVcLptLUgvUAFq0kffZmXJcoolz61W0I9F1yN3Hin/sIjVUUSo"
    "Yvcz4exnjUMTxgFyWi6TgqfKNQyH6Z8M33QL2D1TrhXw2lqs2oFlW47EtnTmQ93oVUm6FddyAp1mSg9dEd/lDciJy1DFtWZIAXaT"
    "CtykoEg7iGPZbawfLl9xSpg3Jl2My3vwGcfngAriOLyVD+gspqVXw1094XqLxcAKbNkSAWu+C8QU75LDu3SR920UlsEGH48SV7ds"
    "+0Ua3E53L+fqbCpXd3L+6kA5j0Shdo6zWBYnX3371y+Pzk4Vitxzku/n8BbfQ6SDOrxAM3ByF8T6iGYA+3jGXSxfZK07uT3Esg9z"
    "D9YjU/1R48FTPOYlfjuCdsa5XCzsbWiPYnvlx2Mf5le+L5BrZ4+sPd139qvCaRjGr4p5nE+/U7Bf7Bevv0blo0Jciyjbf8ty8G+Z"
    "v1XJRmuvR58q3XAN2rmZYxki2h2RICXaqxCpiNQEaYi0BOmI9ARlEGUiq4Jx2qpgqy3ReMFWWxNEVtsSRFbbE0RWdySIrHZEdpQm"
    "3ilspzMaH559V4LITneCyE42QeRBLtKssn9pzSpr7onGq6y5N0GkuS9BpLk/QeTBQKRZ4x1Pa9ZY8y3RCJ13Oj1C5xG3Rhp1tj2Y"
    "ILI9lCCyvZO+VpUe+IC2A+/9P8vmxYy2hWNGaxozt20oZuJI0JpGwu0on1PiSMikIiGfioQ7GtiuNWV7rCs8tfYU240U240GfmtN"
    "+R3rUlORE/J7V4rfuxoYrTVldKxLY11x5GisazhBaoSuz/1YV8j9gRT370xxf3fMffgvuK8kcqtyX2nK/T0p7o808Ftpyu+9qUw/"
    "et0z2S7b5WYqIopgNbrF9ChPtET/61zDZ337b5L/bTkOLv4CvC0Pg4O1B7UN8WcAdBHrEjc4J/6/kMoMWvdgAWZ5HQsb5i/medHo"
    "zw1PzP5zIbRR++sbWee/bP8PP0vfGQ=="
)
