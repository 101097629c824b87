"""Who sees and changes training materials and their reviews.

A material's author and the programme's coordinators manage it: all its versions, every review
request and every reviewer's comments. A reviewer is a user named on a ReviewAssignment: they
see only the versions they were asked to review and only their own comments, even with no role
on the programme (an expert of the partner organisation given an account). Anybody else gets a
404, never a 403, so a material's existence does not leak.
"""

from django.db.models import Q, QuerySet
from django.http import Http404

from ketnoi.core.roles import Role
from ketnoi.programmes.access import can_plan, roles_on
from ketnoi.programmes.models import Programme

from .models import Material, MaterialVersion, ReviewAssignment

# Roles that may put a material of their own up for review.
AUTHORS = frozenset({Role.COORDINATOR, Role.LECTURER})


def _active(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def can_author(user, programme: Programme) -> bool:
    """Add a material to the programme (its author then manages it)."""
    return _active(user) and (can_plan(user, programme) or bool(roles_on(user, programme) & AUTHORS))


def can_manage(user, material: Material) -> bool:
    """New versions and review requests; the whole review history."""
    return _active(user) and (material.author_id == user.pk or can_plan(user, material.programme))


def materials_for(user, programme: Programme) -> QuerySet[Material]:
    """The programme's materials the user manages (all of them for a coordinator)."""
    if not _active(user):
        return Material.objects.none()
    found = Material.objects.filter(programme=programme)
    if not can_plan(user, programme):
        found = found.filter(author=user)
    return found.select_related("topic", "author")


def assignments_for(user) -> QuerySet[ReviewAssignment]:
    """What the user was asked to review, in any programme, newest request first."""
    if not _active(user):
        return ReviewAssignment.objects.none()
    return (
        ReviewAssignment.objects.filter(reviewer=user)
        .select_related("request__version__material__programme", "request__requested_by")
        .order_by("-request__requested_at", "-pk")
    )


def pending_review_programmes(user) -> list[str]:
    """The codes of the programmes where the user has a review still to give, the newest request
    first: where a reviewer lands after signing in."""
    codes = (
        assignments_for(user)
        .filter(decision=ReviewAssignment.Decision.PENDING)
        .values_list("request__version__material__programme__code", flat=True)
    )
    return list(dict.fromkeys(codes))


def get_material_for_manager(user, programme: Programme, pk: int) -> Material:
    material = materials_for(user, programme).filter(pk=pk).first()
    if material is None:
        raise Http404
    return material


def get_assignment_for_reviewer(user, code: str, pk: int) -> ReviewAssignment:
    assignment = assignments_for(user).filter(pk=pk, request__version__material__programme__code=code).first()
    if assignment is None:
        raise Http404
    return assignment


def get_version_for_reader(user, code: str, material_pk: int, number: int) -> MaterialVersion:
    """A version its material's managers may read, or a reviewer asked to review it."""
    if not _active(user):
        raise Http404
    version = (
        MaterialVersion.objects.filter(material_id=material_pk, number=number, material__programme__code=code)
        .select_related("material__programme")
        .first()
    )
    if version is None:
        raise Http404
    if can_manage(user, version.material):
        return version
    if ReviewAssignment.objects.filter(request__version=version, reviewer=user).exists():
        return version
    raise Http404


def reviews_programme(user, code: str) -> Programme:
    """The programme when the user reviews anything in it (no role needed), else 404."""
    programme = (
        Programme.objects.filter(code=code)
        .filter(Q(training_materials__versions__review_requests__assignments__reviewer=user))
        .first()
        if _active(user)
        else None
    )
    if programme is None:
        raise Http404
    return programme
