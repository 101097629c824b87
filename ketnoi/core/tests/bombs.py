"""Hostile spreadsheets and CSV files, built small and fast for the tests of every reader that
goes through core.spreadsheets (the directory's people import, XLSForm upload, library files)."""

import io
import zipfile

from openpyxl import Workbook

MiB = 1024 * 1024


def workbook_bytes(rows: list[list], title: str = "Sheet1") -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _with_sheet_xml(base: bytes, sheet_xml: bytes) -> bytes:
    """`base` (an .xlsx) with its first sheet's XML replaced, deflated as Excel does."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(base)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for member in source.infolist():
            data = sheet_xml if member.filename == "xl/worksheets/sheet1.xml" else source.read(member)
            target.writestr(member.filename, data)
    return out.getvalue()


def _sheet_xml(rows_xml: bytes) -> bytes:
    return (
        b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
        b'spreadsheetml/2006/main"><sheetData>' + rows_xml + b"</sheetData></worksheet>"
    )


def one_cell_inflating(header: list[str], megabytes: int) -> bytes:
    """An .xlsx of a few dozen KB whose one cell unpacks to `megabytes` MB of one repeated letter
    (the issue's 1 MB file held a cell of 1 GiB)."""
    return one_long_cell(header, megabytes * MiB)


def one_long_cell(header: list[str], chars: int) -> bytes:
    """An .xlsx whose second row holds one cell of `chars` letters, written as XML (openpyxl
    itself cuts a cell at Excel's 32,767 characters when it writes one)."""
    head = "".join(f'<c r="{chr(65 + i)}1" t="inlineStr"><is><t>{name}</t></is></c>' for i, name in enumerate(header))
    cell = b'<c r="A2" t="inlineStr"><is><t>' + b"a" * chars + b"</t></is></c>"
    rows = f'<row r="1">{head}</row>'.encode() + b'<row r="2">' + cell + b"</row>"
    return _with_sheet_xml(workbook_bytes([header]), _sheet_xml(rows))


def wide(header: list[str], columns: int = 16_384, rows: int = 3) -> bytes:
    """A sheet of `rows` rows filled out to `columns` columns (the issue's had 16,384 × 1,500)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Sheet1")
    sheet.append(header + [f"c{n}" for n in range(len(header), columns)])
    for _ in range(rows - 1):
        sheet.append(["Lan"] * columns)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_with_long_field(header: str = "Họ và tên", chars: int = 200_000) -> bytes:
    """A CSV whose second line is one quoted field of `chars` characters: past csv's own field
    limit (131,072), which raised csv.Error."""
    return f'{header}\n"{"x" * chars}"\n'.encode()
