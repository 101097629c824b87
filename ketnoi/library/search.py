"""Library search as readers use it: a query typed with or without diacritics, filters from the
facets, results ranked by BM25 (search_index.py) and scoped to what the reader may see, with a
highlighted snippet of the best passage of each document.

How a query becomes terms (`build_terms`):
- its folded syllables, without the very common ones ("và", "của", "các"…) unless the query is
  made only of those — they would match nearly every passage and rank nothing;
- its adjacent folded syllable pairs, stop words included ("xã hội", "cơ quan"), so that a
  multi-syllable word or phrase outranks the same syllables scattered;
- when the query has diacritics, its exact syllables too: "đào tạo" ranks pages that say
  "đào tạo" above pages that say "dao", though both fold the same.
Documents rank by their best passage (the metadata passage counts: title, subjects, creators).
"""

from dataclasses import dataclass, field

from django.db.models import Prefetch

from ketnoi.core.parsing import whole_number

from . import access, search_index, tokens
from .facets import CHOSEN, FacetValue, facets
from .models import Creator, Document, DocumentType, Language, Passage
from .snippets import Highlighter

MAX_TERMS = 40
MAX_QUERY_LENGTH = 300
# Folded syllables too common in Vietnamese prose to tell documents apart on their own.
STOPWORDS = frozenset(
    {
        "va",
        "cua",
        "cac",
        "la",
        "co",
        "duoc",
        "cho",
        "trong",
        "voi",
        "nhung",
        "mot",
        "nay",
        "de",
        "khi",
        "thi",
        "da",
        "ve",
        "tai",
        "tu",
        "theo",
        "nhu",
        "cung",
        "o",
        "ra",
        "vao",
        "den",
        "nen",
        "ma",
        "hay",
        "hoac",
        "neu",
        "con",
        "se",
        "dang",
        "rat",
        "nhieu",
        "moi",
        "tren",
        "duoi",
        "sau",
        "truoc",
        "bang",
        "do",
        "viec",
        "",
    }
)


@dataclass(frozen=True)
class SearchFilters:
    type: str = ""
    year: int | None = None
    language: str = ""
    subject: int | None = None
    collection: int | None = None

    @classmethod
    def from_query(cls, data) -> "SearchFilters":
        """Filters from a GET query; values that are not valid are ignored, never an error."""

        def number(name: str) -> int | None:
            return whole_number((data.get(name) or "").strip(), high=999_999_999)

        kind = data.get("type") or ""
        language = data.get("language") or ""
        return cls(
            type=kind if kind in DocumentType.values else "",
            year=number("year"),
            language=language if language in Language.values else "",
            subject=number("subject"),
            collection=number("collection"),
        )

    def apply(self, documents):
        if self.type:
            documents = documents.filter(type=self.type)
        if self.year:
            documents = documents.filter(year=self.year)
        if self.language:
            documents = documents.filter(language=self.language)
        if self.subject:
            documents = documents.filter(subjects__id=self.subject)
        if self.collection:
            documents = documents.filter(
                collection_items__collection_id=self.collection, collection_items__status__in=CHOSEN
            )
        return documents

    def as_params(self) -> dict[str, str]:
        values = {
            "type": self.type,
            "year": self.year,
            "language": self.language,
            "subject": self.subject,
            "collection": self.collection,
        }
        return {k: str(v) for k, v in values.items() if v}

    @property
    def active(self) -> bool:
        return bool(self.as_params())


def _unique(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))


def build_terms(query: str, *, exact: bool = True, pairs: bool = True) -> list[search_index.Term]:
    query = (query or "")[:MAX_QUERY_LENGTH]
    exact_syllables = tokens.syllables(query)
    folded = [tokens.fold_syllable(s) for s in exact_syllables]
    keep = [i for i, s in enumerate(folded) if s not in STOPWORDS] or list(range(len(folded)))
    terms = [search_index.Term(s, search_index.FOLDED) for s in _unique([folded[i] for i in keep])]
    if pairs:
        terms += [search_index.Term(p, search_index.PAIRS) for p in _unique(tokens.pairs(folded))]
    if exact and tokens.has_diacritics(query):
        terms += [search_index.Term(s, search_index.EXACT) for s in _unique([exact_syllables[i] for i in keep])]
    return terms[:MAX_TERMS]


def _scope(user, filters: SearchFilters | None) -> search_index.Scope:
    """The documents the reader may see (and that pass the filters); a passage of a file is only
    searched when the reader may read the full text."""
    documents = access.visible_documents(user)
    if filters:
        documents = filters.apply(documents)
    return search_index.Scope.of(documents, access.fulltext_documents(user))


