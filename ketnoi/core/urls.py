from django.contrib.auth import views as auth_views
from django.urls import path

from . import views, views_calendar, views_search, views_security
from .forms import QueuedPasswordResetForm

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("manifest.webmanifest", views.web_manifest, name="web_manifest"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password-reset/",
        views_security.ThrottledPasswordResetView.as_view(form_class=QueuedPasswordResetForm),
        name="password_reset",
    ),
    path("accounts/password-reset/sent/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "accounts/reset/<uidb64>/<token>/",
        views_security.LockLiftingPasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("accounts/reset/done/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path("accounts/password-change/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "accounts/password-change/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("accounts/tokens/", views.api_tokens, name="api_tokens"),
    # Private calendar links: /cal/<key>.ics is fetched by calendar apps without a session.
    path("cal/subscribe/", views_calendar.calendar_subscribe, name="calendar_subscribe"),
    path("cal/<str:key>.ics", views_calendar.calendar_feed, name="calendar_feed"),
    path("accounts/mail/undelivered/", views.mail_undelivered, name="mail_undelivered"),
    path("accounts/security/", views_security.account_security, name="account_security"),
    path("accounts/two-factor/", views_security.two_factor_verify, name="two_factor_verify"),
    path("search/", views_search.search, name="search"),
]
