"""Background tasks that try again: the one retry mechanism of the platform.

`retrying_task(...)` makes a django-tasks task whose body may fail for a passing reason (the
database stayed locked, the mail server did not answer). Such a failure queues the same task
again with `run_after = now + backoff` (30 s, 1 min, 2 min, … capped), up to `attempts` tries;
the last failure calls `on_give_up` so the thing the task was about records why it failed (a
library file marked failed with its reason, an e-mail marked undelivered), then re-raises so the
task result itself is FAILED with its traceback (staff see it in the admin's task results).

The attempt number travels as the task's `attempt` keyword argument. A backend that cannot defer
(the immediate backend of the tests) runs the next attempt at once.
"""

import base64
import functools
import logging
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives
from django.db import OperationalError, transaction
from django.db.models import F
from django.utils import timezone
from django_tasks import task

from .models import OutgoingEmail

logger = logging.getLogger(__name__)

DEFAULT_ATTEMPTS = 5
# Tries of one e-mail before it is shown as undelivered (waits of 1, 2, 4, 8 min between them).
EMAIL_ATTEMPTS = 5


def backoff_seconds(attempt: int, *, base: float = 30, cap: float = 3600) -> float:
    """How long to wait after failed attempt number `attempt` (1, 2, …): doubling, capped."""
    return min(cap, base * 2 ** max(0, attempt - 1))


def failure_reason(error: BaseException) -> str:
    """One line a person can read: the error's own message, else its kind."""
    text = " ".join(str(error).split())
    return text or type(error).__name__


def retrying_task(
    *,
    attempts: int = DEFAULT_ATTEMPTS,
    retry_on: tuple[type[BaseException], ...] = (OperationalError,),
    on_give_up: Callable[..., Any] | None = None,
    base_delay: float = 30,
    max_delay: float = 3600,
    **task_options: Any,
):
    """Decorate a module-level function as a task retried on `retry_on` errors.

    `on_give_up(*args, reason=str, attempts=int, **kwargs)` runs after the last failed attempt
    with the task's own arguments. Call the task as usual: `my_task.enqueue(record.pk)`.
    """

    def decorate(func: Callable[..., Any]):
        @functools.wraps(func)
        def body(*args: Any, attempt: int = 1, **kwargs: Any) -> Any:
            try:
                return func(*args, **kwargs)
            except retry_on as error:
                reason = failure_reason(error)
                if attempt < attempts:
                    delay = backoff_seconds(attempt, base=base_delay, cap=max_delay)
                    logger.warning(
                        "%s attempt %s of %s failed (%s); trying again in %s s",
                        the_task.name,
                        attempt,
                        attempts,
                        reason,
                        delay,
                    )
                    _enqueue_again(the_task, args, kwargs, attempt=attempt + 1, delay=delay)
                    return {"retrying": attempt + 1, "reason": reason}
                logger.error("%s failed %s times, giving up: %s", the_task.name, attempt, reason)
                if on_give_up is not None:
                    on_give_up(*args, reason=reason, attempts=attempt, **kwargs)
                raise

        the_task = task(**task_options)(body)
        return the_task

    return decorate


def _enqueue_again(the_task, args: tuple, kwargs: dict, *, attempt: int, delay: float) -> None:
    if the_task.get_backend().supports_defer:
        the_task = the_task.using(run_after=timezone.now() + timedelta(seconds=delay))
    the_task.enqueue(*args, attempt=attempt, **kwargs)


# Sending e-mail ----------------------------------------------------------------------------------


def _mark_undelivered(email_id: int, *, reason: str, attempts: int) -> None:
    """The last try failed: the row says so, and the person who caused it is told (a notice in
    their menu until they open the list of undelivered mail)."""
    with transaction.atomic():
        changed = OutgoingEmail.objects.filter(pk=email_id).exclude(status=OutgoingEmail.Status.FAILED)
        causer = changed.values_list("caused_by", flat=True).first()
        changed.update(status=OutgoingEmail.Status.FAILED, last_error=reason[:2000], updated_at=timezone.now())
        if causer is not None:
            get_user_model().objects.filter(pk=causer).update(undelivered_mail_unseen=F("undelivered_mail_unseen") + 1)


@retrying_task(
    attempts=EMAIL_ATTEMPTS,
    retry_on=(Exception,),  # a refused connection, a timeout, a 4xx from the server, a locked database
    on_give_up=_mark_undelivered,
    base_delay=60,
)
def send_outgoing_email(email_id: int) -> str:
    """Send one queued e-mail: "sent", "gone" (row deleted) or "already sent". A failure raises
    (and is recorded on the row); the task is tried again, then the row is marked failed."""
    email = OutgoingEmail.objects.filter(pk=email_id).first()
    if email is None:
        return "gone"
    if email.status == OutgoingEmail.Status.SENT:
        return "already sent"
    message = EmailMultiAlternatives(email.subject, email.body, settings.DEFAULT_FROM_EMAIL, email.to)
    if email.html_body:
        message.attach_alternative(email.html_body, "text/html")
    for attachment in email.attachments:
        message.attach(attachment["name"], base64.b64decode(attachment["content"]), attachment["mimetype"])
    try:
        message.send(fail_silently=False)
    except Exception as error:
        OutgoingEmail.objects.filter(pk=email_id).update(
            attempts=F("attempts") + 1, last_error=failure_reason(error)[:2000], updated_at=timezone.now()
        )
        raise
    done = {
        "status": OutgoingEmail.Status.SENT,
        "attempts": F("attempts") + 1,
        "last_error": "",
        "sent_at": timezone.now(),
        # An attachment (a check-in QR code) is the delegate's credential: it leaves with the mail.
        "attachments": [],
    }
    if email.sensitive:
        done.update(body="", html_body="")
    OutgoingEmail.objects.filter(pk=email_id).update(**done, updated_at=timezone.now())
    return "sent"
