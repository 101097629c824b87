"""The site's URLs and its error handlers, plus pages that fail on purpose, for test_error_pages."""

from importlib import import_module

from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.urls import path

# Read at run time: core may not import the composition root (lint-imports' layers).
_site = import_module("ketnoi.urls")
handler400, handler403, handler404, handler500 = (getattr(_site, f"handler{n}") for n in (400, 403, 404, 500))


def _denied(request):
    raise PermissionDenied


def _suspicious(request):
    raise SuspiciousOperation("test")


def _broken(request):
    raise ZeroDivisionError("test")


urlpatterns = [
    path("test-errors/denied/", _denied),
    path("test-errors/suspicious/", _suspicious),
    path("test-errors/broken/", _broken),
    *_site.urlpatterns,
]
