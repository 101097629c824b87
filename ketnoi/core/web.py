"""Page helpers every app's views share, none of which needs a programme.

`paginate` splits a list into pages; `apply_errors` shows a service's refusal next to the form
field it names; `submit` runs a service on a valid POST and lands its refusal on the form;
`perform` runs a button's service and says how it went in a message; `refusal_text` turns a
refusal into one line for a message; `attachment` sends a stored file; `way_back` is the page
the reader came from; `ExplainedNotFound` is a 404 that renders a page of its own.
"""

from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.contrib import messages
from django.core.exceptions import DisallowedHost, PermissionDenied, ValidationError
from django.core.paginator import Page, Paginator
from django.forms.utils import ErrorDict
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

PER_PAGE = 50
# What a service raises to refuse: a ValidationError (what is wrong) or PermissionDenied (who may).
REFUSALS = (ValidationError, PermissionDenied)


def paginate(request: HttpRequest, queryset, *, count: int | None = None) -> tuple[Page, str]:
    """The requested page, and the query string without `page` for the page links. `count`: the
    number of rows when the page already knows it (spares the paginator its COUNT query)."""
    paginator = Paginator(queryset, PER_PAGE)
    if count is not None:
        paginator.count = count  # a cached_property: set, it is not asked of the database
    page = paginator.get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return page, params.urlencode()


def apply_errors(form, error: ValidationError) -> None:
    """Show a service's refusal next to the field it names (or above the form)."""
    if hasattr(error, "error_dict"):
        for field, field_errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, field_errors)
    else:
        form.add_error(None, error)


def submit(request: HttpRequest, form, save: Callable, *, aliases: dict[str, str] | None = None):
    """On a valid POST, call the service; its refusal lands next to the field it names.
    Returns what the service returned, or None when the form is shown again."""
    if request.method != "POST":
        return None
    if picker_search_pressed(request.POST):
        form._errors = ErrorDict()  # a picker's search without JavaScript: shown again, no errors
        return None
    if not form.is_valid():
        return None
    try:
        return save(form)
    except ValidationError as error:
        if aliases and hasattr(error, "error_dict"):
            renamed: dict[str, list] = {}
            for field, errors in error.error_dict.items():
                renamed.setdefault(aliases.get(field, field), []).extend(errors)
            error = ValidationError(renamed)
        apply_errors(form, error)
        return None


def picker_search_pressed(data) -> bool:
    """Whether a POST is a picker's "Tìm" button with something typed (directory/picking.py): a
    search without JavaScript, to show the form again with the matches, never to save."""
    return any(key.startswith("_pick_") and str(data.get(f"{key[6:]}__q", "")).strip() for key in data)


def perform(
    request: HttpRequest,
    call: Callable[[], Any],
    success: str | Callable[[Any], str],
    *,
    refusals: tuple[type[Exception], ...] = (ValidationError,),
) -> bool:
    """Run a service for a button that has no form to show again. A refusal (`refusals`: a
    ValidationError, or PermissionDenied too where the page lets the service decide) becomes an
    error message; otherwise `success` — a text, or a function of what `call` returned — a
    success message. True when the service ran."""
    try:
        result = call()
    except refusals as error:
        messages.error(request, refusal_text(error))
        return False
    messages.success(request, success(result) if callable(success) else success)
    return True


def refusal_text(error: ValidationError | PermissionDenied) -> str:
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error) or _("Bạn không có quyền thực hiện thao tác này.")


def attachment(field_file) -> FileResponse:
    """A stored file sent as a download (404 when there is none), never shown as a page of this
    site nor kept by a shared cache: uploads may hold personal data."""
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


def way_back(request: HttpRequest) -> dict:
    """The page the reader came from, when it is a page of this site (a Referer from elsewhere
    is not offered as a way back)."""
    previous = request.META.get("HTTP_REFERER", "")
    try:
        here = request.build_absolute_uri()
        safe = previous and url_has_allowed_host_and_scheme(
            previous, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    except DisallowedHost:  # the 400 page of a request for a host this site does not serve
        return {"previous_url": ""}
    return {"previous_url": previous if safe and previous != here else ""}


class ExplainedNotFound(Http404):
    """A 404 that says more than "not found": the 404 handler (and any view that catches it)
    answers with `response(request)`. A subclass names its template and builds its context."""

    template_name = "404.html"

    def context(self) -> dict:
        return {}

    def response(self, request: HttpRequest) -> HttpResponse:
        return render(request, self.template_name, {**self.context(), **way_back(request)}, status=404)
