"""Survey pages inside a programme (/programmes/<code>/surveys/…). The public respondent pages
live at /s/<token>/ (urls_respond.py) so share links and QR codes stay short."""

from django.urls import include, path

app_name = "surveys"
urlpatterns = [
    path("", include("ketnoi.surveys.urls_design")),
    path("", include("ketnoi.surveys.urls_results")),
    path("", include("ketnoi.surveys.urls_media")),
]
