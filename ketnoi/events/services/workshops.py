"""Workshops and their programme of the day: create and change, organisers and partners,
agenda, discussion questions with their conclusions, materials, invitations."""

from datetime import datetime, time
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from ketnoi.core.audit import audit_record, diff, snapshot
from ketnoi.core.uploads import check_upload
from ketnoi.core.writes import after_commit, apply_fields, as_given, locked, save_changed, save_created
from ketnoi.directory.models import Organisation, Person, PersonImport, Province
from ketnoi.directory.services import people_import_confirm
from ketnoi.programmes.access import can_plan
from ketnoi.programmes.models import Activity, Programme

from ..models import AgendaItem, DiscussionQuestion, Invitation, Material, Workshop, WorkshopOrganisation
from .actions import EventsAction
from .common import _require
from .dates import require_held_confirmed
from .registrations import _promote

WORKSHOP_FIELDS = (
    "kind",
    "title",
    "description",
    "activity",
    "province",
    "venue",
    "starts_at",
    "ends_at",
    "capacity",
    "registration",
    "needs_approval",
    "held",
    "language",
)


# Workshops ------------------------------------------------------------------------------------


def _validate_workshop(workshop: Workshop) -> None:
    errors = {}
    if not (workshop.title or "").strip():
        errors["title"] = _("Hãy đặt tên cho hội thảo.")
    if workshop.starts_at and workshop.ends_at and workshop.ends_at < workshop.starts_at:
        errors["ends_at"] = _("Giờ kết thúc phải sau giờ bắt đầu.")
    if workshop.capacity is not None and workshop.capacity < 1:
        errors["capacity"] = _("Số chỗ phải từ 1 trở lên, hoặc để trống nếu không giới hạn.")
    if workshop.activity_id and workshop.activity.programme_id != workshop.programme_id:
        errors["activity"] = _("Hãy chọn một hoạt động của chính chương trình này.")
    if workshop.province_id and workshop.province.scheme != Province.Scheme.CURRENT:
        errors["province"] = _("Hãy chọn tỉnh/thành phố theo danh mục 34 đơn vị hiện hành.")
    if errors:
        raise ValidationError(errors)
    workshop.full_clean(exclude=["programme", "activity", "province", "created_by", "updated_by"])


@transaction.atomic
def workshop_create(
    *,
    actor,
    programme: Programme,
    title: str,
    starts_at: datetime,
    ends_at: datetime,
    kind: str = Workshop.Kind.CONNECTING,
    description: str = "",
    activity: Activity | None = None,
    province: Province | None = None,
    venue: str = "",
    capacity: int | None = None,
    registration: str = Workshop.Registration.INVITATION,
    needs_approval: bool = False,
    language: str = "vi",
    organisers: list[Organisation] = (),
    partners: list[Organisation] = (),
) -> Workshop:
    _require(can_plan(actor, programme))
    workshop = Workshop(programme=programme, created_by=actor, updated_by=actor)
    fields = {
        "kind": kind,
        "title": (title or "").strip(),
        "description": description,
        "activity": activity,
        "province": province,
        "venue": (venue or "").strip(),
        "starts_at": starts_at,
        "ends_at": ends_at,
        "capacity": capacity,
        "registration": registration,
        "needs_approval": needs_approval,
        "language": language,
    }
    apply_fields(workshop, WORKSHOP_FIELDS, fields, clean_text=as_given)
    _validate_workshop(workshop)
    save_created(workshop, actor=actor, action=EventsAction.WORKSHOP_CREATE, fields=WORKSHOP_FIELDS)
    WorkshopOrganisation.objects.bulk_create(
        [
            WorkshopOrganisation(workshop=workshop, organisation=o, role=WorkshopOrganisation.Role.ORGANISER)
            for o in organisers
        ]
        + [
            WorkshopOrganisation(workshop=workshop, organisation=o, role=WorkshopOrganisation.Role.PARTNER)
            for o in partners
        ]
    )
    return workshop


