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


def todo(user, *, samples: int) -> list[TodoGroup]:
    waiting = values_to_approve(user)
    late = Q(created_at__lt=timezone.now() - timedelta(days=WAITING_DAYS))
    if not samples:
        found = waiting.aggregate(n=Count("pk"), late=Count("pk", filter=late))
        return [TodoGroup("programmes.values", _("Giá trị chỉ số chờ phê duyệt"), found["n"], overdue=found["late"])]
    # One row per programme (as many as the user's programmes, not the values).
    rows = list(
        waiting.values("indicator__programme__code", "indicator__programme__name")
        .annotate(n=Count("pk"), oldest=Min("created_at"), late=Count("pk", filter=late))
        .order_by("oldest", "indicator__programme__code")
    )
    if not rows:
        return []
    items = tuple(
        TodoItem(
            label=row["indicator__programme__name"],
            url=reverse("programmes:approvals", args=[row["indicator__programme__code"]]),
            count=row["n"],
            detail=_("chờ từ %(date)s") % {"date": f"{timezone.localtime(row['oldest']):%d/%m/%Y}"},
            overdue=bool(row["late"]),
        )
        for row in rows[:samples]
    )
    return [
        TodoGroup(
            "programmes.values",
            _("Giá trị chỉ số chờ phê duyệt"),
            sum(row["n"] for row in rows),
            items=items,
            url=items[0].url if len(rows) == 1 else "",
            overdue=sum(row["late"] for row in rows),
            due=(timezone.localtime(rows[0]["oldest"]) + timedelta(days=WAITING_DAYS)).date(),
        )
    ]


register_todo("programmes.values", todo)
