"""The pages of a refusal or a failure (400, 403, 404, 500, a refused CSRF check), named as
Django's handlers in `ketnoi/urls.py`: the site's header, what happened in the reader's
language, a way back and what to do next.

A 404 raised as an `ExplainedNotFound` (a programme out of the user's sight) renders its own
page. The 500 page is rendered without the request's context processors: the failure may be the
database itself, and the signed-in user, the session and the messages all come from it.
"""

from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.template import loader

from .web import ExplainedNotFound, way_back


def bad_request(request: HttpRequest, exception=None) -> HttpResponse:
    return render(request, "400.html", way_back(request), status=400)


def permission_denied(request: HttpRequest, exception=None) -> HttpResponse:
    return render(request, "403.html", way_back(request), status=403)


def page_not_found(request: HttpRequest, exception=None) -> HttpResponse:
    if isinstance(exception, ExplainedNotFound):
        return exception.response(request)
    return render(request, "404.html", way_back(request), status=404)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form sent from a page too old (or with cookies refused): say to reload it, not Django's
    English page for developers."""
    return render(request, "403_csrf.html", way_back(request), status=403)


def server_error(request: HttpRequest) -> HttpResponse:
    """Rendered with a plain context: no context processor, so no user, session or message is
    read from a database that may be the thing that failed."""
    try:
        back = way_back(request)
        csrf_token = get_token(request)  # the language switcher's form; a cookie, no database
    except Exception:  # noqa: BLE001 - a broken request must still get its page
        back, csrf_token = {"previous_url": ""}, ""
    context = {**back, "csrf_token": csrf_token, "request": request}
    return HttpResponse(loader.get_template("500.html").render(context), status=500)
