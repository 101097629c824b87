"""Uploaded agreement documents and evidence files, served only to people who may see the
programme. Evidence can hold personal data (attendance lists, signatures), so media files are
never linked by their storage URL."""

from pathlib import Path

from django.http import FileResponse, Http404, HttpRequest
from django.shortcuts import get_object_or_404

from . import queries
from .models import Programme
from .web import programme_view


def _attachment(field_file) -> FileResponse:
    if not field_file:
        raise Http404
    try:
        handle = field_file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, as_attachment=True, filename=Path(field_file.name).name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@programme_view()
def agreement_document(request: HttpRequest, programme: Programme, pk: int) -> FileResponse:
    agreement = get_object_or_404(programme.agreements, pk=pk)
    return _attachment(agreement.document)


@programme_view()
def value_evidence(request: HttpRequest, programme: Programme, pk: int) -> FileResponse:
    value = get_object_or_404(queries.values_of(programme), pk=pk)
    return _attachment(value.evidence_file)
