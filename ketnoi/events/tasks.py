"""The e-mails of a bulk action, built after it commits: each delegate whose registration a bulk
approval or promotion changed is told where they stand (services.registrations._mail_status, the
e-mail the single-row services queue — with its check-in QR code, tens of milliseconds to draw
each). Drawing two hundred of them inside the request made a bulk approval of 200 take seconds;
the bulk services queue this one task after commit instead, and it queues the e-mails (each then
sent by core's own retrying task). A failure rolls the whole batch of e-mails back and the task
tries again, so nobody is e-mailed twice."""

from django.contrib.auth import get_user_model
from django.db import OperationalError, transaction

from ketnoi.core.tasks import retrying_task

from .models import Registration
from .services.registrations import _mail_status


@retrying_task(attempts=5, retry_on=(OperationalError,), base_delay=20)
def mail_registration_statuses(registration_ids: list[int], actor_id: int | None = None) -> int:
    actor = get_user_model().objects.filter(pk=actor_id).first() if actor_id else None
    rows = Registration.objects.filter(pk__in=registration_ids).select_related("person", "workshop__programme")
    with transaction.atomic():
        for registration in rows.order_by("pk"):
            _mail_status(registration, actor=actor)
    return len(registration_ids)
