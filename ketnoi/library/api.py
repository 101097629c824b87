"""GET /api/v1/library/…: documents, collections and search, scoped like the pages — without a
token only public documents; with a token (or the browser session) what that user may read.
A token that is sent but not valid is a 401, never a silent fall-back to public data."""

from datetime import date

from django.db.models import Count, Prefetch, Q
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from ninja import Field, Query, Router, Schema

from ketnoi.core.api_auth import TokenAuth, django_auth
from ketnoi.core.api_pagination import paginated
from ketnoi.programmes.models import ProgrammeRole

from . import access
from .models import Collection, CollectionItem, Creator, Document, DocumentFile
from .search import SearchFilters, search_documents

MAX_LIMIT = 100
CHOSEN = CollectionItem.IN_SET


def reader(request: HttpRequest):
    """Anyone may read public documents; a request that sends a token was decided by TokenAuth."""
    if request.headers.get("Authorization"):
        return None
    return True


router = Router(tags=["library"], auth=[TokenAuth(), django_auth, reader])


class CreatorOut(Schema):
    name: str
    is_organisation: bool


class DocumentOut(Schema):
    id: int
    title: str
    type: str
    language: str
    year: int | None
    issued: date | None
    publisher: str
    access: str
    embargo_until: date | None
    creators: list[CreatorOut]
    subjects: list[str]
    url: str = Field(..., description="the document's page in the library")

    @staticmethod
    def resolve_subjects(document: Document) -> list[str]:
        return [s.name for s in document.subjects.all()]

    @staticmethod
    def resolve_url(document: Document) -> str:
        return reverse("library_public:document", args=[document.pk])


class FileOut(Schema):
    id: int
    name: str = Field(..., alias="original_name")
    media_type: str
    size: int
    status: str
    page_count: int | None
    download_url: str | None

    @staticmethod
    def resolve_download_url(file: DocumentFile) -> str | None:
        return reverse("library_public:file", args=[file.pk]) if file.status == DocumentFile.Status.READY else None


class CopyOut(Schema):
    location: str
    shelf: str
    call_number: str
    count: int


class DocumentDetailOut(DocumentOut):
    abstract: str
    rights: str
    isbn: str
    doi: str
    source: str
    link: str = Field(..., alias="url_link", description="the document's own web address, if any")
    files: list[FileOut] = Field(
        ..., alias="files_visible", description="empty while the full text is under embargo for this reader"
    )
    copies: list[CopyOut]
    collections: list[int] = Field(..., alias="collection_ids")


class SearchHitOut(Schema):
    document: DocumentOut
    score: float
    page: int | None
    snippet_html: str = Field(..., description="escaped text with <mark> around the matches")


class FacetOut(Schema):
    value: str
    label: str
    count: int


class SearchOut(Schema):
    query: str
    total: int
    page: int
    pages: int
    results: list[SearchHitOut]
    facets: dict[str, list[FacetOut]]


class LibraryCollectionOut(Schema):
    id: int
    name: str
    programme: str = Field(..., alias="programme.code")
    partner: str | None = Field(None, alias="partner.name")
    description: str
    documents: int = Field(
        ..., alias="document_count", description="selected and delivered documents the reader may see"
    )


class FiltersIn(Schema):
    type: str = ""
    year: str = ""
    language: str = ""
    subject: str = ""
    collection: str = ""


def _documents(user):
    return (
        access.visible_documents(user)
        .prefetch_related(Prefetch("creators", queryset=Creator.objects.order_by("position", "id")), "subjects")
        .order_by("-year", "title", "id")
    )


@router.get("/documents", response=list[DocumentOut])
@paginated(MAX_LIMIT)
def document_list(request, filters: Query[FiltersIn]):
    return SearchFilters.from_query(filters.dict()).apply(_documents(request.user)).distinct()


@router.get("/documents/{int:pk}", response=DocumentDetailOut)
def document_detail(request, pk: int):
    document = get_object_or_404(_documents(request.user).prefetch_related("copies"), pk=pk)
    files = list(document.files.all()) if access.can_read_fulltext(request.user, document) else []
    staff = access.is_library_staff(request.user, document.programme)
    document.url_link = document.url
    document.files_visible = [f for f in files if staff or f.status == DocumentFile.Status.READY]
    document.collection_ids = list(
        document.collection_items.filter(status__in=CHOSEN).values_list("collection_id", flat=True)
    )
    return document


@router.get("/search", response=SearchOut)
def search(request, q: str = "", page: int = 1, filters: Query[FiltersIn] = None):
    result = search_documents(
        user=request.user,
        query=q,
        filters=SearchFilters.from_query(filters.dict() if filters else {}),
        page=page,
        per_page=20,
    )
    return {
        "query": result.query,
        "total": result.total,
        "page": result.page,
        "pages": result.pages,
        "results": [
            {"document": r.document, "score": r.score or 0.0, "page": r.page, "snippet_html": str(r.snippet_html)}
            for r in result.results
        ],
        "facets": result.facets,
    }


def _collections(user):
    visible = access.visible_documents(user).values("id")
    counted = Count("items", filter=Q(items__status__in=CHOSEN, items__document__in=visible), distinct=True)
    collections = Collection.objects.all()
    if not (user.is_authenticated and user.is_active and user.is_staff):
        rule = Q(id__in=access.public_collections().values("id"))
        if user.is_authenticated:
            rule |= Q(programme_id__in=ProgrammeRole.objects.filter(user=user).values("programme_id"))
        collections = collections.filter(rule)
    return collections.select_related("programme", "partner").annotate(document_count=counted).order_by("name", "id")


@router.get("/collections", response=list[LibraryCollectionOut])
@paginated(MAX_LIMIT)
def collection_list(request):
    return _collections(request.user)


@router.get("/collections/{int:pk}/documents", response=list[DocumentOut])
@paginated(MAX_LIMIT)
def collection_documents(request, pk: int):
    collection = get_object_or_404(_collections(request.user), pk=pk)
    return (
        _documents(request.user)
        .filter(collection_items__collection=collection, collection_items__status__in=CHOSEN)
        .distinct()
    )
