"""A programme's numbered activities: what, where, who is responsible, how much is planned."""

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ketnoi.core.audit import audit_record, diff, snapshot
from ketnoi.core.writes import apply_fields, locked, normalise_line, set_related
from ketnoi.directory.models import Organisation, Province

from ..models import Activity, Agreement, Objective, Programme
from ._base import AUTOMATIC, check_dates, check_same_programme, next_number, require_planner, require_text
from .actions import ProgrammeAction

ACTIVITY_FIELDS = (
    "number",
    "title",
    "description",
    "objective",
    "agreement",
    "responsible",
    "planned_quantity",
    "unit",
    "quantity_basis",
    "start_date",
    "end_date",
)


def _validate_activity(activity: Activity, places: list[Province], kept_places: set[int]) -> None:
    require_text(activity.title, "title", _("Hãy nhập tên hoạt động."))
    check_same_programme(activity.programme, objective=activity.objective, agreement=activity.agreement)
    check_dates(activity.start_date, activity.end_date)
    if activity.planned_quantity is not None:
        if activity.planned_quantity < Decimal("0"):
            raise ValidationError({"planned_quantity": _("Số lượng kế hoạch không được âm.")})
        if not activity.unit:
            raise ValidationError(
                {"unit": _("Hãy ghi đơn vị tính cho số lượng kế hoạch, ví dụ “tiết” hoặc “hội thảo”.")}
            )
    for place in places:
        if place.scheme != Province.Scheme.CURRENT and place.pk not in kept_places:
            raise ValidationError(
                {"places": _("“%(name)s” là tỉnh/thành cũ: hãy chọn trong 34 tỉnh/thành hiện hành.") % {"name": place}}
            )
    clash = activity.programme.activities.filter(number=activity.number).exclude(pk=activity.pk)
    if clash.exists():
        raise ValidationError({"number": _("Đã có hoạt động số %(n)s: hãy chọn số khác.") % {"n": activity.number}})
    activity.full_clean(
        exclude=[*AUTOMATIC, "programme", "objective", "agreement", "responsible"], validate_constraints=False
    )


def _activity_changes(activity: Activity) -> dict:
    return snapshot(activity, list(ACTIVITY_FIELDS))


@transaction.atomic
def activity_create(
    *,
    actor,
    programme: Programme,
    title: str,
    number: int | None = None,
    objective: Objective | None = None,
    agreement: Agreement | None = None,
    description: str = "",
    places: Iterable[Province] = (),
    responsible: Organisation | None = None,
    planned_quantity: Decimal | int | None = None,
    unit: str = "",
    quantity_basis: str = "",
    start_date: date | None = None,
    end_date: date | None = None,
) -> Activity:
    require_planner(actor, programme)
    places = list(places)
    activity = Activity(programme=programme, created_by=actor, updated_by=actor)
    values = {
        "number": number or next_number(programme.activities),
        "title": title,
        "description": description,
        "objective": objective,
        "agreement": agreement,
        "responsible": responsible,
        "planned_quantity": Decimal(planned_quantity) if planned_quantity is not None else None,
        "unit": unit,
        "quantity_basis": quantity_basis,
        "start_date": start_date,
        "end_date": end_date,
    }
    apply_fields(activity, ACTIVITY_FIELDS, values, clean_text=normalise_line)
    _validate_activity(activity, places, kept_places=set())
    activity.save()
    activity.places.set(places)
    changes = _activity_changes(activity)
    changes["places"] = [str(p) for p in places]
    audit_record(actor=actor, action=ProgrammeAction.ACTIVITY_CREATE, obj=activity, changes=changes)
    return activity


@transaction.atomic
def activity_update(*, actor, activity: Activity, places: Iterable[Province] | None = None, **changes: Any) -> Activity:
    require_planner(actor, activity.programme)
    activity = locked(activity)
    before = _activity_changes(activity)
    current_places = list(activity.places.all())
    new_places = list(places) if places is not None else current_places
    if changes.get("planned_quantity") is not None:
        changes["planned_quantity"] = Decimal(changes["planned_quantity"])
    apply_fields(activity, ACTIVITY_FIELDS, changes, clean_text=normalise_line)
    _validate_activity(activity, new_places, kept_places={p.pk for p in current_places})
    activity.updated_by = actor
    activity.save()
    changed = diff(before, activity)
    if places is not None:
        set_related(changed, activity, "places", new_places, before=sorted(map(str, current_places)))
    if changed:
        audit_record(actor=actor, action=ProgrammeAction.ACTIVITY_UPDATE, obj=activity, changes=changed)
    return activity
