"""Writes to a programme's plan: the programme, its members, components, agreements,
objectives and activities. One transaction each, an audit entry, the object returned."""

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ketnoi.core.audit import audit_record, diff, snapshot
from ketnoi.core.roles import Role
from ketnoi.core.uploads import check_upload
from ketnoi.directory.models import Organisation, Province

from .. import access
from ..models import Activity, Agreement, Component, Objective, Programme, ProgrammeRole
from ._base import AUTOMATIC, apply, check_dates, check_same_programme, next_number, require_planner, require_text

PROGRAMME_FIELDS = ("name", "code", "description", "start_date", "end_date")
COMPONENT_FIELDS = ("name", "description", "order")
AGREEMENT_FIELDS = ("title", "component", "signed_on", "start_date", "end_date", "purpose", "document")
OBJECTIVE_FIELDS = ("number", "title", "description", "agreement")
ACTIVITY_FIELDS = (
    "number",
    "title",
    "description",
    "objective",
    "agreement",
    "responsible",
    "planned_quantity",
    "unit",
    "quantity_basis",
    "start_date",
    "end_date",
)
DOCUMENT_TYPES = {".pdf", ".doc", ".docx", ".odt", ".jpg", ".jpeg", ".png"}
DOCUMENT_MAX_BYTES = 20 * 1024 * 1024
# Words the programme pages use after /programmes/: a programme with such a code would be unreachable.
RESERVED_CODES = {"new"}


def _locked(model, obj):
    return model.objects.select_for_update(of=("self",)).get(pk=obj.pk)


# Programme and members -----------------------------------------------------------------------


def _validate_programme(programme: Programme) -> None:
    require_text(programme.name, "name", _("Hãy nhập tên chương trình."))
    check_dates(programme.start_date, programme.end_date)
    if programme.code in RESERVED_CODES:
        raise ValidationError(
            {"code": _("Mã “%(code)s” dành cho hệ thống: hãy chọn mã khác.") % {"code": programme.code}}
        )
    programme.full_clean(exclude=AUTOMATIC)


@transaction.atomic
def programme_create(
    *,
    actor,
    name: str,
    code: str,
    description: str = "",
    start_date: date | None = None,
    end_date: date | None = None,
    coordinators: Iterable = (),
) -> Programme:
    """Staff admins open a programme and name its first coordinators."""
    if not access.can_create_programme(actor):
        raise PermissionDenied(_("Chỉ quản trị viên hệ thống mới được tạo chương trình mới."))
    programme = Programme(created_by=actor, updated_by=actor)
    apply(
        programme,
        PROGRAMME_FIELDS,
        {
            "name": name,
            "code": code.lower(),
            "description": description,
            "start_date": start_date,
            "end_date": end_date,
        },
    )
    _validate_programme(programme)
    programme.save()
    audit_record(
        actor=actor,
        action="programmes.programme_create",
        obj=programme,
        changes=snapshot(programme, list(PROGRAMME_FIELDS)),
    )
    for user in coordinators:
        programme_role_grant(actor=actor, programme=programme, user=user, role=Role.COORDINATOR)
    return programme


@transaction.atomic
def programme_update(*, actor, programme: Programme, **changes: Any) -> Programme:
    require_planner(actor, programme)
    programme = _locked(Programme, programme)
    before = snapshot(programme, list(PROGRAMME_FIELDS))
    if isinstance(changes.get("code"), str):
        changes["code"] = changes["code"].lower()  # as on creation: addresses are looked up by exact code
    apply(programme, PROGRAMME_FIELDS, changes)
    _validate_programme(programme)
    programme.updated_by = actor
    programme.save()
    if changed := diff(before, programme):
        audit_record(actor=actor, action="programmes.programme_update", obj=programme, changes=changed)
    return programme


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
            action="programmes.role_grant",
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
    assignment = ProgrammeRole.objects.select_for_update().get(pk=assignment.pk)
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
        action="programmes.role_revoke",
        obj=programme,
        changes={"user": assignment.user.username, "role": assignment.role},
    )
    assignment.delete()


# Components ----------------------------------------------------------------------------------


@transaction.atomic
def component_create(*, actor, programme: Programme, name: str, description: str = "", order: int | None = None):
    require_planner(actor, programme)
    component = Component(programme=programme, created_by=actor, updated_by=actor)
    if order is None:
        order = programme.components.count() + 1
    apply(component, COMPONENT_FIELDS, {"name": name, "description": description, "order": order})
    require_text(component.name, "name", _("Hãy nhập tên mảng."))
    component.full_clean(exclude=[*AUTOMATIC, "programme"])
    component.save()
    audit_record(actor=actor, action="programmes.component_create", obj=component, changes={"name": component.name})
    return component


