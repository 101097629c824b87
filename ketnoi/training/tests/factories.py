"""Builders for the training tests, through the training services so the same rules apply:
the teaching structure (course, campus, semester, class), a teaching session, and a training
material with its review request."""

from datetime import date, time, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from ketnoi.training import services
from ketnoi.training.models import Material, TeachingSession
from ketnoi.training.services import review

DELIVERED = TeachingSession.Status.DELIVERED
PLANNED = TeachingSession.Status.PLANNED
CANCELLED = TeachingSession.Status.CANCELLED

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


# Teaching ---------------------------------------------------------------------------------------


def make_course(actor, programme, name="Thạc sĩ Chính sách công", **extra):
    return services.course_create(actor=actor, programme=programme, name=name, **extra)


def make_campus(actor, programme, name="Hà Nội", **extra):
    return services.campus_create(actor=actor, programme=programme, name=name, **extra)


def make_semester(actor, programme, name="HK1 2026", starts_on=date(2026, 1, 5), ends_on=date(2026, 6, 30)):
    return services.semester_create(actor=actor, programme=programme, name=name, starts_on=starts_on, ends_on=ends_on)


def make_class(actor, course, campus, semester, code="HN01", **extra):
    return services.class_create(actor=actor, course=course, campus=campus, semester=semester, code=code, **extra)


def record(actor, training_class, *, day=date(2026, 3, 2), periods=3, status=DELIVERED, lecturers=(), **extra):
    """A teaching session of `training_class` on `day`, 07:30–10:00 unless told."""
    return services.session_record(
        actor=actor,
        training_class=training_class,
        date=day,
        starts_at=extra.pop("starts_at", time(7, 30)),
        ends_at=extra.pop("ends_at", time(10, 0)),
        periods=periods,
        status=status,
        lecturers=list(lecturers),
        **extra,
    )


# Materials and their review ---------------------------------------------------------------------


def pdf(name="bai-giang.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def make_material(author, programme, title="Bài giảng về xã hội dân sự", **extra):
    return review.material_create(
        actor=author, programme=programme, title=title, kind=Material.Kind.SLIDES, file=pdf(), **extra
    )


def ask(actor, material, reviewers, days=7, version=None):
    """A review request of `material`'s latest version (or `version`), due in `days` days."""
    version = version or material.versions.order_by("-number").first()
    return review.review_request(
        actor=actor, version=version, reviewers=reviewers, due_on=timezone.localdate() + timedelta(days=days)
    )
