"""Vietnamese text folding: the one rule every search and match in the platform uses."""

import re
import unicodedata

_SPACES = re.compile(r"\s+")


def fold(text: str | None) -> str:
    """Lower-case, strip diacritics and map đ to d, so "Đào tạo" and "dao tao" compare equal.

    NFD splits a letter from its combining marks so they can be dropped; đ/Đ is a letter of its
    own, not d plus a mark, so it is mapped explicitly.
    """
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACES.sub(" ", unicodedata.normalize("NFC", stripped).lower()).strip()


def normalise(text: str | None) -> str:
    """NFC with collapsed white space: what we store for names typed on different keyboards."""
    if not text:
        return ""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text)).strip()


def normalise_phone(phone: str | None) -> str:
    """Digits only, with Vietnam's +84 prefix written as a leading 0, for duplicate matching."""
    digits = re.sub(r"\D", "", phone or "")
    if digits.startswith("84") and len(digits) >= 11:
        digits = "0" + digits[2:]
    return digits


def keep_folded(instance, save_kwargs: dict, **columns: str) -> None:
    """Fill each folded column from its source field before a save (`title_folded="title"`),
    and save it too when the caller saves only some fields, its source among them: what a
    model's save() calls so that search can match a query typed without diacritics."""
    for target, source in columns.items():
        setattr(instance, target, fold(getattr(instance, source)))
    fields = save_kwargs.get("update_fields")
    if fields is not None:
        added = {target for target, source in columns.items() if source in fields}
        if added:
            save_kwargs["update_fields"] = {*fields, *added}
