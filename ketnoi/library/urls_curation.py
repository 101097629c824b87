"""Filled in by its own work package."""

urlpatterns: list = []
