"""The back office's view of training: staff look things up here. Everything is read-only — the
training pages go through the services, which keep the rules (a session within its class's
semester, one commitment per activity, who may review what) and write the audit log."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from ketnoi.core.admin import ReadOnlyAdmin, ReadOnlyInline

from .models import (
    Attendance,
    Campus,
    Commitment,
    Course,
    Enrolment,
    Material,
    MaterialVersion,
    ReviewAssignment,
    ReviewComment,
    ReviewRequest,
    Semester,
    SessionLecturer,
    TeachingSession,
    Topic,
    TrainingClass,
)

# Courses, campuses, semesters, classes -------------------------------------------------------


class TopicInline(ReadOnlyInline):
    model = Topic
    fields = ["position", "title"]


@admin.register(Course)
class CourseAdmin(ReadOnlyAdmin):
    list_display = ["name", "code", "programme", "host", "period_minutes"]
    list_filter = ["programme"]
    search_fields = ["name", "code"]
    list_select_related = ["programme", "host"]
    inlines = [TopicInline]


@admin.register(Campus)
class CampusAdmin(ReadOnlyAdmin):
    list_display = ["name", "programme", "province"]
    list_filter = ["programme"]
    search_fields = ["name"]
    list_select_related = ["programme", "province"]


@admin.register(Semester)
class SemesterAdmin(ReadOnlyAdmin):
    list_display = ["name", "programme", "starts_on", "ends_on"]
    list_filter = ["programme"]
    search_fields = ["name"]
    list_select_related = ["programme"]


class EnrolmentInline(ReadOnlyInline):
    model = Enrolment
    fields = ["person"]
    select_related = ("person", "training_class")


@admin.register(TrainingClass)
class TrainingClassAdmin(ReadOnlyAdmin):
    list_display = ["code", "course", "campus", "semester", "learners_expected"]
    list_filter = [("course__programme", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["code", "course__name"]
    list_select_related = ["course", "campus", "semester"]
    inlines = [EnrolmentInline]


@admin.register(Commitment)
class CommitmentAdmin(ReadOnlyAdmin):
    list_display = ["activity", "course", "periods"]
    list_filter = [("course__programme", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["activity__title", "course__name"]
    list_select_related = ["activity", "course"]


# Sessions and attendance ---------------------------------------------------------------------


class LecturerInline(ReadOnlyInline):
    model = SessionLecturer
    fields = ["person", "organisation", "role"]
    select_related = ("person", "organisation")


class AttendanceInline(ReadOnlyInline):
    model = Attendance
    fields = ["person", "status", "recorded_at", "recorded_by"]
    select_related = ("person", "recorded_by")


@admin.register(TeachingSession)
class TeachingSessionAdmin(ReadOnlyAdmin):
    list_display = ["date", "training_class", "starts_at", "ends_at", "periods", "status", "topic"]
    list_display_links = ["date", "training_class"]
    list_filter = ["status", ("training_class__course__programme", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["training_class__code", "topic__title", "note"]
    date_hierarchy = "date"
    list_select_related = ["training_class", "topic"]
    exclude = ["materials"]
    readonly_fields = ["materials_used"]
    inlines = [LecturerInline, AttendanceInline]

    @admin.display(description=_("tài liệu dùng"))
    def materials_used(self, obj: TeachingSession) -> str:
        return ", ".join(str(version) for version in obj.materials.select_related("material")) or "—"


# Materials and their review ------------------------------------------------------------------


class VersionInline(ReadOnlyInline):
    model = MaterialVersion
    fields = ["number", "file", "note", "created_at", "created_by"]
    select_related = ("material", "created_by")


@admin.register(Material)
class MaterialAdmin(ReadOnlyAdmin):
    list_display = ["title", "programme", "kind", "topic", "author", "updated_at"]
    list_filter = ["kind", "programme"]
    search_fields = ["title"]
    list_select_related = ["programme", "topic", "author"]
    inlines = [VersionInline]


class AssignmentInline(ReadOnlyInline):
    model = ReviewAssignment
    fields = ["reviewer", "decision", "decided_at", "reminded_on"]
    select_related = ("reviewer", "request__version__material")


@admin.register(ReviewRequest)
class ReviewRequestAdmin(ReadOnlyAdmin):
    list_display = ["version", "requested_by", "requested_at", "due_on"]
    list_filter = [("version__material__programme", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["version__material__title"]
    date_hierarchy = "requested_at"
    list_select_related = ["version__material", "requested_by"]
    inlines = [AssignmentInline]


class CommentInline(ReadOnlyInline):
    model = ReviewComment
    fields = ["location", "body", "created_at"]


@admin.register(ReviewAssignment)
class ReviewAssignmentAdmin(ReadOnlyAdmin):
    list_display = ["reviewer", "request", "decision", "decided_at", "reminded_on"]
    list_filter = ["decision"]
    search_fields = ["reviewer__username", "reviewer__email", "request__version__material__title"]
    list_select_related = ["reviewer", "request__version__material"]
    inlines = [CommentInline]
