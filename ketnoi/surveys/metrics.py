"""Indicator sources the surveys app offers the programme: how many responses came in, and
the mean rating given (over every rating and matrix answer, or one form's, question's or
target's when the indicator names them in its metric parameters)."""

from django.db.models import Avg, Count, FloatField
from django.db.models.fields.json import KT
from django.db.models.functions import Cast
from django.utils.translation import gettext_lazy as _

from ketnoi.core.metrics import in_period
from ketnoi.core.registry import register_metric

from .definition import MATRIX, RATING, walk
from .models import FormVersion, Response

# What an indicator may narrow a survey metric to: a form (its code), a question or matrix
# item (its name), or the context of the collections (class, campus, semester, lecturer, city).
PARAMS = ("form", "question", "class", "campus", "semester", "lecturer", "city")


def _responses(programme, start, end, params: dict | None):
    params = params or {}
    responses = Response.objects.filter(
        in_period("submitted_at", start, end, moment=True), collection__form__programme=programme
    )
    if params.get("form"):
        responses = responses.filter(collection__form__code=params["form"])
    for key in ("class", "campus", "semester", "lecturer", "city"):
        if params.get(key):
            responses = responses.filter(**{f"collection__context__{key}": params[key]})
    return responses


def responses_received(*, programme, start, end, disaggregate_by=None, params=None):
    return _responses(programme, start, end, params).count()


def rating_keys(programme, params: dict | None) -> list[str]:
    """The answer keys that hold ratings in the programme's forms (or the one named)."""
    versions = FormVersion.objects.filter(form__programme=programme)
    if (params or {}).get("form"):
        versions = versions.filter(form__code=params["form"])
    keys: set[str] = set()
    for definition in versions.values_list("definition", flat=True):
        for question in walk(definition.get("questions") or []):
            if question.get("type") == RATING:
                keys.add(question["name"])
            elif question.get("type") == MATRIX:
                keys.update(item["name"] for item in question.get("items") or [])
    wanted = (params or {}).get("question")
    return sorted(k for k in keys if not wanted or k == wanted)


def mean_rating(*, programme, start, end, disaggregate_by=None, params=None):
    """The mean of every rating answer in range (each answer counts once), in one query."""
    keys = rating_keys(programme, params)
    if not keys:
        return 0
    aggregates = {}
    for i, key in enumerate(keys):
        aggregates[f"mean{i}"] = Avg(Cast(KT(f"answers__{key}"), FloatField()))
        aggregates[f"count{i}"] = Count(KT(f"answers__{key}"))
    row = _responses(programme, start, end, params).aggregate(**aggregates)
    total = sum((row[f"mean{i}"] or 0) * row[f"count{i}"] for i in range(len(keys)))
    count = sum(row[f"count{i}"] for i in range(len(keys)))
    return round(total / count, 2) if count else 0


register_metric(
    "surveys.responses",
    label=_("Số phiếu khảo sát nhận được"),
    unit=_("phiếu"),
    compute=responses_received,
    params=PARAMS,
)
register_metric(
    "surveys.mean_rating",
    label=_("Điểm đánh giá trung bình"),
    unit=_("điểm"),
    compute=mean_rating,
    params=PARAMS,
)
