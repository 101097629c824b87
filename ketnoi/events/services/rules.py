"""The places rule and each registration's own rules, in one spot: the single-row services
(registrations.py) and the bulk ones (bulk.py) both call these, so a rule is never written twice.

A workshop with a capacity has that many places; a confirmed or attended registration takes one.
`Places` counts the places taken once, under the workshop's lock, and keeps the count as rows
take places, so a batch of two hundred approvals needs one count, not two hundred."""

from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Registration, Workshop

Status = Registration.Status
TAKES_A_PLACE = (Status.CONFIRMED, Status.ATTENDED)


def places_taken(workshop: Workshop) -> int:
    return workshop.registrations.filter(status__in=TAKES_A_PLACE).count()


class Places:
    """The places of a (locked) workshop: taken, free, and given one by one."""

    def __init__(self, workshop: Workshop):
        self.capacity = workshop.capacity
        self.taken = places_taken(workshop) if workshop.capacity is not None else 0

    @property
    def free(self) -> int | None:
        """Free places; None when the workshop has no limit."""
        return None if self.capacity is None else max(0, self.capacity - self.taken)

    def has_one(self) -> bool:
        return self.capacity is None or self.taken < self.capacity

    def take(self, registration: Registration) -> None:
        registration.status, registration.waiting_since = Status.CONFIRMED, None
        self.taken += 1

    def place_or_wait(self, registration: Registration) -> None:
        """A free place, or the end of the waiting list."""
        if self.has_one():
            self.take(registration)
        else:
            registration.status, registration.waiting_since = Status.WAITING, timezone.now()


# Each row's rules: None when the change may be made, else what stands in the way ---------------


def approve_refusal(registration: Registration) -> str | None:
    if registration.status != Status.PENDING:
        return _("Chỉ duyệt được đăng ký đang chờ duyệt.")
    return None


def cancel_refusal(registration: Registration) -> str | None:
    """An attended registration stays; an already cancelled one is left as it is (no refusal:
    the single-row service returns it unchanged, the bulk one reports it unchanged)."""
    if registration.status == Status.ATTENDED:
        return _("Người này đã điểm danh: không huỷ được đăng ký.")
    return None


def promote_refusal(registration: Registration) -> str | None:
    if registration.status != Status.WAITING:
        return _("Chỉ chuyển được người đang ở danh sách chờ.")
    return None


def cancel_row(registration: Registration, note: str = "") -> bool:
    """Cancel one (checked) registration in memory; returns whether it freed a place."""
    freed = registration.takes_a_place
    registration.status, registration.waiting_since = Status.CANCELLED, None
    registration.note = (note or registration.note)[:500]
    return freed