@transaction.atomic
def component_update(*, actor, component: Component, **changes: Any) -> Component:
    require_planner(actor, component.programme)
    component = _locked(Component, component)
    before = snapshot(component, list(COMPONENT_FIELDS))
    apply(component, COMPONENT_FIELDS, changes)
    require_text(component.name, "name", _("Hãy nhập tên mảng."))
    component.full_clean(exclude=[*AUTOMATIC, "programme"])
    component.updated_by = actor
    component.save()
    if changed := diff(before, component):
        audit_record(actor=actor, action="programmes.component_update", obj=component, changes=changed)
    return component


# Agreements ----------------------------------------------------------------------------------


def _check_document(document) -> None:
    if not document or getattr(document, "_committed", True):
        return  # nothing new uploaded
    check_upload(
        document,
        field="document",
        allowed=DOCUMENT_TYPES,
        max_bytes=DOCUMENT_MAX_BYTES,
        kinds_label=_("PDF, Word, ODT hoặc ảnh JPG/PNG"),
    )


def _validate_agreement(agreement: Agreement, parties: list[Organisation]) -> None:
    require_text(agreement.title, "title", _("Hãy nhập tên thỏa thuận."))
    if len({p.pk for p in parties}) < 2:
        raise ValidationError({"parties": _("Một thỏa thuận hợp tác cần ít nhất hai bên: hãy chọn thêm tổ chức.")})
    check_same_programme(agreement.programme, component=agreement.component)
    check_dates(agreement.start_date, agreement.end_date)
    _check_document(agreement.document)
    agreement.full_clean(exclude=[*AUTOMATIC, "programme", "component", "document"])


@transaction.atomic
def agreement_create(
    *,
    actor,
    programme: Programme,
    title: str,
    parties: Iterable[Organisation],
    signed_on: date | None = None,
    start_date: date | None = None,
    end_date: date | None = None,
    purpose: str = "",
    component: Component | None = None,
    document=None,
) -> Agreement:
    require_planner(actor, programme)
    parties = list(parties)
    agreement = Agreement(programme=programme, created_by=actor, updated_by=actor)
    values = {
        "title": title,
        "component": component,
        "signed_on": signed_on,
        "start_date": start_date,
        "end_date": end_date,
        "purpose": purpose,
        "document": document or "",
    }
    apply(agreement, AGREEMENT_FIELDS, values)
    _validate_agreement(agreement, parties)
    agreement.save()
    agreement.parties.set(parties)
    changes = snapshot(agreement, list(AGREEMENT_FIELDS))
    changes["parties"] = sorted(p.name for p in parties)
    audit_record(actor=actor, action="programmes.agreement_create", obj=agreement, changes=changes)
    return agreement


@transaction.atomic
def agreement_update(
    *, actor, agreement: Agreement, parties: Iterable[Organisation] | None = None, **changes: Any
) -> Agreement:
    require_planner(actor, agreement.programme)
    agreement = _locked(Agreement, agreement)
    before = snapshot(agreement, list(AGREEMENT_FIELDS))
    parties_before = sorted(agreement.parties.values_list("name", flat=True))
    new_parties = list(parties) if parties is not None else list(agreement.parties.all())
    apply(agreement, AGREEMENT_FIELDS, changes)
    _validate_agreement(agreement, new_parties)
    agreement.updated_by = actor
    agreement.save()
    changed = diff(before, agreement)
    if parties is not None:
        agreement.parties.set(new_parties)
        parties_after = sorted(p.name for p in new_parties)
        if parties_after != parties_before:
            changed["parties"] = [parties_before, parties_after]
    if changed:
        audit_record(actor=actor, action="programmes.agreement_update", obj=agreement, changes=changed)
    return agreement


# Objectives ----------------------------------------------------------------------------------


def _validate_objective(objective: Objective) -> None:
    require_text(objective.title, "title", _("Hãy nhập nội dung mục tiêu."))
    check_same_programme(objective.programme, agreement=objective.agreement)
    clash = objective.programme.objectives.filter(number=objective.number).exclude(pk=objective.pk)
    if clash.exists():
        raise ValidationError({"number": _("Đã có mục tiêu số %(n)s: hãy chọn số khác.") % {"n": objective.number}})
    objective.full_clean(exclude=[*AUTOMATIC, "programme", "agreement"], validate_constraints=False)


@transaction.atomic
def objective_create(
    *,
    actor,
    programme: Programme,
    title: str,
    number: int | None = None,
    description: str = "",
    agreement: Agreement | None = None,
) -> Objective:
    require_planner(actor, programme)
    objective = Objective(programme=programme, created_by=actor, updated_by=actor)
    number = number or next_number(programme.objectives)
    apply(
        objective,
        OBJECTIVE_FIELDS,
        {"number": number, "title": title, "description": description, "agreement": agreement},
    )
    _validate_objective(objective)
    objective.save()
    audit_record(
        actor=actor,
        action="programmes.objective_create",
        obj=objective,
        changes=snapshot(objective, list(OBJECTIVE_FIELDS)),
    )
    return objective


