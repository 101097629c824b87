"""Opening an uploaded spreadsheet or Office file without letting it stall or bloat the server.

A file's size says little about what it becomes: an .xlsx or .docx is a zip, and a 1 MB one can
hold a cell that inflates to 1 GiB, 16,384 columns of 1,500 rows (minutes of parsing), or a 50 MB
row in 52 KB. So every reader of an uploaded file goes through here:

- before opening, `check_zip_archive` reads the zip's central directory (no decompressing) and
  refuses too many members, a member or a total that unpacks past its limit, or a member that
  inflates more than `max_ratio` times. The declared sizes can be trusted: Python's zipfile stops
  at a member's declared size and fails its checksum past it;
- while reading, `xlsx_rows` and `csv_rows` refuse a row with a value past `max_columns`, a cell
  longer than `max_cell_chars`, more than `max_rows` rows, and stop at a deadline.

Every refusal is a ValidationError whose message says what to do (its `code` says which limit).
"""

import csv
import io
import time
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MiB = 1024 * 1024


@dataclass(frozen=True)
class ZipLimits:
    max_members: int = 1000
    max_member_bytes: int = 20 * MiB
    max_total_bytes: int = 60 * MiB
    # How much bigger than packed a member may become; judged on members past `ratio_floor`
    # (small parts compress unevenly and cannot hurt).
    max_ratio: int = 100
    ratio_floor: int = MiB


@dataclass(frozen=True)
class SheetLimits:
    max_rows: int = 10_000  # counting the empty rows between those with values
    max_columns: int = 100
    max_cell_chars: int = 32_767  # Excel's own limit for a cell
    seconds: float = 20.0
    # An .xlsx's sheets and shared strings are parsed whole: a 20 MiB sheet is about 500,000 cells.
    zip: ZipLimits = ZipLimits()


def _mb(size: int) -> str:
    return f"{size / MiB:.0f}"


def check_zip_archive(source, *, limits: ZipLimits = ZipLimits()) -> list[zipfile.ZipInfo]:
    """The members of the zip at `source` (a path, bytes or a seekable binary file) if it stays
    within `limits` once unpacked; a ValidationError (code "broken" or "too_big") otherwise."""
    if isinstance(source, bytes | bytearray):
        source = io.BytesIO(source)
    try:
        with zipfile.ZipFile(source) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        raise ValidationError(
            _("Tệp bị hỏng, không mở được. Hãy mở tệp bằng Excel hoặc Word, lưu lại rồi tải lên lại."), code="broken"
        ) from None
    total = sum(member.file_size for member in members)
    flood = (
        len(members) > limits.max_members
        or total > limits.max_total_bytes
        or any(member.file_size > limits.max_member_bytes for member in members)
        or any(
            member.file_size > limits.ratio_floor and member.file_size > limits.max_ratio * max(member.compress_size, 1)
            for member in members
        )
    )
    if flood:
        raise ValidationError(
            _(
                "Tệp giải nén ra quá lớn (%(size)s MB, hoặc một phần của tệp phình ra quá %(ratio)s lần; tối đa "
                "%(max)s MB). Hãy xoá các trang, hình ảnh và định dạng không cần, hoặc chia thành nhiều tệp nhỏ "
                "rồi tải lên lại."
            )
            % {"size": _mb(total), "ratio": limits.max_ratio, "max": _mb(limits.max_total_bytes)},
            code="too_big",
        )
    return members


