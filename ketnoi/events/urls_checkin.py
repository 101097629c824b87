"""Filled in by the urls_checkin pages."""

urlpatterns: list = []
