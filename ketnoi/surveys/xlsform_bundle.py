"""An XLSForm as the author uploads it: the workbook alone, the workbook with its media and list
files chosen together, or one .zip holding them all (as KoboToolbox's "media" tab and our own
export give them). Every file is bounded (how many, how big, what a zip unpacks to); the CSV and
XML lists a select_one_from_file names are read here with bounded readers (rows, size, no XML
entities), into rows of {column: text}."""

import io
import re
import zipfile
import zlib
from pathlib import PurePosixPath
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from lxml import etree

from ketnoi.core.spreadsheets import SheetLimits, ZipLimits, check_zip_archive, csv_rows

MiB = 1024 * 1024
MAX_FILES = 200  # media and lists beside one form
MAX_FILE_BYTES = 10 * MiB  # each
MAX_TOTAL_BYTES = 60 * MiB  # all of them, and what a zip may unpack to
MAX_LIST_ROWS = 20_000  # choices in one CSV/XML list (every commune of Vietnam fits)
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls")
_UNSAFE_NAME = re.compile(r"[\x00-\x1f\\/:*?\"<>|]")


def _refuse(message: str) -> ValidationError:
    return ValidationError(message, code="xlsform")


def _read(fileobj: Any, limit: int) -> bytes:
    if isinstance(fileobj, bytes | bytearray):
        return bytes(fileobj)
    if hasattr(fileobj, "seek"):
        fileobj.seek(0)
    data = fileobj.read(limit + 1)
    return data.encode() if isinstance(data, str) else data


def _clean_name(name: str) -> str:
    """The file's own name (no folder), refused when no phone could store it under that name."""
    base = PurePosixPath(str(name or "").replace("\\", "/")).name.strip()
    if not base or base in (".", "..") or _UNSAFE_NAME.search(base) or len(base) > 255:
        raise _refuse(
            _('Tên tệp “%(name)s” không dùng được: hãy đổi tên (không có ký tự \\ / : * ? " < > |) rồi tải lên lại.')
            % {"name": str(name)[:100]}
        )
    return base


