"""Training materials and their expert review: a material with numbered versions, review
requests naming reviewers with a due date, comments, decisions and reminders.

Every write: keyword arguments, one transaction, an audit entry, e-mail after commit. A
decision closes the reviewer's assignment; a version is approved when every assignment on it is
approved. A new version gets a new request, so the old versions keep their history.
"""

from datetime import date, timedelta
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ketnoi.core.audit import audit_record
from ketnoi.core.services import mail_queue
from ketnoi.core.uploads import check_upload
from ketnoi.core.writes import locked
from ketnoi.programmes.models import Programme

from ..models import Material, MaterialVersion, ReviewAssignment, ReviewComment, ReviewRequest, Topic
from ..review_access import can_author, can_manage
from .actions import TrainingAction

MATERIAL_TYPES = {".pdf", ".docx"}
MATERIAL_MAX_BYTES = 20 * 1024 * 1024
REMIND_DAYS_BEFORE = 2
DECISIONS = (ReviewAssignment.Decision.APPROVED, ReviewAssignment.Decision.CHANGES)


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


def _require_manager(actor, material: Material) -> None:
    _require(
        can_manage(actor, material),
        _("Chỉ tác giả tài liệu và điều phối viên của chương trình mới làm được việc này."),
    )


def _require_reviewer(actor, assignment: ReviewAssignment) -> None:
    _require(
        getattr(actor, "is_active", False) and assignment.reviewer_id == actor.pk,
        _("Chỉ chuyên gia được mời góp ý mới làm được việc này."),
    )


def _check_file(file) -> None:
    if not file:
        raise ValidationError({"file": _("Hãy chọn tệp tài liệu để tải lên.")})
    check_upload(
        file, field="file", allowed=MATERIAL_TYPES, max_bytes=MATERIAL_MAX_BYTES, kinds_label=_("PDF hay Word (DOCX)")
    )


def _link(name: str, *args) -> str:
    return settings.SITE_URL.rstrip("/") + reverse(name, args=args)


def _mail(template: str, context: dict, to: str, *, actor, material: Material, language: str | None = None) -> None:
    """Queued through core's outgoing mail: tried again, and shown to `actor` if undeliverable."""
    mail_queue(
        to=to,
        template=f"training/email/{template}",
        context=context,
        language=language,
        caused_by=actor,
        about_label=material.title,
        about_url=reverse("training:material_detail", args=[material.programme.code, material.pk]),
    )


def _name(user) -> str:
    return user.get_full_name() or user.get_username()


# Materials and versions -----------------------------------------------------------------------


@transaction.atomic
def material_create(
    *, actor, programme: Programme, title: str, kind: str, topic: Topic | None = None, file, note: str = ""
) -> Material:
    """A new material with its first version; the actor is its author."""
    _require(
        can_author(actor, programme),
        _("Chỉ điều phối viên và giảng viên của chương trình mới thêm được tài liệu."),
    )
    if topic is not None and topic.course.programme_id != programme.pk:
        raise ValidationError({"topic": _("Chủ đề này không thuộc chương trình.")})
    _check_file(file)
    material = Material(
        programme=programme,
        topic=topic,
        title=(title or "").strip() or Path(file.name).stem,
        kind=kind or Material.Kind.SLIDES,
        author=actor,
        created_by=actor,
        updated_by=actor,
    )
    material.full_clean(exclude=["programme", "author", "created_by", "updated_by", "topic"])
    material.save()
    version = MaterialVersion.objects.create(
        material=material, number=1, file=file, note=note.strip(), created_by=actor
    )
    audit_record(
        actor=actor,
        action=TrainingAction.MATERIAL_CREATE,
        obj=material,
        changes={"title": material.title, "kind": material.kind, "file": version.file.name},
    )
    return material


