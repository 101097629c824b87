"""The figures behind GET …/forms/{id}/results, computed in the database in one aggregate query
over the JSON answers (KT() lookups; the same SQL shape on SQLite and PostgreSQL), never by
loading the responses into Python.

Note: the results pages have their own module (results.py, with medians, splits and
comparisons); this is the API's plain summary — counts and means per question.
"""

from datetime import datetime, time
from typing import Any

from django.db.models import Avg, Count, FloatField, Max, Min, Q, TextField, Value
from django.db.models.fields.json import KT
from django.db.models.functions import Cast, Concat, StrIndex
from django.db.models.lookups import GreaterThan
from django.utils import timezone

from .definition import (
    DATE,
    DECIMAL,
    INTEGER,
    LONG_TEXT,
    MATRIX,
    RATING,
    SELECT_MULTIPLE,
    SELECT_ONE,
    TEXT,
    choice_names,
    label,
    walk,
)
from .models import Form, Response

CONTEXT_FILTERS = ("class", "campus", "semester", "lecturer")


def _responses(form: Form, filters: dict[str, Any]):
    responses = Response.objects.filter(collection__form=form)
    if filters.get("collection"):
        responses = responses.filter(collection_id=filters["collection"])
    for key in CONTEXT_FILTERS:
        if filters.get(key):
            responses = responses.filter(**{f"collection__context__{key}": filters[key]})
    if filters.get("since"):
        responses = responses.filter(
            submitted_at__gte=timezone.make_aware(datetime.combine(filters["since"], time.min))
        )
    if filters.get("until"):
        responses = responses.filter(
            submitted_at__lte=timezone.make_aware(datetime.combine(filters["until"], time.max))
        )
    return responses


class _Plan:
    """Collects the aggregate expressions of every question under short names, then reads the
    one row back into per-question figures."""

    def __init__(self):
        self.aggregates: dict[str, Any] = {}

    def add(self, expression) -> str:
        name = f"a{len(self.aggregates)}"
        self.aggregates[name] = expression
        return name

    def answered(self, key: str) -> str:
        return self.add(Count(KT(f"answers__{key}")))

    def numeric(self, key: str) -> dict[str, str]:
        number = Cast(KT(f"answers__{key}"), FloatField())
        return {"mean": self.add(Avg(number)), "min": self.add(Min(number)), "max": self.add(Max(number))}

    def equal(self, key: str, value: Any) -> str:
        return self.add(Count("pk", filter=Q(**{f"answers__{key}": value})))

    def chosen(self, key: str, choice: str) -> str:
        # A multiple choice is stored as "a b c": look for " b " in " a b c " (case-sensitive).
        padded = Concat(Value(" "), KT(f"answers__{key}"), Value(" "), output_field=TextField())
        return self.add(Count("pk", filter=GreaterThan(StrIndex(padded, Value(f" {choice} ")), 0)))


def _scored(plan: _Plan, key: str, scale: dict) -> dict:
    low, high = scale.get("min", 1), scale.get("max", 5)
    return {
        "answered": plan.answered(key),
        **plan.numeric(key),
        "counts": {str(score): plan.equal(key, score) for score in range(low, high + 1)},
    }


def _plan_question(plan: _Plan, question: dict) -> dict | None:
    kind, name = question["type"], question["name"]
    entry: dict[str, Any] = {"name": name, "type": kind, "label": label(question.get("label"))}
    if kind == RATING:
        entry.update(_scored(plan, name, question.get("scale") or {}))
    elif kind == MATRIX:
        entry["items"] = [
            {"name": item["name"], "label": label(item.get("label")), **_scored(plan, item["name"], question["scale"])}
            for item in question.get("items") or []
        ]
    elif kind in (INTEGER, DECIMAL):
        entry.update(answered=plan.answered(name), **plan.numeric(name))
    elif kind == SELECT_ONE:
        entry["answered"] = plan.answered(name)
        entry["counts"] = {choice: plan.equal(name, choice) for choice in choice_names(question)}
    elif kind == SELECT_MULTIPLE:
        entry["answered"] = plan.answered(name)
        entry["counts"] = {choice: plan.chosen(name, choice) for choice in choice_names(question)}
    elif kind in (TEXT, LONG_TEXT, DATE):
        entry["answered"] = plan.answered(name)
    else:
        return None  # notes and groups take no answers
    return entry


def _fill(entry: Any, row: dict) -> Any:
    """Replace the aggregate names in a planned entry by their values."""
    if isinstance(entry, dict):
        return {k: (_fill(v, row) if k not in ("name", "type", "label") else v) for k, v in entry.items()}
    if isinstance(entry, list):
        return [_fill(v, row) for v in entry]
    value = row[entry]
    return round(value, 3) if isinstance(value, float) else value


def results_for(form: Form, filters: dict[str, Any] | None = None) -> dict:
    definition = form.current_version.definition if form.current_version else {"questions": []}
    plan = _Plan()
    total = plan.add(Count("pk"))
    planned = [e for e in (_plan_question(plan, q) for q in walk(definition.get("questions") or [])) if e]
    row = _responses(form, filters or {}).aggregate(**plan.aggregates)
    return {
        "form": form.pk,
        "version": form.current_version.number if form.current_version else None,
        "responses": row[total],
        "questions": [_fill(entry, row) for entry in planned],
    }
