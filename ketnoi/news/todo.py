"""The to-do inbox's group of this app: comments awaiting moderation, in the programmes the user
coordinates (who may moderate them: access.can_manage), one item per programme linking to its
moderation queue (which opens on the comments waiting). Overdue after WAITING_DAYS."""

from django.utils.translation import gettext as _

from ketnoi.core.registry import TodoGroup, register_todo
from ketnoi.core.roles import Role
from ketnoi.programmes.access import programme_ids_acting
from ketnoi.programmes.todo import waiting_per_programme

from .models import Comment

WAITING_DAYS = 3


def todo(user, *, samples: int) -> list[TodoGroup]:
    waiting = Comment.objects.filter(
        status=Comment.Status.PENDING, post__programme_id__in=programme_ids_acting(user, {Role.COORDINATOR})
    )
    return waiting_per_programme(
        waiting,
        key="news.comments",
        label=_("Bình luận chờ kiểm duyệt"),
        programme="post__programme",
        url_name="news:comment_queue",
        waiting_days=WAITING_DAYS,
        samples=samples,
    )


register_todo("news.comments", todo)