def unpack_uploads(uploads: list[tuple[str, Any]]) -> tuple[str, bytes, dict[str, bytes]]:
    """(workbook name, workbook bytes, {file name: bytes} of the other files) from what was
    uploaded: [(file name, file object or bytes)]. A single .zip is opened first."""
    if not uploads:
        raise _refuse(_("Hãy chọn tệp XLSForm (.xlsx) để nhập."))
    if len(uploads) == 1 and uploads[0][0].lower().endswith(".zip"):
        uploads = _zip_members(uploads[0][0], _read(uploads[0][1], MAX_TOTAL_BYTES))
    if len(uploads) > MAX_FILES + 1:
        raise _refuse(_("Quá nhiều tệp: tối đa %(n)s tệp đi kèm một biểu mẫu.") % {"n": MAX_FILES})
    workbooks = [(name, obj) for name, obj in uploads if name.lower().endswith(WORKBOOK_SUFFIXES)]
    if len(workbooks) != 1:
        raise _refuse(
            _("Không thấy tệp XLSForm (.xlsx) trong các tệp đã chọn. Hãy chọn đúng một tệp .xlsx và các tệp đi kèm.")
            if not workbooks
            else _("Có %(n)s tệp bảng tính (%(names)s): hãy chỉ chọn một tệp XLSForm mỗi lần nhập.")
            % {"n": len(workbooks), "names": ", ".join(name for name, _obj in workbooks)}
        )
    workbook_name, workbook = workbooks[0]
    files: dict[str, bytes] = {}
    total = 0
    for name, obj in uploads:
        if (name, obj) == (workbook_name, workbook):
            continue
        clean = _clean_name(name)
        data = _read(obj, MAX_FILE_BYTES)
        if len(data) > MAX_FILE_BYTES:
            raise _refuse(_("Tệp “%(name)s” lớn hơn %(mb)s MB.") % {"name": clean, "mb": MAX_FILE_BYTES // MiB})
        total += len(data)
        if total > MAX_TOTAL_BYTES:
            raise _refuse(_("Các tệp đi kèm lớn hơn %(mb)s MB cộng lại.") % {"mb": MAX_TOTAL_BYTES // MiB})
        if clean in files:
            raise _refuse(_("Có hai tệp cùng tên “%(name)s”: hãy đổi tên một tệp.") % {"name": clean})
        files[clean] = data
    return workbook_name, workbook if isinstance(workbook, bytes) else _read(workbook, MAX_TOTAL_BYTES), files


def _zip_members(zip_name: str, data: bytes) -> list[tuple[str, bytes]]:
    limits = ZipLimits(max_members=MAX_FILES + 10, max_member_bytes=MAX_FILE_BYTES, max_total_bytes=MAX_TOTAL_BYTES)
    if len(data) > MAX_TOTAL_BYTES:
        raise _refuse(_("Tệp .zip lớn hơn %(mb)s MB.") % {"mb": MAX_TOTAL_BYTES // MiB})
    try:
        members = check_zip_archive(data, limits=limits)
    except ValidationError as error:
        raise _refuse(
            " ".join(error.messages)
            if error.code != "broken"
            else _("Tệp “%(name)s” bị hỏng, không mở được như một tệp .zip.") % {"name": zip_name}
        ) from None
    found = []
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for member in members:
            path = PurePosixPath(member.filename)
            if member.is_dir() or "__MACOSX" in path.parts or path.name.startswith("."):
                continue
            try:
                found.append((path.name, archive.read(member)))
            except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, RuntimeError, NotImplementedError):
                # A damaged member (wrong checksum or size), a password or a compression zipfile
                # cannot read: the zip's directory was fine, its content is not.
                raise _refuse(
                    _(
                        "Tệp “%(member)s” trong “%(name)s” không giải nén được (tệp hỏng, có mật khẩu hoặc nén "
                        "kiểu lạ). Hãy nén lại bằng chức năng nén thông thường, không đặt mật khẩu."
                    )
                    % {"member": path.name[:100], "name": zip_name}
                ) from None
    return found


# Lists (select_one_from_file) ------------------------------------------------------------------


def read_list(name: str, data: bytes) -> list[dict[str, str]]:
    """The rows of a CSV or XML choice list as {column: text}, bounded; refused with the file's
    name when it cannot be read."""
    if name.lower().endswith(".csv"):
        return _csv_list(name, data)
    return _xml_list(name, data)


def _csv_list(name: str, data: bytes) -> list[dict[str, str]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _refuse(
            _("Tệp “%(name)s” không phải văn bản UTF-8. Hãy lưu lại dạng “CSV UTF-8” rồi tải lên lại.") % {"name": name}
        ) from None
    limits = SheetLimits(max_rows=MAX_LIST_ROWS + 1, max_columns=100)
    delimiter = ";" if text.split("\n", 1)[0].count(";") > text.split("\n", 1)[0].count(",") else ","
    header: list[str] = []
    rows = []
    try:
        for number, values in csv_rows(text, delimiter=delimiter, limits=limits):
            if number == 1:
                header = [str(v).strip() for v in values]
                continue
            if any(str(v).strip() for v in values):
                rows.append({h: str(v).strip() for h, v in zip(header, values, strict=False) if h})
    except ValidationError as error:
        raise _refuse(_("Tệp “%(name)s”: %(problem)s") % {"name": name, "problem": " ".join(error.messages)}) from None
    return rows


def _xml_list(name: str, data: bytes) -> list[dict[str, str]]:
    """ODK's external XML list: <root><item><name>…</name><label>…</label>…</item>…</root>."""
    if b"<!DOCTYPE" in data[:4096].upper() or b"<!ENTITY" in data.upper():
        raise _refuse(
            _("Tệp “%(name)s” khai báo DOCTYPE hoặc ENTITY: danh sách XML không được có phần này. Hãy xoá nó.")
            % {"name": name}
        )
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        root = etree.fromstring(data, parser=parser)
    except etree.XMLSyntaxError:
        root = None
    if root is None:
        raise _refuse(_("Tệp “%(name)s” không phải XML đọc được.") % {"name": name})
    if root.getroottree().docinfo.doctype:  # declared in UTF-16 or after a long comment
        raise _refuse(
            _("Tệp “%(name)s” khai báo DOCTYPE hoặc ENTITY: danh sách XML không được có phần này. Hãy xoá nó.")
            % {"name": name}
        )
    items = root.findall(".//item") or list(root)
    if len(items) > MAX_LIST_ROWS:
        raise _refuse(_("Tệp “%(name)s” có quá %(n)s lựa chọn.") % {"name": name, "n": MAX_LIST_ROWS})
    rows = []
    for item in items:
        row = {
            str(child.tag): (child.text or "").strip()
            for child in item
            if isinstance(child.tag, str) and len(child) == 0
        }
        if row:
            rows.append(row)
    return rows
