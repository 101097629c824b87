"""How library text becomes search terms — the same on SQLite and PostgreSQL.

Vietnamese writes one syllable per word-space unit, and most words are two syllables
("tổ chức", "xã hội"), so each text is indexed three ways:
- exact syllables, lower case with their diacritics ("tổ", "chức"): a query typed with
  diacritics ranks documents that share them higher;
- folded syllables, diacritics removed and đ→d ("to", "chuc"): a query typed without
  diacritics finds the same documents;
- folded syllable pairs ("to_chuc", "chuc_xa"): adjacent syllables, so "tổ chức xã hội" as a
  phrase beats a page that has "tổ", "chức", "xã" and "hội" scattered.
"""

import re
import unicodedata
from functools import lru_cache

from ketnoi.core.text import fold

# Letters and digits; underscores are ours (pair joiner), never part of a syllable. Runs longer
# than 60 characters (a URL, a hash) are not words anyone searches for.
_SYLLABLE = re.compile(r"(?<![^\W_])[^\W_]{1,60}(?![^\W_])")
PAIR_JOINER = "_"


def syllables(text: str | None) -> list[str]:
    """Lower-case NFC syllables with their diacritics."""
    if not text:
        return []
    return _SYLLABLE.findall(unicodedata.normalize("NFC", text).lower())


@lru_cache(maxsize=65536)
def fold_syllable(syllable: str) -> str:
    """Folded syllable, memoised: a language has a few thousand syllables and texts repeat them."""
    return fold(syllable)


def pairs(folded: list[str]) -> list[str]:
    return [f"{a}{PAIR_JOINER}{b}" for a, b in zip(folded, folded[1:], strict=False)]


def fields(text: str | None) -> tuple[list[str], list[str], list[str]]:
    """(exact, folded, pairs) term lists of one text, in reading order."""
    exact = syllables(text)
    folded = [fold_syllable(s) for s in exact]
    return exact, folded, pairs(folded)


def has_diacritics(text: str) -> bool:
    return fold(text) != unicodedata.normalize("NFC", text).lower().strip()


def syllable_spans(text: str) -> list[tuple[int, int, str]]:
    """(start, end, folded syllable) for each syllable of `text`, for highlighting."""
    return [(m.start(), m.end(), fold_syllable(m.group().lower())) for m in _SYLLABLE.finditer(text)]
