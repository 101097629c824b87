"""Filled in by the urls_extra pages."""

urlpatterns: list = []
