"""Rows for the home page's tests, made through each domain app's public services only (the
home app reaches the domain apps through nothing else)."""

from datetime import datetime, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from ketnoi.events import services as events
from ketnoi.library import services as library
from ketnoi.news import services as news
from ketnoi.training import services as training

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def post(actor, programme, title: str, *, publish: bool = True, **extra):
    created = news.post_create(actor=actor, programme=programme, title=title, body="Nội dung.", **extra)
    return news.post_publish(actor=actor, post=created) if publish else created


def workshop(actor, programme, title: str, *, registration: str = "public", starts_at=None):
    starts = starts_at or timezone.make_aware(datetime(2037, 12, 10, 8, 0))
    return events.workshop_create(
        actor=actor,
        programme=programme,
        title=title,
        starts_at=starts,
        ends_at=starts + timedelta(hours=4),
        registration=registration,
    )


def registration(workshop, name: str):
    made, _created = events.registration_submit(
        actor=None, workshop=workshop, full_name=name, email="an@example.org", consent=True
    )
    return made


def review_asked(author, coordinator, programme, reviewers, title: str = "Bài giảng về xã hội dân sự"):
    """A material by `author`, whose first version `coordinator` asks `reviewers` to review."""
    material = training.material_create(
        actor=author,
        programme=programme,
        title=title,
        kind="slides",
        file=SimpleUploadedFile("bai-giang.pdf", PDF, content_type="application/pdf"),
    )
    return training.review_request(
        actor=coordinator,
        version=material.versions.get(),
        reviewers=reviewers,
        due_on=timezone.localdate() + timedelta(days=7),
    )


def public_document(actor, programme, title: str = "Tổ chức xã hội và chính sách công"):
    return library.document_create(
        actor=actor,
        programme=programme,
        title=title,
        type="research",
        access="public",
        year=2017,
        creators=["Nguyễn Văn An"],
        subjects=["Luật về Hội"],
    )
