"""The respondent page for forms of definition v2 (forms-spec §1): every new kind of question
drawn, the form's own languages offered, submissions as multipart/form-data with media files,
and the form's attachments served by the share link."""

import json
import re
import uuid

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ketnoi.surveys import services, views_respond
from ketnoi.surveys.models import Response
from ketnoi.surveys.ready_forms import ready_form

from .factories import LECTURE_ANSWERS
from .respond_forms import EVERY_NEW_TYPE, HOUSEHOLD, small_jpeg, with_definition


@pytest.fixture
def open_collection(coordinator, prog):
    def make(definition=None, key="lecture"):
        form = services.form_create(actor=coordinator, programme=prog, definition=ready_form(key))
        if definition is not None:
            with_definition(form, definition)
        return services.collection_open(actor=coordinator, form=form, title="Thôn Đông")

    return make


def html_of(client, collection) -> str:
    response = client.get(reverse("respond:form", args=[collection.token]))
    assert response.status_code == 200
    return response.content.decode()


# The page --------------------------------------------------------------------------------------


def test_every_new_kind_of_question_is_drawn(client, open_collection):
    html = html_of(client, open_collection(EVERY_NEW_TYPE))
    assert re.search(r'<input type="time" id="a-start_time" name="start_time" value="" step="1"', html)
    assert re.search(r'<input type="datetime-local" id="a-visit_at" name="visit_at"', html)
    # 10 down to 0 by 2: a slider from 0 to 10 drawn the other way, its value shown beside it.
    assert re.search(r'type="range" id="a-pain" name="pain" min="0" max="10" step="2" data-unset data-reversed', html)
    assert '<output id="o-pain" for="a-pain"' in html
    assert '<input type="hidden" name="priorities" value="" data-rank-value>' in html
    assert html.count('class="rank-move"') == 4  # up and down for each of two choices
    assert re.search(r'type="checkbox" id="a-consent" name="consent" value="OK" data-single', html)
    assert re.search(r'type="checkbox" id="a-go" name="go" value="OK" data-single', html)
    assert '<input type="hidden" name="secret" value="abc" data-q="secret">' in html
    assert 'name="sum"' not in html  # a calculation has no field
    assert "Lấy vị trí" in html and 'data-geo="lat"' in html and 'data-geo="lon"' in html
    assert re.search(r'<input type="file" id="a-voice" data-file-kind="audio" accept="audio/\*"', html)
    assert re.search(r'<input type="file" id="a-doc" data-file-kind="file" aria-describedby', html)
    assert re.search(r'name="town" value="Tân Lập" maxlength="5000"[^>]* readonly', html)
    assert "<summary>Hướng dẫn</summary>" in html and "Hỏi trưởng thôn nếu không rõ." in html
    assert 'layout-horizontal"' in html and re.search(r'name="likes" value="y" checked', html)
    # A counted repeat: a template per repeat, no buttons to add or remove rows; its nested
    # repeat keeps its own.
    assert '<template data-row-template="household">' in html and '<template data-row-template="visits">' in html
    assert 'data-add-row="household"' not in html and 'data-add-row="visits"' in html
    assert html.count("data-remove-row") == 1


def test_a_household_form_offers_its_languages_rows_a_cascade_and_media(client, open_collection):
    collection = open_collection(HOUSEHOLD)
    html = html_of(client, collection)
    assert '<select id="survey-language">' in html
    assert '<option value="vi" lang="vi">Tiếng Việt</option><option value="en" lang="en">English</option>' in html
    assert 'data-add-row="member"' in html and "Xoá dòng" in html
    assert re.search(r'<select id="a-district" name="district"', html)
    assert '<option value="ba_dinh" data-t="choice" data-choice="ba_dinh">Ba Đình</option>' in html
    assert f'<img src="/s/{collection.token}/media/hanoi.png"' in html
    assert re.search(r'type="file" id="a-photo" data-file-kind="image" accept="image/\*" capture="environment"', html)
    assert "Xin chào ${head}!" in html  # the page fills the output in as the respondent types
    messages = json.loads(re.search(r'id="survey-messages" type="application/json">(.*?)</script>', html).group(1))
    assert messages["max_media_bytes"] == 10 * 1024 * 1024
    assert "quá giới hạn 10 MB" in messages["file_too_big"]


def test_a_form_in_one_language_has_no_chooser(client, open_collection):
    assert 'id="survey-language"' not in html_of(client, open_collection(EVERY_NEW_TYPE))


def test_the_page_loads_the_engine_checker_before_its_own_scripts(client, open_collection):
    html = html_of(client, open_collection())
    scripts = re.findall(r'<script src="/static/surveys/([^"]+)"', html)
    assert scripts.index("answers.js") < scripts.index("respond.js") < scripts.index("respond_page.js")


# Multipart submissions -------------------------------------------------------------------------


