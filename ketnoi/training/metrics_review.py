"""Indicator metrics of the material review, offered to the programme: materials reviewed
(versions that received a decision in the period) and review turnaround (mean days from the
request to the reviewer's decision). Registered when this module is imported (TrainingConfig.ready)."""

from datetime import date

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ketnoi.core.metrics import in_period
from ketnoi.core.registry import register_metric

from .models import MaterialVersion, ReviewAssignment


def _decided_between(prefix: str, start: date | None, end: date | None) -> Q:
    return Q(**{f"{prefix}decided_at__isnull": False}) & in_period(f"{prefix}decided_at", start, end, moment=True)


def materials_reviewed(*, programme, start: date | None, end: date | None, disaggregate_by: str | None = None) -> int:
    """Versions of the programme's materials on which at least one reviewer decided in the
    period (approved or changes requested), each version once."""
    if disaggregate_by is not None:
        raise ValueError(disaggregate_by)
    return (
        MaterialVersion.objects.filter(
            _decided_between("review_requests__assignments__", start, end), material__programme=programme
        )
        .distinct()
        .count()
    )


def review_turnaround_days(
    *, programme, start: date | None, end: date | None, disaggregate_by: str | None = None
) -> float:
    """Mean days from a review request to each reviewer's decision, over the decisions made in
    the period (0 when there were none), to one decimal."""
    if disaggregate_by is not None:
        raise ValueError(disaggregate_by)
    pairs = ReviewAssignment.objects.filter(
        _decided_between("", start, end), request__version__material__programme=programme
    ).values_list("request__requested_at", "decided_at")
    # Computed here rather than in SQL: date arithmetic differs between SQLite and PostgreSQL.
    days = [(decided - requested).total_seconds() / 86400 for requested, decided in pairs]
    return round(sum(days) / len(days), 1) if days else 0


register_metric(
    "training.materials_reviewed",
    label=_("Tài liệu đào tạo được góp ý (số bản có kết luận)"),
    unit=_("bản"),
    compute=materials_reviewed,
)
register_metric(
    "training.review_turnaround_days",
    label=_("Thời gian góp ý trung bình (từ lúc mời đến khi kết luận)"),
    unit=_("ngày"),
    compute=review_turnaround_days,
)
