"""Who the training pages' pickers offer (directory/picking.py), registered at start-up.

- "training.lecturer": people of the directory who may be named on a session, searched by those
  who may record the programme's sessions;
- "training.reviewer": the active accounts holding the expert-reviewer role on the programme
  (never an account without a role), searched by those who may ask for a review there.
"""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from ketnoi.core.registry import register_picker_purpose
from ketnoi.core.roles import Role
from ketnoi.directory.picking import people_choices
from ketnoi.programmes import access as programme_access
from ketnoi.programmes.models import Programme

from . import access


def _programme(user, params, may) -> dict:
    programme = programme_access.get_programme_for_user(user, str(params.get("programme", ""))[:40])
    if not may(user, programme):
        raise PermissionDenied
    return {"programme": programme}


def lecturer_choices(*, programme: Programme):
    return people_choices()


def reviewer_choices(*, programme: Programme) -> QuerySet:
    return (
        get_user_model()
        .objects.filter(is_active=True, programme_roles__programme=programme, programme_roles__role=Role.REVIEWER)
        .select_related("person")
        .distinct()
        .order_by("username")
    )


register_picker_purpose(
    "training.lecturer",
    kind="person",
    choices=lecturer_choices,
    resolve=lambda user, params: _programme(user, params, access.can_record),
    context_keys=("programme",),
)
register_picker_purpose(
    "training.reviewer",
    kind="user",
    choices=reviewer_choices,
    resolve=lambda user, params: _programme(user, params, programme_access.can_report),
    context_keys=("programme",),
)
