"""Organisation pages, and the access helpers every directory page uses.

Anonymous visitors go to the login page; a logged-in user without a programme role gets a page
explaining why (403) on lists and forms, and 404 on a record they cannot see.
"""

from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ketnoi.core.audit import audit_for
from ketnoi.core.permissions import can_edit_directory, can_read_directory
from ketnoi.core.web import paginate, submit

from . import queries, services
from .forms import OrganisationFilterForm, OrganisationForm


def forbidden(request: HttpRequest, *, read_only: bool = False, not_steward: bool = False) -> HttpResponse:
    context = {"read_only": read_only, "not_steward": not_steward}
    return render(request, "directory/forbidden.html", context, status=403)


def reader_required(view: Callable) -> Callable:
    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not can_read_directory(request.user):
            return forbidden(request)
        return view(request, *args, **kwargs)

    return wrapper


def editor_required(view: Callable) -> Callable:
    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not can_edit_directory(request.user):
            return forbidden(request, read_only=can_read_directory(request.user))
        return view(request, *args, **kwargs)

    return wrapper


def detail_context(request: HttpRequest, obj) -> dict:
    can_edit = can_edit_directory(request.user)
    return {"can_edit": can_edit, "audit_entries": audit_for(obj)[:50] if can_edit else []}


def list_context(
    request: HttpRequest, filters, rows: QuerySet, search: Callable, *, count: int | Callable | None = None
) -> tuple[QuerySet, dict]:
    """A list page's rows narrowed by its valid `filters` (`search(rows, **values)`), and what its
    template needs: the page of them, the filters, whether any is set, whether the user may edit.
    `count(rows)`: the number of rows, when the page works it out anyway (no separate COUNT)."""
    if filters.is_valid():
        rows = search(rows, **filters.cleaned_data)
    page, query_string = paginate(request, rows, count=count(rows) if count else None)
    return rows, {
        "page": page,
        "filters": filters,
        "query_string": query_string,
        "filtered": any(request.GET.get(name) for name in filters.fields),
        "can_edit": can_edit_directory(request.user),
    }


@reader_required
def organisation_list(request: HttpRequest) -> HttpResponse:
    filters = OrganisationFilterForm(request.GET or None)
    _rows, context = list_context(
        request, filters, queries.organisations_for(request.user), queries.search_organisations
    )
    return render(request, "directory/organisation_list.html", context)


@login_required
def organisation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = queries.get_organisation_for_user(request.user, pk)
    people = queries.people_for(request.user).filter(organisation=organisation)
    return render(
        request,
        "directory/organisation_detail.html",
        {
            "organisation": organisation,
            "children": queries.organisations_for(request.user).filter(parent=organisation),
            "people": people[:100],
            "people_count": people.count(),
            **detail_context(request, organisation),
        },
    )


@editor_required
@require_http_methods(["GET", "POST"])
def organisation_create(request: HttpRequest) -> HttpResponse:
    form = OrganisationForm(request.POST or None)
    organisation = submit(request, form, lambda f: services.organisation_create(actor=request.user, **f.cleaned_data))
    if organisation is not None:
        messages.success(request, _("Đã thêm tổ chức “%(name)s”.") % {"name": organisation.name})
        return redirect("directory:organisation_detail", pk=organisation.pk)
    return render(request, "directory/organisation_form.html", {"form": form, "organisation": None})


@login_required
@require_http_methods(["GET", "POST"])
def organisation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = queries.get_organisation_for_user(request.user, pk)
    if not can_edit_directory(request.user):
        return forbidden(request, read_only=True)
    form = OrganisationForm(request.POST or None, instance=organisation)
    saved = submit(
        request,
        form,
        lambda f: services.organisation_update(actor=request.user, organisation=organisation, **f.cleaned_data),
    )
    if saved is not None:
        messages.success(request, _("Đã lưu thay đổi."))
        return redirect("directory:organisation_detail", pk=organisation.pk)
    return render(request, "directory/organisation_form.html", {"form": form, "organisation": organisation})
