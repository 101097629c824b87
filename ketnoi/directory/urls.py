from django.urls import path

from . import views, views_import, views_people, views_pick, views_privacy

app_name = "directory"
urlpatterns = [
    path("", views.organisation_list, name="organisation_list"),
    path("organisations/new/", views.organisation_create, name="organisation_create"),
    path("organisations/<int:pk>/", views.organisation_detail, name="organisation_detail"),
    path("organisations/<int:pk>/edit/", views.organisation_edit, name="organisation_edit"),
    path("pick/", views_pick.pick, name="pick"),
    path("pick/new/", views_pick.pick_new, name="pick_new"),
    path("pick/names/", views_pick.pick_names, name="pick_names"),
    path("people/", views_people.person_list, name="person_list"),
    path("people/new/", views_people.person_create, name="person_create"),
    path("people/duplicates/", views_people.person_duplicates, name="person_duplicates"),
    path("people/merge/", views_people.person_merge, name="person_merge"),
    path("people/<int:pk>/", views_people.person_detail, name="person_detail"),
    path("people/<int:pk>/edit/", views_people.person_edit, name="person_edit"),
    path("people/<int:pk>/consents/new/", views_privacy.consent_create, name="consent_create"),
    path(
        "people/<int:pk>/consents/<int:consent_pk>/withdraw/",
        views_privacy.consent_withdraw,
        name="consent_withdraw",
    ),
    path("people/<int:pk>/export.json", views_privacy.person_export, name="person_export"),
    path("people/<int:pk>/erase/", views_privacy.person_erase, name="person_erase"),
    path("people/erasures/", views_privacy.erasure_list, name="erasure_list"),
    path("people/erasures/<int:pk>/", views_privacy.erasure_detail, name="erasure_detail"),
    path("people/erasures/<int:pk>/complete/", views_privacy.erasure_complete, name="erasure_complete"),
    path("people/import/", views_import.people_import, name="people_import"),
    path("people/import/template.xlsx", views_import.people_import_template, name="people_import_template"),
    path("people/import/<int:pk>/", views_import.people_import_preview, name="people_import_preview"),
    path("people/import/<int:pk>/progress/", views_import.people_import_progress, name="people_import_progress"),
    path("people/import/<int:pk>/refused.xlsx", views_import.people_import_refused, name="people_import_refused"),
    path("people/import/<int:pk>/confirm/", views_import.people_import_confirm, name="people_import_confirm"),
    path("people/import/<int:pk>/cancel/", views_import.people_import_cancel, name="people_import_cancel"),
]
