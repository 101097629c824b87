"""A person's rights over their data: a copy of what the platform holds, and its erasure.

Both follow the person's stewardship (directory/stewardship.py): a coordinator exports and
erases only the rows their programmes hold. Erasing a person whom other programmes hold too is an
erasure request: the coordinator's own programmes are erased at once, each other programme has a
step its coordinator — or a data protection officer, for all of them — completes, and the
person's shared record (name, e-mail, phone, account) is erased with the last step.
"""

from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ketnoi.core.audit import audit_record
from ketnoi.core.db import checkpoint_wal
from ketnoi.core.models import ApiToken, AuditEntry
from ketnoi.core.registry import personal_data_handlers
from ketnoi.core.roles import Role
from ketnoi.core.services import mail_queue
from ketnoi.core.text import fold
from ketnoi.core.writes import after_commit, locked

from ..models import ErasureRequest, ErasureStep, Person, Sex
from ..stewardship import Stewardship, coordinated_programmes, holding_programmes, stewardship_for
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


def _require_steward(stewardship: Stewardship) -> None:
    if not stewardship.is_steward:
        raise PermissionDenied(
            _(
                "Người này chỉ có dữ liệu ở các chương trình bạn không điều phối: "
                "hãy nhờ điều phối viên của chương trình đó."
            )
        )


@transaction.atomic
def person_export(*, actor, person: Person) -> dict[str, Any]:
    """The person's shared record and, from every app, the rows held by the programmes the
    actor stewards (every programme for staff and data protection officers)."""
    require_editor(actor)
    stewardship = stewardship_for(actor, person)
    _require_steward(stewardship)
    scope = stewardship.scope
    data = {
        "exported_at": timezone.now().isoformat(),
        "programmes": sorted(stewardship.holders if scope is None else scope),
        "person": _person_data(person),
        "data": {handler.name: handler.export(person, programmes=scope) for handler in personal_data_handlers()},
    }
    audit_record(
        actor=actor, action=DirectoryAction.PERSON_EXPORT, obj=person, changes={"programmes": data["programmes"]}
    )
    return data


def erase_confirmation_matches(typed: str) -> bool:
    return fold(typed) in ERASE_CONFIRMATIONS


@transaction.atomic
def person_erase(*, actor, person: Person) -> ErasureRequest:
    """Erase what the actor's programmes hold about `person` and ask the other stewards for the
    rest; the request comes back, completed when nobody else held the person."""
    require_editor(actor)
    person = locked(person)
    if person.erased_at is not None:
        raise ValidationError(_("Dữ liệu cá nhân của người này đã được xoá trước đó."))
    stewardship = stewardship_for(actor, person)
    _require_steward(stewardship)
    request = ErasureRequest.objects.filter(person=person, completed_at__isnull=True).first()
    if request is None:
        request = ErasureRequest.objects.create(person=person, requested_by=actor)
        audit_record(
            actor=actor,
            action=DirectoryAction.ERASURE_REQUEST,
            obj=request,
            changes={"person": person.pk, "programmes": sorted(stewardship.holders)},
        )
    added = _add_steps(request, stewardship.holders)
    _complete_steps(request, actor=actor, person=person, officer=stewardship.officer)
    added += _finish_if_done(request, actor=actor, person=person)
    _ask_stewards(request, added, actor=actor)
    return request


@transaction.atomic
def erasure_complete(*, actor, request: ErasureRequest) -> ErasureRequest:
    """A steward (or a data protection officer) completes their part of an open request."""
    request = locked(request)
    if not request.is_open:
        raise ValidationError(_("Yêu cầu này đã hoàn tất."))
    person = locked(request.person)
    stewardship = stewardship_for(actor, person)
    open_steps = request.steps.filter(done_at__isnull=True)
    if not stewardship.officer and not open_steps.filter(programme_id__in=coordinated_programmes(actor)).exists():
        raise PermissionDenied(_("Không còn bước nào của yêu cầu này thuộc chương trình bạn điều phối."))
    added = _add_steps(request, stewardship.holders)
    _complete_steps(request, actor=actor, person=person, officer=stewardship.officer)
    added += _finish_if_done(request, actor=actor, person=person)
    _ask_stewards(request, added, actor=actor)
    return request


