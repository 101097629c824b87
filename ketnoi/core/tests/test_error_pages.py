"""The 400, 403, 404 and 500 pages (core/views_errors.py): the site's header, what happened in
the reader's language, a way back and what to do next; the 500 page with the database down."""

from unittest import mock

import pytest
from django.db import OperationalError
from django.db.backends.base.base import BaseDatabaseWrapper
from django.test import Client

pytestmark = pytest.mark.urls("ketnoi.core.tests.error_urls")


@pytest.fixture(autouse=True)
def production(settings):
    settings.DEBUG = False


def _page(client, url, status, **extra):
    client.raise_request_exception = False
    response = client.get(url, **extra)
    assert response.status_code == status
    text = response.content.decode()
    assert 'class="site-header"' in text  # the site's header
    assert 'id="error-home"' in text  # a way back to the home page
    return text


def test_404_for_a_visitor_says_what_to_do_in_vietnamese(db, client):
    text = _page(client, "/khong-co-trang-nay/", 404)
    assert "Không tìm thấy trang" in text and "Về trang chủ" in text
    assert "Not Found" not in text
    assert "/accounts/login/?next=/khong-co-trang-nay/" in text  # a visitor may need to sign in
    assert 'href="/library/"' in text


def test_404_in_english(db, client):
    client.cookies["ketnoi_language"] = "en"
    text = _page(client, "/no-such-page/", 404)
    assert "Page not found" in text and "Back to the home page" in text


def test_404_for_a_signed_in_user_says_whom_to_ask(client, outsider):
    client.force_login(outsider)
    text = _page(client, "/khong-co-trang-nay/", 404)
    assert "điều phối viên" in text
    assert "/accounts/login/" not in text


def test_a_way_back_only_to_a_page_of_this_site(db, client):
    text = _page(client, "/khong-co/", 404, HTTP_REFERER="http://testserver/news/")
    assert 'id="error-previous"' in text and 'href="http://testserver/news/"' in text
    text = _page(client, "/khong-co/", 404, HTTP_REFERER="https://evil.example/")
    assert "evil.example" not in text and 'id="error-previous"' not in text


def test_403_page(client, outsider):
    client.force_login(outsider)
    text = _page(client, "/test-errors/denied/", 403)
    assert "Không có quyền truy cập" in text and "điều phối viên" in text


def test_400_page(db, client):
    text = _page(client, "/test-errors/suspicious/", 400)
    assert "Yêu cầu không hợp lệ" in text


def test_csrf_failure_page_says_to_reload(db):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/accounts/login/", {"username": "x", "password": "y"})
    assert response.status_code == 403
    assert "Trang đã cũ" in response.content.decode() and "CSRF verification failed" not in response.content.decode()


def test_500_page_when_a_view_fails(client, outsider):
    client.force_login(outsider)
    text = _page(client, "/test-errors/broken/", 500)
    assert "Đã có lỗi ở phía chúng tôi" in text and "/test-errors/broken/" in text


def test_500_page_in_english(db, client):
    client.cookies["ketnoi_language"] = "en"
    text = _page(client, "/test-errors/broken/", 500)
    assert "Something went wrong on our side" in text


def _database_down():
    return mock.patch.object(BaseDatabaseWrapper, "_cursor", side_effect=OperationalError("the database is down"))


def test_500_page_with_the_database_down_for_a_signed_in_user(client, outsider):
    """The session, the user (and the two-factor middleware asking about them) are read from the
    database: the failure happens before any view, and the page still renders."""
    client.force_login(outsider)
    with _database_down() as cursor:
        text = _page(client, "/programmes/", 500)
    assert cursor.called  # the database was asked, and failed
    assert "Đã có lỗi ở phía chúng tôi" in text
    assert "outsider" not in text  # nobody is read from the database to fill the header


def test_500_page_with_the_database_down_for_a_visitor(db, client):
    with _database_down():
        text = _page(client, "/", 500)
    assert "Đã có lỗi ở phía chúng tôi" in text
    assert 'href="/library/"' in text
