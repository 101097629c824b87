"""Programmes and the roles people hold on them: opened by staff admins, planned by their
coordinators. One transaction each, an audit entry, the object returned."""

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ketnoi.core.audit import audit_record
from ketnoi.core.roles import Role
from ketnoi.core.writes import apply_fields, locked, normalise_line, save_changed, save_columns, save_created

from .. import access
from ..models import Programme, ProgrammeRole
from ._base import AUTOMATIC, check_dates, require_planner, require_text
from .actions import ProgrammeAction

PROGRAMME_FIELDS = (
    "name",
    "code",
    "description",
    "is_public",
    "start_date",
    "end_date",
    "require_two_factor_for_coordinators",
    "second_approver",
)
# Words the programme pages use after /programmes/: a programme with such a code would be unreachable.
RESERVED_CODES = {"new"}


def _validate_programme(programme: Programme) -> None:
    require_text(programme.name, "name", _("Hãy nhập tên chương trình."))
    check_dates(programme.start_date, programme.end_date)
    if programme.code in RESERVED_CODES:
        raise ValidationError(
            {"code": _("Mã “%(code)s” dành cho hệ thống: hãy chọn mã khác.") % {"code": programme.code}}
        )
    _check_second_approver(programme)
    programme.full_clean(exclude=AUTOMATIC)


def _check_second_approver(programme: Programme) -> None:
    user = programme.second_approver
    if user is None:
        return
    roles = set(ProgrammeRole.objects.filter(programme=programme, user=user).values_list("role", flat=True))
    if not roles or not user.is_active:
        raise ValidationError(
            {
                "second_approver": _(
                    "Người phê duyệt thứ hai phải là thành viên đang hoạt động của chương trình: hãy giao cho "
                    "họ một vai trò trước (trang Thành viên)."
                )
            }
        )
    if Role.COORDINATOR in roles:
        raise ValidationError(
            {
                "second_approver": _(
                    "%(user)s đã là điều phối viên và phê duyệt được giá trị do điều phối viên khác nhập: hãy "
                    "chọn một thành viên khác."
                )
                % {"user": user}
            }
        )


@transaction.atomic
def programme_create(
    *,
    actor,
    name: str,
    code: str,
    description: str = "",
    is_public: bool = False,
    start_date: date | None = None,
    end_date: date | None = None,
    require_two_factor_for_coordinators: bool = False,
    coordinators: Iterable = (),
) -> Programme:
    """Staff admins open a programme and name its first coordinators."""
    if not access.can_create_programme(actor):
        raise PermissionDenied(_("Chỉ quản trị viên hệ thống mới được tạo chương trình mới."))
    programme = Programme(created_by=actor, updated_by=actor)
    apply_fields(
        programme,
        PROGRAMME_FIELDS,
        {
            "name": name,
            "code": code.lower(),
            "description": description,
            "is_public": is_public,
            "start_date": start_date,
            "end_date": end_date,
            "require_two_factor_for_coordinators": require_two_factor_for_coordinators,
        },
        clean_text=normalise_line,
    )
    _validate_programme(programme)
    save_created(programme, actor=actor, action=ProgrammeAction.PROGRAMME_CREATE, fields=PROGRAMME_FIELDS)
    for user in coordinators:
        programme_role_grant(actor=actor, programme=programme, user=user, role=Role.COORDINATOR)
    return programme


@transaction.atomic
def programme_update(*, actor, programme: Programme, **changes: Any) -> Programme:
    require_planner(actor, programme)
    programme = locked(programme)
    if isinstance(changes.get("code"), str):
        changes["code"] = changes["code"].lower()  # as on creation: addresses are looked up by exact code
    programme.updated_by = actor
    return save_changed(
        programme,
        changes,
        actor=actor,
        action=ProgrammeAction.PROGRAMME_UPDATE,
        allowed=PROGRAMME_FIELDS,
        validate=_validate_programme,
        clean_text=normalise_line,
    )


@transaction.atomic
def programme_role_grant(*, actor, programme: Programme, user, role: str) -> ProgrammeRole:
    require_planner(actor, programme)
    if role not in Role.values:
        raise ValidationError({"role": _("Vai trò “%(role)s” không tồn tại.") % {"role": role}})
    if not user.is_active:
        raise ValidationError({"user": _("Tài khoản “%(user)s” đã bị khoá.") % {"user": user}})
    assignment, created = ProgrammeRole.objects.get_or_create(programme=programme, user=user, role=role)
    if created:
        audit_record(
            actor=actor,
            action=ProgrammeAction.ROLE_GRANT,
            obj=programme,
            changes={"user": user.username, "role": role},
        )
    user.__dict__.pop("_ketnoi_programme_roles", None)
    user.__dict__.pop("_ketnoi_roles_anywhere", None)
    return assignment


@transaction.atomic
def programme_role_revoke(*, actor, assignment: ProgrammeRole) -> None:
    programme = assignment.programme
    require_planner(actor, programme)
    assignment = locked(assignment)
    if assignment.role == Role.COORDINATOR:
        remaining = (
            ProgrammeRole.objects.select_for_update()
            .filter(programme=programme, role=Role.COORDINATOR)
            .exclude(pk=assignment.pk)
        )
        if not remaining.exists():
            raise ValidationError(
                _("Chương trình cần ít nhất một điều phối viên: hãy giao vai trò này cho người khác trước.")
            )
    audit_record(
        actor=actor,
        action=ProgrammeAction.ROLE_REVOKE,
        obj=programme,
        changes={"user": assignment.user.username, "role": assignment.role},
    )
    assignment.delete()
    user = assignment.user
    if programme.second_approver_id == user.pk and not programme.roles.filter(user=user).exists():
        # Someone who left the programme approves nothing in it any more: say so in the log.
        save_columns(programme, actor=actor, action=ProgrammeAction.PROGRAMME_UPDATE, second_approver=None)
    user.__dict__.pop("_ketnoi_programme_roles", None)
