"""Check-in at the door: /programmes/<code>/events/<pk>/checkin/ (views_checkin)."""

from django.urls import path

from . import views_checkin

urlpatterns = [
    path("", views_checkin.checkin, name="checkin"),
    path("scan/", views_checkin.checkin_scan, name="checkin_scan"),
]
