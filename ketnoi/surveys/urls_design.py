"""The pages coordinators use to design forms and open them for answers (collections)."""

from django.urls import path

from . import views_collections, views_forms, views_questions

urlpatterns = [
    path("", views_forms.form_list, name="form_list"),
    path("new/", views_forms.form_create, name="form_create"),
    path("<int:pk>/", views_forms.form_detail, name="form_detail"),
    path("<int:pk>/edit/", views_forms.form_edit, name="form_edit"),
    path("<int:pk>/xlsform.xlsx", views_forms.form_xlsform, name="form_xlsform"),
    path("<int:pk>/questions/", views_questions.question_list, name="question_list"),
    path("<int:pk>/questions/new/", views_questions.question_create, name="question_create"),
    path("<int:pk>/questions/<str:name>/edit/", views_questions.question_edit, name="question_edit"),
    path("<int:pk>/questions/<str:name>/delete/", views_questions.question_delete, name="question_delete"),
    path("<int:pk>/questions/<str:name>/move/", views_questions.question_move, name="question_move"),
    path("<int:pk>/collections/new/", views_collections.collection_open, name="collection_open"),
    path("<int:pk>/collections/<int:cpk>/", views_collections.collection_detail, name="collection_detail"),
    path("<int:pk>/collections/<int:cpk>/edit/", views_collections.collection_edit, name="collection_edit"),
    path("<int:pk>/collections/<int:cpk>/close/", views_collections.collection_close, name="collection_close"),
    path("<int:pk>/collections/<int:cpk>/project/", views_collections.collection_project, name="collection_project"),
]
