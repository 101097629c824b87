"""core.spreadsheets: a zip is judged by its central directory before anything is unpacked, and
sheets are read row by row within columns, cell length, rows and time."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError

from ketnoi.core.spreadsheets import SheetLimits, ZipLimits, check_zip_archive, csv_rows, xlsx_rows

from . import bombs


def refusal(call) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        call()
    return caught.value


def test_a_cell_that_inflates_past_the_member_limit_is_refused_before_opening():
    error = refusal(lambda: list(xlsx_rows(bombs.one_cell_inflating(["Họ và tên"], 25))))
    assert error.code == "too_big" and "giải nén ra quá lớn" in error.messages[0] and "Hãy" in error.messages[0]


def test_a_small_member_that_inflates_a_thousandfold_is_refused_by_its_ratio():
    data = bombs.one_cell_inflating(["Họ và tên"], 5)  # under every size limit
    assert refusal(lambda: check_zip_archive(data)).code == "too_big"
    assert check_zip_archive(data, limits=ZipLimits(max_ratio=10_000))  # the ratio alone refused it


def test_too_many_members_and_a_broken_zip():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for n in range(20):
            archive.writestr(f"part{n}.xml", "<x/>")
    assert refusal(lambda: check_zip_archive(out.getvalue(), limits=ZipLimits(max_members=10))).code == "too_big"
    assert refusal(lambda: check_zip_archive(b"PK\x03\x04 cut short")).code == "broken"


def test_a_sheet_sixteen_thousand_columns_wide_is_refused_naming_the_row():
    error = refusal(lambda: list(xlsx_rows(bombs.wide(["Họ và tên"]))))
    assert error.code == "too_many_columns" and "Dòng 1" in error.messages[0] and "100 cột" in error.messages[0]


def test_a_cell_past_the_length_limit_is_refused_naming_the_row():
    data = bombs.workbook_bytes([["Họ và tên"], ["Lan"], ["x" * 101]])
    error = refusal(lambda: list(xlsx_rows(data, limits=SheetLimits(max_cell_chars=100))))
    assert error.code == "cell_too_long" and "Dòng 3" in error.messages[0]


def test_rows_past_the_limit_and_the_deadline():
    data = bombs.workbook_bytes([["a"]] * 10)
    assert refusal(lambda: list(xlsx_rows(data, limits=SheetLimits(max_rows=5)))).code == "too_many_rows"
    assert refusal(lambda: list(xlsx_rows(data, limits=SheetLimits(seconds=-1)))).code == "too_slow"


def test_values_past_the_last_column_that_are_empty_are_dropped_not_refused():
    rows = list(csv_rows("a,b,,,\n", delimiter=",", limits=SheetLimits(max_columns=2)))
    assert rows == [(1, ["a", "b"])]


def test_every_sheet_names_its_sheet():
    data = bombs.workbook_bytes([["x" * 50]], title="choices")
    error = refusal(lambda: list(xlsx_rows(data, limits=SheetLimits(max_cell_chars=10), every_sheet=True)))
    assert error.messages[0].startswith("Trang “choices”: Dòng 1")


def test_a_csv_field_past_csv_s_own_limit_is_a_clear_message_not_csv_error():
    text = bombs.csv_with_long_field().decode()
    error = refusal(lambda: list(csv_rows(text, delimiter=",")))
    assert error.code == "cell_too_long" and "Dòng 2" in error.messages[0]


def test_a_csv_cell_past_our_limit():
    error = refusal(
        lambda: list(csv_rows("a\n" + "y" * 200 + "\n", delimiter=",", limits=SheetLimits(max_cell_chars=100)))
    )
    assert error.code == "cell_too_long" and "Dòng 2" in error.messages[0]
