"""Interoperability, under the public library (namespace "library_public"): citation downloads
and the OAI-PMH endpoint."""

from django.urls import path

from . import views_interop

urlpatterns = [
    path("d/<int:pk>/cite/<str:fmt>/", views_interop.cite, name="cite"),
    path("cite/<str:fmt>/", views_interop.cite_list, name="cite_list"),
    path("oai/", views_interop.oai_pmh, name="oai"),
]
