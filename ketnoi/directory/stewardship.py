"""Who stewards a person's data.

The directory is shared by every programme on the instance, but the rows about a person belong to
the programmes that hold them (a workshop registration to the workshop's programme, a teaching
session to the course's). The **stewards** of a person are the coordinators of the programmes
that hold them — the union of what every app's `holders` (core.registry) answers. A steward sees,
exports and erases only what their own programmes hold, and may edit the person's shared
directory fields (name, e-mail, phone…). A person whom no programme holds yet (just added, or
imported) is stewarded by every directory editor, as the directory itself was before.

A **data protection officer** (the Django permission `directory.complete_erasure`, which
superusers have; give it to a group such as "Cán bộ bảo vệ dữ liệu cá nhân" in the admin) acts
for every programme: exports everything and completes any erasure request. Other staff export
and edit everything, but erase only through a request the stewards complete.
"""

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from ketnoi.core.audit import audit_for
from ketnoi.core.models import AuditEntry
from ketnoi.core.permissions import can_edit_directory
from ketnoi.core.registry import personal_data_handlers
from ketnoi.core.roles import Role

from .models import ErasureRequest, Person

DPO_PERMISSION = "directory.complete_erasure"


def _active(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def is_data_protection_officer(user) -> bool:
    return _active(user) and user.has_perm(DPO_PERMISSION)


def coordinated_programmes(user) -> frozenset[int]:
    """The ids of the programmes `user` coordinates (memoised on the user for the request)."""
    if not _active(user):
        return frozenset()
    cached = getattr(user, "_ketnoi_coordinated", None)
    if cached is None:
        cached = frozenset(user.programme_roles.filter(role=Role.COORDINATOR).values_list("programme_id", flat=True))
        user._ketnoi_coordinated = cached
    return cached


def holding_programmes(person: Person) -> set[int]:
    """The ids of every programme that holds a row about `person`, over every registered app."""
    held: set[int] = set()
    for handler in personal_data_handlers():
        held |= handler.holders(person)
    return held


@dataclass(frozen=True)
class Stewardship:
    """What one user may do with one person's data."""

    holders: frozenset[int]
    mine: frozenset[int]  # the holders the user coordinates
    officer: bool  # a data protection officer: every programme
    staff: bool
    editor: bool

    @property
    def others(self) -> frozenset[int]:
        return self.holders - self.mine

    @property
    def is_steward(self) -> bool:
        """May see the person's data, export it, edit the shared record and ask for erasure."""
        if self.officer or self.staff:
            return True
        return self.editor and (bool(self.mine) or not self.holders)

    @property
    def scope(self) -> frozenset[int] | None:
        """The programmes whose rows the user exports: None for all."""
        return None if (self.officer or self.staff) else self.mine


def stewardship_for(user, person: Person, *, holders: set[int] | None = None) -> Stewardship:
    held = frozenset(holding_programmes(person) if holders is None else holders)
    return Stewardship(
        holders=held,
        mine=held & coordinated_programmes(user),
        officer=is_data_protection_officer(user),
        staff=bool(_active(user) and user.is_staff),
        editor=can_edit_directory(user),
    )


def can_edit_person(user, person: Person) -> bool:
    return stewardship_for(user, person).is_steward


def person_audit_for(
    user, person: Person, *, limit: int = 50, stewardship: Stewardship | None = None
) -> list[AuditEntry]:
    """The person's audit entries `user` may read. Staff and officers read them all; a steward
    reads the shared record's history but not the entries that name programmes they do not
    steward (another steward's export lists its programmes); anyone else reads none — the
    history keeps old addresses and phone numbers the current record no longer shows.
    `stewardship`: the user's, when the caller has it already (it asks every app that holds
    personal data)."""
    stewardship = stewardship or stewardship_for(user, person)
    if not stewardship.is_steward:
        return []
    entries = audit_for(person)
    if stewardship.scope is None:
        return list(entries[:limit])
    mine = stewardship.mine

    def within_mine(entry: AuditEntry) -> bool:
        named = entry.changes.get("programmes") if isinstance(entry.changes, dict) else None
        return not named or set(named) <= mine

    return [entry for entry in entries[: limit * 4] if within_mine(entry)][:limit]


# Erasure requests ---------------------------------------------------------------------------


def erasure_requests_for(user) -> QuerySet[ErasureRequest]:
    """The requests a user may read: staff and officers all; a coordinator those that name one of
    their programmes or that they asked for."""
    if not _active(user):
        return ErasureRequest.objects.none()
    queryset = ErasureRequest.objects.select_related("person", "requested_by", "completed_by")
    if user.is_staff or is_data_protection_officer(user):
        return queryset
    mine = coordinated_programmes(user)
    if not mine:
        return ErasureRequest.objects.none()
    return queryset.filter(Q(steps__programme_id__in=mine) | Q(requested_by=user)).distinct()


def open_requests_awaiting(user) -> QuerySet[ErasureRequest]:
    """Open requests with a step the user may complete."""
    queryset = erasure_requests_for(user).filter(completed_at__isnull=True)
    if is_data_protection_officer(user):
        return queryset
    return queryset.filter(steps__programme_id__in=coordinated_programmes(user), steps__done_at__isnull=True).distinct()


def can_complete_step(user, step) -> bool:
    if step.done_at is not None:
        return False
    return is_data_protection_officer(user) or step.programme_id in coordinated_programmes(user)