@transaction.atomic
def workshop_update(*, actor, workshop: Workshop, confirm_early: bool = False, **changes) -> Workshop:
    """`confirm_early`: the coordinator confirmed marking held a workshop that has not started
    (dates.py); without it that is refused."""
    _require(can_plan(actor, workshop.programme))
    workshop = locked(workshop)
    if changes.get("held") is True and not workshop.held:
        require_held_confirmed(actor=actor, workshop=workshop, confirm_early=confirm_early, field="held", act="held")
    # Only the title and the venue are stripped (as in workshop_create); the rest is kept as given.
    changes = {n: v.strip() if n in ("title", "venue") and isinstance(v, str) else v for n, v in changes.items()}
    workshop.updated_by = actor
    save_changed(
        workshop,
        changes,
        actor=actor,
        action=EventsAction.WORKSHOP_UPDATE,
        allowed=WORKSHOP_FIELDS,
        validate=_validate_workshop,
        clean_text=as_given,
        audit="given",
    )
    if "capacity" in changes:
        _promote(workshop, actor=actor)  # more places: the waiting list moves up
    return workshop


@transaction.atomic
def workshop_organisations_set(
    *, actor, workshop: Workshop, organisers: list[Organisation], partners: list[Organisation]
) -> None:
    _require(can_plan(actor, workshop.programme))
    Role = WorkshopOrganisation.Role
    wanted = {(o.pk, Role.ORGANISER) for o in organisers} | {(o.pk, Role.PARTNER) for o in partners}
    current = set(workshop.organisations.values_list("organisation_id", "role"))
    if wanted == current:
        return
    workshop.organisations.all().delete()
    WorkshopOrganisation.objects.bulk_create(
        WorkshopOrganisation(workshop=workshop, organisation_id=pk, role=role) for pk, role in sorted(wanted)
    )
    audit_record(
        actor=actor,
        action=EventsAction.WORKSHOP_ORGANISATIONS_SET,
        obj=workshop,
        changes={"organisers": [o.pk for o in organisers], "partners": [o.pk for o in partners]},
    )


# Programme of the day: agenda, discussion questions, materials --------------------------------

MATERIAL_TYPES = {".pdf", ".docx", ".doc", ".xlsx", ".xls", ".odt", ".ods", ".png", ".jpg", ".jpeg"}
MATERIAL_MAX_BYTES = 20 * 1024 * 1024
_DELETE_ACTIONS = {
    AgendaItem: EventsAction.AGENDA_ITEM_DELETE,
    DiscussionQuestion: EventsAction.QUESTION_DELETE,
    Material: EventsAction.MATERIAL_DELETE,
}


def _child_audit(actor, action: EventsAction, child, changes: dict) -> None:
    audit_record(actor=actor, action=action, obj=child, changes={"workshop": child.workshop_id, **changes})


@transaction.atomic
def agenda_item_add(*, actor, workshop: Workshop, starts_at: time, title: str, speakers: str = "") -> AgendaItem:
    _require(can_plan(actor, workshop.programme))
    if not (title or "").strip():
        raise ValidationError({"title": _("Hãy ghi nội dung của mục này, ví dụ: Khai mạc.")})
    item = AgendaItem.objects.create(
        workshop=workshop, starts_at=starts_at, title=title.strip(), speakers=(speakers or "").strip()
    )
    _child_audit(actor, EventsAction.AGENDA_ITEM_ADD, item, {"starts_at": starts_at, "title": item.title})
    return item


@transaction.atomic
def question_add(*, actor, workshop: Workshop, text: str) -> DiscussionQuestion:
    _require(can_plan(actor, workshop.programme))
    if not (text or "").strip():
        raise ValidationError({"text": _("Hãy ghi câu hỏi thảo luận.")})
    position = (workshop.questions.aggregate(last=Max("position"))["last"] or 0) + 1
    question = DiscussionQuestion.objects.create(workshop=workshop, position=position, text=text.strip())
    _child_audit(actor, EventsAction.QUESTION_ADD, question, {"text": question.text})
    return question


@transaction.atomic
def question_update(*, actor, question: DiscussionQuestion, text: str, conclusions: str) -> DiscussionQuestion:
    """The question as asked, and what the room concluded (written after the session)."""
    _require(can_plan(actor, question.workshop.programme))
    if not (text or "").strip():
        raise ValidationError({"text": _("Hãy ghi câu hỏi thảo luận.")})
    before = snapshot(question, ["text", "conclusions"])
    question.text, question.conclusions = text.strip(), (conclusions or "").strip()
    question.save()
    _child_audit(actor, EventsAction.QUESTION_UPDATE, question, diff(before, question))
    return question


