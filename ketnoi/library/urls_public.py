"""The public library (mounted at /library/): search, document pages, files, citations, OAI-PMH.
What each visitor sees is decided by access.py: anonymous readers see public documents only."""

from django.urls import include, path

from . import views_public

app_name = "library_public"

urlpatterns = [
    path("", views_public.search, name="search"),
    path("d/<int:pk>/", views_public.document, name="document"),
    path("f/<int:pk>/", views_public.file_download, name="file"),
    path("", include("ketnoi.library.urls_interop")),
]
