"""Many registrations at once, from the ticked rows of a workshop's registrations list: approve,
cancel, move off the waiting list. Each is one call in one transaction: the workshop is locked,
the ticked rows read (and locked) in one query, each row checked by the same rule the single-row
service uses (rules.py), the rows that change written in one UPDATE per new status, one audit entry per row
changed, and each delegate's e-mail (the one the single-row services send) queued after commit by
one task (tasks.py).

A row that cannot change (already cancelled, not pending, not waiting, no place left) is left as
it is and reported with its reason; the others change. An id that is not a registration of this
workshop refuses the whole batch (a stale page or a crafted request): nothing is written.

Moving off the waiting list respects the places: when 5 places are free and 8 people are ticked,
the 5 who have waited longest move up (first come, first served, as the waiting list always
moves) and the other 3 stay on it, reported so."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ketnoi.core.audit import audit_record
from ketnoi.core.writes import after_commit, locked, save_columns
from ketnoi.programmes.access import can_plan

from ..models import Registration, Workshop
from .actions import EventsAction
from .common import _require
from .registrations import _promote
from .rules import Places, approve_refusal, cancel_refusal, cancel_row, promote_refusal

Status = Registration.Status
# Rows in one batch: a large workshop's whole list, never a crafted ten thousand; under Django's
# DATA_UPLOAD_MAX_NUMBER_FIELDS (1000) with the form's other fields, so the page can send it.
BULK_MAX = 900
BULK_ACTIONS = ("approve", "cancel", "promote")
REASONS_SHOWN = 10  # rows named in the message after a bulk action; the rest are counted
_WRITTEN = ("status", "waiting_since", "approved", "note")


@dataclass
class BulkResult:
    """What a bulk action did: the rows `changed`, the rows `refused` with the reason each was
    left as it was, and the people further down the waiting list `promoted` to a freed place."""

    action: str
    changed: list[Registration] = field(default_factory=list)
    refused: list[tuple[Registration, str]] = field(default_factory=list)
    promoted: list[Registration] = field(default_factory=list)
    no_place: int = 0  # ticked people left waiting for want of a place (moving off the waiting list)
    places_added: int = 0  # places the workshop gained so that every ticked person could move up

    @property
    def waiting(self) -> list[Registration]:
        """Approved rows that found no place and joined the waiting list."""
        return [r for r in self.changed if r.status == Status.WAITING]


def bulk_ids(registrations: Iterable) -> list[int]:
    """The distinct ids of `registrations` (rows or ids), checked: at least one, at most
    BULK_MAX, each a whole number."""
    ids = set()
    for item in registrations:
        pk = item.pk if isinstance(item, Registration) else item
        if isinstance(pk, bool) or not isinstance(pk, int) or pk < 1:
            raise ValidationError(
                {"registrations": _("Danh sách đã chọn không hợp lệ: hãy tải lại trang và đánh dấu lại.")}
            )
        ids.add(pk)
        if len(ids) > BULK_MAX:
            break
    if not ids:
        raise ValidationError({"registrations": _("Hãy đánh dấu ít nhất một đăng ký trong danh sách.")})
    if len(ids) > BULK_MAX:
        raise ValidationError(
            {"registrations": _("Mỗi lần làm được tối đa %(n)s đăng ký: hãy chia danh sách ra.") % {"n": BULK_MAX}}
        )
    return sorted(ids)


def bulk_rows(workshop: Workshop, registrations: Iterable, *, lock: bool = False) -> list[Registration]:
    """The ticked rows of `workshop`, in the order they registered; an id of another workshop
    (or of no registration) refuses them all."""
    ids = bulk_ids(registrations)
    rows = Registration.objects.filter(pk__in=ids, workshop=workshop).select_related("person")
    if lock:
        rows = rows.select_for_update(of=("self",))
    rows = list(rows.order_by("created_at", "pk"))
    if len(rows) != len(ids):
        raise ValidationError(
            {"registrations": _("Có đăng ký được chọn không thuộc hội thảo này: hãy tải lại trang rồi chọn lại.")}
        )
    for row in rows:
        row.workshop = workshop  # one workshop object for all (its programme read once, for the e-mails)
    return rows


def bulk_plan(
    action: str, workshop: Workshop, rows: list[Registration], *, note: str = "", add_places: bool = False
) -> BulkResult:
    """Apply `action` to `rows` in memory, by the single-row rules: what changes, what cannot
    and why. Nothing is written — the confirmation page shows this plan, and the services write
    it under the lock."""
    if action not in BULK_ACTIONS:
        raise ValueError(action)
    result = BulkResult(action=action)
    if action == "approve":
        places = Places(workshop)
        for row in rows:
            refusal = approve_refusal(row)
            if refusal:
                result.refused.append((row, refusal))
                continue
            row.approved = True
            places.place_or_wait(row)
            result.changed.append(row)
    elif action == "cancel":
        for row in rows:
            refusal = _("Đăng ký này đã huỷ từ trước.") if row.status == Status.CANCELLED else cancel_refusal(row)
            if refusal:
                result.refused.append((row, refusal))
                continue
            row.freed = cancel_row(row, note)
            result.changed.append(row)
    else:
        places = Places(workshop)
        capacity = places.capacity
        if add_places:
            places.capacity = None  # every ticked person waiting moves up; the places are counted after
        waiting = sorted(rows, key=lambda r: (r.waiting_since or timezone.now(), r.pk))
        for row in waiting:
            refusal = promote_refusal(row)
            if refusal is None and not places.has_one():
                refusal = _("Hết chỗ: vẫn ở danh sách chờ. Muốn nhận thêm, hãy tăng số chỗ của hội thảo.")
            if refusal:
                result.refused.append((row, refusal))
                continue
            places.take(row)
            result.changed.append(row)
        if capacity is not None:
            result.no_place = sum(1 for row, _reason in result.refused if row.status == Status.WAITING)
            result.places_added = max(0, places.taken - capacity)
    return result


def _bulk(
    action: str, *, actor, workshop: Workshop, registrations: Iterable, note: str = "", add_places: bool = False
) -> BulkResult:
    _require(can_plan(actor, workshop.programme))
    workshop = locked(workshop)
    rows = bulk_rows(workshop, registrations, lock=True)
    result = bulk_plan(action, workshop, rows, note=note, add_places=add_places)
    if not result.changed:
        return result
    if result.places_added:
        capacity = workshop.capacity + result.places_added
        save_columns(workshop, actor=actor, action=EventsAction.WORKSHOP_UPDATE, capacity=capacity)
    _write(result.changed, actor)
    audit_action = {
        "approve": EventsAction.REGISTRATION_APPROVE,
        "cancel": EventsAction.REGISTRATION_CANCEL,
        "promote": EventsAction.REGISTRATION_PROMOTE,
    }[action]
    for row in result.changed:
        changes = {"status": row.status, "bulk": True}
        if action == "cancel":
            changes = {"note": row.note, "bulk": True}
        audit_record(actor=actor, action=audit_action, obj=row, changes=changes)
    if action == "cancel":
        if any(row.freed for row in result.changed):
            result.promoted = _promote(workshop, actor=actor)  # freed places go to the waiting list
    else:
        # Each delegate's e-mail, as the single-row services send it, queued by one task after
        # commit (tasks.py): drawing 200 check-in QR codes inside the request took seconds.
        ids, actor_id = [row.pk for row in result.changed], getattr(actor, "pk", None)
        after_commit(lambda: _mail_task().enqueue(ids, actor_id))
    return result


def _mail_task():
    from ..tasks import mail_registration_statuses  # the task module imports the services

    return mail_registration_statuses


def _write(rows: list[Registration], actor) -> None:
    """One UPDATE per set of new values (a batch has a few: confirmed, waiting, cancelled with
    its note), rather than a CASE per row and column."""
    now = timezone.now()
    by = actor if getattr(actor, "is_authenticated", False) else None
    groups: dict[tuple, list[Registration]] = defaultdict(list)
    for row in rows:
        row.updated_at, row.updated_by = now, by
        groups[tuple(getattr(row, name) for name in _WRITTEN)].append(row)
    for values, members in groups.items():
        Registration.objects.filter(pk__in=[r.pk for r in members]).update(
            **dict(zip(_WRITTEN, values, strict=True)), updated_at=now, updated_by=by
        )


@transaction.atomic
def registrations_approve_many(*, actor, workshop: Workshop, registrations: Iterable) -> BulkResult:
    """Approve the ticked pending registrations: each takes a free place, or joins the waiting
    list when none is left (as registration_approve)."""
    return _bulk("approve", actor=actor, workshop=workshop, registrations=registrations)


@transaction.atomic
def registrations_cancel_many(*, actor, workshop: Workshop, registrations: Iterable, note: str = "") -> BulkResult:
    """Cancel the ticked registrations (not those already present); the places they free go to
    the waiting list (as registration_cancel)."""
    return _bulk("cancel", actor=actor, workshop=workshop, registrations=registrations, note=note)


@transaction.atomic
def registrations_promote_many(
    *, actor, workshop: Workshop, registrations: Iterable, add_places: bool = False
) -> BulkResult:
    """Move the ticked people off the waiting list into the free places, those who have waited
    longest first; who finds no place stays on the list, reported. `add_places`: the coordinator
    chose to take them all — the workshop's number of places grows by as many as they need
    (audited as a change of the workshop), and only the ticked people move up."""
    return _bulk("promote", actor=actor, workshop=workshop, registrations=registrations, add_places=add_places)


def bulk_result_text(result: BulkResult) -> str:
    """The message after a bulk action: the counts, then each row left as it was and why."""
    n = len(result.changed)
    if result.action == "approve":
        text = _("Đã duyệt %(n)s đăng ký") % {"n": n}
        if result.waiting:
            text += " " + _("(%(w)s vào danh sách chờ vì hết chỗ)") % {"w": len(result.waiting)}
    elif result.action == "cancel":
        text = _("Đã huỷ %(n)s đăng ký") % {"n": n}
        if result.promoted:
            text += " " + _("(%(p)s người ở danh sách chờ được nhận chỗ)") % {"p": len(result.promoted)}
    else:
        text = _("Đã chuyển %(n)s người khỏi danh sách chờ") % {"n": n}
        if result.places_added:
            text += " " + _("(thêm %(k)s chỗ cho hội thảo)") % {"k": result.places_added}
    if result.refused:
        shown = result.refused[:REASONS_SHOWN]
        reasons = "; ".join(f"{row.delegate.full_name} — {reason}" for row, reason in shown)
        if len(result.refused) > len(shown):
            reasons += "; " + _("và %(k)s người khác") % {"k": len(result.refused) - len(shown)}
        text += "; " + _("%(m)s không đổi được: %(reasons)s") % {"m": len(result.refused), "reasons": reasons}
    return text.rstrip(".") + "."
