"""The to-do inbox's group of this app: comments awaiting moderation, in the programmes the user
coordinates (who may moderate them: access.can_manage), one item per programme linking to its
moderation queue (which opens on the comments waiting). Overdue after WAITING_DAYS."""

from datetime import timedelta

from django.db.models import Count, Min, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ketnoi.core.registry import TodoGroup, TodoItem, register_todo
from ketnoi.core.roles import Role
from ketnoi.programmes.access import programme_ids_acting

from .models import Comment

WAITING_DAYS = 3


def todo(user, *, samples: int) -> list[TodoGroup]:
    waiting = Comment.objects.filter(
        status=Comment.Status.PENDING, post__programme_id__in=programme_ids_acting(user, {Role.COORDINATOR})
    )
    late = Q(created_at__lt=timezone.now() - timedelta(days=WAITING_DAYS))
    if not samples:
        found = waiting.aggregate(n=Count("pk"), late=Count("pk", filter=late))
        return [TodoGroup("news.comments", _("Bình luận chờ kiểm duyệt"), found["n"], overdue=found["late"])]
    # One row per programme the user coordinates that has some waiting.
    rows = list(
        waiting.values("post__programme__code", "post__programme__name")
        .annotate(n=Count("pk"), oldest=Min("created_at"), late=Count("pk", filter=late))
        .order_by("oldest", "post__programme__code")
    )
    if not rows:
        return []
    items = tuple(
        TodoItem(
            label=row["post__programme__name"],
            url=reverse("news:comment_queue", args=[row["post__programme__code"]]),
            count=row["n"],
            detail=_("chờ từ %(date)s") % {"date": f"{timezone.localtime(row['oldest']):%d/%m/%Y}"},
            overdue=bool(row["late"]),
        )
        for row in rows[:samples]
    )
    return [
        TodoGroup(
            "news.comments",
            _("Bình luận chờ kiểm duyệt"),
            sum(row["n"] for row in rows),
            items=items,
            url=items[0].url if len(rows) == 1 else "",
            overdue=sum(row["late"] for row in rows),
            due=(timezone.localtime(rows[0]["oldest"]) + timedelta(days=WAITING_DAYS)).date(),
        )
    ]


register_todo("news.comments", todo)