def ranked_hits(*, user, query: str, filters: SearchFilters | None = None, exact=True, pairs=True):
    terms = build_terms(query, exact=exact, pairs=pairs)
    return search_index.search(terms, _scope(user, filters))


def ranked_document_ids(
    *, user, query: str, filters: SearchFilters | None = None, exact: bool = True, pairs: bool = True
) -> list[int]:
    return [hit.document_id for hit in ranked_hits(user=user, query=query, filters=filters, exact=exact, pairs=pairs)]


@dataclass
class Result:
    document: Document
    score: float | None = None
    title_html: str = ""
    snippet_html: str = ""
    page: int | None = None
    passages: int = 0


@dataclass
class SearchPage:
    query: str
    filters: SearchFilters
    total: int
    page: int
    per_page: int
    results: list[Result] = field(default_factory=list)
    facets: dict[str, list[FacetValue]] = field(default_factory=dict)
    document_ids: list[int] = field(default_factory=list)

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


def search_documents(
    *, user, query: str, filters: SearchFilters | None = None, page: int = 1, per_page: int = 20
) -> SearchPage:
    """One page of results with facets. Without a query: the visible documents, newest first."""
    filters = filters or SearchFilters()
    query = " ".join((query or "").split())[:MAX_QUERY_LENGTH]
    terms = build_terms(query)
    if terms:
        hits = search_index.search(terms, _scope(user, filters))
        ids = [h.document_id for h in hits]
        result = SearchPage(query=query, filters=filters, total=len(hits), page=1, per_page=per_page)
        result.page = min(max(1, page), result.pages)
        chosen = hits[(result.page - 1) * per_page : result.page * per_page]
        result.facets = facets(document_ids=ids, filters=filters)
        result.document_ids = ids
        result.results = _results_for_hits(chosen, query)
        return result
    documents = filters.apply(access.visible_documents(user)).distinct()
    total = documents.count()
    result = SearchPage(query=query, filters=filters, total=total, page=1, per_page=per_page)
    result.page = min(max(1, page), result.pages)
    start = (result.page - 1) * per_page
    shown = list(_with_relations(documents.order_by("-year", "title", "id"))[start : start + per_page])
    result.results = [Result(document=d, title_html=Highlighter("").mark(d.title)) for d in shown]
    result.facets = facets(documents=documents, filters=filters)
    return result


def _with_relations(documents):
    # Creators in their own order: Creator's default ordering starts with its document, which
    # would join every creator to the documents table to sort by the document's ordering.
    return documents.prefetch_related(
        Prefetch("creators", queryset=Creator.objects.order_by("position", "id")), "subjects"
    )


def _results_for_hits(hits, query: str) -> list[Result]:
    if not hits:
        return []
    documents = _with_relations(Document.objects.order_by()).in_bulk([h.document_id for h in hits])
    # Quote the best page even when the title won; the metadata passage when no page matched.
    quoted = {h.document_id: h.text_passage_id or h.passage_id for h in hits}
    passages = Passage.objects.order_by().only("id", "page", "text", "file_id").in_bulk(list(quoted.values()))
    highlighter = Highlighter(query)
    results = []
    for hit in hits:
        document = documents.get(hit.document_id)
        if document is None:  # removed between the two queries
            continue
        passage = passages.get(quoted[hit.document_id])
        text = passage.text if passage else ""
        if passage is not None and passage.is_metadata and not highlighter.matches(text):
            text = document.abstract
        results.append(
            Result(
                document=document,
                score=hit.score,
                title_html=highlighter.mark(document.title),
                snippet_html=highlighter.snippet(text),
                page=passage.page if passage else None,
                passages=hit.passages,
            )
        )
    return results


def export_documents(*, user, query: str, filters: SearchFilters | None = None, limit: int = 500) -> list[Document]:
    """The documents of a result list (best first, at most `limit`) for a citation export."""
    filters = filters or SearchFilters()
    if build_terms(query):
        ids = ranked_document_ids(user=user, query=query, filters=filters)[:limit]
        found = Document.objects.prefetch_related("creators", "subjects").in_bulk(ids)
        return [found[i] for i in ids if i in found]
    documents = filters.apply(access.visible_documents(user)).distinct().order_by("-year", "title", "id")
    return list(documents.prefetch_related("creators", "subjects")[:limit])
