"""Filled in by the urls_register pages."""

urlpatterns: list = []
