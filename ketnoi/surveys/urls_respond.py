"""The public respondent pages at /s/ (namespace `respond`): short links that fit in a QR code."""

from django.urls import path

from . import views_respond

app_name = "respond"
urlpatterns = [
    path("sw.js", views_respond.service_worker, name="sw"),
    path("<slug:token>/", views_respond.respond_form, name="form"),
    path("<slug:token>/responses", views_respond.respond_submit, name="submit"),
    path("<slug:token>/media/<str:name>", views_respond.respond_attachment, name="attachment"),
    path("<slug:token>/qr.<str:fmt>", views_respond.respond_qr, name="qr"),
]
