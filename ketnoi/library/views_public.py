"""The reader's library: search with facets, a document's page, its files. Anyone may come;
access.py decides what each reader sees (anonymous readers: public documents only)."""

from urllib.parse import urlencode

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_GET

from ketnoi.core.parsing import whole_number

from . import access, citations
from .models import CollectionItem, DocumentFile
from .search import SearchFilters, export_documents, search_documents
from .views_interop import citation_download

PER_PAGE = 20


def _page_number(request) -> int:
    value = request.GET.get("page", "1")
    return whole_number(value, low=1, high=999_999) or 1


@require_GET
def search(request):
    query = request.GET.get("q", "")
    filters = SearchFilters.from_query(request.GET)
    fmt = request.GET.get("cite", "")
    if fmt:
        if fmt not in citations.FORMATS:
            raise Http404
        return citation_download(export_documents(user=request.user, query=query, filters=filters), fmt, "thu-vien")
    result = search_documents(
        user=request.user, query=query, filters=filters, page=_page_number(request), per_page=PER_PAGE
    )
    base = {"q": result.query, **filters.as_params()} if result.query else filters.as_params()
    for name, values in result.facets.items():
        for value in values:
            params = {k: v for k, v in base.items() if k != name}
            if not value.selected:
                params[name] = value.value
            value.href = "?" + urlencode(params)
    chips = [(value.label, value.href) for values in result.facets.values() for value in values if value.selected]
    return render(
        request,
        "library/search.html",
        {
            "result": result,
            "query": result.query,
            "query_string": urlencode(base),
            "chips": chips,
            "facet_titles": {
                "type": _("Loại tài liệu"),
                "year": _("Năm"),
                "language": _("Ngôn ngữ"),
                "subject": pgettext("library", "Chủ đề"),
                "collection": _("Bộ sưu tập"),
            },
            "cite_formats": citations.FORMATS,
        },
    )


@require_GET
def document(request, pk: int):
    document = access.get_visible_document(request.user, pk)
    fulltext = access.can_read_fulltext(request.user, document)
    staff = access.is_library_staff(request.user, document.programme)
    files = list(document.files.all()) if fulltext else []
    if not staff:
        files = [f for f in files if f.status == DocumentFile.Status.READY]
    items = (
        CollectionItem.objects.filter(
            document=document, status__in=[CollectionItem.Status.SELECTED, CollectionItem.Status.DELIVERED]
        )
        .select_related("collection", "collection__partner")
        .order_by("collection__name")
    )
    return render(
        request,
        "library/document.html",
        {
            "document": document,
            "creators": list(document.creators.all()),
            "subjects": list(document.subjects.all()),
            "files": files,
            "fulltext": fulltext,
            "staff": staff,
            "copies": list(document.copies.all()),
            "items": list(items),
            "cite_formats": citations.FORMATS,
        },
    )


@require_GET
def file_download(request, pk: int):
    """A file, only to readers of the document's full text; sent as an attachment so a crafted
    HTML file never runs as a page of this site."""
    file = get_object_or_404(
        DocumentFile.objects.filter(document__in=access.fulltext_documents(request.user)).select_related("document"),
        pk=pk,
    )
    if file.status != DocumentFile.Status.READY and not access.is_library_staff(request.user, file.document.programme):
        raise Http404
    try:
        handle = file.file.open("rb")
    except (FileNotFoundError, OSError) as error:
        raise Http404 from error
    response = FileResponse(handle, as_attachment=True, filename=file.original_name, content_type=file.media_type)
    response["X-Content-Type-Options"] = "nosniff"
    return response
