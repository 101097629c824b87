"""Login throttling and lockout (django-axes), audited failures, and the password-reset limit."""

import re
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.core import mail
from django.core.cache import cache
from django.test import Client

from ketnoi.core.models import AuditEntry
from ketnoi.core.services.actions import CoreAction


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


def _fail(client, username, times, url="/accounts/login/", **extra):
    for _ in range(times):
        client.post(url, {"username": username, "password": "sai-mat-khau"}, **extra)


def _logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_ten_wrong_passwords_then_the_right_one_is_refused(coordinator):
    client = Client()
    _fail(client, "coordinator", 10)
    response = client.post("/accounts/login/", {"username": "coordinator", "password": "pw-coordinator"})
    assert response.status_code == 429
    body = response.content.decode()
    assert "Tạm khoá đăng nhập" in body and "15 phút" in body and "/accounts/password-reset/" in body
    assert not _logged_in(client)


def test_the_admin_login_is_locked_out_too(staff_admin):
    client = Client()
    _fail(client, "admin", 10, url="/admin/login/?next=/admin/")
    response = client.post("/admin/login/?next=/admin/", {"username": "admin", "password": "pw-admin"})
    assert response.status_code == 429
    assert not _logged_in(client)


def test_an_address_that_guessed_too_often_is_refused_for_another_account_too(coordinator, outsider):
    client = Client()
    _fail(client, "coordinator", 10)
    response = client.post("/accounts/login/", {"username": "outsider", "password": "pw-outsider"})
    assert response.status_code == 429


def test_one_account_guessed_from_many_addresses_is_locked(coordinator):
    for n in range(10):
        _fail(Client(REMOTE_ADDR=f"203.0.113.{n + 1}"), "coordinator", 1)
    fresh = Client(REMOTE_ADDR="198.51.100.7")
    response = fresh.post("/accounts/login/", {"username": "coordinator", "password": "pw-coordinator"})
    assert response.status_code == 429


def test_another_address_and_account_are_not_affected(coordinator, outsider):
    _fail(Client(REMOTE_ADDR="203.0.113.9"), "coordinator", 10)
    other = Client(REMOTE_ADDR="198.51.100.7")
    response = other.post("/accounts/login/", {"username": "outsider", "password": "pw-outsider"})
    assert response.status_code == 302 and _logged_in(other)


def test_the_lock_ends_after_the_cool_off_and_tries_during_it_do_not_extend_it(coordinator, settings):
    client = Client()
    _fail(client, "coordinator", 10)
    _fail(client, "coordinator", 5)  # refused while locked: not counted, the cool-off runs on
    assert AccessAttempt.objects.get(username="coordinator").failures_since_start == 10
    AccessAttempt.objects.update(attempt_time=AccessAttempt.objects.get().attempt_time - timedelta(minutes=16))
    response = client.post("/accounts/login/", {"username": "coordinator", "password": "pw-coordinator"})
    assert response.status_code == 302 and _logged_in(client)


def test_a_successful_login_resets_the_count(coordinator):
    client = Client()
    _fail(client, "coordinator", 6)
    assert client.post("/accounts/login/", {"username": "coordinator", "password": "pw-coordinator"}).status_code == 302
    client.post("/accounts/logout/")
    _fail(client, "coordinator", 6)
    response = client.post("/accounts/login/", {"username": "coordinator", "password": "pw-coordinator"})
    assert response.status_code == 302 and _logged_in(client)


def test_failed_logins_and_the_lockout_are_audited_without_the_password(coordinator):
    client = Client(REMOTE_ADDR="203.0.113.5")
    _fail(client, "coordinator", 10)
    _fail(client, "ai-do", 1)  # refused while the address is locked: not counted, not audited
    failures = AuditEntry.objects.filter(action=CoreAction.LOGIN_FAILED)
    assert failures.count() == 10
    entry = failures.first()
    assert entry.object_id == str(coordinator.pk)
    assert entry.changes["username"] == "coordinator" and entry.changes["address"] == "203.0.113.5"
    assert "sai-mat-khau" not in str(list(AuditEntry.objects.values_list("changes", flat=True)))
    lockout = AuditEntry.objects.get(action=CoreAction.LOGIN_LOCKED_OUT)
    assert lockout.changes["cooloff_minutes"] == 15


