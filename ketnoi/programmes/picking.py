"""Who the members page's picker offers (directory/picking.py), registered at start-up.

"programmes.member", searched by those who may plan the programme (its coordinators, staff):
- the active accounts linked to a person of the directory (not erased), found like people are
  (folded name, organisation, e-mail, phone) or by their user name or e-mail;
- any other active account only by its exact user name or exact e-mail, so an account that is not
  in the directory can still be given a role when one knows it, while no partial match ever lists
  accounts outside the directory; the form accepts such an account only with that query typed.
Each account shows the roles it already holds in the programme ("đã là Người xem").
"""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from ketnoi.core.registry import register_picker_purpose
from ketnoi.core.roles import Role

from . import access
from .models import Programme, ProgrammeRole


def _planner(user, params) -> dict:
    programme = access.get_programme_for_user(user, str(params.get("programme", ""))[:40])  # Http404
    if not access.can_plan(user, programme):
        raise PermissionDenied
    return {"programme": programme}


def _accounts(programme: Programme, condition: Q) -> QuerySet:
    here = ProgrammeRole.objects.filter(programme=programme).order_by("role")
    return (
        get_user_model()
        .objects.filter(condition, is_active=True)
        .select_related("person", "person__organisation")
        .prefetch_related(Prefetch("programme_roles", queryset=here, to_attr="roles_here"))
    )


def member_choices(*, programme: Programme) -> QuerySet:
    return _accounts(programme, Q(person__isnull=False, person__erased_at__isnull=True))


def member_exact(query: str, *, programme: Programme) -> QuerySet:
    text = query.strip()
    if not text:
        return get_user_model().objects.none()
    return _accounts(programme, Q(username__iexact=text) | Q(email__iexact=text)).order_by("username")


def member_note(user) -> str:
    roles = getattr(user, "roles_here", None)
    if not roles:
        return ""
    names = ", ".join(str(Role(assignment.role).label) for assignment in roles)
    return _("đã là %(roles)s") % {"roles": names}


register_picker_purpose(
    "programmes.member",
    kind="user",
    choices=member_choices,
    resolve=_planner,
    context_keys=("programme",),
    exact=member_exact,
    note=member_note,
)
