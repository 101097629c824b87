"""Consent, and a person's right to a copy of their data and to its erasure, which follow the
person's stewardship (stewardship.py): a coordinator acts on what their programmes hold."""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ketnoi.core.permissions import can_edit_directory
from ketnoi.core.web import perform, submit

from . import queries, services
from .forms import ConsentForm, EraseForm
from .models import Consent
from .stewardship import can_complete_step, erasure_requests_for, open_requests_awaiting, stewardship_for
from .views import forbidden


def _person_for_editor(request: HttpRequest, pk: int):
    """The person (404 if out of sight) and, for a reader without edit rights, a 403 page."""
    person = queries.get_person_for_user(request.user, pk)
    if not can_edit_directory(request.user):
        return person, forbidden(request, read_only=True)
    return person, None


def _person_for_steward(request: HttpRequest, pk: int):
    """As `_person_for_editor`, and a 403 page for an editor who stewards none of the person's
    data; the stewardship comes back too."""
    person, refusal = _person_for_editor(request, pk)
    if refusal:
        return person, None, refusal
    stewardship = stewardship_for(request.user, person)
    if not stewardship.is_steward:
        return person, stewardship, forbidden(request, not_steward=True)
    return person, stewardship, None


@login_required
@require_http_methods(["GET", "POST"])
def consent_create(request: HttpRequest, pk: int) -> HttpResponse:
    person, _stewardship, refusal = _person_for_steward(request, pk)
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
    person, _stewardship, refusal = _person_for_steward(request, pk)
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
    person, _stewardship, refusal = _person_for_steward(request, pk)
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
    person, stewardship, refusal = _person_for_steward(request, pk)
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
            erasure = services.person_erase(actor=request.user, person=person)
            if erasure.is_open:
                messages.success(
                    request,
                    _(
                        "Đã xoá dữ liệu mà chương trình của bạn giữ và gửi yêu cầu xoá tới điều phối viên "
                        "các chương trình khác. Hồ sơ chung được xoá khi tất cả hoàn tất."
                    ),
                )
                return redirect("directory:erasure_detail", pk=erasure.pk)
            messages.success(request, _("Đã xoá dữ liệu cá nhân. Bản ghi ẩn danh vẫn được tính trong thống kê."))
            return redirect("directory:person_detail", pk=person.pk)
    others = stewardship.holders if stewardship.officer else stewardship.others
    return render(
        request,
        "directory/person_erase.html",
        {"form": form, "person": person, "stewardship": stewardship, "needs_request": bool(others)},
    )


@login_required
def erasure_list(request: HttpRequest) -> HttpResponse:
    """The erasure requests waiting for the user, and the log of the others they may read."""
    readable = erasure_requests_for(request.user)
    if not can_edit_directory(request.user) and not readable.exists():
        return forbidden(request, read_only=True)
    awaiting = list(open_requests_awaiting(request.user).prefetch_related("steps"))
    waiting_ids = {r.pk for r in awaiting}
    others = list(readable.exclude(pk__in=waiting_ids).prefetch_related("steps")[:100])
    return render(request, "directory/erasure_list.html", {"awaiting": awaiting, "others": others})


def _erasure_for_user(request: HttpRequest, pk: int):
    erasure = erasure_requests_for(request.user).filter(pk=pk).first()
    if erasure is None:
        raise Http404
    return erasure


@login_required
def erasure_detail(request: HttpRequest, pk: int) -> HttpResponse:
    erasure = _erasure_for_user(request, pk)
    steps = list(erasure.steps.select_related("done_by"))
    for step in steps:
        step.can_complete = erasure.is_open and can_complete_step(request.user, step)
    return render(
        request,
        "directory/erasure_detail.html",
        {"erasure": erasure, "steps": steps, "can_complete": any(step.can_complete for step in steps)},
    )


@login_required
@require_POST
def erasure_complete(request: HttpRequest, pk: int) -> HttpResponse:
    erasure = _erasure_for_user(request, pk)
    perform(
        request,
        lambda: services.erasure_complete(actor=request.user, request=erasure),
        _("Đã xoá dữ liệu mà chương trình của bạn giữ về người này."),
        refusals=(ValidationError, PermissionDenied),
    )
    return redirect("directory:erasure_detail", pk=erasure.pk)
