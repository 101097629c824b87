"""Consent, and a person's right to a copy of their data and to its erasure."""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ketnoi.core.permissions import can_edit_directory
from ketnoi.core.web import perform, submit

from . import queries, services
from .forms import ConsentForm, EraseForm
from .models import Consent
from .views import forbidden


def _person_for_editor(request: HttpRequest, pk: int):
    """The person (404 if out of sight) and, for a reader without edit rights, a 403 page."""
    person = queries.get_person_for_user(request.user, pk)
    if not can_edit_directory(request.user):
        return person, forbidden(request, read_only=True)
    return person, None


@login_required
@require_http_methods(["GET", "POST"])
def consent_create(request: HttpRequest, pk: int) -> HttpResponse:
    person, refusal = _person_for_editor(request, pk)
    if refusal:
        return refusal
    form = ConsentForm(request.POST or None)
    saved = submit(
        request, form, lambda f: services.consent_record(actor=request.user, person=person, **f.cleaned_data)
    )
    if saved is not None:
        messages.success(request, _("Đã ghi nhận sự đồng ý."))
        return redirect("directory:person_detail", pk=person.pk)
    return render(request, "directory/consent_form.html", {"form": form, "person": person})


@login_required
@require_POST
def consent_withdraw(request: HttpRequest, pk: int, consent_pk: int) -> HttpResponse:
    person, refusal = _person_for_editor(request, pk)
    if refusal:
        return refusal
    consent = get_object_or_404(Consent, person=person, pk=consent_pk)
    perform(
        request,
        lambda: services.consent_withdraw(actor=request.user, consent=consent),
        _("Đã ghi nhận việc rút lại sự đồng ý “%(purpose)s”.") % {"purpose": consent.purpose},
    )
    return redirect("directory:person_detail", pk=person.pk)


@login_required
def person_export(request: HttpRequest, pk: int) -> HttpResponse:
    person, refusal = _person_for_editor(request, pk)
    if refusal:
        return refusal
    data = services.person_export(actor=request.user, person=person)
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="nguoi-{person.pk}.json"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def person_erase(request: HttpRequest, pk: int) -> HttpResponse:
    person, refusal = _person_for_editor(request, pk)
    if refusal:
        return refusal
    if person.erased_at is not None:
        messages.info(request, _("Dữ liệu cá nhân của người này đã được xoá trước đó."))
        return redirect("directory:person_detail", pk=person.pk)
    form = EraseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if not services.erase_confirmation_matches(form.cleaned_data["confirmation"]):
            form.add_error("confirmation", _("Hãy gõ đúng chữ XOÁ để xác nhận."))
        else:
            services.person_erase(actor=request.user, person=person)
            messages.success(request, _("Đã xoá dữ liệu cá nhân. Bản ghi ẩn danh vẫn được tính trong thống kê."))
            return redirect("directory:person_detail", pk=person.pk)
    return render(request, "directory/person_erase.html", {"form": form, "person": person})
