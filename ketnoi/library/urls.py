"""Library pages inside a programme (mounted at /programmes/<code>/library/): documents and
their files (urls_documents), collections, curation and the delivery register (urls_curation)."""

from django.urls import include, path

app_name = "library"

urlpatterns = [
    path("", include("ketnoi.library.urls_documents")),
    path("collections/", include("ketnoi.library.urls_curation")),
]
