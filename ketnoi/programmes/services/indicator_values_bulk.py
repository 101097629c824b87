"""Approving many submitted values at once (issue 14): the approvals page ticks the values the
user may approve and confirms once. The rules are the single review's (`_check_reviewable`):
a value the user entered, one already decided, or one of another programme than the one being
approved is left as it is and reported with its reason, and the others are approved. A value of
a programme the user cannot see refuses the whole batch: nothing is written.
"""

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ketnoi.core.bulk import BULK_MAX, BulkResult, too_many_text
from ketnoi.core.web import refusal_text

from .. import access
from ..models import IndicatorValue, Programme
from .indicator_values import _check_reviewable, _notify, _record_review


def value_label(value: IndicatorValue) -> str:
    """How a refused value is named in the report: "CT3 · 2026: 2"."""
    return f"{value.indicator.code} · {value.period.label}: {value.value.normalize():f}"


@transaction.atomic
def indicator_values_approve_many(
    *, actor, values: Iterable[IndicatorValue | int], programme: Programme | None = None, note: str = ""
) -> BulkResult:
    """Approve the submitted `values` the actor may approve, in one transaction, one audit entry
    per value approved; the others are reported in `refused` with the reason the single review
    would give. With `programme`, a value of another programme is reported, not approved. Each
    author is told once, listing their values approved."""
    ids = list(dict.fromkeys(v.pk if isinstance(v, IndicatorValue) else v for v in values))
    if not ids:
        raise ValidationError({"values": _("Hãy đánh dấu ít nhất một giá trị chờ phê duyệt.")})
    if len(ids) > BULK_MAX:
        raise ValidationError({"values": too_many_text(BULK_MAX)})
    rows = list(
        IndicatorValue.objects.select_for_update(of=("self",))
        .select_related("created_by", "indicator__programme", "period")
        .filter(pk__in=ids)
        .order_by("pk")
    )
    programmes = {row.indicator.programme_id: row.indicator.programme for row in rows}
    access.remember_roles(actor, programmes.values())
    if len(rows) != len(ids) or not all(access.can_view(actor, p) for p in programmes.values()):
        # A value that does not exist or that the actor may not see: a stale or crafted list.
        raise PermissionDenied(
            _("Có giá trị không tìm thấy hoặc thuộc chương trình bạn không được xem: không giá trị nào được phê duyệt.")
        )
    note = (note or "").strip()
    result = BulkResult()
    reviewers: dict[int, access.Reviewers] = {}
    for value in rows:
        value_programme = value.indicator.programme
        if programme is not None and value_programme.pk != programme.pk:
            result.refuse(
                value_label(value),
                _("Giá trị thuộc chương trình “%(name)s”, không phải chương trình đang phê duyệt.")
                % {"name": value_programme.name},
            )
            continue
        if value_programme.pk not in reviewers:
            reviewers[value_programme.pk] = access.Reviewers(value_programme)
        try:
            _check_reviewable(actor, value, reviewers[value_programme.pk])
        except (ValidationError, PermissionDenied) as refusal:
            result.refuse(value_label(value), refusal_text(refusal))
            continue
        _record_review(actor, value, approve=True, note=note)
        result.changed.append(value)
    _notify_authors(actor, result.changed)
    return result


def _notify_authors(actor, approved: list[IndicatorValue]) -> None:
    """One message per author (not one per value) listing their values approved."""
    by_author: dict[int, list[IndicatorValue]] = {}
    for value in approved:
        if value.created_by is not None and value.created_by.email:
            by_author.setdefault(value.created_by_id, []).append(value)
    for values in by_author.values():
        first = values[0]
        _notify(
            "values_approved",
            {
                "count": len(values),
                "lines": [value_label(value) for value in values],
                "programme": first.indicator.programme.name,
            },
            [first.created_by.email],
            actor=actor,
            value=first,
        )
