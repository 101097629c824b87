"""Who may see and change a programme. Every programme page and endpoint fetches through here.

A user sees a programme when they hold any role on it (staff admins see all). A programme out
of sight is a 404, never a 403, so its existence does not leak: its page (ProgrammeOutOfSight)
says that the user may lack a role and whom to ask, and names the programme and its
coordinators only when the programme is public (`is_public`), whose name anyone may read.
"""

from django.contrib.auth import get_user_model
from django.db.models import QuerySet

from ketnoi.core.roles import PLANNERS, Role
from ketnoi.core.web import ExplainedNotFound

from .models import Programme, ProgrammeRole

# Roles that may enter indicator values (to be approved by a coordinator).
REPORTERS = frozenset({Role.COORDINATOR, Role.LECTURER, Role.REVIEWER, Role.CURATOR})


def _is_staff(user) -> bool:
    return bool(getattr(user, "is_staff", False) and getattr(user, "is_active", False))


def programmes_for(user) -> QuerySet[Programme]:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Programme.objects.none()
    if _is_staff(user):
        return Programme.objects.all()
    return Programme.objects.filter(roles__user=user).distinct()


def within_sight(queryset: QuerySet, user, programme: Programme | None = None, *, via: str = "programme") -> QuerySet:
    """The rows of `queryset` whose programme (reached by the lookup `via`) `user` may see, and
    only `programme`'s when it is given: how every domain app scopes its records."""
    queryset = queryset.filter(**{f"{via}__in": programmes_for(user)})
    if programme is not None:
        queryset = queryset.filter(**{via: programme})
    return queryset


class ProgrammeOutOfSight(ExplainedNotFound):
    """A programme page the user may not open, or of no programme: one 404 page for both."""

    template_name = "programmes/out_of_sight.html"

    def __init__(self, user, code: str):
        super().__init__(code)
        self.user, self.code = user, code

    def context(self) -> dict:
        public = Programme.objects.filter(code=self.code, is_public=True).first()
        return {
            "public_programme": public,
            "coordinators": coordinators_of(public) if public else [],
            "sees_programmes": programmes_for(self.user).exists(),
        }


def get_programme_for_user(user, code: str) -> Programme:
    programme = programmes_for(user).filter(code=code).first()
    if programme is None:
        raise ProgrammeOutOfSight(user, code)
    return programme


def coordinators_of(programme: Programme) -> list:
    """The active accounts coordinating the programme, whom a refused person may ask."""
    return [
        role.user
        for role in programme.roles.filter(role=Role.COORDINATOR, user__is_active=True)
        .select_related("user")
        .order_by("user__first_name", "user__last_name", "user__username")
    ]


def roles_on(user, programme: Programme) -> frozenset[str]:
    """The user's roles on one programme, memoised on the user for the request."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    cache = user.__dict__.setdefault("_ketnoi_programme_roles", {})
    if programme.pk not in cache:
        cache[programme.pk] = frozenset(programme.roles.filter(user=user).values_list("role", flat=True))
    return cache[programme.pk]


def remember_roles(user, programmes) -> None:
    """Read the user's roles on several programmes in one query, for a list page that asks
    `can_*` of each row; afterwards `roles_on` answers from the memo."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return
    cache = user.__dict__.setdefault("_ketnoi_programme_roles", {})
    wanted = [p.pk for p in programmes if p.pk not in cache]
    if not wanted:
        return
    found: dict[int, set[str]] = {pk: set() for pk in wanted}
    for programme_id, role in ProgrammeRole.objects.filter(user=user, programme_id__in=wanted).values_list(
        "programme_id", "role"
    ):
        found[programme_id].add(role)
    cache.update({pk: frozenset(roles) for pk, roles in found.items()})


def can_view(user, programme: Programme) -> bool:
    return _is_staff(user) or bool(roles_on(user, programme))


def can_plan(user, programme: Programme) -> bool:
    """Change the plan: agreements, objectives, activities, indicators, members."""
    return _is_staff(user) or bool(roles_on(user, programme) & PLANNERS)


def can_report(user, programme: Programme) -> bool:
    """Enter an indicator value, which then waits for approval."""
    return _is_staff(user) or bool(roles_on(user, programme) & REPORTERS)


def is_second_approver(user, programme: Programme) -> bool:
    return (
        programme.second_approver_id is not None
        and programme.second_approver_id == getattr(user, "pk", None)
        and can_view(user, programme)
    )


def can_approve(user, programme: Programme) -> bool:
    """Open the approval queue: coordinators, staff admins and the programme's second approver.
    Which values each of them may approve is `Reviewers.may_review`."""
    return can_plan(user, programme) or is_second_approver(user, programme)


class Reviewers:
    """Who may approve which submitted value of one programme: any active coordinator but its
    author; the second approver, for a value a coordinator entered (so a programme with one
    coordinator still has four eyes); a staff admin, any. Read once for a page of values."""

    def __init__(self, programme: Programme):
        self.programme = programme
        coordinators = (
            ProgrammeRole.objects.filter(programme=programme, role=Role.COORDINATOR, user__is_active=True)
            .select_related("user")
            .order_by("user__first_name", "user__last_name", "user__username")
        )
        self.coordinators = [role.user for role in coordinators]
        # Read from the database, not the programme object, which a caller may hold from before a
        # change; and only while they hold a role on it: a member who left approves nothing.
        self.second = (
            get_user_model()
            .objects.filter(second_approver_of=programme, is_active=True, programme_roles__programme=programme)
            .first()
        )

    def for_value(self, value) -> list:
        """The people (not staff admins) who may approve `value`, coordinators first."""
        author = value.created_by_id
        people = [user for user in self.coordinators if user.pk != author]
        coordinator_ids = {user.pk for user in self.coordinators}
        second = self.second
        if second is not None and second.pk not in coordinator_ids | {author} and author in coordinator_ids:
            people.append(second)
        return people

    def may_review(self, user, value) -> bool:
        if not can_view(user, self.programme):
            return False
        if _is_staff(user):
            return True  # staff admins may approve anything, their own entries included
        if value.created_by_id == user.pk:
            return False
        return any(person.pk == user.pk for person in self.for_value(value))


def can_create_programme(user) -> bool:
    return _is_staff(user)


def coordinates_a_programme_requiring_two_factor(user) -> bool:
    """The two-factor rule registered in core: a coordinator of a programme that asks its
    coordinators to sign in with a second factor must."""
    return ProgrammeRole.objects.filter(
        user=user, role=Role.COORDINATOR, programme__require_two_factor_for_coordinators=True
    ).exists()


def programme_ids_acting(user, roles) -> QuerySet:
    """The ids of the programmes where `user` holds one of `roles`, as a subquery (no query of
    its own): what the to-do inbox scopes each task to. A staff admin's right over every
    programme is a fallback, not a duty: only the roles they hold count here."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return ProgrammeRole.objects.none().values("programme_id")
    return ProgrammeRole.objects.filter(user=user, role__in=list(roles)).values("programme_id")
