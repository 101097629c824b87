"""A programme's components (its areas of work)."""

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from ketnoi.core.writes import apply_fields, locked, normalise_line, save_changed, save_created

from ..models import Component, Programme
from ._base import AUTOMATIC, require_planner, require_text
from .actions import ProgrammeAction

COMPONENT_FIELDS = ("name", "description", "order")


def _validate_component(component: Component) -> None:
    require_text(component.name, "name", _("Hãy nhập tên mảng."))
    component.full_clean(exclude=[*AUTOMATIC, "programme"])


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
    _validate_component(component)
    return save_created(component, actor=actor, action=ProgrammeAction.COMPONENT_CREATE, fields=["name"])


@transaction.atomic
def component_update(*, actor, component: Component, **changes: Any) -> Component:
    require_planner(actor, component.programme)
    component = locked(component)
    component.updated_by = actor
    return save_changed(
        component,
        changes,
        actor=actor,
        action=ProgrammeAction.COMPONENT_UPDATE,
        allowed=COMPONENT_FIELDS,
        validate=_validate_component,
        clean_text=normalise_line,
    )
