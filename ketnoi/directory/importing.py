"""Reading a list of people from a CSV or XLSX file and classifying each row.

Nothing here writes: the reading task (tasks.py) stores what `Classifier` returns, a few hundred
rows at a time, as the PersonImportRows of a PersonImport, and only confirming creates people.
"""

import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.translation import gettext as _

from ketnoi.core.parsing import whole_number
from ketnoi.core.spreadsheets import SheetLimits, ZipLimits, csv_rows, xlsx_rows
from ketnoi.core.text import fold, normalise, normalise_phone

from .models import Organisation, Person, Province, Sex

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 10_000
# What a list of people may unpack to and hold: the header row and MAX_ROWS people (counting the
# title rows above the header), a few dozen columns, names and notes of a sensible length.
SHEET_LIMITS = SheetLimits(
    max_rows=MAX_ROWS + 1,
    max_columns=50,
    max_cell_chars=2000,
    seconds=20.0,
    zip=ZipLimits(max_member_bytes=20 * 1024 * 1024, max_total_bytes=40 * 1024 * 1024),
)
ZIP_SIGNATURE = b"PK\x03\x04"
MIN_BIRTH_YEAR = 1900
HEADER_SEARCH_ROWS = 10

# Column headers, folded with separators turned into spaces (see `_header_key`).
HEADERS = {
    "full_name": {"ho va ten", "ho ten", "ten", "ten day du", "full name", "name", "fullname"},
    "sex": {"gioi tinh", "gioi", "sex", "gender"},
    "birth_year": {"nam sinh", "birth year", "year of birth", "birthyear"},
    "position": {"chuc vu", "chuc danh", "position", "title", "job title"},
    "organisation": {"to chuc", "don vi", "co quan", "noi cong tac", "organisation", "organization"},
    "email": {"email", "e mail", "thu dien tu"},
    "phone": {"dien thoai", "so dien thoai", "sdt", "dt", "phone", "phone number", "mobile"},
    "province": {"tinh thanh", "tinh thanh pho", "tinh", "thanh pho", "province"},
}
# Headers of the template workbook, in order (Vietnamese: the users' language).
TEMPLATE_HEADERS = ["Họ và tên", "Giới tính", "Năm sinh", "Chức vụ", "Tổ chức", "Email", "Điện thoại", "Tỉnh/thành"]

SEX_VALUES = {
    "nam": Sex.MALE,
    "male": Sex.MALE,
    "m": Sex.MALE,
    "nu": Sex.FEMALE,
    "female": Sex.FEMALE,
    "f": Sex.FEMALE,
    "khac": Sex.OTHER,
    "other": Sex.OTHER,
    "khong ro": Sex.UNKNOWN,
    "unknown": Sex.UNKNOWN,
}
PROVINCE_PREFIXES = ("thanh pho ", "tp. ", "tp.", "tp ", "tinh ")
# Keyed without spaces or dots: "TP. HCM", "tp.hcm" and "TPHCM" all read "tphcm".
PROVINCE_ALIASES = {
    "hcm": "ho chi minh",
    "tphcm": "ho chi minh",
    "saigon": "ho chi minh",
    "hn": "ha noi",
    "tphn": "ha noi",
}


def _header_key(value: Any) -> str:
    return re.sub(r"[\s_\-/.]+", " ", fold(str(value or ""))).strip()


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return normalise(str(value))


# Reading the file ----------------------------------------------------------------------------


def read_table(uploaded) -> list[tuple[int, list[Any]]]:
    """[(spreadsheet row number, cells)] including the header row, checked by content.

    Raises ValidationError with a message that says how to fix the file.
    """
    check_size(uploaded.size)
    return read_content(uploaded.read(MAX_BYTES + 1), uploaded.name or "")


def check_size(size: int) -> None:
    if size > MAX_BYTES:
        raise ValidationError(
            _("Tệp quá lớn (%(size)s MB): tối đa 5 MB. Hãy chia danh sách thành nhiều tệp.")
            % {"size": f"{size / 1024 / 1024:.1f}"}
        )


def read_content(content: bytes, filename: str) -> list[tuple[int, list[Any]]]:
    """`read_table` of bytes already read (the private copy of an upload)."""
    check_size(len(content))
    if not content.strip():
        raise ValidationError(_("Tệp trống: hãy chọn tệp có danh sách người."))
    if content.startswith(ZIP_SIGNATURE):
        return _read_xlsx(content)
    check_kind(content, filename)
    return _read_csv(content)


