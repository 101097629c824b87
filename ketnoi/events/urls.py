"""The organiser's workshop pages, under /programmes/<code>/events/."""

from django.urls import include, path

app_name = "events"

urlpatterns = [
    # check-in at the door: /<pk>/checkin/…
    path("<int:pk>/checkin/", include("ketnoi.events.urls_checkin")),
    # the report, the calendar feed and other additions
    path("", include("ketnoi.events.urls_extra")),
]