def test_a_failed_login_with_an_unknown_name_is_audited_too(db):
    Client(REMOTE_ADDR="203.0.113.5").post("/accounts/login/", {"username": "khong-co", "password": "x"})
    entry = AuditEntry.objects.get(action=CoreAction.LOGIN_FAILED)
    assert entry.changes["username"] == "khong-co" and entry.changes["address"] == "203.0.113.5"


def test_the_client_address_behind_a_proxy_is_the_forwarded_one(coordinator, settings):
    settings.TRUSTED_PROXY_HOPS = 1
    # The proxy appends the real address; what the visitor wrote at the left is ignored.
    for n in range(10):
        client = Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=f"1.2.3.{n}, 203.0.113.5")
        _fail(client, f"ai-do-{n}", 1)
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.5"}
    blocked = Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="9.9.9.9, 203.0.113.5")
    assert (
        blocked.post("/accounts/login/", {"username": "coordinator", "password": "pw-coordinator"}).status_code == 429
    )
    other = Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert other.post("/accounts/login/", {"username": "coordinator", "password": "pw-coordinator"}).status_code == 302


def test_resetting_the_password_lifts_the_account_s_lock(coordinator, django_capture_on_commit_callbacks):
    coordinator.email = "dieuphoi@example.org"
    coordinator.save()
    _fail(Client(REMOTE_ADDR="203.0.113.5"), "coordinator", 10)
    client = Client(REMOTE_ADDR="198.51.100.7")
    # The reset e-mail leaves through the mail queue once the request's transaction commits.
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/accounts/password-reset/", {"email": "dieuphoi@example.org"})
    link = next(line for line in mail.outbox[0].body.splitlines() if "/accounts/reset/" in line)
    form_page = client.get(link.split("testserver", 1)[1], follow=True)
    new_password = "Mat-khau-moi-2026!"
    client.post(form_page.redirect_chain[-1][0], {"new_password1": new_password, "new_password2": new_password})
    response = client.post("/accounts/login/", {"username": "coordinator", "password": new_password})
    assert response.status_code == 302 and _logged_in(client)


def test_thirty_reset_requests_send_at_most_three_mails(coordinator, django_capture_on_commit_callbacks):
    coordinator.email = "dieuphoi@example.org"
    coordinator.save()
    with django_capture_on_commit_callbacks(execute=True):
        responses = [
            Client(REMOTE_ADDR=f"203.0.113.{n}").post("/accounts/password-reset/", {"email": "dieuphoi@example.org"})
            for n in range(30)
        ]
    assert len(mail.outbox) == 3
    # The throttled answer is the same "sent" page: it tells nothing of the limit or the account.
    assert {(r.status_code, r["Location"]) for r in responses} == {(302, "/accounts/password-reset/sent/")}


def test_one_address_asking_for_many_accounts_is_limited(make_user, django_capture_on_commit_callbacks):
    for n in range(30):
        make_user(f"nguoi-{n}", email=f"nguoi-{n}@example.org")
    client = Client(REMOTE_ADDR="203.0.113.5")
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(30):
            client.post("/accounts/password-reset/", {"email": f"nguoi-{n}@example.org"})
    assert len(mail.outbox) == 10


def test_the_lockout_page_does_not_tell_whether_the_account_exists(coordinator):
    known, unknown = Client(REMOTE_ADDR="10.1.0.1"), Client(REMOTE_ADDR="10.1.0.2")
    _fail(known, "coordinator", 10)
    _fail(unknown, "khong-co-ai", 10)
    a = known.post("/accounts/login/", {"username": "coordinator", "password": "x"})
    b = unknown.post("/accounts/login/", {"username": "khong-co-ai", "password": "x"})
    assert a.status_code == b.status_code == 429

    def page(response, username):  # the CSRF token differs per client, nothing else may
        return re.sub(r"[A-Za-z0-9]{64}", "", response.content.decode().replace(username, ""))

    assert page(a, "coordinator") == page(b, "khong-co-ai")
