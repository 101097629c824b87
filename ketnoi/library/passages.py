"""Cutting extracted pages into passages: the unit that search ranks and quotes.

A page of a report holds several ideas; ranking whole pages would let a long page full of
common words beat the paragraph that answers the question. Passages keep paragraphs together
up to about `MAX_WORDS` words, and remember their page for "trang 12" in results.
"""

import re
import unicodedata

MAX_WORDS = 120
_PARAGRAPHS = re.compile(r"\n\s*\n|\n(?=\s*[-•*\d]+[.)]?\s)")
_SPACES = re.compile(r"[ \t\r\f\v]+")


def clean(text: str) -> str:
    """NFC, without NULs, with runs of spaces collapsed and lines trimmed."""
    text = unicodedata.normalize("NFC", (text or "").replace("\x00", ""))
    lines = [_SPACES.sub(" ", line).strip() for line in text.splitlines()]
    return "\n".join(lines).strip()


def _chunks(words: list[str], size: int) -> list[str]:
    return [" ".join(words[i : i + size]) for i in range(0, len(words), size)]


def split_page(text: str, *, max_words: int = MAX_WORDS) -> list[str]:
    """Passages of one page: whole paragraphs joined up to `max_words`, long ones cut by words."""
    passages: list[str] = []
    current: list[str] = []
    for paragraph in _PARAGRAPHS.split(clean(text)):
        words = paragraph.split()
        if not words:
            continue
        if len(words) > max_words:
            if current:
                passages.append(" ".join(current))
                current = []
            passages.extend(_chunks(words, max_words))
            continue
        if current and len(current) + len(words) > max_words:
            passages.append(" ".join(current))
            current = []
        current.extend(words)
    if current:
        passages.append(" ".join(current))
    return passages


def split_pages(pages: list[str], *, max_words: int = MAX_WORDS) -> list[tuple[int, str]]:
    """(page number from 1, passage text) for every passage of every page."""
    return [
        (number, passage)
        for number, page in enumerate(pages, start=1)
        for passage in split_page(page, max_words=max_words)
    ]
