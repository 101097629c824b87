"""The files sent with responses: served only to those who read the form's results, with headers
that keep them private and unrunnable; and gone from storage with their response."""

import io
import uuid
from pathlib import Path

import pytest
from django.db import transaction
from django.urls import reverse
from PIL import Image

from ketnoi.core.roles import Role
from ketnoi.core.tests import media_samples as samples
from ketnoi.programmes.models import ProgrammeRole
from ketnoi.surveys.models import Response, ResponseAttachment
from ketnoi.surveys.services import response_submit

from .media_builders import image_bytes, media_form, upload

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def stored_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


@pytest.fixture
def answered(prog):
    """A response with a photo (with EXIF data) and a PDF, and the URL of each file."""
    collection = media_form(prog)
    exif = Image.Exif()
    exif[0x010F] = "Điện thoại"  # Make; a phone writes where the photo was taken beside it
    photo = image_bytes("JPEG", size=(1600, 1200), exif=exif.tobytes())
    response, _ = response_submit(
        collection=collection,
        uuid=uuid.uuid4(),
        answers={"photo": "1712.jpg", "paper": "giay.pdf"},
        files={"1712.jpg": upload("1712.jpg", photo), "giay.pdf": upload("giay.pdf", samples.PDF)},
    )

    def url(name, form=None, code=None):
        form = form or collection.form
        return reverse("surveys:response_media", args=[code or prog.code, form.pk, response.uuid, name])

    return response, url


def test_a_results_reader_sees_the_photo_inline_privately(client_for, viewer, answered):
    response, url = answered
    served = client_for(viewer).get(url("1712.jpg"))
    assert served.status_code == 200 and served["Content-Type"] == "image/jpeg"
    assert served["Content-Disposition"].startswith("inline") and "1712.jpg" in served["Content-Disposition"]
    assert served["X-Content-Type-Options"] == "nosniff"
    assert served["Cache-Control"] == "private, no-store"
    assert "default-src 'none'" in served["Content-Security-Policy"]
    assert b"".join(served.streaming_content) == response.attachments.get(name="1712.jpg").file.read()


def test_a_document_is_a_sandboxed_download(client_for, coordinator, answered):
    _, url = answered
    served = client_for(coordinator).get(url("giay.pdf"))
    assert served.status_code == 200 and served["Content-Type"] == "application/pdf"
    assert served["Content-Disposition"].startswith("attachment") and "giay.pdf" in served["Content-Disposition"]
    assert served["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert served["X-Content-Type-Options"] == "nosniff"


def test_the_preview_is_a_small_jpeg_without_exif(client_for, viewer, answered):
    response, url = answered
    with Image.open(response.attachments.get(name="1712.jpg").file) as original:
        assert "exif" in original.info
    served = client_for(viewer).get(url("1712.jpg"), {"thumb": "1"})
    assert served.status_code == 200 and served["Content-Type"] == "image/jpeg"
    assert served["X-Content-Type-Options"] == "nosniff" and served["Cache-Control"] == "private, no-store"
    with Image.open(io.BytesIO(served.content)) as preview:
        assert max(preview.size) <= 320 and preview.size[0] > preview.size[1]
        assert "exif" not in preview.info


def test_a_preview_of_a_transparent_png_stays_a_png(client_for, viewer, prog):
    collection = media_form(prog)
    response, _ = response_submit(
        collection=collection,
        uuid=uuid.uuid4(),
        answers={"photo": "logo.png"},
        files={"logo.png": upload("logo.png", image_bytes("PNG", colour=(0, 0, 0, 0)))},
    )
    url = reverse("surveys:response_media", args=[prog.code, collection.form.pk, response.uuid, "logo.png"])
    served = client_for(viewer).get(url, {"thumb": "1"})
    assert served["Content-Type"] == "image/png"


def test_a_preview_of_what_pillow_cannot_read_is_the_file_itself(client_for, viewer, prog):
    collection = media_form(prog)
    response, _ = response_submit(
        collection=collection,
        uuid=uuid.uuid4(),
        answers={"photo": "iphone.heic"},
        files={"iphone.heic": upload("iphone.heic", samples.HEIC)},
    )
    url = reverse("surveys:response_media", args=[prog.code, collection.form.pk, response.uuid, "iphone.heic"])
    served = client_for(viewer).get(url, {"thumb": "1"})
    assert served.status_code == 200 and served["Content-Type"] == "image/heic"
    assert served["Content-Disposition"].startswith("attachment")
    assert b"".join(served.streaming_content) == samples.HEIC


def test_no_role_no_results_and_anonymous_visitors_log_in(
    client, client_for, learner, outsider, other_coordinator, answered
):
    _, url = answered
    for user in (learner, outsider, other_coordinator):
        assert client_for(user).get(url("1712.jpg")).status_code == 404
    client.logout()
    served = client.get(url("1712.jpg"))
    assert served.status_code == 302 and "/accounts/login/" in served["Location"]


def test_a_coordinator_of_another_programme_is_refused_under_their_own_code(
    client_for, other_coordinator, other_prog, answered
):
    _, url = answered
    assert client_for(other_coordinator).get(url("1712.jpg", code=other_prog.code)).status_code == 404


def test_a_file_is_reached_only_through_its_own_form_and_response(client_for, viewer, prog, answered):
    response, url = answered
    other_form = media_form(prog, code="mau-khac").form
    client = client_for(viewer)
    assert client.get(url("1712.jpg", form=other_form)).status_code == 404
    assert client.get(url("khong-co.jpg")).status_code == 404
    missing = reverse("surveys:response_media", args=[prog.code, response.collection.form.pk, uuid.uuid4(), "1712.jpg"])
    assert client.get(missing).status_code == 404


def test_a_learner_who_answered_an_identified_collection_does_not_read_files(client_for, make_user, prog, learner):
    collection = media_form(prog, mode="identified")
    response, _ = response_submit(
        collection=collection,
        uuid=uuid.uuid4(),
        answers={"photo": "a.jpg"},
        files={"a.jpg": upload("a.jpg", samples.JPEG)},
        user=learner,
    )
    url = reverse("surveys:response_media", args=[prog.code, collection.form.pk, response.uuid, "a.jpg"])
    assert client_for(learner).get(url).status_code == 404
    lecturer = make_user("giang-vien")
    ProgrammeRole.objects.create(user=lecturer, programme=prog, role=Role.LECTURER)
    assert client_for(lecturer).get(url).status_code == 200


# Files leave storage with their rows ------------------------------------------------------------


def test_deleting_a_response_removes_its_files_after_the_commit(
    answered, media_root, django_capture_on_commit_callbacks
):
    response, _ = answered
    assert len(stored_files(media_root)) == 2
    with django_capture_on_commit_callbacks(execute=True):
        response.delete()
    assert stored_files(media_root) == [] and ResponseAttachment.objects.count() == 0


def test_deleting_a_collection_removes_the_files_of_its_responses(
    answered, media_root, django_capture_on_commit_callbacks
):
    response, _ = answered
    with django_capture_on_commit_callbacks(execute=True):
        response.collection.delete()
    assert Response.objects.count() == 0 and stored_files(media_root) == []


def test_a_deletion_rolled_back_keeps_the_files(answered, media_root, django_capture_on_commit_callbacks):
    response, _ = answered

    def delete_then_fail():
        with transaction.atomic():
            response.delete()
            raise RuntimeError("changed my mind")

    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(RuntimeError):
        delete_then_fail()
    assert callbacks == [] and len(stored_files(media_root)) == 2
    assert ResponseAttachment.objects.count() == 2
