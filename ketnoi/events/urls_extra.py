"""The programme's calendar feed and the organisers' report and feedback actions (namespace events)."""

from django.urls import path

from . import views_extra

urlpatterns = [
    path("calendar.ics", views_extra.calendar, name="calendar"),
    path("<int:pk>/report/", views_extra.report_publish, name="report"),
    path("<int:pk>/feedback/", views_extra.feedback_open, name="feedback"),
]
