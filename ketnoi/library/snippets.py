"""Highlighted titles and snippets, computed from the original text so readers see the real
diacritics even when they searched without them ("to chuc" marks "tổ chức").

A syllable is marked when its folded form is one of the query's content syllables, or when it
and its neighbour form one of the query's syllable pairs ("xã hội" marks "hội" in "xã hội" for
the query "xa hoi", not the "hội" of "hội thảo" alone when "hoi" is a stop word).
"""

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from . import tokens

SNIPPET_SYLLABLES = 36
ELLIPSIS = "…"


class Highlighter:
    def __init__(self, query: str):
        from .search import STOPWORDS  # the same stop words as the ranking

        folded = [tokens.fold_syllable(s) for s in tokens.syllables(query)]
        content = {s for s in folded if s not in STOPWORDS} or set(folded)
        self.syllables = content
        self.pairs = set(zip(folded, folded[1:], strict=False))

    def _marks(self, spans) -> list[bool]:
        folded = [s for _start, _end, s in spans]
        marks = [s in self.syllables for s in folded]
        for i in range(len(folded) - 1):
            if (folded[i], folded[i + 1]) in self.pairs:
                marks[i] = marks[i + 1] = True
        return marks

    def matches(self, text: str) -> bool:
        return any(self._marks(tokens.syllable_spans(text or "")))

    def _render(self, text: str, spans, marks, first: int, last: int) -> str:
        """HTML of text from syllable `first` to `last` (inclusive), marked runs merged."""
        out: list[str] = []
        position = spans[first][0]
        i = first
        while i <= last:
            start = spans[i][0]
            if marks[i]:
                j = i
                while j + 1 <= last and marks[j + 1]:
                    j += 1
                out.append(escape(text[position:start]))
                out.append(f"<mark>{escape(text[start : spans[j][1]])}</mark>")
                position = spans[j][1]
                i = j + 1
            else:
                i += 1
        out.append(escape(text[position : spans[last][1]]))
        return "".join(out)

    @staticmethod
    def _best_window(spans, marks: list[bool], size: int) -> int:
        """Start of the window of `size` syllables with the most distinct matches (twice) plus
        adjacent matched pairs, slid once over the text; then moved back so that a few words
        come before the first match instead of the window ending on it."""
        n = len(spans)
        if n <= size:
            return 0
        seen: dict[str, int] = {}
        runs = 0

        def add(i: int, step: int) -> None:
            nonlocal runs
            if marks[i]:
                word = spans[i][2]
                seen[word] = seen.get(word, 0) + step
                if not seen[word]:
                    del seen[word]

        def pair(i: int) -> bool:
            return marks[i] and marks[i + 1]

        for i in range(size):
            add(i, 1)
        runs = sum(1 for i in range(size - 1) if pair(i))
        best_start, best = 0, len(seen) * 2 + runs
        for start in range(1, n - size + 1):
            add(start - 1, -1)
            runs -= pair(start - 1)
            add(start + size - 1, 1)
            runs += pair(start + size - 2)
            score = len(seen) * 2 + runs
            if score > best:
                best_start, best = start, score
        first_mark = next((i for i in range(best_start, n) if marks[i]), best_start)
        centred = min(max(0, first_mark - size // 4), n - size)
        if centred != best_start:
            window = range(centred, centred + size)
            distinct = {spans[i][2] for i in window if marks[i]}
            if len(distinct) * 2 + sum(1 for i in window[:-1] if pair(i)) >= best:
                return centred
        return best_start

    def mark(self, text: str) -> SafeString:
        """The whole text, escaped, with matches marked."""
        text = text or ""
        spans = tokens.syllable_spans(text)
        if not spans:
            return mark_safe(escape(text))  # noqa: S308 - escaped just now
        marks = self._marks(spans)
        html = escape(text[: spans[0][0]]) + self._render(text, spans, marks, 0, len(spans) - 1)
        return mark_safe(html + escape(text[spans[-1][1] :]))  # noqa: S308 - every piece escaped

    def snippet(self, text: str, *, size: int = SNIPPET_SYLLABLES) -> SafeString:
        """The window of `size` syllables with the most distinct matches, marked."""
        text = text or ""
        spans = tokens.syllable_spans(text)
        if not spans:
            return mark_safe("")
        marks = self._marks(spans)
        best_start = self._best_window(spans, marks, size)
        last = min(len(spans), best_start + size) - 1
        html = self._render(text, spans, marks, best_start, last)
        prefix = ELLIPSIS + " " if best_start > 0 else ""
        suffix = " " + ELLIPSIS if last < len(spans) - 1 else ""
        return mark_safe(escape(prefix) + html + escape(suffix))  # noqa: S308 - every piece escaped
