"""The import contracts of docs/architecture.md cover every app: a new app, or a new domain app
without its `<app>-public` contract, would escape `lint-imports` silently."""

import tomllib
from pathlib import Path

from django.conf import settings

PLATFORM = {"core", "directory", "programmes"}
COMPOSITION = {"demo", "home"}


def _contracts() -> dict[str, dict]:
    config = tomllib.loads(Path(settings.BASE_DIR, "pyproject.toml").read_text(encoding="utf-8"))
    return {c["id"]: c for c in config["tool"]["importlinter"]["contracts"]}


def _apps() -> set[str]:
    return {p.parent.name for p in Path(settings.BASE_DIR, "ketnoi").glob("*/apps.py")}


def test_every_app_is_in_exactly_one_layer():
    layers = _contracts()["layers"]["layers"]
    named = [name.strip() for layer in layers for name in layer.replace(":", "|").split("|")]
    assert sorted(named) == sorted(set(named)), "an app stands in two layers"
    assert set(named) == _apps()
    assert layers[-1] == "core" and layers[0] == "demo | home"


def test_every_domain_app_is_reached_only_through_its_services():
    contracts = _contracts()
    for app in _apps() - PLATFORM - COMPOSITION:
        contract = contracts[f"{app}-public"]
        assert contract["type"] == "protected"
        assert contract["protected_modules"] == [f"ketnoi.{app}"]
        assert set(contract["allowed_importers"]) == {f"ketnoi.{app}", "ketnoi.demo", "ketnoi.api", "ketnoi.urls"}
        assert f"ketnoi.** -> ketnoi.{app}.services" in contract["ignore_imports"]
