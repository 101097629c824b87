"""The lecture evaluation of a teaching session: a survey collection of the programme's lecture
evaluation form (made from the ready form the first time), remembered on the session."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ketnoi.core.writes import locked, save_columns
from ketnoi.surveys.services import Collection, collection_for_programme, collection_open_from_ready_form

from ..models import TeachingSession
from .actions import TrainingAction
from .common import _require_report

LECTURE_FORM = "lecture"


@transaction.atomic
def session_evaluation_open(*, actor, session: TeachingSession) -> Collection:
    """Open the lecture evaluation for this session once and remember it on the session; a
    session whose evaluation is open already gets that collection back."""
    programme = session.training_class.course.programme
    _require_report(actor, programme)
    session = locked(session, related=("training_class__campus", "training_class__semester", "topic"))
    existing = collection_for_programme(programme=programme, collection_id=session.evaluation_collection_id)
    if existing is not None:
        return existing
    if session.status == TeachingSession.Status.CANCELLED:
        raise ValidationError({"session": _("Buổi giảng đã huỷ: không mở phiếu đánh giá.")})
    training_class = session.training_class
    # "lead" sorts after "co_teacher": descending puts the lead lecturers first.
    lecturers = session.lecturers.select_related("person").order_by("-role", "id")
    lead_names = ", ".join(lecturer.person.full_name for lecturer in lecturers)
    label_text = f"{training_class.code} {session.date:%d/%m/%Y}"
    collection = collection_open_from_ready_form(
        actor=actor,
        programme=programme,
        ready=LECTURE_FORM,
        # Making a programme's form is a coordinator's job (surveys.access); a lecturer uses it.
        refusal={
            "session": _(
                "Chương trình chưa có phiếu đánh giá bài giảng. Hãy nhờ điều phối viên mở phiếu lần đầu "
                "(từ mẫu có sẵn), sau đó giảng viên tự mở được cho từng buổi."
            )
        },
        title=_("Đánh giá bài giảng: %(label)s") % {"label": label_text},
        target=session,
        target_label=label_text + (f" – {session.topic.title}" if session.topic_id else ""),
        context={
            "class": training_class.code,
            "campus": training_class.campus.name,
            "semester": training_class.semester.name,
            "lecturer": lead_names,
            "session": f"{session.date:%d/%m/%Y} {session.starts_at:%H:%M}",
        },
    )
    save_columns(session, actor=actor, action=TrainingAction.SESSION_UPDATE, evaluation_collection_id=collection.pk)
    return collection
