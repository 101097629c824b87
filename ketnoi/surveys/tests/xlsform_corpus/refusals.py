"""One XLSForm per refusal: (case, workbook bytes, files beside it, words the message must hold
— the sheet, the row, the column and the reason)."""

from ..xlsform_builders import rows, xlsx

H = ["type", "name", "label", "calculation", "choice_filter", "media::image"]
YN = [["list_name", "name", "label"], ["yn", "yes", "Có"], ["yn", "no", "Không"]]


def _survey(*body: list) -> list[list]:
    return rows(H, *body)


REFUSALS = [
    (
        "calculate without calculation",
        xlsx(_survey(["calculate", "c"])),
        {},
        ["Trang survey, dòng 2, cột calculation", "công thức"],
    ),
    (
        "unknown type",
        xlsx(_survey(["textt", "a", "A"])),
        {},
        ["Trang survey, dòng 2, cột type", "“textt”"],
    ),
    (
        "list not on the choices sheet",
        xlsx(_survey(["select_one zz", "a", "A"]), YN),
        {},
        ["Trang survey, dòng 2, cột type", "“zz”", "list_name = zz"],
    ),
    (
        "choices sheet with headers only",
        xlsx(_survey(["select_one yn", "a", "A"]), [["list_name", "name", "label"]]),
        {},
        ["Trang survey, dòng 2, cột type", "“yn”", "chỉ có dòng tiêu đề"],
    ),
    (
        "no choices sheet",
        xlsx(_survey(["text", "t", "T"], ["select_one yn", "a", "A"])),
        {},
        ["Trang survey, dòng 3, cột type", "“yn”", "không có trang choices"],
    ),
    (
        "duplicate choice names",
        xlsx(
            _survey(["select_one yn", "a", "A"]), [["list_name", "name", "label"], ["yn", "y", "Có"], ["yn", "y", "K"]]
        ),
        {},
        ["Trang choices, dòng 3, cột name", "đã có trong cùng danh sách"],
    ),
    (
        "duplicate question names",
        xlsx(_survey(["text", "a", "A"], ["text", "a", "B"])),
        {},
        ["Trang survey, dòng 3, cột name", "“a”"],
    ),
    (
        "duplicate names in two groups",
        xlsx(_survey(["begin_group", "g", "G"], ["text", "a", "A"], ["end_group"], ["text", "a", "B"])),
        {},
        ["Trang survey, dòng 5, cột name", "“a”", "dòng 3"],
    ),
    (
        "begin_group without end_group",
        xlsx(_survey(["begin_group", "g", "G"], ["text", "a", "A"])),
        {},
        ["Trang survey, dòng 2, cột type", "begin_group g", "end_group"],
    ),
    (
        "end_group without begin_group",
        xlsx(_survey(["text", "a", "A"], ["end_group"])),
        {},
        ["Trang survey, dòng 3, cột type", "end_group", "begin_group"],
    ),
    (
        "begin_repeat closed by end_group",
        xlsx(_survey(["begin_repeat", "r", "R"], ["text", "a", "A"], ["end_group"])),
        {},
        ["Trang survey, dòng 4, cột type", "end_group"],
    ),
    (
        "missing name",
        xlsx(_survey(["text", None, "A"])),
        {},
        ["Trang survey, dòng 2, cột name", "chưa có tên"],
    ),
    (
        "bad reference in a label",
        xlsx(_survey(["text", "a", "Chào ${zz}"])),
        {},
        ["Trang survey, dòng 2, cột label", "${zz}"],
    ),
    (
        "bad reference in relevant",
        xlsx(rows(["type", "name", "label", "relevant"], ["text", "a", "A"], ["text", "b", "B", "${zz} = 1"])),
        {},
        ["Trang survey, dòng 3, cột relevant", "${zz}"],
    ),
    (
        "choice_filter with or_other",
        xlsx(_survey(["select_one yn or_other", "a", "A", None, "name='yes'"]), YN),
        {},
        ["Trang survey, dòng 2, cột choice_filter", "or_other"],
    ),
    (
        "invalid form_id setting",
        xlsx(_survey(["text", "a", "A"]), None, [["form_id"], ["có dấu cách"]]),
        {},
        ["Trang settings, cột form_id", "“có dấu cách”"],
    ),
    (
        "default_language not among the languages",
        xlsx(
            rows(["type", "name", "label::English (en)"], ["text", "a", "A"]),
            None,
            [["default_language"], ["Khmer (km)"]],
        ),
        {},
        ["Trang settings, cột default_language", "“Khmer (km)”"],
    ),
    (
        "duplicate column header",
        xlsx([["type", "name", "label", "label"], ["text", "a", "A", "B"]]),
        {},
        ["Trang survey, dòng 1", "“label”", "cột C và cột D"],
    ),
    (
        "begin loop",
        xlsx(_survey(["begin loop over yn", "lp", "L"], ["text", "a", "A"], ["end loop"]), YN),
        {},
        ["Trang survey, dòng 2, cột type", "vòng lặp"],
    ),
    (
        "media file not uploaded",
        xlsx(_survey(["note", "n", "Logo", None, None, "logo.png"])),
        {},
        ["Trang survey, dòng 2", "“logo.png”", "chưa được tải lên"],
    ),
    (
        "choice image not uploaded",
        xlsx(_survey(["select_one p", "a", "A"]), [["list_name", "name", "label", "image"], ["p", "x", "X", "x.png"]]),
        {},
        ["Trang choices, dòng 2", "“x.png”"],
    ),
    (
        "list file not uploaded",
        xlsx(_survey(["select_one_from_file communes.csv", "c", "Xã"])),
        {},
        ["Trang survey, dòng 2, cột type", "“communes.csv”"],
    ),
    (
        "list file that is not UTF-8",
        xlsx(_survey(["select_one_from_file communes.csv", "c", "Xã"])),
        {"communes.csv": "name,label\nx,Xã\n".encode("utf-16")},
        ["“communes.csv”", "UTF-8"],
    ),
    (
        "XML list with an entity bomb",
        xlsx(_survey(["select_one_from_file l.xml", "c", "C"])),
        {
            "l.xml": b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]>'
            b"<root><item><name>x</name><label>&b;</label></item></root>"
        },
        ["“l.xml”"],
    ),
    (
        "geotrace",
        xlsx(_survey(["geotrace", "g", "G"])),
        {},
        ["Trang survey, dòng 2, cột type", "geotrace"],
    ),
    (
        "video",
        xlsx(_survey(["video", "v", "V"])),
        {},
        ["Trang survey, dòng 2, cột type", "video"],
    ),
    (
        "trigger column",
        xlsx(
            rows(
                ["type", "name", "label", "trigger", "calculation"],
                ["integer", "a", "A"],
                ["calculate", "c", None, "${a}", "now()"],
            )
        ),
        {},
        ["Trang survey, dòng 3, cột trigger"],
    ),
    (
        "select_one_external",
        xlsx(
            _survey(["select_one_external yn", "a", "A"]),
            YN,
            extra_sheets={"external_choices": [["list_name", "name", "label"], ["yn", "y", "Y"]]},
        ),
        {},
        ["Trang survey, dòng 2, cột type", "select_one_external"],
    ),
    (
        "or_other over a list with an image-only choice",
        xlsx(
            _survey(["select_one p or_other", "a", "A"]),
            [["list_name", "name", "label", "image"], ["p", "x", "X", "x.png"], ["p", "y", None, "y.png"]],
        ),
        {"x.png": b"\x89PNG", "y.png": b"\x89PNG"},
        ["Trang survey, dòng 2, cột type", "trang choices, dòng 3", "nhãn"],
    ),
    (
        "a default computed from an expression",
        xlsx(rows(["type", "name", "label", "default"], ["integer", "a", "A"], ["integer", "b", "B", "${a} + 1"])),
        {},
        ["Trang survey, dòng 3, cột default", "“${a} + 1”", "calculation"],
    ),
    (
        "one column under two of its names",
        xlsx(rows(["type", "name", "label", "relevant", "relevance"], ["text", "a", "A"])),
        {},
        ["Trang survey, dòng 1", "'relevant', 'relevance'"],
    ),
]
