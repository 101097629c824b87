"""A programme's components (its areas of work)."""

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from ketnoi.core.audit import audit_record, diff, snapshot
from ketnoi.core.writes import apply_fields, locked, normalise_line

from ..models import Component, Programme
from ._base import AUTOMATIC, require_planner, require_text
from .actions import ProgrammeAction

COMPONENT_FIELDS = ("name", "description", "order")


@transaction.atomic
def component_create(*, actor, programme: Programme, name: str, description: str = "", order: int | None = None):
    require_planner(actor, programme)
    component = Component(programme=programme, created_by=actor, updated_by=actor)
    if order is None:
        order = programme.components.count() + 1
    apply_fields(
        component,
        COMPONENT_FIELDS,
        {"name": name, "description": description, "order": order},
        clean_text=normalise_line,
    )
    require_text(component.name, "name", _("Hãy nhập tên mảng."))
    component.full_clean(exclude=[*AUTOMATIC, "programme"])
    component.save()
    audit_record(actor=actor, action=ProgrammeAction.COMPONENT_CREATE, obj=component, changes={"name": component.name})
    return component


@transaction.atomic
def component_update(*, actor, component: Component, **changes: Any) -> Component:
    require_planner(actor, component.programme)
    component = locked(component)
    before = snapshot(component, list(COMPONENT_FIELDS))
    apply_fields(component, COMPONENT_FIELDS, changes, clean_text=normalise_line)
    require_text(component.name, "name", _("Hãy nhập tên mảng."))
    component.full_clean(exclude=[*AUTOMATIC, "programme"])
    component.updated_by = actor
    component.save()
    if changed := diff(before, component):
        audit_record(actor=actor, action=ProgrammeAction.COMPONENT_UPDATE, obj=component, changes=changed)
    return component
