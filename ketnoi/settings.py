"""Kết Nối settings. Everything that varies between machines comes from environment variables.

The defaults are safe for production (DEBUG off, secure cookies when not debugging); `make run`
sets DEBUG=1 for local use.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("KETNOI_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG")
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("Set SECRET_KEY (a long random string) or run with DEBUG=1.")
    SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "ketnoi.core",
    "ketnoi.directory",
    "ketnoi.programmes",
    "ketnoi.surveys",
    "ketnoi.training",
    "ketnoi.events",
    "ketnoi.news",
    "ketnoi.library",
    "ketnoi.demo",
    "ketnoi.home",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "ninja",
    "django_tasks",
    "django_tasks_db",
]
# Account security (issue 12, accounts): login throttling and lockout, two-factor sign-in.
INSTALLED_APPS += [
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "ketnoi.core.middleware.RefuseNulCharacters",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]
# Account security (issue 12, accounts): OTPMiddleware marks request.user.is_verified() after
# AuthenticationMiddleware; TwoFactorMiddleware sends a user who must pass the second step (or
# enrol) there before any page, /admin/ included; AxesMiddleware, last, answers a locked-out login.
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1,
    "django_otp.middleware.OTPMiddleware",
)
MIDDLEWARE += ["ketnoi.core.two_factor.TwoFactorMiddleware", "axes.middleware.AxesMiddleware"]

ROOT_URLCONF = "ketnoi.urls"
WSGI_APPLICATION = "ketnoi.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "ketnoi.core.context_processors.navigation",
            ],
        },
    },
]

# SQLite (WAL) is the embedded default; PostgreSQL is chosen with DATABASE_URL=postgres://…
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'ketnoi.sqlite3'}"),
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Connections persist (DB_CONN_MAX_AGE) on SQLite too: opening one parses the whole schema
    # and runs the pragmas again, which cost more than a survey submission itself.
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets readers work while one writer writes; IMMEDIATE takes the write lock at the
        # start of a transaction so concurrent writers wait (busy timeout) instead of failing.
        # A 64 MiB page cache (the default is 2 MiB) keeps the search index's hot pages in memory.
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; PRAGMA cache_size=-65536;"
        ),
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "core.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
# Account security (issue 12, accounts) ------------------------------------------------------
# AxesBackend first: it refuses a locked-out login before the password is even checked.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesBackend", "django.contrib.auth.backends.ModelBackend"]
# Failed logins are counted per account AND per client address, separately (either one locks):
# spraying one account from many addresses stops at the account's limit, and trying many
# accounts from one address stops at the address's limit. A lock ends after the cool-off and is
# NOT extended by further tries during it, so one address can keep no account locked for ever:
# it gets at most AXES_FAILURE_LIMIT tries per cool-off, then its own address is locked too.
# A password reset (a link sent to the account's e-mail) lifts the account's lock at once.
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "10"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("LOGIN_COOLOFF_MINUTES", "15")))
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_RESET_ON_SUCCESS = True
# The Vietnamese page of a locked-out login (template registration/lockout.html), status 429.
AXES_LOCKOUT_CALLABLE = "ketnoi.core.login_guard.lockout_response"
# The client's address as the rest of the platform reads it (core/requests.py): REMOTE_ADDR,
# or behind TRUSTED_PROXY_HOPS reverse proxies the matching entry of X-Forwarded-For counted
# from the right, so a forged X-Forwarded-For can't dodge the per-address limit.
AXES_CLIENT_IP_CALLABLE = "ketnoi.core.requests.client_ip"
# Failures are recorded, and audited (core.login_failed), by this subclass of the database handler.
AXES_HANDLER = "ketnoi.core.login_guard.AuditedAxesHandler"
AXES_ENABLE_ADMIN = True
# No banner on every manage.py command; lockouts are in the audit log.
AXES_VERBOSE = False
# Password-reset e-mails: at most this many an hour to one e-mail address, and from one client
# address (an office behind one NAT shares it); over it the same "sent" page shows, nothing is sent.
PASSWORD_RESET_PER_EMAIL_PER_HOUR = int(os.environ.get("PASSWORD_RESET_PER_EMAIL_PER_HOUR", "3"))
PASSWORD_RESET_PER_CLIENT_PER_HOUR = int(os.environ.get("PASSWORD_RESET_PER_CLIENT_PER_HOUR", "10"))
# Two-factor sign-in (django-otp): the issuer shown in the authenticator app; wrong codes are
# throttled per device (1, 2, 4, 8… seconds between tries).
OTP_TOTP_ISSUER = os.environ.get("OTP_TOTP_ISSUER", "Kết Nối")
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1
# ------------------------------------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Tiếng Việt")), ("en", _("English"))]
LANGUAGE_COOKIE_NAME = "ketnoi_language"
TIME_ZONE = os.environ.get("TIME_ZONE", "Asia/Ho_Chi_Minh")
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["ketnoi.formats"]

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
# Uploads are served only through permission-checked views (e.g. programmes:value_evidence);
# never expose MEDIA_ROOT on a public URL.
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": os.environ.get("MEDIA_STORAGE", "django.core.files.storage.FileSystemStorage")},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
FILE_UPLOAD_MAX_BYTES = int(os.environ.get("FILE_UPLOAD_MAX_BYTES", str(20 * 1024 * 1024)))
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# An XLSForm comes with up to 200 media and list files chosen together (surveys/xlsform_bundle.py
# MAX_FILES); Django's default of 100 refused such a request with a bare 400 before any view ran.
DATA_UPLOAD_MAX_NUMBER_FILES = 210

EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend" if DEBUG else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Kết Nối <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The address people reach the site at, for links in e-mails sent outside a request.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")

# Production hardening: on unless DEBUG. Behind a TLS-terminating proxy set
# SECURE_PROXY_SSL_HEADER_ENABLED=1 so Django trusts X-Forwarded-Proto.
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD")
# Joining the browsers' HSTS preload list is a commitment for the whole domain: the operator
# opts in with SECURE_HSTS_PRELOAD=1, so its absence is not a deployment warning here.
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# A form refused by the CSRF check says, in the reader's language, to reload the page.
CSRF_FAILURE_VIEW = "ketnoi.core.views_errors.csrf_failure"
# How many reverse proxies stand in front of the app: the visitor's address is then read from
# X-Forwarded-For (core/requests.py), e.g. for the comments' rate limit per address.
TRUSTED_PROXY_HOPS = int(os.environ.get("TRUSTED_PROXY_HOPS", "0"))
if env_bool("SECURE_PROXY_SSL_HEADER_ENABLED"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}

NINJA_PAGINATION_PER_PAGE = 50

# Background work (text extraction of library files): Django's Tasks API through the
# django-tasks backport, stored in the database — `manage.py db_worker` runs the tasks, no
# broker to keep. Tasks are enqueued inside the transaction that needs them, so a task row
# exists exactly when its data does.
TASKS = {"default": {"BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend")}}

# Outgoing e-mail (core.OutgoingEmail) sent or given up on is deleted after this many days by
# `manage.py mail_purge`: its text holds names and personal links.
OUTGOING_EMAIL_KEEP_DAYS = int(os.environ.get("OUTGOING_EMAIL_KEEP_DAYS", "90"))

# The cache holds only rate-limit counters (core/ratelimit.py: password-reset and confirmation
# e-mail, calendar-feed fetches). In the database by default, so every gunicorn process and
# machine counts against one limit; its table is made by core's migration 0004.
CACHES = {
    "default": {
        "BACKEND": os.environ.get("CACHE_BACKEND", "django.core.cache.backends.db.DatabaseCache"),
        "LOCATION": os.environ.get("CACHE_LOCATION", "ketnoi_cache"),
    }
}
# Library uploads larger than this are refused with a message saying so.
LIBRARY_MAX_UPLOAD_MB = int(os.environ.get("LIBRARY_MAX_UPLOAD_MB", "50"))
# How long the worker may spend reading one file's text before it marks the file failed (0: no limit).
LIBRARY_EXTRACTION_SECONDS = int(os.environ.get("LIBRARY_EXTRACTION_SECONDS", "300"))
