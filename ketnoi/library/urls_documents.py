"""The programme's library pages for members and library staff (see views_documents)."""

from django.urls import path

from . import views_bulk, views_imports
from . import views_documents as views

urlpatterns = [
    path("", views.documents, name="documents"),
    path("new/", views.document_create, name="document_create"),
    path("propose/", views_bulk.documents_propose, name="documents_propose"),
    path("import/", views_imports.catalogue_import, name="catalogue_import"),
    path("import/<int:pk>/", views_imports.catalogue_import_preview, name="catalogue_import_preview"),
    path("import/<int:pk>/progress/", views_imports.catalogue_import_progress, name="catalogue_import_progress"),
    path("import/<int:pk>/refused.xlsx", views_imports.catalogue_import_refused, name="catalogue_import_refused"),
    path("import/<int:pk>/confirm/", views_imports.catalogue_import_confirm, name="catalogue_import_confirm"),
    path("import/<int:pk>/cancel/", views_imports.catalogue_import_cancel, name="catalogue_import_cancel"),
    path("<int:pk>/", views.document_manage, name="document_manage"),
    path("<int:pk>/edit/", views.document_edit, name="document_edit"),
    path("<int:pk>/delete/", views.document_delete, name="document_delete"),
    path("<int:pk>/files/", views.file_add, name="file_add"),
    path("<int:pk>/copies/", views.copy_add, name="copy_add"),
    path("files/<int:pk>/remove/", views.file_remove, name="file_remove"),
    path("files/<int:pk>/retry/", views.file_retry, name="file_retry"),
    path("files/<int:pk>/status/", views.file_status, name="file_status"),
    path("copies/<int:pk>/remove/", views.copy_remove, name="copy_remove"),
]
