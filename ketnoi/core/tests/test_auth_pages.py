import pytest
from django.core import mail

from ketnoi.core.models import ApiToken
from ketnoi.core.services import api_token_create


def test_login_page_is_vietnamese_by_default(client, db):
    body = client.get("/accounts/login/").content.decode()
    assert 'lang="vi"' in body
    assert "Đăng nhập" in body and "Mật khẩu" in body


def test_login_with_wrong_password_says_what_to_check(client, coordinator):
    response = client.post("/accounts/login/", {"username": "coordinator", "password": "wrong"})
    assert response.status_code == 200
    assert "không đúng" in response.content.decode()


def test_login_then_logout(client, coordinator):
    response = client.post("/accounts/login/", {"username": "coordinator", "password": "pw-coordinator"})
    assert response.status_code == 302
    assert client.get("/accounts/tokens/").status_code == 200
    client.post("/accounts/logout/")
    assert client.get("/accounts/tokens/").status_code == 302


def test_password_reset_sends_a_mail_with_a_working_link(client, coordinator, django_capture_on_commit_callbacks):
    coordinator.email = "dieuphoi@example.org"
    coordinator.save()
    with django_capture_on_commit_callbacks(execute=True):  # the mail queue sends after commit
        response = client.post("/accounts/password-reset/", {"email": "dieuphoi@example.org"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = next(line for line in mail.outbox[0].body.splitlines() if "/accounts/reset/" in line)
    path = link.split("testserver", 1)[1]
    form_page = client.get(path, follow=True)
    assert form_page.status_code == 200
    new_password = "Mat-khau-moi-2026!"
    done = client.post(form_page.redirect_chain[-1][0], {"new_password1": new_password, "new_password2": new_password})
    assert done.status_code == 302
    coordinator.refresh_from_db()
    assert coordinator.check_password(new_password)


def test_password_reset_for_unknown_address_sends_nothing_and_reveals_nothing(client, db):
    response = client.post("/accounts/password-reset/", {"email": "ai-do@example.org"})
    assert response.status_code == 302
    assert mail.outbox == []


@pytest.mark.parametrize("language", ["vi", "en"])
def test_language_switch_sets_cookie(client, db, language):
    response = client.post("/i18n/setlang/", {"language": language, "next": "/accounts/login/"})
    assert response.status_code == 302
    assert response.cookies["ketnoi_language"].value == language


def test_english_interface_after_switching(client, db):
    client.cookies["ketnoi_language"] = "en"
    body = client.get("/accounts/login/").content.decode()
    assert 'lang="en"' in body
    assert "Log in" in body
    assert "Mật khẩu" not in body


def test_healthz(client, db):
    assert client.get("/healthz").json() == {"status": "ok"}


def test_a_logged_in_outsider_sees_and_revokes_only_their_own_tokens(client, coordinator, outsider):
    theirs, _key = api_token_create(actor=coordinator, name="Bảng tính của điều phối viên")
    client.force_login(outsider)
    page = client.get("/accounts/tokens/")
    assert page.status_code == 200 and "Bảng tính của điều phối viên" not in page.content.decode()
    assert client.post("/accounts/tokens/", {"revoke": str(theirs.pk)}).status_code == 302
    assert ApiToken.objects.get(pk=theirs.pk).revoked_at is None
