"""When two directory people are merged and both registered for the same workshop, the
registration that says more stays: a check-in over none, then attended, confirmed, pending,
waiting and cancelled, in that order (see core.registry.register_merge_preference)."""

from ketnoi.core.registry import register_merge_preference

from .models import Registration

STATUS_RANK = {
    Registration.Status.ATTENDED: 4,
    Registration.Status.CONFIRMED: 3,
    Registration.Status.PENDING: 2,
    Registration.Status.WAITING: 1,
    Registration.Status.CANCELLED: 0,
}


def registration_key(row: Registration) -> tuple[bool, int]:
    return row.checked_in_at is not None, STATUS_RANK.get(row.status, -1)


register_merge_preference("events.registration", registration_key)
