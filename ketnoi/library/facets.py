"""Facet counts of a result list: per type, year, language, subject and collection.

All five are counted by the database in one statement over the matched documents, handed over
as one parameter (a JSON array on SQLite, an array on PostgreSQL) rather than as a thousand
placeholders: building and binding those was the slow part of a results page.
"""

import json
from collections import Counter
from dataclasses import dataclass

from django.db import connection

from .models import Collection, CollectionItem, Document, DocumentType, Language, Subject

FACET_LIMIT = 12
CHOSEN = CollectionItem.IN_SET


@dataclass
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool = False
    href: str = ""


def _ids_sql(document_ids: list[int]) -> tuple[str, list]:
    if connection.vendor == "postgresql":
        return "SELECT unnest(%s::bigint[])", [document_ids]
    return "SELECT value FROM json_each(%s)", [json.dumps(document_ids)]


def _counts(scope_sql: str, scope_params: list) -> list[tuple]:
    """Rows ("document", type, year, language, documents) — one per combination, so that the
    documents are read once for three facets — and ("subject" or "collection", id, name, None,
    documents), named after counting."""
    document = Document._meta.db_table
    subjects = Document.subjects.through._meta.db_table
    subject, collection = Subject._meta.db_table, Collection._meta.db_table
    item = CollectionItem._meta.db_table
    matched = "SELECT id FROM matched"
    sql = (
        f"WITH matched(id) AS ({scope_sql}) "  # noqa: S608 - our own table names; values are parameters
        f"SELECT 'document', d.type, CAST(d.year AS TEXT), d.language, count(*) FROM {document} d "
        f"WHERE d.id IN ({matched}) GROUP BY d.type, d.year, d.language "
        f"UNION ALL SELECT 'subject', CAST(s.id AS TEXT), s.name, NULL, x.n FROM "
        f"(SELECT subject_id, count(*) AS n FROM {subjects} WHERE document_id IN ({matched}) GROUP BY subject_id) x "
        f"JOIN {subject} s ON s.id = x.subject_id "
        f"UNION ALL SELECT 'collection', CAST(c.id AS TEXT), c.name, NULL, x.n FROM "
        f"(SELECT collection_id, count(DISTINCT document_id) AS n FROM {item} "
        f"WHERE status IN (%s, %s) AND document_id IN ({matched}) GROUP BY collection_id) x "
        f"JOIN {collection} c ON c.id = x.collection_id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*scope_params, *CHOSEN])
        return cursor.fetchall()


def _by_count(row: tuple[str, str | None, int]) -> tuple:
    return (-row[2], row[0])


def facets(*, document_ids: list[int] | None = None, documents=None, filters) -> dict[str, list[FacetValue]]:
    """Counts over the matched documents (`document_ids`) or, when browsing without a query,
    over the queryset `documents`; the chosen filter values are marked."""
    if document_ids is not None:
        scope_sql, scope_params = _ids_sql(document_ids)
    else:
        scope_sql, scope_params = documents.order_by().values("id").query.sql_with_params()
    totals: dict[str, Counter] = {"type": Counter(), "year": Counter(), "language": Counter()}
    grouped: dict[str, list[tuple[str, str | None, int]]] = {}
    for facet, first, second, third, count in _counts(scope_sql, list(scope_params)):
        if facet == "document":
            totals["type"][first] += count
            if second is not None:
                totals["year"][str(second)] += count
            totals["language"][third] += count
        else:
            grouped.setdefault(facet, []).append((first, second, count))
    for facet, counter in totals.items():
        grouped[facet] = [(value, None, count) for value, count in counter.items()]
    type_labels, language_labels = dict(DocumentType.choices), dict(Language.choices)
    chosen = {
        "type": filters.type,
        "year": str(filters.year or ""),
        "language": filters.language,
        "subject": str(filters.subject or ""),
        "collection": str(filters.collection or ""),
    }

    def values(facet: str, order, label) -> list[FacetValue]:
        rows = sorted(grouped.get(facet, []), key=order)[:FACET_LIMIT]
        return [FacetValue(v, str(label(v, name)), count, v == chosen[facet]) for v, name, count in rows]

    return {
        "type": values("type", _by_count, lambda value, _name: type_labels.get(value, value)),
        "year": values("year", lambda row: -int(row[0]), lambda value, _name: value),
        "language": values("language", _by_count, lambda value, _name: language_labels.get(value, value)),
        "subject": values("subject", lambda row: (-row[2], int(row[0])), lambda _value, name: name or ""),
        "collection": values("collection", lambda row: (-row[2], int(row[0])), lambda _value, name: name or ""),
    }
