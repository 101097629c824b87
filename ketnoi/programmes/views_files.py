"""Uploaded agreement documents and evidence files, served only to people who may see the
programme. Evidence can hold personal data (attendance lists, signatures), so media files are
never linked by their storage URL."""

from django.http import FileResponse, HttpRequest
from django.shortcuts import get_object_or_404

from ketnoi.core.web import attachment

from . import queries
from .models import Programme
from .web import programme_view


@programme_view()
def agreement_document(request: HttpRequest, programme: Programme, pk: int) -> FileResponse:
    agreement = get_object_or_404(programme.agreements, pk=pk)
    return attachment(agreement.document)


@programme_view()
def value_evidence(request: HttpRequest, programme: Programme, pk: int) -> FileResponse:
    value = get_object_or_404(queries.values_of(programme), pk=pk)
    return attachment(value.evidence_file)
