"""The to-do inbox's group of this app: survey collections closing soon (within CLOSING_DAYS),
while there is still time to remind respondents or move the closing date: every open one of the
programmes the user coordinates, and in those where they may collect (lecturer, reviewer,
curator) the ones they opened. Urgent in the last day."""

from datetime import timedelta

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ketnoi.core.registry import TodoGroup, TodoItem, register_todo
from ketnoi.core.roles import Role
from ketnoi.programmes.access import REPORTERS, programme_ids_acting

from .models import Collection

CLOSING_DAYS = 3


def collections_closing(user):
    now = timezone.now()
    return Collection.objects.filter(
        opens_at__lte=now, closes_at__gt=now, closes_at__lte=now + timedelta(days=CLOSING_DAYS)
    ).filter(
        Q(form__programme_id__in=programme_ids_acting(user, {Role.COORDINATOR}))
        | Q(form__programme_id__in=programme_ids_acting(user, REPORTERS), created_by=user)
    )


def todo(user, *, samples: int) -> list[TodoGroup]:
    closing = collections_closing(user)
    urgent = Q(closes_at__lte=timezone.now() + timedelta(days=1))
    found = closing.aggregate(n=Count("pk"), late=Count("pk", filter=urgent))
    if not found["n"]:
        return []
    items = ()
    soonest = None
    if samples:
        first = list(closing.select_related("form__programme").order_by("closes_at", "pk")[:samples])
        soonest = timezone.localtime(first[0].closes_at).date()
        items = tuple(
            TodoItem(
                label=c.title,
                url=reverse("surveys:collection_detail", args=[c.form.programme.code, c.form_id, c.pk]),
                detail=_("đóng lúc %(time)s") % {"time": f"{timezone.localtime(c.closes_at):%d/%m/%Y %H:%M}"},
                overdue=c.closes_at <= timezone.now() + timedelta(days=1),
            )
            for c in first
        )
    return [
        TodoGroup(
            "surveys.closing",
            _("Đợt khảo sát sắp đóng"),
            found["n"],
            items=items,
            url=items[0].url if found["n"] == 1 and items else "",
            overdue=found["late"],
            due=soonest,
        )
    ]


register_todo("surveys.closing", todo)
