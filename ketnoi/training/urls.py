"""The training pages under /programmes/<code>/training/."""

from django.urls import include, path

app_name = "training"

urlpatterns = [
    path("", include("ketnoi.training.urls_teaching")),
    path("materials/", include("ketnoi.training.urls_review")),
]
