"""The pickers' search endpoint: `GET /directory/pick/?purpose=…&q=…` answers the matches a
picker shows as one types (directory/picking.py), among what the purpose offers this user."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_POST

from ketnoi.core.parsing import whole_number
from ketnoi.core.permissions import can_edit_directory, can_read_directory
from ketnoi.core.registry import picker_purpose
from ketnoi.core.web import apply_errors

from . import services
from .models import OrganisationType
from .picking import (
    FIELD_NAME,
    ORGANISATION_LINE,
    QUERY_MAX,
    SUGGESTIONS,
    find,
    label,
    organisation_choices,
    people_choices,
    results_html,
    search,
)

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
    matches, more = find(purpose, queryset, query[:QUERY_MAX], context=context, exclude=chosen)
    html = results_html(
        request=request,
        kind=purpose.kind,
        name=name,
        widget_id=widget_id,
        multiple=request.GET.get("multiple") == "1",
        matches=matches,
        more=more,
        searched=bool(query.strip()),
        note=purpose.note,
    )
    response = HttpResponse(html)
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def pick_names(request: HttpRequest) -> HttpResponse:
    """Names of the directory's people and organisations matching `<field>__suggest`, offered to a
    free-text field (`NameSuggestionsTextarea`: the library's authors) as buttons that add a line."""
    if not can_read_directory(request.user):
        raise PermissionDenied
    name = request.GET.get("field", "")
    if not FIELD_NAME.match(name):
        raise Http404
    query = str(request.GET.get(f"{name}__suggest", ""))[:QUERY_MAX]
    people, more_people = search(people_choices(), "person", query, limit=SUGGESTIONS)
    organisations, more_organisations = search(organisation_choices(), "organisation", query, limit=SUGGESTIONS)
    suggestions = [(person.full_name, label(person, "person")) for person in people] + [
        (f"{ORGANISATION_LINE}{organisation.name}", str(organisation)) for organisation in organisations
    ]
    searched = bool(query.strip())
    count = len(suggestions)
    if not searched:
        status = ""
    elif more_people or more_organisations:
        status = _("Hơn %(count)s kết quả: gõ thêm để thu hẹp.") % {"count": count}
    elif count:
        status = ngettext("%(count)s gợi ý", "%(count)s gợi ý", count) % {"count": count}
    else:
        status = _("Không có ai trong danh bạ khớp: cứ gõ tên vào ô như thường.")
    html = render_to_string(
        "directory/picker/_suggestions.html", {"suggestions": suggestions, "status": status, "id": f"id_{name}"}
    )
    response = HttpResponse(html)
    response["Cache-Control"] = "private, no-store"
    return response


class _NewPerson(forms.Form):
    new_name = forms.CharField(label=gettext_lazy("Họ và tên"), max_length=200)
    new_email = forms.EmailField(label=gettext_lazy("Thư điện tử"), required=False)
    new_phone = forms.CharField(label=gettext_lazy("Điện thoại"), max_length=40, required=False)


class _NewOrganisation(forms.Form):
    new_name = forms.CharField(label=gettext_lazy("Tên tổ chức"), max_length=255)
    new_type = forms.ChoiceField(label=gettext_lazy("Loại hình"), choices=OrganisationType.choices)


@login_required
@require_POST
def pick_new(request: HttpRequest) -> HttpResponse:
    """Add a person or an organisation from a picker (htmx), through the directory's services,
    and answer it as a chosen item; a refusal is answered in the picker's error line."""
    purpose = picker_purpose(request.GET.get("purpose", ""))
    if purpose is None or purpose.kind not in ("person", "organisation"):
        raise Http404
    context = purpose.resolve(request.user, request.GET)
    if not can_edit_directory(request.user):
        raise PermissionDenied
    name = request.GET.get("field", "")
    widget_id = request.GET.get("id", "")
    if not FIELD_NAME.match(name) or not FIELD_NAME.match(widget_id):
        raise Http404
    form_class = _NewPerson if purpose.kind == "person" else _NewOrganisation
    form = form_class(
        {key[len(name) + 2 :]: value for key, value in request.POST.items() if key.startswith(f"{name}__")}
    )
    created = None
    if form.is_valid():
        data = form.cleaned_data
        try:
            if purpose.kind == "person":
                created = services.person_create(
                    actor=request.user, full_name=data["new_name"], email=data["new_email"], phone=data["new_phone"]
                )
            else:
                created = services.organisation_create(actor=request.user, name=data["new_name"], type=data["new_type"])
        except ValidationError as error:
            apply_errors(form, error)
    if created is None or not purpose.choices(**context).filter(pk=created.pk).exists():
        errors = [str(e) for field_errors in form.errors.values() for e in field_errors] or [
            str(_("Không thêm được: hãy thêm trong Danh bạ."))
        ]
        response = HttpResponse(" ".join(escape(e) for e in errors))
        response["HX-Retarget"] = f"#{widget_id}_create_problem"
        response["HX-Reswap"] = "innerHTML"
        return response
    html = render_to_string(
        "directory/picker/_created.html",
        {
            "picker": {"id": widget_id, "name": name, "multiple": request.GET.get("multiple") == "1"},
            "pk": created.pk,
            "text": label(created, purpose.kind),
            "status": _("Đã thêm “%(name)s” vào danh bạ và chọn.") % {"name": created},
        },
        request=request,
    )
    return HttpResponse(html)