class _Reading:
    """The checks applied to each row as it is read."""

    def __init__(self, limits: SheetLimits):
        self.limits = limits
        self.deadline = time.monotonic() + limits.seconds

    def check(self, number: int, values: Iterable[Any]) -> list[Any]:
        limits = self.limits
        if number > limits.max_rows:
            raise ValidationError(
                _("Bảng có hơn %(max)s dòng: hãy xoá các dòng trống ở cuối hoặc chia thành nhiều tệp nhỏ hơn.")
                % {"max": f"{limits.max_rows:,}".replace(",", ".")},
                code="too_many_rows",
            )
        values = list(values)
        if len(values) > limits.max_columns:
            if any(value not in (None, "") for value in values[limits.max_columns :]):
                raise ValidationError(
                    _(
                        "Dòng %(row)s có dữ liệu ở quá %(max)s cột: hãy xoá các cột thừa ở bên phải (hoặc chỉ giữ "
                        "các cột cần nhập) rồi tải lên lại."
                    )
                    % {"row": number, "max": limits.max_columns},
                    code="too_many_columns",
                )
            values = values[: limits.max_columns]
        for value in values:
            if isinstance(value, str) and len(value) > limits.max_cell_chars:
                raise ValidationError(
                    _("Dòng %(row)s có một ô dài hơn %(max)s ký tự: hãy rút gọn nội dung ô đó rồi tải lên lại.")
                    % {"row": number, "max": f"{limits.max_cell_chars:,}".replace(",", ".")},
                    code="cell_too_long",
                )
        if time.monotonic() > self.deadline:
            raise ValidationError(
                _("Đọc tệp mất quá lâu (dừng ở dòng %(row)s): hãy chia thành nhiều tệp nhỏ hơn rồi tải lên lại.")
                % {"row": number},
                code="too_slow",
            )
        return values


def xlsx_rows(
    content: bytes, *, limits: SheetLimits = SheetLimits(), every_sheet: bool = False
) -> Iterator[tuple[str, int, list[Any]]]:
    """(sheet title, row number, values) of the first sheet (or of every sheet), checked against
    `limits` before the file is opened and row by row while it is read. Values are openpyxl's
    (text, numbers, dates, None); rows past the last value of a row are not padded."""
    from openpyxl import load_workbook

    check_zip_archive(content, limits=limits.zip)
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many types for a broken archive
        raise ValidationError(
            _("Không đọc được bảng tính này. Hãy mở tệp bằng Excel, lưu lại dạng .xlsx rồi tải lên lại."),
            code="broken",
        ) from None
    reading = _Reading(limits)
    try:
        for sheet in workbook.worksheets if every_sheet else workbook.worksheets[:1]:
            # A sheet's declared size may lie (a few cells claiming XFD1048576): read what is there.
            sheet.reset_dimensions()
            for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
                try:
                    checked = reading.check(number, values)
                except ValidationError as error:
                    if not every_sheet:
                        raise
                    raise ValidationError(
                        _("Trang “%(sheet)s”: %(problem)s") % {"sheet": sheet.title, "problem": error.messages[0]},
                        code=error.code,
                    ) from None
                yield sheet.title, number, checked
    except ValidationError:
        raise
    except Exception:  # a damaged part met while reading
        raise ValidationError(
            _("Không đọc được bảng tính này. Hãy mở tệp bằng Excel, lưu lại dạng .xlsx rồi tải lên lại."),
            code="broken",
        ) from None
    finally:
        workbook.close()


def csv_rows(text: str, *, delimiter: str, limits: SheetLimits = SheetLimits()) -> Iterator[tuple[int, list[str]]]:
    """(row number, values) of a CSV text, checked against `limits` as it is read. csv's own
    limit on a field (131,072 characters) becomes the same clear message as a long cell."""
    reading = _Reading(limits)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    number = 0
    while True:
        try:
            values = next(reader)
        except StopIteration:
            return
        except csv.Error:
            raise ValidationError(
                _(
                    "Dòng %(row)s có một ô quá dài hoặc dấu ngoặc kép không đóng: hãy rút gọn ô đó (tối đa %(max)s "
                    'ký tự) và kiểm tra dấu " rồi tải lên lại.'
                )
                % {"row": number + 1, "max": f"{limits.max_cell_chars:,}".replace(",", ".")},
                code="cell_too_long",
            ) from None
        number += 1
        yield number, reading.check(number, values)
