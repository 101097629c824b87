"""Citations to download and the OAI-PMH endpoint. Thin: access.py decides what is visible,
citations.py and oai.py build the answers."""

from django.http import Http404, HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from ketnoi.core.parsing import whole_number

from . import access, citations, oai

MAX_LIST_CITATIONS = 500


def citation_download(documents, fmt: str, filename: str) -> HttpResponse:
    text, content_type, extension = citations.export(documents, fmt)
    response = HttpResponse(text, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}.{extension}"'
    return response


@require_GET
def cite(request, pk: int, fmt: str):
    """One document's citation; a document the reader may not see is a 404."""
    if fmt not in citations.FORMATS:
        raise Http404
    document = access.get_visible_document(request.user, pk)
    return citation_download([document], fmt, f"tai-lieu-{document.pk}")


@require_GET
def cite_list(request, fmt: str):
    """Citations of a result list: ?ids=3,5,8 in the list's order; ids the reader may not see are
    left out silently, as they are from the list itself."""
    if fmt not in citations.FORMATS:
        raise Http404
    parts = request.GET.get("ids", "").split(",", MAX_LIST_CITATIONS)[:MAX_LIST_CITATIONS]
    ids = list(dict.fromkeys(pk for pk in (whole_number(part.strip()) for part in parts) if pk is not None))
    found = access.visible_documents(request.user).in_bulk(ids)
    documents = [found[pk] for pk in ids if pk in found]
    if not documents:
        raise Http404
    return citation_download(documents, fmt, "tai-lieu")


@csrf_exempt  # harvesters POST without a session or CSRF token; the endpoint writes nothing
@require_http_methods(["GET", "POST"])
def oai_pmh(request):
    params = request.POST if request.method == "POST" else request.GET
    arguments = {name: params.getlist(name) for name in params}
    body = oai.respond(arguments, base_url=oai.base_url())
    return HttpResponse(body, content_type="text/xml; charset=utf-8")
