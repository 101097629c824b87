"""Every string a person reads is translated: Vietnamese is the source, English the catalog."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.conf import settings

APPS = sorted(p.parent.parent.parent for p in Path(settings.BASE_DIR, "ketnoi").glob("*/locale/en/LC_MESSAGES"))


def test_every_app_has_an_english_catalog():
    """An app without a catalog would escape the checks below."""
    apps = sorted(p.parent for p in Path(settings.BASE_DIR, "ketnoi").glob("*/apps.py"))
    assert [a.name for a in apps if a not in APPS] == []


def _untranslated(po_path: Path) -> list[str]:
    with po_path.open("rb") as f:
        catalog = read_po(f)
    return [m.id for m in catalog if m.id and (not m.string or (isinstance(m.string, tuple) and not all(m.string)))]


@pytest.mark.parametrize("app_dir", APPS, ids=lambda p: p.name)
def test_catalog_has_no_empty_or_fuzzy_entries(app_dir):
    po_path = app_dir / "locale/en/LC_MESSAGES/django.po"
    with po_path.open("rb") as f:
        fuzzy = [m.id for m in read_po(f) if m.id and m.fuzzy]
    assert fuzzy == [], f"fuzzy entries in {po_path}: {fuzzy}"
    assert _untranslated(po_path) == [], f"untranslated entries in {po_path}"


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="gettext tools not installed (make test installs them)")
@pytest.mark.parametrize("app_dir", APPS, ids=lambda p: p.name)
def test_every_marked_string_is_in_the_english_catalog(app_dir, tmp_path):
    """Re-extract the app's strings into a copy and check nothing new comes out untranslated."""
    copy = tmp_path / app_dir.name
    shutil.copytree(app_dir, copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo", "tests"))
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "ketnoi.settings_test", "PYTHONPATH": str(settings.BASE_DIR)}
    result = subprocess.run(
        [sys.executable, "-m", "django", "makemessages", "-l", "en", "--no-location"],
        cwd=copy,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    missing = _untranslated(copy / "locale/en/LC_MESSAGES/django.po")
    assert missing == [], f"{app_dir.name}: strings without an English translation (run `make messages`): {missing}"
