"""Builders for the library tests: a document written straight into the tables with its
passages indexed (no audit, no file processing: the tests of those call the services), and a
collection made through the curation service."""

from django.db import transaction

from ketnoi.core.text import fold
from ketnoi.library import search_index
from ketnoi.library.models import Document, DocumentFile, Subject
from ketnoi.library.services import curation


def make_document(programme, title="Tài liệu", *, pages=None, subjects=(), **fields) -> Document:
    """A document of `programme` (research, public unless told), with its metadata passage
    indexed and, when `pages` is given, a text file whose pages are indexed too."""
    fields.setdefault("type", "research")
    fields.setdefault("access", "public")
    with transaction.atomic():
        document = Document.objects.create(programme=programme, title=title, **fields)
        for name in subjects:
            subject, _ = Subject.objects.get_or_create(folded=fold(name), defaults={"name": name})
            document.subjects.add(subject)
        search_index.index_metadata(document)
        if pages is not None:
            file = DocumentFile.objects.create(
                document=document,
                file=f"library/test/{title[:20]}.txt",
                original_name="van-ban.txt",
                media_type="text/plain",
                size=sum(len(p) for p in pages),
                sha256="0" * 64,
                status=DocumentFile.Status.READY,
                page_count=len(pages),
            )
            search_index.store_file_text(file, pages)
    return document


def make_collection(actor, programme, name="Góc tri thức của Viện", **extra):
    return curation.collection_create(actor=actor, programme=programme, name=name, **extra)
