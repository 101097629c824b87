"""What a workshop hands to the other apps once it is held: a draft news report composed from its
records (news; the text is report_text.py's), and the delegates' feedback survey (surveys)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ketnoi.core.writes import locked, save_columns
from ketnoi.news.services import Post, post_create
from ketnoi.surveys.services import Collection, collection_for_programme, collection_open_from_ready_form

from ..access import can_organise
from ..models import Workshop
from ..report_text import compose_report
from .actions import EventsAction
from .dates import require_held_confirmed

FEEDBACK_FORM = "workshop"


def _require(actor, workshop: Workshop) -> None:
    if not can_organise(actor, workshop.programme):
        raise PermissionDenied(_("Chỉ điều phối viên của chương trình mới làm được việc này."))


@transaction.atomic
def report_draft(*, actor, workshop: Workshop, confirm_early: bool = False) -> Post:
    """A draft news post reporting on a held workshop, linked to it (source). The news service
    checks the coordinator and writes the audit entry. Before the workshop starts (a workshop
    marked held early), only with `confirm_early` (dates.py)."""
    _require(actor, workshop)
    if not workshop.held:
        raise ValidationError(_("Hội thảo chưa được đánh dấu là đã tổ chức: chỉ viết báo cáo cho hội thảo đã tổ chức."))
    require_held_confirmed(actor=actor, workshop=workshop, confirm_early=confirm_early, field="report", act="report")
    title, summary, body = compose_report(workshop)
    return post_create(
        actor=actor, programme=workshop.programme, title=title, summary=summary, body=body, source=workshop
    )


@transaction.atomic
def workshop_feedback_open(*, actor, workshop: Workshop) -> Collection:
    """Open the delegates' feedback survey for the workshop and remember it on the workshop.
    A workshop whose survey is already open gets that one back.

    `feedback_collection_id` is not among the fields `workshop_update` may change, so it is
    written here, with the workshop row locked and an audit entry of its own."""
    _require(actor, workshop)
    workshop = locked(workshop, related=("province", "programme"))
    existing = collection_for_programme(programme=workshop.programme, collection_id=workshop.feedback_collection_id)
    if existing is not None:
        return existing
    # The surveys app knows a fixed set of context keys (no "workshop"): the workshop's title
    # travels as the collection's target label, the city as context.
    context = {"city": workshop.province.name} if workshop.province else {}
    collection = collection_open_from_ready_form(
        actor=actor,
        programme=workshop.programme,
        ready=FEEDBACK_FORM,
        title=_("Phản hồi: %(title)s") % {"title": workshop.title[:230]},
        target=workshop,
        target_label=workshop.title,
        context=context,
    )
    save_columns(workshop, actor=actor, action=EventsAction.WORKSHOP_UPDATE, feedback_collection_id=collection.pk)
    return collection