def _add_steps(request: ErasureRequest, holders) -> list[ErasureStep]:
    """A step for each programme that holds the person and has none yet (one may start holding
    them while the request is open); returns the steps added."""
    have = set(request.steps.values_list("programme_id", flat=True))
    added = []
    for programme_id in sorted(set(holders) - have):
        step = ErasureStep(request=request, programme_id=programme_id)
        step.programme_name = step.programme.name  # kept should the programme go one day
        step.save()
        added.append(step)
    return added


def _ask_stewards(request: ErasureRequest, steps: list[ErasureStep], *, actor) -> None:
    """E-mail the coordinators of each programme whose step was just added and is still open:
    the request waits on them, and nothing else would tell them."""
    open_ids = set(request.steps.filter(done_at__isnull=True).values_list("programme_id", flat=True))
    programme_names = {step.programme_id: step.programme_name for step in steps if step.programme_id in open_ids}
    if not programme_names:
        return
    url = reverse("directory:erasure_detail", args=[request.pk])
    link = settings.SITE_URL.rstrip("/") + url
    coordinators = (
        get_user_model()
        .objects.filter(
            is_active=True,
            programme_roles__role=Role.COORDINATOR,
            programme_roles__programme_id__in=programme_names,
        )
        .exclude(email="")
        .values_list("email", "programme_roles__programme_id")
        .distinct()
    )
    for email, programme_id in coordinators:
        mail_queue(
            to=email,
            template="directory/email/erasure_request",
            context={"programme": programme_names[programme_id], "person": request.person.full_name, "link": link},
            caused_by=actor,
            about_label=programme_names[programme_id],
            about_url=url,
        )


def _complete_steps(request: ErasureRequest, *, actor, person: Person, officer: bool) -> None:
    open_steps = list(request.steps.filter(done_at__isnull=True))
    if not officer:
        mine = coordinated_programmes(actor)
        open_steps = [step for step in open_steps if step.programme_id in mine]
    if not open_steps:
        return
    scope = {step.programme_id for step in open_steps}
    handlers = personal_data_handlers()
    for handler in handlers:
        handler.erase(person, programmes=scope)
    now = timezone.now()
    for step in open_steps:
        step.done_at, step.done_by, step.erased = now, actor, [h.name for h in handlers]
    ErasureStep.objects.bulk_update(open_steps, ["done_at", "done_by", "erased"])
    audit_record(
        actor=actor,
        action=DirectoryAction.ERASURE_STEP,
        obj=request,
        changes={"programmes": sorted(step.programme_name for step in open_steps)},
    )


def _finish_if_done(request: ErasureRequest, *, actor, person: Person) -> list[ErasureStep]:
    """Erase the shared record once no step is open; returns the steps added for programmes
    that started holding the person meanwhile."""
    added = _add_steps(request, holding_programmes(person))
    if request.steps.filter(done_at__isnull=True).exists():
        return added
    _erase_shared_record(person, actor=actor)
    request.completed_at, request.completed_by = timezone.now(), actor
    request.save(update_fields=["completed_at", "completed_by"])
    # Overwritten values must leave SQLite's write-ahead log too, once the erasure is committed.
    after_commit(checkpoint_wal)
    return added


def _erase_account(user: AbstractBaseUser) -> None:
    """The person's login: no name, address or chosen username left, and never usable again."""
    user.username = f"da-xoa-{user.pk}"
    user.first_name = user.last_name = user.email = ""
    user.set_unusable_password()
    user.is_active = False
    user.save(update_fields=["username", "first_name", "last_name", "email", "password", "is_active"])
    ApiToken.objects.filter(user=user).delete()


def _erase_shared_record(person: Person, *, actor) -> None:
    """Anonymise the person in place: the row stays so counts and statistics still include them."""
    # Apps find what they hold by the person's e-mail or account, so they erase first, while both
    # are still on the record; every programme's rows are done by now, this catches what no
    # programme holds (consents' guardians, uploaded lists, comments on no programme's post).
    handlers = personal_data_handlers()
    for handler in handlers:
        handler.erase(person, programmes=None)
    if person.user_id:
        _erase_account(person.user)
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
