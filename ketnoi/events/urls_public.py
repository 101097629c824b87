from django.urls import path

from . import views_public

app_name = "events_public"

urlpatterns = [
    path("ve/<str:code>/", views_public.ticket, name="ticket"),
]
