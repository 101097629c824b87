import os
import subprocess
import sys
from datetime import date

from django import forms
from django.conf import settings
from django.utils import formats, translation


def test_dates_are_shown_and_accepted_as_dd_mm_yyyy():
    with translation.override("vi"):
        assert formats.date_format(date(2017, 9, 28), "SHORT_DATE_FORMAT") == "28/09/2017"
        assert forms.DateField().clean("28/09/2017") == date(2017, 9, 28)
        assert formats.get_format("FIRST_DAY_OF_WEEK") == 1
    with translation.override("en"):
        assert forms.DateField().clean("28/09/2017") == date(2017, 9, 28)


def test_vietnamese_is_the_default_language():
    assert settings.LANGUAGE_CODE == "vi"
    assert [code for code, _name in settings.LANGUAGES] == ["vi", "en"]


def test_check_deploy_is_clean_with_production_variables(tmp_path):
    env = {
        "PATH": os.environ.get("PATH", ""),
        "DJANGO_SETTINGS_MODULE": "ketnoi.settings",
        "SECRET_KEY": "a-real-production-secret-key-with-enough-length-and-variety-0123456789-XYZ",
        "ALLOWED_HOSTS": "ketnoi.example.org",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "KETNOI_VAR_DIR": str(tmp_path),
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    env = {"PATH": os.environ.get("PATH", ""), "DJANGO_SETTINGS_MODULE": "ketnoi.settings"}
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr
