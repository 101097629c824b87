"""Settings for a benchmark's gunicorn: the project's own settings, DEBUG off as in production
(DEBUG=1 in the environment only spares the SECRET_KEY), plus /bench/bare (see urls.py)."""

from ketnoi.settings import *  # noqa: F403

DEBUG = False
ROOT_URLCONF = "bench.support.urls"
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
# The figures are about the request path, not about logging every refused submission.
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "ERROR"}}
