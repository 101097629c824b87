"""Organisations: created and changed by directory editors, never inside their own hierarchy."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ketnoi.core.text import normalise
from ketnoi.core.writes import apply_fields, locked, save_changed, save_created

from ..models import Organisation, Province
from ._base import check_province, require_editor
from .actions import DirectoryAction

ORGANISATION_FIELDS = ("name", "short_name", "type", "parent", "province", "website", "email", "phone")


def _check_parent(organisation: Organisation, parent: Organisation | None) -> None:
    if parent is None:
        return
    if organisation.pk is not None and parent.pk == organisation.pk:
        raise ValidationError(
            {"parent": _("Một tổ chức không thể trực thuộc chính nó: hãy chọn đơn vị cấp trên khác.")}
        )
    # Walk up from the new parent: meeting the organisation itself would close a cycle.
    seen: set[int] = set()
    node_id: int | None = parent.pk
    while node_id is not None and node_id not in seen:
        if node_id == organisation.pk:
            raise ValidationError(
                {
                    "parent": _(
                        "“%(parent)s” đang trực thuộc “%(name)s”, nên “%(name)s” không thể trực thuộc "
                        "“%(parent)s”: hãy chọn đơn vị cấp trên khác."
                    )
                    % {"parent": parent.name, "name": organisation.name}
                }
            )
        seen.add(node_id)
        node_id = Organisation.objects.filter(pk=node_id).values_list("parent_id", flat=True).first()


def _validate_organisation(organisation: Organisation, *, kept_province: Province | None = None) -> None:
    organisation.name = normalise(organisation.name)
    organisation.short_name = normalise(organisation.short_name)
    if not organisation.name:
        raise ValidationError({"name": _("Hãy nhập tên tổ chức.")})
    _check_parent(organisation, organisation.parent)
    check_province(organisation.province, kept=kept_province)
    organisation.full_clean(exclude=["created_by", "updated_by", "parent", "province"])


@transaction.atomic
def organisation_create(
    *,
    actor,
    name: str,
    type: str,
    short_name: str = "",
    parent: Organisation | None = None,
    province: Province | None = None,
    website: str = "",
    email: str = "",
    phone: str = "",
) -> Organisation:
    require_editor(actor)
    organisation = Organisation(created_by=actor, updated_by=actor)
    apply_fields(
        organisation,
        ORGANISATION_FIELDS,
        {
            "name": name,
            "type": type,
            "short_name": short_name,
            "parent": parent,
            "province": province,
            "website": website,
            "email": email,
            "phone": phone,
        },
    )
    _validate_organisation(organisation)
    return save_created(
        organisation, actor=actor, action=DirectoryAction.ORGANISATION_CREATE, fields=ORGANISATION_FIELDS
    )


@transaction.atomic
def organisation_update(*, actor, organisation: Organisation, **changes: Any) -> Organisation:
    """Change the given fields (any of ORGANISATION_FIELDS); the others stay as they are."""
    require_editor(actor)
    organisation = locked(organisation, related=("province",))
    kept_province = organisation.province
    organisation.updated_by = actor
    return save_changed(
        organisation,
        changes,
        actor=actor,
        action=DirectoryAction.ORGANISATION_UPDATE,
        allowed=ORGANISATION_FIELDS,
        validate=lambda organisation: _validate_organisation(organisation, kept_province=kept_province),
    )
