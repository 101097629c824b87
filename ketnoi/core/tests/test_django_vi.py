"""Django's own messages that a person meets on a form or a list read in Vietnamese: Django's
Vietnamese catalog leaves some empty (a NUL in a field answered "Null characters are not
allowed."), and core's `locale/vi` fills them."""

from pathlib import Path

import django
import pytest
from babel.messages.pofile import read_po
from django import forms
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.utils import translation

CORE_VI = Path(__file__).resolve().parents[1] / "locale/vi/LC_MESSAGES/django.po"
DJANGO_VI = Path(django.__file__).parent / "conf/locale/vi/LC_MESSAGES/django.po"


def _refusal(field: forms.Field, value) -> str:
    with pytest.raises(ValidationError) as refused:
        field.clean(value)
    return " ".join(refused.value.messages)


@pytest.mark.parametrize(
    ("field", "value", "vietnamese"),
    [
        (forms.CharField(), "Hội\x00Luật gia", "Không được có ký tự rỗng (NUL)"),
        (forms.UUIDField(), "không-phải-uuid", "Hãy nhập một mã UUID hợp lệ."),
        (forms.JSONField(), "{", "Hãy nhập JSON hợp lệ."),
        (forms.DurationField(), "mãi mãi", "Hãy nhập một khoảng thời gian hợp lệ."),
        (forms.SlugField(), "có dấu cách", "Hãy nhập một mã gồm chữ cái"),
    ],
)
def test_a_form_refusal_from_django_reads_in_vietnamese(field, value, vietnamese):
    with translation.override("vi"):
        assert vietnamese in _refusal(field, value)
    with translation.override("en"):  # English keeps Django's own words
        assert vietnamese not in _refusal(field, value)


def test_a_page_number_refusal_reads_in_vietnamese():
    with translation.override("vi"), pytest.raises(Exception) as refused:
        Paginator(range(10), 5).validate_number("x")
    assert str(refused.value) == "Số trang phải là số nguyên."


def test_each_entry_fills_a_gap_django_still_has():
    """An entry Django renamed or translated itself since is dead weight: the test says which."""
    with CORE_VI.open("rb") as ours, DJANGO_VI.open("rb") as theirs:
        ours, theirs = read_po(ours), read_po(theirs)
    django_ids = {m.id: m.string for m in theirs if m.id}
    entries = [m for m in ours if m.id]
    assert entries and all(m.string for m in entries)
    assert [m.id for m in entries if m.id not in django_ids] == []
    assert [m.id for m in entries if django_ids[m.id]] == []
