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

from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Q

from . import access, search_index, tokens
from .models import Collection, CollectionItem, Document, DocumentType, Language, Passage, Subject
from .snippets import Highlighter

MAX_TERMS = 40
MAX_QUERY_LENGTH = 300
FACET_LIMIT = 12
CHOSEN = (CollectionItem.Status.SELECTED, CollectionItem.Status.DELIVERED)
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
            value = (data.get(name) or "").strip()
            return int(value) if value.isdigit() and len(value) < 10 else None

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


def _passage_filter(user, filters: SearchFilters | None) -> tuple[str, list]:
    """SQL over the passage alias `p`: the document is visible (and passes the filters), and a
    passage of a file is only searched when the reader may read the full text."""
    documents = access.visible_documents(user)
    if filters:
        documents = filters.apply(documents)
    visible_sql, visible_params = documents.values("id").query.sql_with_params()
    fulltext_sql, fulltext_params = access.fulltext_documents(user).values("id").query.sql_with_params()
    where = f"p.document_id IN ({visible_sql}) AND (p.file_id IS NULL OR p.document_id IN ({fulltext_sql}))"
    return where, [*visible_params, *fulltext_params]


def ranked_hits(*, user, query: str, filters: SearchFilters | None = None, exact=True, pairs=True):
    terms = build_terms(query, exact=exact, pairs=pairs)
    return search_index.search(terms, _passage_filter(user, filters))


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
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool = False
    href: str = ""


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


def _top(counts: Counter) -> list[int]:
    return [pk for pk, _n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:FACET_LIMIT]]


def _facets(document_ids: list[int] | None, documents, filters: SearchFilters) -> dict[str, list[FacetValue]]:
    """Counts per type, year, language, subject and collection over the matched documents
    (`document_ids`) or, when browsing without a query, over `documents`."""
    scope = Q(id__in=document_ids) if document_ids is not None else Q(id__in=documents.values("id"))
    rows = list(Document.objects.filter(scope).values_list("type", "year", "language"))
    types, years, languages = {}, {}, {}
    for kind, year, language in rows:
        types[kind] = types.get(kind, 0) + 1
        if year:
            years[year] = years.get(year, 0) + 1
        languages[language] = languages.get(language, 0) + 1
    type_labels, language_labels = dict(DocumentType.choices), dict(Language.choices)
    # Counted here from narrow rows of the link tables: the database's GROUP BY over a join with a
    # list of a thousand matched documents was the slow part of a results page.
    in_scope = document_ids if document_ids is not None else documents.values("id")
    subject_counts = Counter(
        Document.subjects.through.objects.filter(document_id__in=in_scope).values_list("subject_id", flat=True)
    )
    collection_counts = Counter(
        collection_id
        for collection_id, _document in CollectionItem.objects.filter(status__in=CHOSEN, document_id__in=in_scope)
        .values_list("collection_id", "document_id")
        .distinct()
    )
    top_subjects = _top(subject_counts)
    top_collections = _top(collection_counts)
    subject_names = dict(Subject.objects.filter(pk__in=top_subjects).values_list("pk", "name"))
    collection_names = dict(Collection.objects.filter(pk__in=top_collections).values_list("pk", "name"))
    return {
        "type": [
            FacetValue(k, str(type_labels.get(k, k)), n, k == filters.type)
            for k, n in sorted(types.items(), key=lambda kv: -kv[1])
        ],
        "year": [FacetValue(str(k), str(k), n, k == filters.year) for k, n in sorted(years.items(), reverse=True)][
            :FACET_LIMIT
        ],
        "language": [
            FacetValue(k, str(language_labels.get(k, k)), n, k == filters.language)
            for k, n in sorted(languages.items(), key=lambda kv: -kv[1])
        ],
        "subject": [
            FacetValue(str(pk), subject_names.get(pk, ""), subject_counts[pk], pk == filters.subject)
            for pk in top_subjects
        ],
        "collection": [
            FacetValue(str(pk), collection_names.get(pk, ""), collection_counts[pk], pk == filters.collection)
            for pk in top_collections
        ],
    }


def search_documents(
    *, user, query: str, filters: SearchFilters | None = None, page: int = 1, per_page: int = 20
) -> SearchPage:
    """One page of results with facets. Without a query: the visible documents, newest first."""
    filters = filters or SearchFilters()
    query = " ".join((query or "").split())[:MAX_QUERY_LENGTH]
    terms = build_terms(query)
    if terms:
        hits = search_index.search(terms, _passage_filter(user, filters))
        ids = [h.document_id for h in hits]
        result = SearchPage(query=query, filters=filters, total=len(hits), page=1, per_page=per_page)
        result.page = min(max(1, page), result.pages)
        chosen = hits[(result.page - 1) * per_page : result.page * per_page]
        result.facets = _facets(ids, None, filters)
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
    result.facets = _facets(None, documents, filters)
    return result


def _with_relations(documents):
    return documents.select_related("programme").prefetch_related("creators", "subjects")


def _results_for_hits(hits, query: str) -> list[Result]:
    if not hits:
        return []
    documents = _with_relations(Document.objects.filter(id__in=[h.document_id for h in hits])).in_bulk()
    # Quote the best page even when the title won; the metadata passage when no page matched.
    quoted = {h.document_id: h.text_passage_id or h.passage_id for h in hits}
    passages = Passage.objects.only("id", "page", "text", "file_id").in_bulk(list(quoted.values()))
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