def post_multipart(client, collection, submission, files=()):
    data = {"submission": submission if isinstance(submission, str) else json.dumps(submission)}
    for name, content in files:
        data[name] = SimpleUploadedFile(name, content, content_type="image/jpeg")
    return client.post(reverse("respond:submit", args=[collection.token]), data)


def test_a_multipart_submission_without_files_is_stored_as_json_would_be(client, open_collection):
    collection = open_collection()
    payload = {"uuid": str(uuid.uuid4()), "answers": LECTURE_ANSWERS, "version": 1}
    response = post_multipart(client, collection, payload)
    assert response.status_code == 201
    assert Response.objects.get(uuid=payload["uuid"]).answers["overall"] == LECTURE_ANSWERS["overall"]


def test_the_files_reach_the_service_by_the_names_the_answers_use(client, open_collection, monkeypatch):
    collection = open_collection()
    seen = {}

    def submit(*, collection, uuid, answers, version=None, user=None, files=None):
        seen.update(uuid=uuid, answers=answers, files={name: f.read() for name, f in (files or {}).items()})
        return None, True

    monkeypatch.setattr(views_respond, "response_submit", submit)
    photo = small_jpeg()
    payload = {"uuid": str(uuid.uuid4()), "answers": {"photo": "1712345678901.jpg"}, "version": 1}
    response = post_multipart(client, collection, payload, files=[("1712345678901.jpg", photo)])
    assert response.status_code == 201
    assert seen == {"uuid": payload["uuid"], "answers": payload["answers"], "files": {"1712345678901.jpg": photo}}


def test_a_file_sent_twice_under_one_name_is_a_400_and_nothing_is_written(client, open_collection):
    collection = open_collection()
    payload = {"uuid": str(uuid.uuid4()), "answers": {"photo": "a.jpg"}}
    data = {
        "submission": json.dumps(payload),
        "a.jpg": [
            SimpleUploadedFile("a.jpg", small_jpeg(), content_type="image/jpeg"),
            SimpleUploadedFile("a.jpg", small_jpeg(), content_type="image/jpeg"),
        ],
    }
    response = client.post(reverse("respond:submit", args=[collection.token]), data)
    assert response.status_code == 400 and "a.jpg" in response.json()["errors"]["files"][0]
    assert Response.objects.count() == 0


@pytest.mark.parametrize("submission", ["", "{not json", "[1, 2]"])
def test_a_bad_submission_field_is_a_400_with_a_message(client, open_collection, submission):
    response = post_multipart(client, open_collection(), submission)
    assert response.status_code == 400 and response.json()["detail"]
    assert Response.objects.count() == 0


def test_a_broken_multipart_body_is_a_400(client, open_collection):
    collection = open_collection()
    response = client.post(
        reverse("respond:submit", args=[collection.token]),
        b'--x\r\nContent-Disposition: form-data; name="submission"\r\n\r\n{}',
        content_type="multipart/form-data; boundary=",
    )
    assert response.status_code == 400
    assert Response.objects.count() == 0


# Form attachments ------------------------------------------------------------------------------


def attachment_url(collection, name):
    return reverse("respond:attachment", args=[collection.token, name])


def test_a_listed_attachment_is_served_by_the_share_link(client, open_collection):
    from ketnoi.surveys.models import FormAttachment  # the media work's model, forms-spec §4

    collection = open_collection(HOUSEHOLD)
    version = collection.form.current_version
    FormAttachment.objects.create(
        form_version=version,
        name="hanoi.png",
        file=ContentFile(b"\x89PNG\r\n\x1a\nfake", name="hanoi.png"),
        content_type="image/png",
        size=12,
        sha256="0" * 64,
    )
    response = client.get(attachment_url(collection, "hanoi.png"))
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")
    assert response["X-Content-Type-Options"] == "nosniff"


def test_an_attachment_not_listed_by_the_current_version_is_a_404(client, open_collection):
    collection = open_collection(HOUSEHOLD)
    assert client.get(attachment_url(collection, "communes.csv")).status_code == 404
    assert client.get(attachment_url(collection, "hanoi.png")).status_code == 404  # listed, no file
    assert client.get(reverse("respond:attachment", args=["khong-co", "hanoi.png"])).status_code == 404


def test_a_submission_larger_than_its_files_may_be_is_a_413_before_anything_is_read(client, open_collection):
    collection = open_collection()
    response = client.post(
        reverse("respond:submit", args=[collection.token]),
        b"{}",
        content_type="application/json",
        CONTENT_LENGTH=str(views_respond.MAX_SUBMISSION_BYTES + 1),
    )
    assert response.status_code == 413 and "MB" in response.json()["detail"]
    assert Response.objects.count() == 0


def test_a_json_body_over_the_memory_limit_is_a_413_with_a_message(client, open_collection, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    collection = open_collection()
    payload = {"uuid": str(uuid.uuid4()), "answers": {"improve": "x" * 2000}}
    response = client.post(reverse("respond:submit", args=[collection.token]), payload, content_type="application/json")
    assert response.status_code == 413 and response.json()["detail"]
    assert Response.objects.count() == 0
