"""The to-do inbox's group of this app: indicator values awaiting the user's approval.

Only those `access.Reviewers` lets the user approve: in the programmes they coordinate, every
submitted value but their own; as a programme's second approver (holding a role on it), the
values a coordinator entered. A staff admin's right to approve anything is not a duty here.
"""

from datetime import timedelta

from django.db.models import Count, Exists, Min, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ketnoi.core.registry import TodoGroup, TodoItem, register_todo
from ketnoi.core.roles import Role

from .access import programme_ids_acting
from .models import IndicatorValue, Programme, ProgrammeRole

# A value waiting longer than this is shown as overdue.
WAITING_DAYS = 7


def values_to_approve(user):
    """The submitted values `user` may approve (Reviewers.may_review, staff rights aside)."""
    coordinated = programme_ids_acting(user, {Role.COORDINATOR})
    seconded = Programme.objects.filter(second_approver=user, roles__user=user).values("pk")
    by_coordinator = ProgrammeRole.objects.filter(
        programme_id=OuterRef("indicator__programme_id"),
        role=Role.COORDINATOR,
        user__is_active=True,
        user_id=OuterRef("created_by_id"),
    )
    return (
        IndicatorValue.objects.filter(status=IndicatorValue.Status.SUBMITTED)
        .filter(
            Q(indicator__programme_id__in=coordinated)
            | (Q(indicator__programme_id__in=seconded) & Exists(by_coordinator))
        )
        .exclude(created_by=user)
    )


def waiting_per_programme(
    waiting, *, key: str, label, programme: str, url_name: str, waiting_days: int, samples: int
) -> list[TodoGroup]:
    """A to-do group of rows waiting for someone (`waiting`, a queryset with `created_at`), one
    item per programme (`programme`: the lookup from a row to its programme, e.g. "post__programme")
    linking to `url_name` with the programme's code; a row older than `waiting_days` is overdue.
    With `samples=0`, the count only (one aggregate); otherwise one grouped query, as many rows as
    the user's programmes, never as many as the rows waiting."""
    late = Q(created_at__lt=timezone.now() - timedelta(days=waiting_days))
    if not samples:
        found = waiting.aggregate(n=Count("pk"), late=Count("pk", filter=late))
        return [TodoGroup(key, label, found["n"], overdue=found["late"])]
    code, name = f"{programme}__code", f"{programme}__name"
    rows = list(
        waiting.values(code, name)
        .annotate(n=Count("pk"), oldest=Min("created_at"), late=Count("pk", filter=late))
        .order_by("oldest", code)
    )
    if not rows:
        return []
    items = tuple(
        TodoItem(
            label=row[name],
            url=reverse(url_name, args=[row[code]]),
            count=row["n"],
            detail=_("chờ từ %(date)s") % {"date": f"{timezone.localtime(row['oldest']):%d/%m/%Y}"},
            overdue=bool(row["late"]),
        )
        for row in rows[:samples]
    )
    return [
        TodoGroup(
            key,
            label,
            sum(row["n"] for row in rows),
            items=items,
            url=items[0].url if len(rows) == 1 else "",
            overdue=sum(row["late"] for row in rows),
            due=(timezone.localtime(rows[0]["oldest"]) + timedelta(days=waiting_days)).date(),
        )
    ]


def todo(user, *, samples: int) -> list[TodoGroup]:
    return waiting_per_programme(
        values_to_approve(user),
        key="programmes.values",
        label=_("Giá trị chỉ số chờ phê duyệt"),
        programme="indicator__programme",
        url_name="programmes:approvals",
        waiting_days=WAITING_DAYS,
        samples=samples,
    )


register_todo("programmes.values", todo)
