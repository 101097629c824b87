"""A file's text extraction status updates on the document's page by itself (issue 14): the
status sits in an aria-live region and, while the extraction waits, asks its fragment endpoint
every 3 seconds (htmx); the endpoint answers 204 while nothing changed and the final status with
286, which stops the polling; without JavaScript a "Tải lại" link stays. The endpoint is scoped
like the page."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from ketnoi.library import services
from ketnoi.library.models import DocumentFile

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
POLL = 'hx-trigger="every 3s"'


@pytest.fixture
def document(prog, curator):
    return services.document_create(
        actor=curator, programme=prog, title="Báo cáo về tổ chức xã hội", type="research", access="partners"
    )


@pytest.fixture
def file(document):
    return DocumentFile.objects.create(
        document=document, file="library/x.txt", original_name="x.txt", media_type="text/plain", size=1, sha256="a"
    )


def status_url(prog, file) -> str:
    return reverse("library:file_status", args=[prog.code, file.pk])


def manage_url(prog, document) -> str:
    return reverse("library:document_manage", args=[prog.code, document.pk])


def test_the_page_polls_a_pending_file_in_a_live_region_with_a_reload_link(client_for, curator, prog, document, file):
    page = client_for(curator).get(manage_url(prog, document)).content.decode()
    assert f'<div aria-live="polite" id="file-{file.pk}-live">' in page
    assert f'hx-get="{status_url(prog, file)}" {POLL} hx-swap="outerHTML"' in page
    assert "<noscript><a href=" in page and "Tải lại</a></noscript>" in page
    assert "Đang chờ trích văn bản" in page


def test_the_fragment_waits_then_answers_the_final_status_and_stops(client_for, curator, prog, file):
    client = client_for(curator)
    waiting = client.get(status_url(prog, file), **HTMX)
    assert waiting.status_code == 204 and waiting.content == b""  # nothing swapped, nothing announced
    DocumentFile.objects.filter(pk=file.pk).update(status=DocumentFile.Status.READY, page_count=3)
    final = client.get(status_url(prog, file), **HTMX)
    assert final.status_code == 286  # htmx swaps it in and stops polling
    text = final.content.decode()
    assert "Đã trích văn bản" in text and "3 trang" in text
    assert POLL not in text and "hx-get" not in text and "Tải lại" not in text


def test_a_failed_file_comes_with_its_reason_and_the_retry_button(client_for, curator, prog, file):
    DocumentFile.objects.filter(pk=file.pk).update(status=DocumentFile.Status.FAILED, failure="Tệp hỏng")
    final = client_for(curator).get(status_url(prog, file), **HTMX)
    text = final.content.decode()
    assert final.status_code == 286 and "Tệp hỏng" in text and "Thử lại" in text and POLL not in text


def test_a_file_waiting_so_long_its_task_was_lost_stops_polling(client_for, curator, prog, document, file):
    DocumentFile.objects.filter(pk=file.pk).update(updated_at=timezone.now() - timedelta(hours=1))
    client = client_for(curator)
    final = client.get(status_url(prog, file), **HTMX)
    assert final.status_code == 286 and "Thử lại" in final.content.decode()
    assert POLL not in client.get(manage_url(prog, document)).content.decode()


def test_without_htmx_the_fragment_is_a_plain_page_part(client_for, curator, prog, file):
    response = client_for(curator).get(status_url(prog, file))
    assert response.status_code == 200 and POLL in response.content.decode()


@pytest.mark.parametrize("persona", ["outsider", "other_coordinator", "viewer", "lecturer"])
def test_the_fragment_is_scoped_like_the_page(request, client_for, prog, file, persona):
    client = client_for(request.getfixturevalue(persona))
    for headers in ({}, HTMX):
        response = client.get(status_url(prog, file), **headers)
        assert response.status_code == 404 and "x.txt" not in response.content.decode()


def test_another_programmes_code_does_not_reach_the_file(client_for, other_coordinator, other_prog, file):
    assert client_for(other_coordinator).get(status_url(other_prog, file), **HTMX).status_code == 404


def test_anonymous_goes_to_login(client, prog, file):
    response = client.get(status_url(prog, file), **HTMX)
    assert response.status_code == 302 and "login" in response["Location"]
