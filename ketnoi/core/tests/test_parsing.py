"""whole_number reads ASCII digits only, within a range the database holds."""

import pytest

from ketnoi.core.parsing import DATABASE_MAX, whole_number


@pytest.mark.parametrize(
    ("value", "expected"),
    [("0", 0), ("2024", 2024), ("007", 7), (42, 42), (str(DATABASE_MAX), DATABASE_MAX)],
)
def test_ascii_digits_are_read(value, expected):
    assert whole_number(value) == expected


@pytest.mark.parametrize(
    "value",
    ["³", "²⁰²⁴", "٣", "①", "१२", "", " 12", "12 ", "-1", "+1", "1.0", "1e3", str(DATABASE_MAX + 1), "9" * 400],
)
def test_anything_else_is_none(value):
    assert value.isdigit() is False or value  # documents why: several of these pass isdigit()
    assert whole_number(value) is None


def test_none_bools_and_out_of_range_are_none():
    assert whole_number(None) is None
    assert whole_number(True) is None
    assert whole_number("1899", low=1900, high=2100) is None
    assert whole_number("2101", low=1900, high=2100) is None
    assert whole_number("1900", low=1900, high=2100) == 1900
