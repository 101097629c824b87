"""A person's rights over their data: everything the platform holds, exported; their personal
data erased (anonymised in place) across every app that registered a handler."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ketnoi.core.audit import audit_record
from ketnoi.core.models import AuditEntry
from ketnoi.core.registry import personal_data_handlers
from ketnoi.core.text import fold
from ketnoi.core.writes import locked

from ..models import Person, Sex
from ._base import require_editor
from .actions import DirectoryAction

# The folded word the user types: “XOÁ” (or “DELETE” in the English interface).
ERASE_CONFIRMATIONS = {"xoa", "delete"}


def _person_data(person: Person) -> dict[str, Any]:
    return {
        "id": person.pk,
        "full_name": person.full_name,
        "sex": person.sex,
        "birth_year": person.birth_year,
        "position": person.position,
        "organisation": str(person.organisation) if person.organisation_id else None,
        "email": person.email,
        "phone": person.phone,
        "province": str(person.province) if person.province_id else None,
        "user": person.user.get_username() if person.user_id else None,
        "created_at": person.created_at.isoformat(),
        "updated_at": person.updated_at.isoformat(),
        "erased_at": person.erased_at.isoformat() if person.erased_at else None,
    }


@transaction.atomic
def person_export(*, actor, person: Person) -> dict[str, Any]:
    """Everything the platform holds about a person: the directory record and what every app
    registered with `register_personal_data` returns for them."""
    require_editor(actor)
    data = {
        "exported_at": timezone.now().isoformat(),
        "person": _person_data(person),
        "data": {handler.name: handler.export(person) for handler in personal_data_handlers()},
    }
    audit_record(actor=actor, action=DirectoryAction.PERSON_EXPORT, obj=person)
    return data


def erase_confirmation_matches(typed: str) -> bool:
    return fold(typed) in ERASE_CONFIRMATIONS


@transaction.atomic
def person_erase(*, actor, person: Person) -> Person:
    """Anonymise in place: the row stays so counts and statistics still include the person."""
    require_editor(actor)
    person = locked(person)
    if person.erased_at is not None:
        raise ValidationError(_("Dữ liệu cá nhân của người này đã được xoá trước đó."))
    # The other apps find what they hold about the person by the e-mail or the account, so
    # they erase first, while both are still on the record.
    handlers = personal_data_handlers()
    for handler in handlers:
        handler.erase(person)
    label = f"Đã xoá #{person.pk}"
    person.full_name = label
    person.email = person.phone = person.position = ""
    person.birth_year = None
    person.sex = Sex.UNKNOWN
    person.user = None
    person.erased_at = timezone.now()
    person.updated_by = actor
    person.save()
    # Earlier audit entries recorded the old values: keep that something happened, not what.
    consent_ids = [str(pk) for pk in person.consents.values_list("pk", flat=True)]
    AuditEntry.objects.filter(
        Q(content_type__app_label="directory", content_type__model="person", object_id=str(person.pk))
        | Q(content_type__app_label="directory", content_type__model="consent", object_id__in=consent_ids)
    ).update(changes={}, object_repr=label)
    audit_record(
        actor=actor,
        action=DirectoryAction.PERSON_ERASE,
        obj=person,
        changes={"handlers": [h.name for h in handlers]},
    )
    return person