@transaction.atomic
def version_add(*, actor, material: Material, file, note: str) -> MaterialVersion:
    """The next version of a material, numbered after the last one."""
    _require_manager(actor, material)
    _check_file(file)
    material = locked(material)  # numbers never collide
    last = material.versions.aggregate(last=Max("number"))["last"] or 0
    version = MaterialVersion.objects.create(
        material=material, number=last + 1, file=file, note=(note or "").strip(), created_by=actor
    )
    Material.objects.filter(pk=material.pk).update(updated_by=actor, updated_at=timezone.now())
    audit_record(
        actor=actor,
        action=TrainingAction.VERSION_ADD,
        obj=material,
        changes={"version": version.number, "file": version.file.name, "note": version.note},
    )
    return version


# Review requests, comments and decisions ------------------------------------------------------


@transaction.atomic
def review_request(
    *, actor, version: MaterialVersion, reviewers: list, due_on: date, message: str = ""
) -> ReviewRequest:
    """Ask named reviewers to review one version by `due_on`; each gets an e-mail."""
    material = version.material
    _require_manager(actor, material)
    errors: dict[str, str] = {}
    unique = list({user.pk: user for user in reviewers or []}.values())
    if not unique:
        errors["reviewers"] = _("Hãy chọn ít nhất một chuyên gia góp ý.")
    elif any(user.pk == material.author_id for user in unique):
        errors["reviewers"] = _("Tác giả không tự góp ý cho tài liệu của mình: hãy chọn chuyên gia khác.")
    elif any(not user.is_active for user in unique):
        errors["reviewers"] = _("Tài khoản của một chuyên gia đã bị khoá: hãy chọn người khác.")
    if due_on is None:
        errors["due_on"] = _("Hãy nhập hạn góp ý dạng dd/mm/yyyy.")
    elif due_on < timezone.localdate():
        errors["due_on"] = _("Hạn góp ý đã qua: hãy chọn hôm nay hoặc một ngày sau.")
    latest = material.versions.aggregate(last=Max("number"))["last"]
    if version.number != latest:
        errors["version"] = _("Đã có bản mới hơn: hãy gửi góp ý cho bản mới nhất.")
    if errors:
        raise ValidationError(errors)
    request = ReviewRequest.objects.create(
        version=version, requested_by=actor, due_on=due_on, message=(message or "").strip()
    )
    assignments = ReviewAssignment.objects.bulk_create(
        [ReviewAssignment(request=request, reviewer=user) for user in unique]
    )
    audit_record(
        actor=actor,
        action=TrainingAction.REVIEW_REQUEST,
        obj=material,
        changes={
            "version": version.number,
            "reviewers": [user.get_username() for user in unique],
            "due_on": due_on,
        },
    )
    for assignment, user in zip(assignments, unique, strict=True):
        _mail(
            "review_request",
            {
                "author": _name(actor),
                "title": material.title,
                "number": version.number,
                "due": due_on.strftime("%d/%m/%Y"),
                "message": request.message,
                "link": _link("training:review_assignment", material.programme.code, assignment.pk),
            },
            user.email,
            actor=actor,
            material=material,
        )
    return request


def _locked_pending(actor, assignment: ReviewAssignment) -> ReviewAssignment:
    """The reviewer's own assignment, locked, while it is still open."""
    _require_reviewer(actor, assignment)
    row = locked(assignment)
    if row.decision != ReviewAssignment.Decision.PENDING:
        raise ValidationError(_("Bạn đã kết luận việc góp ý này; không thể sửa thêm."))
    return row


@transaction.atomic
def review_comment(*, actor, assignment: ReviewAssignment, body: str, location: str = "") -> ReviewComment:
    """A reviewer's comment on the version: general, or tied to a section or page."""
    row = _locked_pending(actor, assignment)
    body, location = (body or "").strip(), (location or "").strip()
    if not body:
        raise ValidationError({"body": _("Hãy viết nội dung góp ý.")})
    comment = ReviewComment(assignment=row, body=body, location=location)
    comment.full_clean(exclude=["assignment"])
    comment.save()
    audit_record(
        actor=actor,
        action=TrainingAction.REVIEW_COMMENT,
        obj=row.request.version.material,
        changes={"assignment": row.pk, "location": location, "body": body[:200]},
    )
    return comment


