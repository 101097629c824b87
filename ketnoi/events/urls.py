"""The organiser's workshop pages, under /programmes/<code>/events/."""

from django.urls import include, path

from . import views, views_bulk, views_registrations

app_name = "events"

urlpatterns = [
    path("", views.workshop_list, name="list"),
    path("calendar.ics", views.calendar, name="calendar"),
    path("new/", views.workshop_create, name="create"),
    path("<int:pk>/", views.workshop_detail, name="detail"),
    path("<int:pk>/edit/", views.workshop_edit, name="edit"),
    path("<int:pk>/held/", views.workshop_held, name="held"),
    path("<int:pk>/agenda/", views.agenda_add, name="agenda_add"),
    path("<int:pk>/questions/", views.question_add, name="question_add"),
    path("<int:pk>/questions/<int:qpk>/", views.question_edit, name="question_edit"),
    path("<int:pk>/materials/", views.material_add, name="material_add"),
    path("<int:pk>/materials/<int:mpk>/", views.material_download, name="material"),
    path("<int:pk>/<str:part>/<int:ppk>/delete/", views.part_delete, name="part_delete"),
    path("<int:pk>/registrations/<int:rpk>/", views.registration_action, name="registration_action"),
    path(
        "<int:pk>/registrations/organisation/",
        views_registrations.registrations_organisation,
        name="registrations_organisation",
    ),
    path("<int:pk>/registrations/bulk/", views_bulk.registrations_bulk, name="registrations_bulk"),
    path("<int:pk>/invite/", views.invite, name="invite"),
    path("<int:pk>/documents/<str:name>", views.document, name="document"),
    # check-in at the door: /<pk>/checkin/…
    path("<int:pk>/checkin/", include("ketnoi.events.urls_checkin")),
    # after the workshop: /<pk>/report/, /<pk>/feedback/
    path("", include("ketnoi.events.urls_report")),
]
