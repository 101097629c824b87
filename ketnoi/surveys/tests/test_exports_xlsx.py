"""The exports' streaming XLSX writer: a package openpyxl opens, sheets written in interleaved
order, typed cells, texts that stay texts whatever they hold."""

import zipfile
from datetime import date, datetime, time
from xml.dom.minidom import parseString

from openpyxl import load_workbook

from ketnoi.surveys.exports_xlsx import BOLD, MAX_TEXT, Workbook, column_letter, text_xml


def test_column_letters():
    assert [column_letter(i) for i in (0, 25, 26, 51, 52, 701, 702, 16383)] == [
        "A",
        "Z",
        "AA",
        "AZ",
        "BA",
        "ZZ",
        "AAA",
        "XFD",
    ]


def test_texts_are_escaped_for_xml_and_for_excel():
    assert text_xml("<b>&</b>") == "&lt;b&gt;&amp;&lt;/b&gt;"
    assert text_xml("a\x00b\x1fc\x07") == "a_x0000_b_x001F_c_x0007_"
    assert text_xml("_x0041_ stays") == "_x005F_x0041_ stays"  # Excel reads it back as typed
    assert text_xml("tab\tline\nreturn\r") == "tab\tline\nreturn\r"  # XML carries these
    assert len(text_xml("x" * (MAX_TEXT + 10))) == MAX_TEXT


def test_sheets_written_interleaved_open_with_their_rows_in_order(tmp_path):
    path = tmp_path / "book.xlsx"
    workbook = Workbook(str(path))
    first = workbook.add_sheet("Phiếu trả lời", widths=[(0, 0, 38), (1, 3, 16)], freeze=(1, 1))
    second = workbook.add_sheet("member", freeze=(0, 1))
    first.write_row(["_uuid", "when", "n", "note"], BOLD)
    second.write_row(["m_name", "_index"], BOLD)
    for number in range(1, 4):
        first.write_row([f"u{number}", datetime(2024, 3, number, 9, 30), number, None])
        second.write_row([f"<script>{number}</script>", number])
        second.write_row(["=SUM(A1:A9)", number + 10])
    first.write_row(["dates", date(2024, 3, 1), time(7, 45, 30), date(1899, 1, 1)])
    first.write_row(["odd", float("nan"), True, {"a": 1}])
    workbook.close()

    book = load_workbook(path)
    assert book.sheetnames == ["Phiếu trả lời", "member"]
    rows = list(book["Phiếu trả lời"].iter_rows(values_only=True))
    assert rows[0] == ("_uuid", "when", "n", "note")
    assert rows[1] == ("u1", datetime(2024, 3, 1, 9, 30), 1, None)
    assert rows[4] == ("dates", datetime(2024, 3, 1), time(7, 45, 30), "1899-01-01")
    assert rows[5] == ("odd", "nan", "True", "{'a': 1}")
    members = list(book["member"].iter_rows(values_only=True))
    assert [r[1] for r in members[1:]] == [1, 11, 2, 12, 3, 13]
    formula = book["member"]["A3"]
    assert formula.value == "=SUM(A1:A9)" and formula.data_type == "s"  # a text, never run
    assert book["Phiếu trả lời"].freeze_panes == "B2" and book["member"].freeze_panes == "A2"
    assert book["Phiếu trả lời"]["A1"].font.b and book["Phiếu trả lời"]["B2"].number_format == "dd/mm/yyyy hh:mm"
    with zipfile.ZipFile(path) as package:
        for name in package.namelist():
            if name.endswith(".xml") or name.endswith(".rels"):
                parseString(package.read(name))  # noqa: S318 - our own output: every part is well-formed XML


def test_a_sheet_name_with_xml_characters_is_escaped(tmp_path):
    path = tmp_path / "names.xlsx"
    workbook = Workbook(str(path))
    workbook.add_sheet('A & B <"x">').write_row(["a"])
    workbook.close()
    assert load_workbook(path).sheetnames == ['A & B <"x">']