@transaction.atomic
def review_decide(*, actor, assignment: ReviewAssignment, decision: str, comment: str = "") -> ReviewAssignment:
    """Close the reviewer's assignment: approved, or changes requested (with a comment)."""
    row = _locked_pending(actor, assignment)
    if decision not in DECISIONS:
        raise ValidationError({"decision": _("Hãy chọn: duyệt hoặc cần chỉnh sửa.")})
    comment = (comment or "").strip()
    if decision == ReviewAssignment.Decision.CHANGES and not comment and not row.comments.exists():
        raise ValidationError({"comment": _("Hãy ghi ít nhất một góp ý để tác giả biết cần chỉnh sửa gì.")})
    if comment:
        ReviewComment.objects.create(assignment=row, body=comment)
    row.decision = decision
    row.decided_at = timezone.now()
    row.save(update_fields=["decision", "decided_at"])
    assignment.decision, assignment.decided_at = row.decision, row.decided_at  # the caller's copy too
    version = row.request.version
    material = version.material
    audit_record(
        actor=actor,
        action=TrainingAction.REVIEW_DECIDE,
        obj=material,
        changes={"assignment": row.pk, "version": version.number, "decision": decision},
    )
    author = material.author
    _mail(
        "review_decision",
        {
            "reviewer": _name(actor),
            "title": material.title,
            "number": version.number,
            "decision": row.get_decision_display(),
            "link": _link("training:material_detail", material.programme.code, material.pk),
        },
        author.email,
        actor=actor,
        material=material,
    )
    return row


def version_status(assignments: list[ReviewAssignment]) -> str:
    """A version's review state from its assignments: "" (never asked), pending, changes or
    approved (every assignment approved)."""
    decisions = {a.decision for a in assignments}
    if not decisions:
        return ""
    if ReviewAssignment.Decision.CHANGES in decisions:
        return ReviewAssignment.Decision.CHANGES
    if ReviewAssignment.Decision.PENDING in decisions:
        return ReviewAssignment.Decision.PENDING
    return ReviewAssignment.Decision.APPROVED


# Reminders --------------------------------------------------------------------------------------


def review_reminders_send(*, today: date) -> int:
    """E-mail every reviewer whose pending assignment is due within two days or overdue, at most
    once a day per assignment. Returns how many reminders were sent.

    A batch (the daily command) that commits reminder by reminder, so one that fails leaves the
    ones before it sent and claimed: each is its own durable transaction, never nested."""
    due = (
        ReviewAssignment.objects.filter(
            decision=ReviewAssignment.Decision.PENDING,
            request__due_on__lte=today + timedelta(days=REMIND_DAYS_BEFORE),
            reviewer__is_active=True,
        )
        .exclude(reviewer__email="")
        .exclude(reminded_on__gte=today)
        .select_related("reviewer", "request__version__material__programme")
    )
    sent = 0
    for assignment in due:
        with transaction.atomic(durable=True):
            # Claim the day's reminder first: two runs at once send it once.
            claimed = (
                ReviewAssignment.objects.filter(pk=assignment.pk, decision=ReviewAssignment.Decision.PENDING)
                .exclude(reminded_on__gte=today)
                .update(reminded_on=today)
            )
            if not claimed:
                continue
            request = assignment.request
            material = request.version.material
            audit_record(actor=None, action=TrainingAction.REVIEW_REMIND, obj=assignment, changes={"on": today})
            # Sent by the daily command, for no one in particular: undelivered ones show to staff.
            _mail(
                "review_reminder",
                {
                    "overdue": request.due_on < today,
                    "title": material.title,
                    "number": request.version.number,
                    "due": request.due_on.strftime("%d/%m/%Y"),
                    "link": _link("training:review_assignment", material.programme.code, assignment.pk),
                },
                assignment.reviewer.email,
                actor=None,
                material=material,
                language=settings.LANGUAGE_CODE,
            )
            sent += 1
    return sent
