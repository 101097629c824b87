"""Who may do what with workshops. Workshops belong to a programme, so programme roles decide:

- see the programme's workshops, their registrations and figures: anyone with a role on it;
- create and change workshops, invite, approve and cancel registrations, publish the report:
  coordinators (`can_plan`);
- check people in at the door and register walk-ins: coordinators and those who report on
  the programme (`can_report`) — a lecturer or reviewer helping at the registration desk;
- register: anyone for a public workshop, invited people for an invitation-only one (their
  personal link); a delegate sees only their own registration (its code is the key).
A user with no role on the programme gets 404 for all of it.
"""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from ketnoi.programmes import access as programme_access
from ketnoi.programmes.models import Programme

from .models import Workshop


def workshops_for(user, programme: Programme | None = None) -> QuerySet[Workshop]:
    workshops = Workshop.objects.select_related("programme", "province", "activity")
    return programme_access.within_sight(workshops, user, programme)


def upcoming_public(limit: int) -> list[Workshop]:
    """Public workshops not yet over that still take registrations, soonest first: what the
    public home page lists, each with its registration page."""
    return list(
        Workshop.objects.filter(registration=Workshop.Registration.PUBLIC, held=False, ends_at__gte=timezone.now())
        .select_related("province")
        .order_by("starts_at", "pk")[:limit]
    )


def get_workshop_for_user(user, programme: Programme, pk: int) -> Workshop:
    return get_object_or_404(workshops_for(user, programme), pk=pk)


def can_organise(user, programme: Programme) -> bool:
    return programme_access.can_plan(user, programme)


def can_check_in(user, programme: Programme) -> bool:
    return programme_access.can_report(user, programme)
