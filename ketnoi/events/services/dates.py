"""What a workshop's date says about the acts that belong after it: marking it held, checking
people in, drafting its report. Done too early they are refused unless the caller says that
the person confirmed (`confirm_early=True`: a checkbox on the page), and the early act is audited.

"Too early" is, for marking held and drafting the report, before the workshop starts; for a
check-in, before the workshop's day in Vietnam (people arrive before the opening)."""

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from ketnoi.core.audit import audit_record

from ..models import Workshop
from .actions import EventsAction


def has_not_started(workshop: Workshop) -> bool:
    return timezone.now() < workshop.starts_at


def before_its_day(workshop: Workshop) -> bool:
    return timezone.localdate() < timezone.localdate(workshop.starts_at)


def _when(workshop: Workshop) -> str:
    return date_format(timezone.localtime(workshop.starts_at), "d/m/Y H:i")


def require_held_confirmed(*, actor, workshop: Workshop, confirm_early: bool, field: str, act: str) -> None:
    """Marking held (`act` "held") or drafting the report (`act` "report") before the workshop
    starts: refused unless confirmed; audited when confirmed."""
    if not has_not_started(workshop):
        return
    if not confirm_early:
        if act == "held":
            message = _(
                "Hội thảo bắt đầu lúc %(when)s, chưa diễn ra. Nếu hội thảo đã thật sự được tổ chức, hãy sửa "
                "ngày giờ của hội thảo, hoặc đánh dấu ô “Tôi xác nhận…” rồi ghi nhận lại."
            )
        else:
            message = _(
                "Hội thảo bắt đầu lúc %(when)s, chưa diễn ra: chưa viết được bài báo cáo. Nếu hội thảo đã thật "
                "sự được tổ chức, hãy đánh dấu ô “Tôi xác nhận…” rồi bấm lại."
            )
        raise ValidationError({field: message % {"when": _when(workshop)}}, code="early")
    audit_record(
        actor=actor,
        action=EventsAction.WORKSHOP_EARLY_CONFIRM,
        obj=workshop,
        changes={"act": act, "starts_at": workshop.starts_at},
    )


def require_check_in_confirmed(*, workshop: Workshop, confirm_early: bool) -> bool:
    """A check-in before the workshop's day: refused unless confirmed. Returns whether it is
    early (the check-in's audit entry says so)."""
    if not before_its_day(workshop):
        return False
    if not confirm_early:
        raise ValidationError(
            {
                "confirm_early": _(
                    "Hội thảo diễn ra ngày %(date)s, hôm nay mới %(today)s: chưa đến ngày điểm danh. Nếu đúng là "
                    "điểm danh sớm, hãy xác nhận ở đầu trang điểm danh rồi điểm danh lại."
                )
                % {
                    "date": date_format(timezone.localtime(workshop.starts_at), "d/m/Y"),
                    "today": date_format(timezone.localdate(), "d/m/Y"),
                }
            },
            code="early",
        )
    return True
