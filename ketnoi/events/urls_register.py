"""The public registration pages and the public calendar, under /e/ (namespace events_public)."""

from django.urls import path

from . import views_register

urlpatterns = [
    path("w/<int:pk>/", views_register.register, name="register"),
    path("moi/<str:code>/", views_register.invitation, name="invitation"),
    path("xac-nhan/<str:token>/", views_register.confirm, name="confirm"),
    path("lich.ics", views_register.calendar, name="calendar"),
]
