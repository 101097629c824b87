"""The search benchmark's test collection (bench/library_data/collection.json) is well formed:
unique ids, every judged document exists, every query has a document that answers it, text in
NFC with real diacritics. A shape check only — the scores are bench/library_relevance.py's job."""

import json
import unicodedata
from pathlib import Path

import pytest

from ketnoi.core.text import fold
from ketnoi.library.models import DocumentType, Language

COLLECTION = Path(__file__).resolve().parents[3] / "bench" / "library_data" / "collection.json"


@pytest.fixture(scope="module")
def collection() -> dict:
    return json.loads(COLLECTION.read_text(encoding="utf-8"))


def test_ids_are_unique(collection):
    document_ids = [d["id"] for d in collection["documents"]]
    query_ids = [q["id"] for q in collection["queries"]]
    assert len(document_ids) == len(set(document_ids))
    assert len(query_ids) == len(set(query_ids))


def test_documents_have_their_fields(collection):
    assert len(collection["documents"]) >= 60
    for document in collection["documents"]:
        assert document["title"].strip(), document["id"]
        assert document["type"] in DocumentType.values, document["id"]
        assert document["language"] in Language.values, document["id"]
        assert 1900 < document["year"] <= 2030, document["id"]
        assert 2 <= len(document["subjects"]) <= 4, document["id"]
        assert document["creators"] and all(c.strip() for c in document["creators"]), document["id"]
        assert document["abstract"].strip(), document["id"]
        assert 2 <= len(document["pages"]) <= 5, document["id"]
        assert all(len(page.split()) >= 25 for page in document["pages"]), document["id"]


def test_every_judged_document_exists_and_grades_are_1_or_2(collection):
    document_ids = {d["id"] for d in collection["documents"]}
    for query in collection["queries"]:
        judgements = query["judgements"]
        assert set(judgements) <= document_ids, query["id"]
        assert set(judgements.values()) <= {1, 2}, query["id"]


def test_every_query_has_an_answer(collection):
    assert len(collection["queries"]) >= 40
    for query in collection["queries"]:
        assert query["text"].strip(), query["id"]
        assert 2 in query["judgements"].values(), query["id"]


def test_text_is_nfc_and_vietnamese_queries_carry_diacritics(collection):
    """Folding a query must change it, or the "without diacritics" half of the benchmark would
    measure the same thing twice; NFC so that exact syllables match what extraction stores."""
    texts = [q["text"] for q in collection["queries"]]
    for document in collection["documents"]:
        texts += [document["title"], document["abstract"], *document["pages"]]
    assert all(unicodedata.normalize("NFC", t) == t for t in texts)
    for query in collection["queries"]:
        if query["kind"] != "english":
            assert fold(query["text"]) != query["text"].lower(), query["id"]
