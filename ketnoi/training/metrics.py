"""Indicator metrics co-teaching offers the programme (registered at start-up, TrainingConfig.ready):

- training.periods_delivered: periods of delivered sessions dated in the period — the figure the
  commitment is about; params class / campus / semester narrow it (a number is the id, any other
  text the class code, campus name or semester name);
- training.sessions_held: delivered sessions, with the same params;
- training.learners_reached: distinct learners marked present or late at a delivered session,
  by sex, organisation type and province (a legacy province counted under its successor).
Cancelled and planned sessions never count (the rule of ketnoi/training/queries.py)."""

from datetime import date

from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from ketnoi.core.metrics import counts_by, in_period
from ketnoi.core.parsing import whole_number
from ketnoi.core.registry import register_metric
from ketnoi.directory.queries import PERSON_BREAKDOWN, current_province_code

from .models import Attendance, TeachingSession

PARAMS = {
    "class": ("training_class_id", "training_class__code"),
    "campus": ("training_class__campus_id", "training_class__campus__name"),
    "semester": ("training_class__semester_id", "training_class__semester__name"),
}


def _delivered(programme, start: date | None, end: date | None, params: dict | None, prefix: str = ""):
    condition = Q(
        **{
            f"{prefix}training_class__course__programme": programme,
            f"{prefix}status": TeachingSession.Status.DELIVERED,
        }
    )
    condition &= in_period(f"{prefix}date", start, end)
    for name, (by_id, by_text) in PARAMS.items():
        value = (params or {}).get(name)
        if value in (None, ""):
            continue
        text = str(value).strip()
        number = whole_number(text)
        lookup = {f"{prefix}{by_id}": number} if number is not None else {f"{prefix}{by_text}__iexact": text}
        condition &= Q(**lookup)
    return condition


def periods_delivered(
    *, programme, start: date | None, end: date | None, disaggregate_by: str | None = None, params: dict | None = None
):
    if disaggregate_by is not None:
        raise ValueError(disaggregate_by)
    sessions = TeachingSession.objects.filter(_delivered(programme, start, end, params))
    return sessions.aggregate(total=Coalesce(Sum("periods"), 0))["total"]


def sessions_held(
    *, programme, start: date | None, end: date | None, disaggregate_by: str | None = None, params: dict | None = None
):
    if disaggregate_by is not None:
        raise ValueError(disaggregate_by)
    return TeachingSession.objects.filter(_delivered(programme, start, end, params)).count()


def learners_reached(*, programme, start: date | None, end: date | None, disaggregate_by: str | None = None):
    """Each learner once, however many sessions they came to."""
    came = Attendance.objects.filter(
        _delivered(programme, start, end, None, prefix="session__"),
        status__in=[Attendance.Status.PRESENT, Attendance.Status.LATE],
    )
    if disaggregate_by is None:
        return came.values("person_id").distinct().count()
    if disaggregate_by not in PERSON_BREAKDOWN:
        raise ValueError(disaggregate_by)
    came = came.annotate(province_code=current_province_code("person__province"))
    return counts_by(came, PERSON_BREAKDOWN[disaggregate_by], Count("person", distinct=True))


register_metric(
    "training.periods_delivered",
    label=_("Số tiết đã giảng"),
    unit=_("tiết"),
    compute=periods_delivered,
    params=tuple(PARAMS),
)
register_metric(
    "training.sessions_held",
    label=_("Số buổi giảng đã dạy"),
    unit=_("buổi"),
    compute=sessions_held,
    params=tuple(PARAMS),
)
register_metric(
    "training.learners_reached",
    label=_("Số học viên được tiếp cận"),
    unit=_("người"),
    compute=learners_reached,
    disaggregations=tuple(PERSON_BREAKDOWN),
)