@transaction.atomic
def objective_update(*, actor, objective: Objective, **changes: Any) -> Objective:
    require_planner(actor, objective.programme)
    objective = _locked(Objective, objective)
    before = snapshot(objective, list(OBJECTIVE_FIELDS))
    apply(objective, OBJECTIVE_FIELDS, changes)
    _validate_objective(objective)
    objective.updated_by = actor
    objective.save()
    if changed := diff(before, objective):
        audit_record(actor=actor, action="programmes.objective_update", obj=objective, changes=changed)
    return objective


# Activities ----------------------------------------------------------------------------------


def _validate_activity(activity: Activity, places: list[Province], kept_places: set[int]) -> None:
    require_text(activity.title, "title", _("Hãy nhập tên hoạt động."))
    check_same_programme(activity.programme, objective=activity.objective, agreement=activity.agreement)
    check_dates(activity.start_date, activity.end_date)
    if activity.planned_quantity is not None:
        if activity.planned_quantity < Decimal("0"):
            raise ValidationError({"planned_quantity": _("Số lượng kế hoạch không được âm.")})
        if not activity.unit:
            raise ValidationError(
                {"unit": _("Hãy ghi đơn vị tính cho số lượng kế hoạch, ví dụ “tiết” hoặc “hội thảo”.")}
            )
    for place in places:
        if place.scheme != Province.Scheme.CURRENT and place.pk not in kept_places:
            raise ValidationError(
                {"places": _("“%(name)s” là tỉnh/thành cũ: hãy chọn trong 34 tỉnh/thành hiện hành.") % {"name": place}}
            )
    clash = activity.programme.activities.filter(number=activity.number).exclude(pk=activity.pk)
    if clash.exists():
        raise ValidationError({"number": _("Đã có hoạt động số %(n)s: hãy chọn số khác.") % {"n": activity.number}})
    activity.full_clean(
        exclude=[*AUTOMATIC, "programme", "objective", "agreement", "responsible"], validate_constraints=False
    )


def _activity_changes(activity: Activity) -> dict:
    return snapshot(activity, list(ACTIVITY_FIELDS))


@transaction.atomic
def activity_create(
    *,
    actor,
    programme: Programme,
    title: str,
    number: int | None = None,
    objective: Objective | None = None,
    agreement: Agreement | None = None,
    description: str = "",
    places: Iterable[Province] = (),
    responsible: Organisation | None = None,
    planned_quantity: Decimal | int | None = None,
    unit: str = "",
    quantity_basis: str = "",
    start_date: date | None = None,
    end_date: date | None = None,
) -> Activity:
    require_planner(actor, programme)
    places = list(places)
    activity = Activity(programme=programme, created_by=actor, updated_by=actor)
    values = {
        "number": number or next_number(programme.activities),
        "title": title,
        "description": description,
        "objective": objective,
        "agreement": agreement,
        "responsible": responsible,
        "planned_quantity": Decimal(planned_quantity) if planned_quantity is not None else None,
        "unit": unit,
        "quantity_basis": quantity_basis,
        "start_date": start_date,
        "end_date": end_date,
    }
    apply(activity, ACTIVITY_FIELDS, values)
    _validate_activity(activity, places, kept_places=set())
    activity.save()
    activity.places.set(places)
    changes = _activity_changes(activity)
    changes["places"] = [str(p) for p in places]
    audit_record(actor=actor, action="programmes.activity_create", obj=activity, changes=changes)
    return activity


@transaction.atomic
def activity_update(*, actor, activity: Activity, places: Iterable[Province] | None = None, **changes: Any) -> Activity:
    require_planner(actor, activity.programme)
    activity = _locked(Activity, activity)
    before = _activity_changes(activity)
    current_places = list(activity.places.all())
    new_places = list(places) if places is not None else current_places
    if changes.get("planned_quantity") is not None:
        changes["planned_quantity"] = Decimal(changes["planned_quantity"])
    apply(activity, ACTIVITY_FIELDS, changes)
    _validate_activity(activity, new_places, kept_places={p.pk for p in current_places})
    activity.updated_by = actor
    activity.save()
    changed = diff(before, activity)
    if places is not None:
        activity.places.set(new_places)
        old_names, new_names = sorted(map(str, current_places)), sorted(map(str, new_places))
        if old_names != new_names:
            changed["places"] = [old_names, new_names]
    if changed:
        audit_record(actor=actor, action="programmes.activity_update", obj=activity, changes=changed)
    return activity