def check_kind(content: bytes, filename: str) -> None:
    """A file named as a workbook that is not one (checked at upload: no reading needed)."""
    if not content.startswith(ZIP_SIGNATURE) and filename.lower().endswith((".xlsx", ".xlsm", ".xls")):
        raise ValidationError(
            _(
                "Tệp “%(name)s” không phải bảng tính Excel (.xlsx) thật. "
                "Hãy mở tệp và lưu lại dạng .xlsx hoặc CSV UTF-8."
            )
            % {"name": filename}
        )


def _read_xlsx(content: bytes) -> list[tuple[int, list[Any]]]:
    try:
        return [(number, values) for _sheet, number, values in xlsx_rows(content, limits=SHEET_LIMITS)]
    except ValidationError as error:
        raise _in_our_words(error) from None


def _read_csv(content: bytes) -> list[tuple[int, list[Any]]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValidationError(
            _(
                "Tệp không phải CSV mã hoá UTF-8 hay bảng tính .xlsx. Trong Excel, chọn “Lưu thành” rồi "
                "“CSV UTF-8 (phân tách bằng dấu phẩy)” hoặc “Sổ làm việc Excel (.xlsx)”."
            )
        ) from exc
    if "\x00" in text:
        raise ValidationError(_("Tệp không phải CSV hay bảng tính .xlsx: hãy lưu lại dạng CSV UTF-8 hoặc .xlsx."))
    first_line = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first_line.count)
    try:
        return list(csv_rows(text, delimiter=delimiter, limits=SHEET_LIMITS))
    except ValidationError as error:
        raise _in_our_words(error) from None


def _in_our_words(error: ValidationError) -> ValidationError:
    """The sheet reader's refusal, said as this import says it where it has its own words."""
    if error.code == "too_many_rows":
        return ValidationError(
            _("Tệp có hơn %(max)s dòng: hãy chia danh sách thành nhiều tệp nhỏ hơn.") % {"max": f"{MAX_ROWS:,}"}
        )
    if error.code == "broken":
        return ValidationError(_("Không đọc được tệp Excel này. Hãy mở tệp và lưu lại dạng .xlsx hoặc CSV UTF-8."))
    return error


def map_columns(header: list[Any]) -> tuple[dict[str, int], list[str]]:
    """{field: column index} for recognised headers, and the headers that will be ignored."""
    columns: dict[str, int] = {}
    ignored = []
    for index, value in enumerate(header):
        key = _header_key(value)
        field = next((f for f, names in HEADERS.items() if key in names), None)
        if field and field not in columns:
            columns[field] = index
        elif key:
            ignored.append(_cell(value))
    if "full_name" not in columns:
        raise ValidationError(
            _(
                "Không tìm thấy cột họ tên. Dòng đầu tiên của tệp phải là tiêu đề cột, ví dụ “Họ và tên”, "
                "“Giới tính”, “Email” – hãy dùng tệp mẫu."
            )
        )
    return columns, ignored


# Classifying rows ----------------------------------------------------------------------------


@dataclass
class Lookups:
    """Everything a row is matched against, loaded once per file (not once per row)."""

    organisations: dict[str, list[Organisation]]
    provinces: dict[str, Province]

    @classmethod
    def load(cls) -> "Lookups":
        organisations: dict[str, list[Organisation]] = {}
        for organisation in Organisation.objects.only("id", "name", "short_name"):
            for key in {fold(organisation.name), fold(organisation.short_name)} - {""}:
                organisations.setdefault(key, []).append(organisation)
        provinces: dict[str, Province] = {}
        # Current units last, so a name used in both schemes resolves to the current one.
        for province in Province.objects.select_related("successor").order_by("-scheme"):
            for key in {province.name_folded, fold(province.name)}:
                provinces[key] = province
        return cls(organisations=organisations, provinces=provinces)

    def organisation(self, value: str) -> list[Organisation]:
        return self.organisations.get(fold(value), [])

    def province(self, value: str) -> Province | None:
        """The unit a name refers to, in either scheme ("TP. HCM", "Thành phố Cần Thơ", "Bình Dương")."""
        key = fold(value)
        candidates = [key] + [key[len(prefix) :].strip() for prefix in PROVINCE_PREFIXES if key.startswith(prefix)]
        for candidate in candidates:
            candidate = PROVINCE_ALIASES.get(re.sub(r"[\s.]", "", candidate), candidate)
            if candidate in self.provinces:
                return self.provinces[candidate]
        return None


