"""The to-do inbox's group of this app: registrations awaiting approval, in the workshops (not
over yet) of the programmes the user coordinates — who may approve them (registration_approve).
Urgent once the workshop starts within URGENT_DAYS; each workshop links to its registrations
filtered to those waiting."""

from datetime import timedelta

from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ketnoi.core.registry import TodoGroup, TodoItem, register_todo
from ketnoi.core.roles import Role
from ketnoi.programmes.access import programme_ids_acting

from .models import Registration, Workshop

URGENT_DAYS = 2


def _pending_url(workshop: Workshop) -> str:
    url = reverse("events:detail", args=[workshop.programme.code, workshop.pk])
    return f"{url}?status={Registration.Status.PENDING}#registrations"


def todo(user, *, samples: int) -> list[TodoGroup]:
    now = timezone.now()
    workshops = Workshop.objects.filter(
        programme_id__in=programme_ids_acting(user, {Role.COORDINATOR}), ends_at__gte=now
    )
    urgent = Q(workshop__starts_at__lt=now + timedelta(days=URGENT_DAYS))
    found = Registration.objects.filter(status=Registration.Status.PENDING, workshop__in=workshops).aggregate(
        n=Count("pk"), late=Count("pk", filter=urgent), workshops=Count("workshop", distinct=True)
    )
    if not found["n"]:
        return []
    items = ()
    soonest = None
    if samples:
        # The soonest workshops with one waiting, then how many wait in each of those only (the
        # registration_queue index), rather than counting every registration of every workshop.
        pending = Registration.objects.filter(workshop=OuterRef("pk"), status=Registration.Status.PENDING)
        counted = pending.order_by().values("workshop").annotate(n=Count("pk")).values("n")
        first = list(
            workshops.filter(Exists(pending))
            .annotate(waiting=Subquery(counted))
            .select_related("programme")
            .order_by("starts_at", "pk")[:samples]
        )
        soonest = timezone.localtime(first[0].starts_at).date()
        items = tuple(
            TodoItem(
                label=w.title,
                url=_pending_url(w),
                count=w.waiting,
                detail=_("bắt đầu %(date)s") % {"date": f"{timezone.localtime(w.starts_at):%d/%m/%Y %H:%M}"},
                overdue=w.starts_at < now + timedelta(days=URGENT_DAYS),
            )
            for w in first
        )
    return [
        TodoGroup(
            "events.registrations",
            _("Đăng ký chờ duyệt"),
            found["n"],
            items=items,
            url=items[0].url if found["workshops"] == 1 and items else "",
            overdue=found["late"],
            due=soonest,
        )
    ]


register_todo("events.registrations", todo)
