"""What core holds about a directory person: the e-mail the platform queued to their address
(OutgoingEmail). It belongs to no programme, so it is exported and erased with the person's
shared record (`programmes=None`: the last steward's step, or a data protection officer).

Erasing blanks the address, subject, text and attachments but keeps the row (status, times), so
the undelivered-mail lists and counts stay true. Registered at start-up (CoreConfig.ready)."""

from .models import OutgoingEmail
from .registry import register_personal_data


def mail_to(person):
    """The queued e-mail addressed to the person's e-mail (matched on the JSON text of `to`,
    then exactly, so that "an@x.org" does not catch "lan@x.org")."""
    email = (getattr(person, "email", "") or "").strip().lower()
    if not email:
        return []
    candidates = OutgoingEmail.objects.filter(to__icontains=email).only("id", "to", "subject", "status", "created_at")
    return [m for m in candidates if email in {address.strip().lower() for address in m.to}]


def export(person, *, programmes=None) -> dict:
    if programmes is not None:
        return {}
    return {
        "emails": [
            {"subject": m.subject, "status": m.status, "created_at": m.created_at.isoformat()} for m in mail_to(person)
        ]
    }


def erase(person, *, programmes=None) -> None:
    if programmes is not None:
        return
    ids = [m.pk for m in mail_to(person)]
    OutgoingEmail.objects.filter(pk__in=ids).update(
        to=[], subject="", body="", html_body="", attachments=[], about_label=""
    )


register_personal_data("core", export=export, erase=erase)