@transaction.atomic
def material_add(*, actor, workshop: Workshop, title: str, kind: str, file) -> Material:
    _require(can_plan(actor, workshop.programme))
    if file is None:
        raise ValidationError({"file": _("Hãy chọn tệp tài liệu để tải lên.")})
    check_upload(
        file,
        field="file",
        allowed=MATERIAL_TYPES,
        max_bytes=MATERIAL_MAX_BYTES,
        kinds_label=_("PDF, Word, Excel, OpenDocument hay ảnh PNG/JPEG"),
    )
    material = Material(
        workshop=workshop,
        title=(title or "").strip() or Path(file.name).stem,
        kind=kind or Material.Kind.HANDOUT,
        file=file,
        created_by=actor,
        updated_by=actor,
    )
    material.full_clean(exclude=["created_by", "updated_by", "workshop"])
    material.save()
    _child_audit(actor, EventsAction.MATERIAL_ADD, material, {"title": material.title, "file": material.file.name})
    return material


@transaction.atomic
def workshop_part_delete(*, actor, part: AgendaItem | DiscussionQuestion | Material) -> None:
    """Remove an agenda item, a discussion question or a material (its file too, after commit)."""
    _require(can_plan(actor, part.workshop.programme))
    _child_audit(actor, _DELETE_ACTIONS[type(part)], part, {"removed": str(part)})
    stored = part.file if isinstance(part, Material) else None
    part.delete()
    if stored:
        after_commit(lambda: stored.storage.delete(stored.name))


# Invitations ----------------------------------------------------------------------------------


@transaction.atomic
def invitations_create(
    *, actor, workshop: Workshop, people: list[Person] = (), organisations: list[Organisation] = ()
) -> list[Invitation]:
    """Invite people and whole organisations; someone already invited keeps their invitation
    (and its link)."""
    _require(can_plan(actor, workshop.programme))
    invited_people = set(workshop.invitations.filter(person__in=people).values_list("person_id", flat=True))
    invited_orgs = set(
        workshop.invitations.filter(organisation__in=organisations).values_list("organisation_id", flat=True)
    )
    new = [Invitation(workshop=workshop, person=p, created_by=actor) for p in people if p.pk not in invited_people]
    new += [
        Invitation(workshop=workshop, organisation=o, created_by=actor)
        for o in organisations
        if o.pk not in invited_orgs
    ]
    Invitation.objects.bulk_create(new)
    for invitation in new:
        audit_record(
            actor=actor,
            action=EventsAction.INVITATION_CREATE,
            obj=invitation,
            changes={"person": invitation.person_id, "organisation": invitation.organisation_id},
        )
    return new


# The directory's confirming task invites the people of a list with this (`followups.py`).
INVITE_FROM_LIST = "events.invite"


@transaction.atomic
def invitations_from_import(*, actor, workshop: Workshop, person_import: PersonImport) -> PersonImport:
    """Invite everyone on an uploaded list, in the background: the directory's task adds the
    people new to the directory, matches those already in it (same folded name and e-mail or
    phone), leaves out rows with errors as the preview showed, then invites them a batch at a
    time (`invitations_create_listed`); the list is "confirming" until done."""
    _require(can_plan(actor, workshop.programme))
    return people_import_confirm(
        actor=actor, person_import=person_import, followup=INVITE_FROM_LIST, target_id=workshop.pk
    )


def invitations_create_listed(*, actor, target_id: int, people: list[Person]) -> int:
    """A batch of an uploaded list invited (in the task's transaction) through
    `invitations_create`: its rules, one audit entry per invitation; returns how many were
    invited (the others already were)."""
    workshop = Workshop.objects.select_related("programme").filter(pk=target_id).first()
    if workshop is None:
        raise ValidationError(_("Hội thảo này đã bị xoá: những người còn lại trong danh sách chưa được mời."))
    return len(invitations_create(actor=actor, workshop=workshop, people=people))