def _parse_phone(value: str) -> str:
    digits = normalise_phone(value)
    # A spreadsheet stores 0912345678 as the number 912345678: put the leading zero back.
    if re.fullmatch(r"\d+", value or "") and len(digits) == 9 and not digits.startswith("0"):
        return "0" + digits
    return value


def parse_row(line: int, cells: list[Any], columns: dict[str, int], lookups: Lookups) -> dict:
    """One spreadsheet row as {"line", "data", "errors", "notes"}; data is what person_create takes."""

    def get(field: str) -> str:
        index = columns.get(field)
        return _cell(cells[index]) if index is not None and index < len(cells) else ""

    errors: list[str] = []
    notes: list[str] = []
    data: dict[str, Any] = {
        "full_name": get("full_name"),
        "sex": Sex.UNKNOWN.value,
        "birth_year": None,
        "position": get("position")[:200],
        "organisation_id": None,
        "organisation_name": "",
        "email": get("email").lower(),
        "phone": _parse_phone(get("phone")),
        "province_id": None,
        "province_name": "",
    }
    if not data["full_name"]:
        errors.append(_("thiếu họ tên"))
    elif len(data["full_name"]) > 200:
        errors.append(_("họ tên dài quá 200 ký tự"))

    sex = get("sex")
    if sex:
        if fold(sex) in SEX_VALUES:
            data["sex"] = SEX_VALUES[fold(sex)].value
        else:
            errors.append(_("giới tính “%(value)s” không rõ (ghi Nam, Nữ hoặc Khác)") % {"value": sex})

    birth_year = get("birth_year")
    if birth_year:
        this_year = timezone.localdate().year
        year = whole_number(birth_year, low=MIN_BIRTH_YEAR, high=this_year)
        if year is not None:
            data["birth_year"] = year
        else:
            errors.append(
                _("năm sinh “%(value)s” không hợp lệ (ghi 4 chữ số, từ %(min)s đến %(max)s)")
                % {"value": birth_year, "min": MIN_BIRTH_YEAR, "max": this_year}
            )

    if data["email"]:
        try:
            validate_email(data["email"])
        except ValidationError:
            errors.append(_("email “%(value)s” không hợp lệ") % {"value": data["email"]})
    if data["phone"] and not 8 <= len(normalise_phone(data["phone"])) <= 15:
        errors.append(_("số điện thoại “%(value)s” không hợp lệ (cần 8–15 chữ số)") % {"value": data["phone"]})

    organisation = get("organisation")
    if organisation:
        matches = lookups.organisation(organisation)
        if len(matches) == 1:
            data["organisation_id"], data["organisation_name"] = matches[0].pk, str(matches[0])
        elif matches:
            errors.append(_("có nhiều tổ chức tên “%(value)s”: hãy ghi tên đầy đủ") % {"value": organisation})
        else:
            errors.append(
                _("không tìm thấy tổ chức “%(value)s” (thêm tổ chức vào danh bạ trước, hoặc để trống)")
                % {"value": organisation}
            )

    province = get("province")
    if province:
        matched = lookups.province(province)
        if matched is None:
            errors.append(_("không nhận ra tỉnh/thành “%(value)s”") % {"value": province})
        else:
            # New data uses the 34 current units: a legacy name is recorded as its successor.
            unit = matched.current
            data["province_id"], data["province_name"] = unit.pk, str(unit)
            if unit.pk != matched.pk:
                notes.append(
                    _("“%(old)s” (đơn vị cũ) ghi là %(new)s") % {"old": matched.short_name, "new": unit.short_name}
                )
    return {"line": line, "data": data, "errors": errors, "notes": notes}


def existing_people_by_key(full_names: set[str]) -> dict[tuple[str, str, str], Person]:
    """People who could be duplicates of these names, keyed like `duplicate_keys`: a few queries
    for a whole file instead of one per row."""
    names = sorted({fold(name) for name in full_names} - {""})
    existing: dict[tuple[str, str, str], Person] = {}
    for start in range(0, len(names), 500):
        for person in Person.objects.filter(name_folded__in=names[start : start + 500], erased_at__isnull=True):
            if person.email_normalised:
                existing.setdefault(("email", person.name_folded, person.email_normalised), person)
            if person.phone_normalised:
                existing.setdefault(("phone", person.name_folded, person.phone_normalised), person)
    return existing


