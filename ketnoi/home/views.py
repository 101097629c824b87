"""The public home page and where a signed-in person lands.

A visitor sees what the platform publishes: recent news, the coming public workshops with
their registration pages, the library's search, and the programmes that present themselves
publicly. Every link here leads to a page open without an account (the sign-in link aside).

A signed-in person goes to their work: anyone with a role on a programme, and an expert
reviewer asked for a review, to their to-do inbox ("Việc cần làm", views_todo.py: what waits
for them, or that all is done and their programmes); a staff admin with no role to the
programmes; an account with no role yet stays on the home page, told whom to ask.
"""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from ketnoi.core.permissions import roles_anywhere
from ketnoi.events import services as events
from ketnoi.news import services as news
from ketnoi.programmes.models import Programme
from ketnoi.training import services as training

NEWS_COUNT = 5
WORKSHOP_COUNT = 6


def _landing(user) -> str | None:
    """Where a signed-in user's work is, or None for an account with nothing to open yet."""
    if roles_anywhere(user) or training.pending_review_programmes(user):
        return reverse("todo")
    return reverse("programmes:list") if user.is_staff else None


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        landing = _landing(request.user)
        if landing is not None:
            return redirect(landing)
    context = {
        "posts": news.latest_published(NEWS_COUNT),
        "workshops": events.upcoming_public(WORKSHOP_COUNT),
        "programmes": list(Programme.objects.filter(is_public=True).order_by("name")),
    }
    return render(request, "home/home.html", context)


@login_required
@require_GET
def my_reviews(request: HttpRequest) -> HttpResponse:
    """The reviews the user has to give: straight to them when they are in one programme, else
    the programmes where they wait."""
    codes = training.pending_review_programmes(request.user)
    if len(codes) == 1:
        return redirect("training:review_mine", code=codes[0])
    programmes = sorted(Programme.objects.filter(code__in=codes), key=lambda p: codes.index(p.code))
    return render(request, "home/my_reviews.html", {"programmes": programmes})
