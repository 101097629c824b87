"""The figures behind GET …/forms/{id}/results: the results pages' own computation
(`results.form_results`, aggregated in the database over the JSON answers, never by loading
the responses) turned into plain JSON — per question the answers counted, each choice, scale
point, value or date range with its count and percentage, and mean, median, minimum and maximum
where they apply; a matrix per item.
"""

from datetime import date
from typing import Any

from . import definition as d
from .models import Form, Response
from .results import QuestionResult, Stats, form_results
from .results_filters import apply_filters, form_collections, whole_collections


def _plain(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return round(value, 3)
    return value


def _stats(stats: Stats) -> dict:
    return {
        "answered": stats.answered,
        "mean": _plain(stats.mean),
        "median": _plain(stats.median),
        "min": _plain(stats.minimum),
        "max": _plain(stats.maximum),
        "counted_by": stats.buckets,
        "counts": {str(bar.code): bar.count for bar in stats.bars},
        "bars": [
            {"code": str(bar.code), "label": str(bar.label), "count": bar.count, "percent": _plain(bar.percent)}
            for bar in stats.bars
        ],
        "other_texts": stats.others,
    }


def _question(result: QuestionResult) -> dict:
    question = result.question
    entry: dict[str, Any] = {
        "name": question.name,
        "type": question.kind,
        "label": question.label,
        "current": question.current,
    }
    if question.kind == d.MATRIX:
        entry["items"] = [
            {"name": item.item.name, "label": item.item.label, **_stats(item.groups[0])} for item in result.items
        ]
    else:
        entry.update(_stats(result.groups[0]))
    return entry


def results_for(form: Form, filters: dict[str, Any] | None = None) -> dict:
    filters = filters or {}
    values = {**filters, "date_from": filters.get("since"), "date_to": filters.get("until")}
    collections = form_collections(form)
    responses = apply_filters(Response.objects.filter(collection__form=form), values, collections=collections)
    results = form_results(form, responses, tallied=whole_collections(values, collections))
    return {
        "form": form.pk,
        "version": form.current_version.number if form.current_version else None,
        "responses": results.responses,
        "questions": [_question(result) for result in results.questions],
    }
