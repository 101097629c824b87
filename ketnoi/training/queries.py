"""Reads the training pages, the API and the metrics share. The commitment arithmetic and the
attendance rate are defined here and nowhere else.

The commitment (one per course, on a programme activity) promises `Commitment.periods` periods
per semester, per class, per campus. A class belongs to one course, one semester and one campus,
so each class of a committed course is one row of the compliance table:

- committed: the commitment's periods;
- delivered: periods of the class's sessions marked delivered;
- planned: periods of its sessions still planned (not yet delivered, not cancelled);
  cancelled sessions count nowhere;
- remaining: committed − delivered, never below 0;
- behind: the class cannot meet the commitment as things stand — delivered + planned is less
  than committed, or the semester is over and delivered is less than committed.
- colour: red when behind; green when delivered reaches the commitment; amber otherwise (on
  track: enough periods planned, not all delivered yet).

Sessions are counted by their class, so sessions across semesters never mix: a session's date
lies within its class's semester (the services refuse any other). A changed period length
changes no count: periods are recorded per session, the length only checks they fit the time.

Attendance rate (per learner, per class): attended ÷ counted, where attended = present + late
and counted = present + late + absent. Excused absences are left out of the denominator; a
learner with no mark at a session is not counted for it; only delivered sessions count.
A rate with nothing counted is None (shown as "—"), not 0.
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from ketnoi.directory.models import Person
from ketnoi.directory.picking import people_choices, search
from ketnoi.programmes.models import Programme

from .models import Attendance, Commitment, Enrolment, TeachingSession, TrainingClass

Status = TeachingSession.Status
Mark = Attendance.Status
ATTENDED = (Mark.PRESENT, Mark.LATE)
COUNTED = (Mark.PRESENT, Mark.LATE, Mark.ABSENT)


def _periods(status: str):
    return Coalesce(
        Subquery(
            TeachingSession.objects.filter(training_class=OuterRef("pk"), status=status)
            .order_by()
            .values("training_class")
            .annotate(total=Sum("periods"))
            .values("total"),
            output_field=IntegerField(),
        ),
        Value(0),
    )


def with_periods(classes: QuerySet[TrainingClass]) -> QuerySet[TrainingClass]:
    """Classes with `committed` (None without a commitment), `planned`, `delivered` and
    `sessions_held` — one query, subqueries so the sums never multiply each other."""
    committed = Subquery(
        Commitment.objects.filter(course=OuterRef("course")).order_by("pk").values("periods")[:1],
        output_field=IntegerField(),
    )
    held = Subquery(
        TeachingSession.objects.filter(training_class=OuterRef("pk"), status=Status.DELIVERED)
        .order_by()
        .values("training_class")
        .annotate(n=Count("pk"))
        .values("n"),
        output_field=IntegerField(),
    )
    learners = Subquery(
        Enrolment.objects.filter(training_class=OuterRef("pk"))
        .order_by()
        .values("training_class")
        .annotate(n=Count("pk"))
        .values("n"),
        output_field=IntegerField(),
    )
    return classes.annotate(
        committed=committed,
        planned=_periods(Status.PLANNED),
        delivered=_periods(Status.DELIVERED),
        sessions_held=Coalesce(held, Value(0)),
        learners=Coalesce(learners, Value(0)),
    )


@dataclass
class ComplianceRow:
    training_class: TrainingClass
    committed: int
    planned: int
    delivered: int
    today: date

    @property
    def remaining(self) -> int:
        return max(self.committed - self.delivered, 0)

    @property
    def behind(self) -> bool:
        if self.delivered >= self.committed:
            return False
        semester_over = self.training_class.semester.ends_on < self.today
        return semester_over or self.delivered + self.planned < self.committed

    @property
    def colour(self) -> str:
        if self.behind:
            return "red"
        return "green" if self.delivered >= self.committed else "amber"

    @property
    def campus(self):
        return self.training_class.campus

    @property
    def semester(self):
        return self.training_class.semester


def compliance(programme: Programme, *, today: date | None = None, classes=None) -> list[ComplianceRow]:
    """One row per class of a committed course, the classes behind first, then by remaining
    periods (most first), semester, campus and code. One query, or none when `classes` (the
    programme's classes as `classes_for_programme` gives them) are already loaded."""
    today = today or timezone.localdate()
    if classes is None:
        classes = with_periods(
            TrainingClass.objects.filter(course__programme=programme, course__commitments__isnull=False)
            .distinct()
            .select_related("course", "campus", "semester")
        )
    rows = [ComplianceRow(c, c.committed, c.planned, c.delivered, today) for c in classes if c.committed is not None]
    rows.sort(
        key=lambda r: (
            not r.behind,
            -r.remaining,
            r.semester.starts_on,
            r.campus.name,
            r.training_class.code,
        )
    )
    return rows


def classes_for_programme(programme: Programme) -> QuerySet[TrainingClass]:
    return with_periods(
        TrainingClass.objects.filter(course__programme=programme).select_related("course", "campus", "semester")
    )


def class_with_periods(training_class: TrainingClass) -> TrainingClass:
    """The class again, with the sums of `with_periods`. One query."""
    return with_periods(TrainingClass.objects.filter(pk=training_class.pk)).get()


# Learners --------------------------------------------------------------------------------------


def people_to_enrol(person_ids) -> QuerySet[Person]:
    """The directory's people among `person_ids` that a class may take: not erased."""
    return Person.objects.filter(pk__in=person_ids, erased_at__isnull=True)


def learner_candidates(training_class: TrainingClass, q: str, *, limit: int) -> list[Person]:
    """People found by the pickers' search (directory/picking.py: name folded word by word,
    organisation, e-mail or phone, names starting with `q` first), not erased, not already in the
    class; at most `limit`. Nobody when `q` folds to nothing."""
    people = people_choices().exclude(pk__in=training_class.enrolments.values("person_id"))
    return search(people, "person", q, limit=limit)[0]


# Attendance ------------------------------------------------------------------------------------


@dataclass
class Rate:
    attended: int
    counted: int

    @property
    def percent(self) -> float | None:
        return self.attended * 100 / self.counted if self.counted else None


def _counted_marks():
    return Attendance.objects.filter(session__status=Status.DELIVERED, status__in=COUNTED)


def learner_rates(training_class: TrainingClass) -> dict[int, Rate]:
    """{person_id: Rate} for the class's learners (every enrolled learner has an entry). One query."""
    rows = (
        _counted_marks()
        .filter(session__training_class=training_class)
        .values("person_id")
        .annotate(attended=Count("pk", filter=Q(status__in=ATTENDED)), counted=Count("pk"))
        .order_by()
    )
    rates = {pk: Rate(0, 0) for pk in training_class.enrolments.values_list("person_id", flat=True)}
    for row in rows:
        rates[row["person_id"]] = Rate(row["attended"], row["counted"])
    return rates


def class_rates(classes) -> dict[int, Rate]:
    """{class_id: Rate} over all its learners and delivered sessions. One query."""
    rows = (
        _counted_marks()
        .filter(session__training_class__in=classes)
        .values("session__training_class_id")
        .annotate(attended=Count("pk", filter=Q(status__in=ATTENDED)), counted=Count("pk"))
        .order_by()
    )
    rates = {c.pk: Rate(0, 0) for c in classes}
    for row in rows:
        rates[row["session__training_class_id"]] = Rate(row["attended"], row["counted"])
    return rates


def session_rate(session: TeachingSession) -> Rate:
    marks = session.attendance.aggregate(
        attended=Count("pk", filter=Q(status__in=ATTENDED)), counted=Count("pk", filter=Q(status__in=COUNTED))
    )
    return Rate(marks["attended"], marks["counted"])


def sessions_of(training_class: TrainingClass) -> QuerySet[TeachingSession]:
    """The class's sessions with topic, lecturers (and their people) and attendance counts."""
    from django.db.models import Prefetch

    from .models import SessionLecturer

    return (
        training_class.sessions.select_related("topic")
        .prefetch_related(
            Prefetch(
                "lecturers",
                queryset=SessionLecturer.objects.select_related("person", "organisation").order_by("-role", "id"),
            )
        )
        .annotate(
            marked=Count("attendance"),
            attended=Count("attendance", filter=Q(attendance__status__in=ATTENDED)),
        )
        # Said again: Django drops Meta.ordering from a query with GROUP BY, and PostgreSQL then
        # returns the sessions in any order (seen as a flaky API test).
        .order_by("date", "starts_at", "id")
    )
