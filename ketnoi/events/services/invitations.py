"""Inviting many people and whole organisations at once (the invite page's ticked names).

Inviting an organisation invites its people: each of its people in the directory who has an
e-mail address and whose data has not been erased gets a personal invitation (their own link,
what the registration ties to them). An organisation with nobody to reach that way gets one
invitation of its own — the shared link, for its contact address. Someone already invited keeps
their invitation (and its link) and is reported as skipped. One transaction, one audit entry per
invitation created."""

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ketnoi.core.audit import audit_record
from ketnoi.core.writes import locked
from ketnoi.directory.models import Organisation, Person
from ketnoi.programmes.access import can_plan

from ..models import Invitation, Workshop
from .actions import EventsAction
from .common import _require

INVITE_MAX = 2000  # invitations one call may create: a few large organisations, not the whole directory


@dataclass
class InvitationsResult:
    """`created`: the new invitations; `skipped`: the people (or organisations) already invited;
    `organisations_alone`: the organisations invited by their shared link (nobody of theirs has
    an e-mail address)."""

    created: list[Invitation] = field(default_factory=list)
    skipped: list[Person | Organisation] = field(default_factory=list)
    organisations_alone: list[Organisation] = field(default_factory=list)


def _reachable_people(organisations: list[Organisation]) -> list[Person]:
    return list(
        Person.objects.filter(organisation__in=organisations, erased_at__isnull=True)
        .exclude(email="")
        .order_by("name_folded", "pk")
    )


@transaction.atomic
def invitations_create_many(
    *, actor, workshop: Workshop, people: Iterable[Person] = (), organisations: Iterable[Organisation] = ()
) -> InvitationsResult:
    _require(can_plan(actor, workshop.programme))
    workshop = locked(workshop)
    people = [p for p in people if p.erased_at is None]
    organisations = list({o.pk: o for o in organisations}.values())
    if not people and not organisations:
        raise ValidationError({"people": _("Hãy chọn ít nhất một người hoặc một tổ chức để mời.")})
    members = _reachable_people(organisations)
    with_members = {p.organisation_id for p in members}
    alone = [o for o in organisations if o.pk not in with_members]
    wanted = list({p.pk: p for p in [*people, *members]}.values())
    if len(wanted) + len(alone) > INVITE_MAX:
        raise ValidationError(
            {
                "organisations": _(
                    "Mỗi lần mời được tối đa %(max)s người; những gì đã chọn là %(n)s người: hãy chia ra nhiều lần."
                )
                % {"max": INVITE_MAX, "n": len(wanted) + len(alone)}
            }
        )
    result = InvitationsResult()
    invited = set(workshop.invitations.filter(person__in=[p.pk for p in wanted]).values_list("person_id", flat=True))
    invited_orgs = set(
        workshop.invitations.filter(organisation__in=[o.pk for o in alone]).values_list("organisation_id", flat=True)
    )
    new = []
    for person in wanted:
        if person.pk in invited:
            result.skipped.append(person)
        else:
            new.append(Invitation(workshop=workshop, person=person, created_by=actor, updated_by=actor))
    for organisation in alone:
        if organisation.pk in invited_orgs:
            result.skipped.append(organisation)
        else:
            new.append(Invitation(workshop=workshop, organisation=organisation, created_by=actor, updated_by=actor))
            result.organisations_alone.append(organisation)
    result.created = Invitation.objects.bulk_create(new)
    for invitation in result.created:
        audit_record(
            actor=actor,
            action=EventsAction.INVITATION_CREATE,
            obj=invitation,
            changes={"person": invitation.person_id, "organisation": invitation.organisation_id, "bulk": True},
        )
    return result


def invitations_result_text(result: InvitationsResult) -> str:
    text = _("Đã tạo %(n)s thư mời") % {"n": len(result.created)}
    if result.organisations_alone:
        names = ", ".join(o.name for o in result.organisations_alone[:10])
        text += "; " + _(
            "%(k)s tổ chức chưa có ai có thư điện tử trong danh bạ nên được mời bằng đường dẫn chung: %(names)s"
        ) % {
            "k": len(result.organisations_alone),
            "names": names,
        }
    if result.skipped:
        names = ", ".join(getattr(s, "full_name", None) or s.name for s in result.skipped[:10])
        if len(result.skipped) > 10:
            names += " " + _("và %(k)s người khác") % {"k": len(result.skipped) - 10}
        text += "; " + _("bỏ qua %(k)s đã được mời từ trước: %(names)s") % {"k": len(result.skipped), "names": names}
    return text.rstrip(".") + "."