def duplicate_keys(data: dict) -> Iterator[tuple[str, str, str]]:
    """The (kind, folded name, contact) pairs that make two people likely the same."""
    name = fold(data["full_name"])
    if data["email"]:
        yield ("email", name, data["email"].lower())
    phone = normalise_phone(data["phone"])
    if phone:
        yield ("phone", name, phone)


@dataclass
class Sheet:
    """The header of an uploaded list, the columns it names and the rows below it."""

    header: list[str]
    columns: dict[str, int]
    ignored: list[str]
    body: list[tuple[int, list[Any]]]


def find_header(table: list[tuple[int, list[Any]]]) -> Sheet:
    """The header is the first row that names a full-name column; a list may start with a title.
    Rows with no value at all are left out."""
    for index, (_line, cells) in enumerate(table[:HEADER_SEARCH_ROWS]):
        if any(_header_key(value) in HEADERS["full_name"] for value in cells):
            table = table[index:]
            break
    if not any(_cell(value) for _line, cells in table for value in cells):
        raise ValidationError(_("Tệp trống: hãy chọn tệp có danh sách người."))
    (_header_line, header), *body = table
    columns, ignored = map_columns(header)
    body = [(line, cells) for line, cells in body if any(_cell(value) for value in cells)]
    if not body:
        raise ValidationError(_("Tệp không có dòng nào có dữ liệu: hãy thêm mỗi người một dòng dưới dòng tiêu đề."))
    return Sheet(header=[_cell(value) for value in header], columns=columns, ignored=ignored, body=body)


class Classifier:
    """Classifies a list's rows a batch at a time: new, duplicate (of someone in the directory
    or of an earlier line of the file) or error. Lookups are loaded once per file."""

    def __init__(self, columns: dict[str, int]) -> None:
        self.columns = columns
        self.lookups = Lookups.load()
        self.seen_in_file: dict[tuple[str, str, str], int] = {}

    def classify(self, batch: list[tuple[int, list[Any]]]) -> list[dict]:
        parsed = [parse_row(line, cells, self.columns, self.lookups) for line, cells in batch]
        existing = existing_people_by_key({row["data"]["full_name"] for row in parsed})
        for row, (_line, cells) in zip(parsed, batch, strict=True):
            row.update(status="new", duplicate_of=None, cells=[_cell(value) for value in cells])
            if row["errors"]:
                row["status"] = "error"
                continue
            for key in duplicate_keys(row["data"]):
                if key in existing:
                    person = existing[key]
                    row.update(status="duplicate", duplicate_of={"person_id": person.pk, "name": person.full_name})
                    break
                if key in self.seen_in_file:
                    row.update(status="duplicate", duplicate_of={"line": self.seen_in_file[key]})
                    break
            for key in duplicate_keys(row["data"]):
                self.seen_in_file.setdefault(key, row["line"])
        return parsed


def template_workbook() -> bytes:
    """An empty list with the recognised headers, a drop-down for sex and phone cells as text."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.worksheet.datavalidation import DataValidation

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Danh sách")
    sheet.append(TEMPLATE_HEADERS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for column, width in zip("ABCDEFGH", (28, 10, 10, 22, 36, 28, 16, 16), strict=True):
        sheet.column_dimensions[column].width = width
    for row in range(2, 1002):
        sheet[f"G{row}"].number_format = "@"  # keep the leading zero of phone numbers
    sexes = DataValidation(type="list", formula1='"Nam,Nữ,Khác"', allow_blank=True)
    sheet.add_data_validation(sexes)
    sexes.add("B2:B1001")
    sheet.freeze_panes = "A2"

    help_sheet = workbook.create_sheet(_("Hướng dẫn"))
    for line in (
        _("Mỗi dòng một người; chỉ cột “Họ và tên” là bắt buộc."),
        _("Giới tính: Nam, Nữ hoặc Khác. Năm sinh: 4 chữ số, ví dụ 1985."),
        _("Tổ chức: tên hoặc tên viết tắt của một tổ chức đã có trong danh bạ."),
        _("Tỉnh/thành: tên tỉnh/thành, ví dụ Hà Nội, Cần Thơ, Hồ Chí Minh."),
        _("Người trùng họ tên và email hoặc số điện thoại với người đã có sẽ được bỏ qua."),
    ):
        help_sheet.append([line])
    help_sheet.column_dimensions["A"].width = 90
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
