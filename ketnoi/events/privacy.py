"""What events hold about a directory person: the invitations sent to them and their
registrations (status, approval, walk-in, check-in time and the free-text note).

Erasing keeps every invitation and registration row with its status, approval and check-in
time: places taken, attendance and the workshops' indicators still count the person, whom the
directory anonymises right after. Only the free text about them goes: the registration's note and
the organisation name they typed (the directory organisation it was matched to stays).
A registration keeps no copy of the name, e-mail or phone (it points to the person), but its
audit entries do: their label was written as “person – workshop” and a cancellation records the
note, so both are blanked there too. No new audit entry: the directory's erase writes it.

A registration typed on the public page and still awaiting confirmation points to nobody and
keeps the typed details; the ones whose typed e-mail, or name and phone, are the person's are
blanked of those details on erase (the row stays, counted as a place until cancelled).
"""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q

from ketnoi.core.models import AuditEntry
from ketnoi.core.registry import in_programmes, programmes_of, register_personal_data

from .models import Invitation, Registration

# The registration's free-text fields about the person, blanked on erase. The organisation they
# typed goes too; the directory organisation it was matched to stays, so the figures still count.
FREE_TEXT_FIELDS = ("note", "organisation_name")
# What a registration awaiting confirmation keeps of what was typed, blanked on erase.
TYPED_FIELDS = ("full_name", "email", "phone", "position")


def _awaiting_confirmation(person):
    """Registrations not yet linked to anyone that carry this person's e-mail, or name and phone."""
    same = Q(pk__in=[])
    if person.email:
        same |= Q(email__iexact=person.email)
    if person.phone_normalised:
        same |= Q(name_folded=person.name_folded, phone_normalised=person.phone_normalised)
    return Registration.objects.filter(same, person__isnull=True)


def _iso(moment) -> str | None:
    return moment.isoformat() if moment is not None else None


VIA = "workshop__programme"


def holders(person) -> set[int]:
    return programmes_of(Invitation.objects.filter(person=person), via=VIA) | programmes_of(
        Registration.objects.filter(person=person), via=VIA
    )


def export(person, *, programmes=None) -> dict:
    invitations = in_programmes(Invitation.objects.filter(person=person), programmes, via=VIA)
    invitations = invitations.select_related("workshop").order_by("created_at", "id")
    registrations = in_programmes(Registration.objects.filter(person=person), programmes, via=VIA)
    registrations = registrations.select_related("workshop")
    return {
        "invitations": [
            {
                "workshop": invitation.workshop.title,
                "starts_at": invitation.workshop.starts_at.isoformat(),
                "sent_at": _iso(invitation.sent_at),
            }
            for invitation in invitations
        ],
        "registrations": [
            {
                "workshop": registration.workshop.title,
                "starts_at": registration.workshop.starts_at.isoformat(),
                "status": registration.status,
                "approved": registration.approved,
                "walk_in": registration.walk_in,
                "checked_in_at": _iso(registration.checked_in_at),
                "created_at": registration.created_at.isoformat(),
                **{name: getattr(registration, name) for name in FREE_TEXT_FIELDS},
            }
            for registration in registrations
        ],
    }


def _scrub_registration_audit(registrations) -> None:
    """The entries keep that something happened to registration #n of the workshop, not who or
    what they wrote: the label loses the name (the person's number stays, as the directory's
    label does) and the recorded free text goes."""
    labels = {str(r.pk): f"#{r.person_id or '—'} – {r.workshop.title}"[:255] for r in registrations}
    entries = AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Registration), object_id__in=list(labels)
    )
    changed = []
    for entry in entries:
        entry.object_repr = labels[entry.object_id]
        entry.changes = {k: v for k, v in entry.changes.items() if k not in FREE_TEXT_FIELDS}
        changed.append(entry)
    AuditEntry.objects.bulk_update(changed, ["object_repr", "changes"])


def erase(person, *, programmes=None) -> None:
    registrations = in_programmes(Registration.objects.filter(person=person), programmes, via=VIA)
    _scrub_registration_audit(registrations.select_related("workshop").only("pk", "person_id", "workshop__title"))
    registrations.update(**dict.fromkeys(FREE_TEXT_FIELDS, ""))
    typed = in_programmes(_awaiting_confirmation(person), programmes, via=VIA)
    _scrub_registration_audit(typed.select_related("workshop").only("pk", "person_id", "workshop__title"))
    typed.update(**dict.fromkeys((*FREE_TEXT_FIELDS, *TYPED_FIELDS, "name_folded", "phone_normalised"), ""))


register_personal_data("events", export=export, erase=erase, holders=holders)
