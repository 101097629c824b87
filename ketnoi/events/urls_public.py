"""What people reach without an account, under /e/: their ticket, the registration forms."""

from django.urls import include, path

from . import views_public

app_name = "events_public"

urlpatterns = [
    path("ve/<str:code>/", views_public.ticket, name="ticket"),
    path("", include("ketnoi.events.urls_register")),
]
