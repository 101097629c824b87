"""Filled in by the urls_teaching pages."""

urlpatterns: list = []
