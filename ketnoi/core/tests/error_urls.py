"""The site's URLs and its error handlers, plus pages that fail on purpose, for test_error_pages."""

from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.urls import path

from ketnoi.urls import handler400, handler403, handler404, handler500, urlpatterns  # noqa: F401


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
    *urlpatterns,
]
