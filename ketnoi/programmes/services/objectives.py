"""A programme's numbered objectives."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ketnoi.core.writes import apply_fields, locked, normalise_line, save_changed, save_created

from ..models import Agreement, Objective, Programme
from ._base import AUTOMATIC, check_same_programme, next_number, require_planner, require_text
from .actions import ProgrammeAction

OBJECTIVE_FIELDS = ("number", "title", "description", "agreement")


def _validate_objective(objective: Objective) -> None:
    require_text(objective.title, "title", _("Hãy nhập nội dung mục tiêu."))
    check_same_programme(objective.programme, agreement=objective.agreement)
    clash = objective.programme.objectives.filter(number=objective.number).exclude(pk=objective.pk)
    if clash.exists():
        raise ValidationError({"number": _("Đã có mục tiêu số %(n)s: hãy chọn số khác.") % {"n": objective.number}})
    objective.full_clean(exclude=[*AUTOMATIC, "programme", "agreement"], validate_constraints=False)


@transaction.atomic
def objective_create(
    *,
    actor,
    programme: Programme,
    title: str,
    number: int | None = None,
    description: str = "",
    agreement: Agreement | None = None,
) -> Objective:
    require_planner(actor, programme)
    objective = Objective(programme=programme, created_by=actor, updated_by=actor)
    number = number or next_number(programme.objectives)
    apply_fields(
        objective,
        OBJECTIVE_FIELDS,
        {"number": number, "title": title, "description": description, "agreement": agreement},
        clean_text=normalise_line,
    )
    _validate_objective(objective)
    return save_created(objective, actor=actor, action=ProgrammeAction.OBJECTIVE_CREATE, fields=OBJECTIVE_FIELDS)


@transaction.atomic
def objective_update(*, actor, objective: Objective, **changes: Any) -> Objective:
    require_planner(actor, objective.programme)
    objective = locked(objective)
    objective.updated_by = actor
    return save_changed(
        objective,
        changes,
        actor=actor,
        action=ProgrammeAction.OBJECTIVE_UPDATE,
        allowed=OBJECTIVE_FIELDS,
        validate=_validate_objective,
        clean_text=normalise_line,
    )
