"""Library personas and a document maker shared by the library tests."""

import pytest

from ketnoi.core.roles import Role


@pytest.fixture
def curator(make_user, prog):
    from ketnoi.programmes.models import ProgrammeRole

    user = make_user("curator", first_name="Thủ thư")
    ProgrammeRole.objects.create(user=user, programme=prog, role=Role.CURATOR)
    return user


@pytest.fixture
def make_document(db, prog):
    """make_document(title=..., access=..., pages=[...], **fields) -> Document, with its metadata
    passage indexed and, when `pages` is given, a text file whose pages are indexed too."""
    from django.db import transaction

    from ketnoi.library import search_index
    from ketnoi.library.models import Document, DocumentFile, Subject

    def make(title="Tài liệu", *, programme=None, pages=None, subjects=(), **fields):
        fields.setdefault("type", "research")
        fields.setdefault("access", "public")
        with transaction.atomic():
            document = Document.objects.create(programme=programme or prog, title=title, **fields)
            for name in subjects:
                from ketnoi.core.text import fold

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

    return make


# Collections and curation -----------------------------------------------------------------------


@pytest.fixture
def partner(db):
    from ketnoi.directory.models import Organisation

    return Organisation.objects.create(name="Viện Nghiên cứu Chính sách", type="academic")


@pytest.fixture
def collection(curator, prog, partner):
    from ketnoi.library.services import curation

    return curation.collection_create(actor=curator, programme=prog, name="Góc tri thức của Viện", partner=partner)
