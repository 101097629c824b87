"""What every programme endpoint shares: scoping, permission gates and reference resolution.

Scoping is the web pages' rule: the programme comes through `access.get_programme_for_user`
(404 without a role), its children through `queries.py`, shared with the web pages (404 if the
id belongs elsewhere). References in a body (`component_id`, `parties`, `places`, …) resolve
within the same scope, so an id out of reach is a 400 naming the field, never a leak.
Permission gates run before references are resolved: a viewer learns "no right", not "bad id".
"""

from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _

from ketnoi.core.api_types import patch_changes
from ketnoi.core.parsing import whole_number
from ketnoi.directory import queries as directory_queries
from ketnoi.directory.models import Organisation, Province

from . import access
from .models import Activity, Agreement, Objective, Programme
from .services._base import require_planner as _service_require_planner

MAX_LIMIT = 200


# Scoping -------------------------------------------------------------------------------------


def programme_for(request: HttpRequest, code: str) -> Programme:
    """The programme; its children come through `queries` (agreements_of, values_of…)."""
    return access.get_programme_for_user(request.user, code)


# Permission gates ----------------------------------------------------------------------------


def require_planner(request: HttpRequest, programme: Programme) -> None:
    _service_require_planner(request.user, programme)


def require_reporter(request: HttpRequest, programme: Programme) -> None:
    if not access.can_report(request.user, programme):
        raise PermissionDenied(_("Vai trò người xem không được nhập số liệu. Hãy liên hệ điều phối viên."))


def require_approver(request: HttpRequest, programme: Programme) -> None:
    if not access.can_approve(request.user, programme):
        raise PermissionDenied(_("Chỉ điều phối viên mới được phê duyệt số liệu."))


def require_programme_creator(request: HttpRequest) -> None:
    if not access.can_create_programme(request.user):
        raise PermissionDenied(_("Chỉ quản trị viên hệ thống mới được tạo chương trình mới."))


# Request bodies ------------------------------------------------------------------------------


changes = patch_changes  # the fields a PATCH sent, a text sent as null as "" (core.api_types)


# References in a request body ----------------------------------------------------------------


def _missing(field: str, message: str) -> ValidationError:
    return ValidationError({field: message})


def child(queryset: QuerySet, pk: int | None, *, field: str, message: str) -> Model | None:
    """An object of the programme named by id in a body, or None when the id is null."""
    if pk is None:
        return None
    # An id no column holds (a 20-digit one) is simply unknown; the database never sees it.
    found = queryset.filter(pk=pk).first() if whole_number(pk, low=1) is not None else None
    if found is None:
        raise _missing(field, message % {"id": pk})
    return found


def component(programme: Programme, pk: int | None, field: str = "component_id"):
    return child(programme.components.all(), pk, field=field, message=_("Chương trình không có mảng nào mã %(id)s."))


def agreement(programme: Programme, pk: int | None, field: str = "agreement_id") -> Agreement | None:
    return child(
        programme.agreements.all(), pk, field=field, message=_("Chương trình không có thoả thuận nào mã %(id)s.")
    )


def objective(programme: Programme, pk: int | None, field: str = "objective_id") -> Objective | None:
    return child(
        programme.objectives.all(), pk, field=field, message=_("Chương trình không có mục tiêu nào mã %(id)s.")
    )


def activity(programme: Programme, pk: int | None, field: str = "activity_id") -> Activity | None:
    return child(
        programme.activities.all(), pk, field=field, message=_("Chương trình không có hoạt động nào mã %(id)s.")
    )


def organisation(request: HttpRequest, pk: int | None, field: str) -> Organisation | None:
    return child(
        directory_queries.organisations_for(request.user),
        pk,
        field=field,
        message=_("Không có tổ chức nào mã %(id)s."),
    )


def organisations(request: HttpRequest, ids: Iterable[int], field: str) -> list[Organisation]:
    ids = list(dict.fromkeys(ids))
    storable = [pk for pk in ids if whole_number(pk, low=1) is not None]
    found = {o.pk: o for o in directory_queries.organisations_for(request.user).filter(pk__in=storable)}
    unknown = [str(pk) for pk in ids if pk not in found]
    if unknown:
        raise _missing(field, _("Không có tổ chức nào mã %(id)s.") % {"id": ", ".join(unknown)})
    return [found[pk] for pk in ids]


def current_provinces(codes: Iterable[str], field: str, *, kept: Iterable[Province] = ()) -> list[Province]:
    """Current provinces by code. A legacy unit the record already holds may stay: its code is
    accepted only when no current unit has it."""
    codes = list(dict.fromkeys(codes))
    found = {p.code: p for p in directory_queries.current_provinces().filter(code__in=codes)}
    for place in kept:
        found.setdefault(place.code, place)
    unknown = [code for code in codes if code not in found]
    if unknown:
        raise _missing(field, _("Không có tỉnh/thành hiện hành nào mã “%(code)s”.") % {"code": "”, “".join(unknown)})
    return [found[code] for code in codes]


def resolve_references(request: HttpRequest, programme: Programme, data: dict, *, kept_places=()) -> dict:
    """Turn the ids and codes of a body into the objects the services take. A list sent as
    null means "leave as is", like a field not sent."""
    for field, resolve in (
        ("component_id", component),
        ("agreement_id", agreement),
        ("objective_id", objective),
        ("activity_id", activity),
    ):
        if field in data:
            data[field.removesuffix("_id")] = resolve(programme, data.pop(field))
    if "responsible_id" in data:
        data["responsible"] = organisation(request, data.pop("responsible_id"), "responsible_id")
    if "parties" in data:
        parties = data.pop("parties")
        if parties is not None:
            data["parties"] = organisations(request, parties, "parties")
    if "places" in data:
        places = data.pop("places")
        if places is not None:
            data["places"] = current_provinces(places, "places", kept=kept_places)
    return data


def users_named(usernames: Iterable[str], field: str) -> list:
    usernames = list(dict.fromkeys(usernames))
    found = {u.get_username(): u for u in get_user_model().objects.filter(username__in=usernames)}
    unknown = [name for name in usernames if name not in found]
    if unknown:
        raise _missing(field, _("Không có tài khoản nào tên “%(name)s”.") % {"name": "”, “".join(unknown)})
    return [found[name] for name in usernames]
