"""Builders for the media tests: a form with photo, recording and document questions (made as
rows: the definition checker learns the media types in its own change), its open collection,
real images made with Pillow, and uploads (the sample bytes are core.tests.media_samples)."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile

from ketnoi.surveys.models import Collection, Form, FormVersion

MEDIA_FORM = {
    "title": {"vi": "Khảo sát hiện trường"},
    "questions": [
        {"name": "village", "type": "text", "label": {"vi": "Thôn"}},
        {"name": "photo", "type": "image", "label": {"vi": "Ảnh ngôi nhà"}, "required": True},
        {"name": "voice", "type": "audio", "label": {"vi": "Lời kể"}},
        {"name": "paper", "type": "file", "label": {"vi": "Giấy tờ"}},
    ],
}


def media_form(programme, *, code="hien-truong", definition=None, **collection_fields) -> Collection:
    """An open collection of a form with media questions."""
    form = Form.objects.create(programme=programme, code=code, title="Khảo sát hiện trường")
    version = FormVersion.objects.create(form=form, number=1, definition=definition or MEDIA_FORM)
    form.current_version = version
    form.save(update_fields=["current_version"])
    collection_fields.setdefault("title", "Đợt thử")
    return Collection.objects.create(form=form, **collection_fields)


def image_bytes(fmt="JPEG", size=(640, 480), colour=(200, 30, 30), **save) -> bytes:
    from PIL import Image

    output = io.BytesIO()
    Image.new("RGBA" if fmt == "PNG" else "RGB", size, colour).save(output, fmt, **save)
    return output.getvalue()


def upload(name: str, content: bytes, content_type: str = "image/jpeg") -> SimpleUploadedFile:
    """A file as the browser sends it; the content type it claims is never believed."""
    return SimpleUploadedFile(name, content, content_type=content_type)
