"""The to-do inbox's groups of this app (registered in core.registry at start-up):

- reviews to give: the user's pending review assignments, in any programme (an outside expert
  holds no role), soonest due first; overdue once the due date has passed;
- delivered sessions without attendance: in the programmes the user coordinates, every one; in
  those where they may record (lecturer, reviewer, curator), the sessions they teach. Only a
  session of a class with learners, whose date has come (attendance_record refuses otherwise).
"""

from datetime import timedelta

from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ketnoi.core.registry import TodoGroup, TodoItem, register_todo
from ketnoi.core.roles import Role
from ketnoi.programmes.access import REPORTERS, programme_ids_acting

from .models import Attendance, Enrolment, ReviewAssignment, SessionLecturer, TeachingSession
from .review_access import assignments_for

# Attendance not taken this many days after the session is overdue.
ATTENDANCE_DAYS = 3


def _day(value) -> str:
    return f"{value:%d/%m/%Y}"


def reviews(user, *, samples: int) -> list[TodoGroup]:
    today = timezone.localdate()
    pending = assignments_for(user).filter(decision=ReviewAssignment.Decision.PENDING)
    found = pending.aggregate(n=Count("pk"), late=Count("pk", filter=Q(request__due_on__lt=today)))
    if not found["n"]:
        return []
    items = ()
    soonest = None
    if samples:
        first = list(pending.order_by("request__due_on", "pk")[:samples])
        soonest = first[0].request.due_on
        items = tuple(
            TodoItem(
                label=str(a.request.version),
                url=reverse("training:review_assignment", args=[a.request.version.material.programme.code, a.pk]),
                detail=(_("quá hạn từ %(date)s") if a.request.due_on < today else _("hạn %(date)s"))
                % {"date": _day(a.request.due_on)},
                overdue=a.request.due_on < today,
            )
            for a in first
        )
    return [
        TodoGroup(
            "training.reviews",
            _("Tài liệu chờ bạn góp ý"),
            found["n"],
            items=items,
            url=reverse("my_reviews"),
            overdue=found["late"],
            due=soonest,
        )
    ]


def sessions_without_attendance(user):
    """The delivered sessions, their date come, of a class with learners, no one marked yet, that
    `user` should mark (see the module's docstring)."""
    teaches = SessionLecturer.objects.filter(session=OuterRef("pk"), person__user=user)
    programme = "training_class__course__programme_id"
    return (
        TeachingSession.objects.filter(status=TeachingSession.Status.DELIVERED, date__lte=timezone.localdate())
        .filter(
            Q(**{f"{programme}__in": programme_ids_acting(user, {Role.COORDINATOR})})
            | (Q(**{f"{programme}__in": programme_ids_acting(user, REPORTERS)}) & Exists(teaches))
        )
        .filter(Exists(Enrolment.objects.filter(training_class=OuterRef("training_class"))))
        .exclude(Exists(Attendance.objects.filter(session=OuterRef("pk"))))
    )


def attendance(user, *, samples: int) -> list[TodoGroup]:
    limit = timezone.localdate() - timedelta(days=ATTENDANCE_DAYS)
    waiting = sessions_without_attendance(user)
    found = waiting.aggregate(n=Count("pk"), late=Count("pk", filter=Q(date__lt=limit)))
    if not found["n"]:
        return []
    items = ()
    oldest = None
    if samples:
        # The ids first (the same plan as the count), then those few rows with their class.
        ids = list(waiting.order_by("date", "starts_at", "pk").values_list("pk", flat=True)[:samples])
        first = list(
            TeachingSession.objects.filter(pk__in=ids)
            .select_related("training_class__course__programme")
            .order_by("date", "starts_at", "pk")
        )
        oldest = first[0].date + timedelta(days=ATTENDANCE_DAYS)
        items = tuple(
            TodoItem(
                label=_("Lớp %(cls)s, %(date)s") % {"cls": s.training_class.code, "date": _day(s.date)},
                url=reverse("training:session_detail", args=[s.training_class.course.programme.code, s.pk])
                + "#attendance",
                detail=s.training_class.course.name,
                overdue=s.date < limit,
            )
            for s in first
        )
    return [
        TodoGroup(
            "training.attendance",
            _("Buổi giảng chưa điểm danh"),
            found["n"],
            items=items,
            url=items[0].url if found["n"] == 1 and items else "",
            overdue=found["late"],
            due=oldest,
        )
    ]


def todo(user, *, samples: int) -> list[TodoGroup]:
    return reviews(user, samples=samples) + attendance(user, samples=samples)


register_todo("training", todo)
