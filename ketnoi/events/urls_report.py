"""After a workshop: the organisers' report and feedback actions (namespace events)."""

from django.urls import path

from . import views_report

urlpatterns = [
    path("<int:pk>/report/", views_report.report_publish, name="report"),
    path("<int:pk>/feedback/", views_report.feedback_open, name="feedback"),
]
