"""The to-do inbox page (/todo/) and the header's figure (/todo/count/, a fragment that htmx
loads after the page, so no page pays for it)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from ketnoi.programmes.access import programmes_for

from .todo import SAMPLES, remember_count, todo_count, todo_groups

PROGRAMMES_SHOWN = 12  # on the empty inbox: where to go next


@login_required
@require_GET
def todo(request: HttpRequest) -> HttpResponse:
    groups = todo_groups(request.user)
    remember_count(request.user, groups)
    context = {"groups": groups, "total": sum(group.count for group in groups), "samples": SAMPLES}
    if not groups:
        programmes = list(programmes_for(request.user).order_by("name")[: PROGRAMMES_SHOWN + 1])
        context.update(programmes=programmes[:PROGRAMMES_SHOWN], more_programmes=len(programmes) > PROGRAMMES_SHOWN)
    return render(request, "home/todo.html", context)


@require_GET
def todo_count_fragment(request: HttpRequest) -> HttpResponse:
    """The figure beside "Việc cần làm" in the header; nothing for a visitor."""
    count = todo_count(request.user) if request.user.is_authenticated else 0
    response = render(request, "home/_todo_count.html", {"count": count})
    response["Cache-Control"] = "private, no-store"
    return response
