"""The periods commitment: how many periods an activity of the plan promises for one course."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ketnoi.core.audit import audit_record, diff, snapshot
from ketnoi.programmes.models import Activity

from ..models import Commitment, Course
from .actions import TrainingAction
from .common import _require_plan


@transaction.atomic
def commitment_set(*, actor, activity: Activity, course: Course, periods: int = 10) -> Commitment:
    """The periods an activity promises per semester, per class, per campus of one course.
    One commitment per activity, and one per course (the compliance table compares each class
    with exactly one number)."""
    _require_plan(actor, course.programme)
    errors = {}
    if activity.programme_id != course.programme_id:
        errors["activity"] = _("Hãy chọn một hoạt động của chính chương trình này.")
    if not isinstance(periods, int) or periods < 1 or periods > 200:
        errors["periods"] = _("Số tiết cam kết phải là số nguyên từ 1 đến 200.")
    if Commitment.objects.filter(course=course).exclude(activity=activity).exists():
        errors["course"] = _("Khoá học này đã có cam kết số tiết trên một hoạt động khác.")
    if errors:
        raise ValidationError(errors)
    commitment = Commitment.objects.select_for_update().filter(activity=activity).first()
    before = snapshot(commitment, ["course", "periods"]) if commitment else {"course": None, "periods": None}
    if commitment is None:
        commitment = Commitment(activity=activity)
    commitment.course = course
    commitment.periods = periods
    commitment.save()
    audit_record(actor=actor, action=TrainingAction.COMMITMENT_SET, obj=commitment, changes=diff(before, commitment))
    return commitment
