"""Indicator metrics the workshops offer the programme (registered at start-up, EventsConfig.ready):
workshops held, of one kind or all, by city; participants (people checked in), by sex, organisation type
and province."""

from datetime import date

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ketnoi.core.metrics import counts_by, in_period
from ketnoi.core.registry import UnknownCategory, register_metric
from ketnoi.directory.queries import PERSON_BREAKDOWN, current_province_code

from .models import Registration, Workshop, organisation_type_of


def workshops_held(
    *, programme, start: date | None, end: date | None, disaggregate_by: str | None = None, params: dict | None = None
):
    """Workshops marked held; params {"kind": "connecting"} counts one kind only."""
    held = Workshop.objects.filter(in_period("starts_at", start, end, moment=True), programme=programme, held=True)
    if (params or {}).get("kind"):
        held = held.filter(kind=params["kind"])
    if disaggregate_by is None:
        return held.count()
    if disaggregate_by == "province":
        return counts_by(held.annotate(code=current_province_code()), "code")
    raise ValueError(disaggregate_by)


def participants(*, programme, start: date | None, end: date | None, disaggregate_by: str | None = None):
    """People checked in at the programme's workshops: each person once per workshop."""
    present = Registration.objects.filter(
        in_period("workshop__starts_at", start, end, moment=True),
        workshop__programme=programme,
        checked_in_at__isnull=False,
    )
    if disaggregate_by is None:
        return present.count()
    if disaggregate_by not in PERSON_BREAKDOWN:
        raise ValueError(disaggregate_by)
    present = present.annotate(
        province_code=current_province_code("person__province"), organisation_type=organisation_type_of()
    )
    # By organisation type: the registration's own organisation (typed, then matched by the
    # coordinator) before the person's record; "" is everyone whose type is not known yet.
    field = "organisation_type" if disaggregate_by == "organisation_type" else PERSON_BREAKDOWN[disaggregate_by]
    return counts_by(present, field)


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
    disaggregations=tuple(PERSON_BREAKDOWN),
    unknown={
        "organisation_type": UnknownCategory(
            label=_("Chưa rõ loại tổ chức"),
            # The programme's workshops with someone not matched yet; each links to its rows.
            fix_url=lambda programme: reverse("events:list", args=[programme.code]) + "?organisation=unknown",
        )
    },
)
