"""The pickers' search endpoint: `GET /directory/pick/?purpose=…&q=…` answers the matches a
picker shows as one types (directory/picking.py), among what the purpose offers this user."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from ketnoi.core.parsing import whole_number
from ketnoi.core.registry import picker_purpose

from .picking import FIELD_NAME, QUERY_MAX, results_html, search

RESERVED = frozenset({"purpose", "q", "field", "id", "multiple"})


@login_required
@require_GET
def pick(request: HttpRequest) -> HttpResponse:
    purpose = picker_purpose(request.GET.get("purpose", ""))
    if purpose is None:
        raise Http404
    context = purpose.resolve(request.user, request.GET)  # Http404 / PermissionDenied
    queryset = purpose.choices(**context)
    name = request.GET.get("field", "")
    if not FIELD_NAME.match(name) or name in RESERVED:
        name = "pick"
    widget_id = request.GET.get("id", "")
    if not FIELD_NAME.match(widget_id):
        widget_id = f"id_{name}"
    query = request.GET.get("q") or request.GET.get(f"{name}__q") or ""
    chosen = [pk for pk in (whole_number(v) for v in request.GET.getlist(name)[:200]) if pk is not None]
    if chosen:
        queryset = queryset.exclude(pk__in=chosen)
    matches, more = search(queryset, purpose.kind, query[:QUERY_MAX])
    html = results_html(
        request=request,
        kind=purpose.kind,
        name=name,
        widget_id=widget_id,
        multiple=request.GET.get("multiple") == "1",
        matches=matches,
        more=more,
        searched=bool(query.strip()),
    )
    response = HttpResponse(html)
    response["Cache-Control"] = "private, no-store"
    return response
