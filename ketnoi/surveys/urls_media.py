"""The files sent with responses (/programmes/<code>/surveys/<pk>/media/<response uuid>/<name>)."""

from django.urls import path

from . import views_media

urlpatterns = [
    path("<int:pk>/media/<uuid:response_uuid>/<str:name>", views_media.response_media, name="response_media"),
]
