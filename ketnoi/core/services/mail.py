"""Outgoing e-mail: rendered from templates, kept as a row, sent by a task that tries again.

Every e-mail of the platform goes through `mail_queue`:

    mail_queue(
        to=[person.email],
        template="events/email/registration_status",   # .subject.txt, .body.txt (+ .body.html)
        context={"registration": registration, "link": link},
        language="vi",                  # default: the language active now
        caused_by=actor,                # who sees it if it cannot be delivered (None: staff only)
        about_label=workshop.title, about_url=workshop_url,
    )

The templates are rendered under `translation.override(language)` (so `{% translate %}` in them
speaks the recipient's language) with autoescaping off (plain text). The row is saved in the
caller's transaction, and the sending task is queued so that it runs only once that transaction
commits: with the database queue the task row commits together with the e-mail row, so neither
is left without the other; a backend that runs tasks at once (the tests) is called after commit.
"""

import base64
from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.template import Context, TemplateDoesNotExist
from django.template.loader import get_template
from django.utils import timezone, translation

from ..models import OutgoingEmail
from ..writes import after_commit

SUBJECT_MAX = OutgoingEmail._meta.get_field("subject").max_length


def _render(name: str, context: dict[str, Any]) -> str:
    # The Django engine's own template, rendered without autoescaping: this is plain text.
    return get_template(name).template.render(Context(context, autoescape=False))


def render_email(template: str, context: dict[str, Any], language: str) -> tuple[str, str, str]:
    """(subject, text body, HTML body or "") of `template` in `language`."""
    with translation.override(language):
        subject = " ".join(_render(f"{template}.subject.txt", context).split())
        body = _render(f"{template}.body.txt", context).strip() + "\n"
        try:
            html = get_template(f"{template}.body.html").render(context)
        except TemplateDoesNotExist:  # the HTML part is optional
            html = ""
    return subject[:SUBJECT_MAX], body, html


def _queue_sending(email: OutgoingEmail) -> None:
    from django_tasks_db.backend import DatabaseBackend

    from ..tasks import send_outgoing_email

    if isinstance(send_outgoing_email.get_backend(), DatabaseBackend):
        # The task row is written in this transaction: the e-mail and its task commit together.
        send_outgoing_email.enqueue(email.pk)
    else:
        after_commit(lambda: send_outgoing_email.enqueue(email.pk))


@transaction.atomic
def mail_queue(
    *,
    to: str | Iterable[str],
    template: str,
    context: dict[str, Any],
    language: str | None = None,
    caused_by=None,
    about_label: str = "",
    about_url: str = "",
    attachments: Iterable[tuple[str, bytes, str]] = (),
    sensitive: bool = False,
) -> OutgoingEmail | None:
    """Queue one e-mail to `to` (an address or several; blanks dropped, None when none is left).
    `attachments`: (file name, bytes, MIME type). `sensitive`: the text is dropped once sent."""
    recipients = [to] if isinstance(to, str) else list(to)
    recipients = sorted({address.strip() for address in recipients if address and address.strip()})
    if not recipients:
        return None
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    subject, body, html = render_email(template, context, language)
    email = OutgoingEmail.objects.create(
        to=recipients,
        subject=subject,
        body=body,
        html_body=html,
        attachments=[
            {"name": name, "mimetype": mimetype, "content": base64.b64encode(content).decode("ascii")}
            for name, content, mimetype in attachments
        ],
        template=template,
        language=language,
        sensitive=sensitive,
        caused_by=caused_by if getattr(caused_by, "is_authenticated", False) else None,
        about_label=about_label[:255],
        about_url=about_url[:500],
    )
    _queue_sending(email)
    return email


def undelivered_for(user):
    """The e-mails `user` caused that could not be delivered; staff see everyone's."""
    failed = OutgoingEmail.objects.filter(status=OutgoingEmail.Status.FAILED).select_related("caused_by")
    if not getattr(user, "is_authenticated", False):
        return failed.none()
    return failed if user.is_staff else failed.filter(caused_by=user)


def mail_undelivered_seen(*, actor) -> None:
    """`actor` has looked at their undelivered e-mail: the menu's notice goes away."""
    if getattr(actor, "undelivered_mail_unseen", 0):
        get_user_model().objects.filter(pk=actor.pk).update(undelivered_mail_unseen=0)
        actor.undelivered_mail_unseen = 0


def mail_purge(*, older_than_days: int) -> int:
    """Delete the e-mails sent, or given up on, more than `older_than_days` ago (their text holds
    names and links); e-mail still waiting is kept. Returns how many went."""
    if older_than_days < 1:
        raise ValueError("older_than_days must be at least 1")
    cutoff = timezone.now() - timedelta(days=older_than_days)
    done = OutgoingEmail.objects.filter(
        status__in=[OutgoingEmail.Status.SENT, OutgoingEmail.Status.FAILED], updated_at__lt=cutoff
    )
    deleted, _per_model = done.delete()
    return deleted
