"""Page helpers every programme-scoped page shares, in this app and the apps above it.

`programme_view` logs the user in, fetches the programme they may see (otherwise the 404 page of
`access.ProgrammeOutOfSight`, which says whom to ask) and checks what the page needs (a 403 page
that says who can and names the programme's coordinators); `programme_context` is what every programme
page's template needs; `render_form` is the one form page.
"""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from ketnoi.core.audit import audit_for
from ketnoi.core.web import way_back

from . import access
from .models import Programme

CHECKS: dict[str, Callable] = {
    "plan": access.can_plan,
    "report": access.can_report,
    "approve": access.can_approve,
}


def forbidden(request: HttpRequest, programme: Programme | None, *, need: str) -> HttpResponse:
    """What the user's role does not allow, who may do it, and the coordinators to ask (the user
    holds a role on the programme, so its coordinators are no secret to them)."""
    coordinators = access.coordinators_of(programme) if programme is not None else []
    context = {"programme": programme, "need": need, "coordinators": coordinators, **way_back(request)}
    return render(request, "programmes/forbidden.html", context, status=403)


def programme_view(
    need: str | None = None,
    *,
    checks: dict[str, Callable] = CHECKS,
    refuse: Callable[..., HttpResponse] = forbidden,
) -> Callable:
    """Log in, fetch the programme the user may see (404 otherwise), check `need` (403 page),
    then call the view with the programme instead of its code. An app with checks of its own
    passes them with the page that refuses (`refuse(request, programme, need=need)`)."""

    def decorator(view: Callable) -> Callable:
        @login_required
        @wraps(view)
        def wrapper(request: HttpRequest, code: str, *args, **kwargs) -> HttpResponse:
            try:
                programme = access.get_programme_for_user(request.user, code)
            except access.ProgrammeOutOfSight as refused:
                # Answered here too, not only by the 404 handler, so that it shows with DEBUG on.
                return refused.response(request)
            if need is not None and not checks[need](request.user, programme):
                return refuse(request, programme, need=need)
            return view(request, programme, *args, **kwargs)

        return wrapper

    return decorator


def programme_context(request: HttpRequest, programme: Programme, audit_object=None) -> dict:
    """What every programme page needs: the programme, what the user may do, the audit trail."""
    user = request.user
    can_plan = access.can_plan(user, programme)
    return {
        "programme": programme,
        "can_plan": can_plan,
        "can_report": access.can_report(user, programme),
        "can_approve": access.can_approve(user, programme),
        "audit_entries": audit_for(audit_object)[:50] if can_plan and audit_object is not None else [],
    }


def programme_url(programme: Programme, anchor: str = "") -> str:
    return reverse("programmes:detail", args=[programme.code]) + (f"#{anchor}" if anchor else "")


def render_form(
    request: HttpRequest, programme: Programme, form, *, title: str, cancel_url: str, audit_object=None, **extra
):
    """The one form page: a heading, the form with its errors, Save and Cancel (and, for a
    planner editing a record that has no page of its own, its audit trail)."""
    context = {
        **programme_context(request, programme, audit_object=audit_object),
        "form": form,
        "title": title,
        "cancel_url": cancel_url,
        "multipart": any(getattr(f.field.widget, "needs_multipart_form", False) for f in form),
        **extra,
    }
    return render(request, "programmes/form.html", context)
