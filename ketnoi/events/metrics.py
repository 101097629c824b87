"""Indicator metrics the workshops offer the programme (registered at start-up, EventsConfig.ready):
workshops held, of one kind or all, by city; participants (people checked in), by sex, organisation type
and province."""

from datetime import date, datetime, time

from django.db.models import Count, Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ketnoi.core.registry import register_metric

from .models import Registration, Workshop


def _between(prefix: str, start: date | None, end: date | None) -> Q:
    condition = Q()
    if start is not None:
        condition &= Q(**{f"{prefix}starts_at__gte": timezone.make_aware(datetime.combine(start, time.min))})
    if end is not None:
        condition &= Q(**{f"{prefix}starts_at__lte": timezone.make_aware(datetime.combine(end, time.max))})
    return condition


def _counted(queryset, field: str) -> dict[str, int]:
    return {row[field] or "": row["n"] for row in queryset.values(field).annotate(n=Count("pk")).order_by(field)}


def workshops_held(
    *, programme, start: date | None, end: date | None, disaggregate_by: str | None = None, params: dict | None = None
):
    """Workshops marked held; params {"kind": "connecting"} counts one kind only."""
    held = Workshop.objects.filter(_between("", start, end), programme=programme, held=True)
    if (params or {}).get("kind"):
        held = held.filter(kind=params["kind"])
    if disaggregate_by is None:
        return held.count()
    if disaggregate_by == "province":
        return _counted(held.annotate(code=Coalesce("province__successor__code", "province__code")), "code")
    raise ValueError(disaggregate_by)


PARTICIPANT_FIELDS = {
    "sex": "person__sex",
    "organisation_type": "person__organisation__type",
    "province": "province_code",
}


def participants(*, programme, start: date | None, end: date | None, disaggregate_by: str | None = None):
    """People checked in at the programme's workshops: each person once per workshop."""
    present = Registration.objects.filter(
        _between("workshop__", start, end), workshop__programme=programme, checked_in_at__isnull=False
    )
    if disaggregate_by is None:
        return present.count()
    if disaggregate_by not in PARTICIPANT_FIELDS:
        raise ValueError(disaggregate_by)
    # A legacy province counts under the unit it merged into.
    present = present.annotate(province_code=Coalesce("person__province__successor__code", "person__province__code"))
    return _counted(present, PARTICIPANT_FIELDS[disaggregate_by])


register_metric(
    "events.workshops_held",
    label=_("Số hội thảo đã tổ chức"),
    unit=_("hội thảo"),
    compute=workshops_held,
    disaggregations=("province",),
    params=("kind",),
)
register_metric(
    "events.participants",
    label=_("Số lượt đại biểu tham dự hội thảo"),
    unit=_("lượt người"),
    compute=participants,
    disaggregations=tuple(PARTICIPANT_FIELDS),
)
