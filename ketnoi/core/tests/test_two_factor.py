"""Two-factor sign-in: enrolment, the second login step, recovery codes, throttling, and who
must use it (staff; coordinators of a programme that requires it). These tests use a plain
django.test.Client: the `client` fixture passes the second step by itself."""

import re

import pytest
from django.core.cache import cache
from django.test import Client
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from ketnoi.core.models import AuditEntry
from ketnoi.core.services.actions import CoreAction
from ketnoi.core.tests.factories import api_key, enrol_two_factor, totp_now

SECURITY = "/accounts/security/"
VERIFY = "/accounts/two-factor/"


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield


def _log_in(user, password=None) -> Client:
    client = Client()
    response = client.post(
        "/accounts/login/", {"username": user.username, "password": password or f"pw-{user.username}"}
    )
    assert response.status_code == 302
    return client


def _enrolled_with_codes(user) -> tuple[TOTPDevice, list[str]]:
    device = enrol_two_factor(user)
    from ketnoi.core.services.two_factor import _new_recovery_codes

    return device, _new_recovery_codes(user)


def test_enrolment_shows_a_qr_code_then_confirms_with_a_code_and_shows_ten_recovery_codes(outsider):
    client = _log_in(outsider)
    page = client.get(SECURITY)
    body = page.content.decode()
    assert page.status_code == 200 and "<svg" in body and "Bảo mật tài khoản" in body
    device = TOTPDevice.objects.get(user=outsider, confirmed=False)
    assert re.search(r'id="totp-secret">[A-Z2-7]{32}<', body)
    wrong = client.post(
        SECURITY, {"action": "confirm", "token": "000000" if totp_now(device) != "000000" else "111111"}
    )
    assert "Mã không đúng" in wrong.content.decode()
    device.refresh_from_db()
    device.throttle_reset()
    done = client.post(SECURITY, {"action": "confirm", "token": totp_now(device)})
    codes = re.findall(r"<li><code>([a-z2-7]+)</code></li>", done.content.decode())
    assert len(codes) == 10
    device.refresh_from_db()
    assert device.confirmed
    assert AuditEntry.objects.filter(action=CoreAction.TWO_FACTOR_ENABLE, object_id=str(outsider.pk)).exists()
    # The codes show once: the page shows how many are left, never the codes again.
    again = client.get(SECURITY).content.decode()
    assert codes[0] not in again and "Còn 10 mã khôi phục" in again


def test_login_asks_for_the_code_of_an_enrolled_user_and_lets_them_in_with_it(outsider):
    device = enrol_two_factor(outsider)
    client = _log_in(outsider)
    response = client.get("/accounts/tokens/")
    assert response.status_code == 302 and response["Location"].startswith(VERIFY)
    done = client.post(VERIFY, {"token": totp_now(device), "next": "/accounts/tokens/"})
    assert done.status_code == 302 and done["Location"] == "/accounts/tokens/"
    assert client.get("/accounts/tokens/").status_code == 200


def test_a_wrong_code_is_refused_and_further_tries_are_throttled(outsider):
    device = enrol_two_factor(outsider)
    client = _log_in(outsider)
    right = totp_now(device)
    wrong = "123456" if right != "123456" else "654321"
    assert "Mã không đúng" in client.post(VERIFY, {"token": wrong}).content.decode()
    throttled = client.post(VERIFY, {"token": right})
    assert "Hãy đợi" in throttled.content.decode()
    assert client.get("/accounts/tokens/").status_code == 302
    device.refresh_from_db()
    assert device.throttling_failure_count == 1


def test_a_recovery_code_works_once(outsider):
    _device, codes = _enrolled_with_codes(outsider)
    client = _log_in(outsider)
    assert client.post(VERIFY, {"token": codes[0].upper()}).status_code == 302
    assert client.get("/accounts/tokens/").status_code == 200
    assert AuditEntry.objects.filter(action=CoreAction.TWO_FACTOR_RECOVERY_CODE_USE).count() == 1
    assert StaticToken.objects.filter(token=codes[0]).count() == 0
    again = _log_in(outsider)
    assert "Mã không đúng" in again.post(VERIFY, {"token": codes[0]}).content.decode()
    assert again.get("/accounts/tokens/").status_code == 302


def test_staff_cannot_reach_the_admin_without_enrolling_then_verifying(staff_admin):
    client = _log_in(staff_admin)
    response = client.get("/admin/")
    assert response.status_code == 302 and response["Location"].startswith(SECURITY)
    explanation = client.get(response["Location"]).content.decode()
    assert "bắt buộc đăng nhập hai bước" in explanation
    device = enrol_two_factor(staff_admin)
    client = _log_in(staff_admin)
    response = client.get("/admin/")
    assert response.status_code == 302 and response["Location"].startswith(VERIFY)
    client.post(VERIFY, {"token": totp_now(device)})
    assert client.get("/admin/").status_code == 200


def test_staff_logging_in_through_the_admin_login_page_is_asked_for_the_code(staff_admin):
    enrol_two_factor(staff_admin)
    client = Client()
    client.post("/admin/login/?next=/admin/", {"username": "admin", "password": "pw-admin"})
    response = client.get("/admin/core/user/")
    assert response.status_code == 302 and response["Location"].startswith(VERIFY)


def test_a_coordinator_of_a_programme_requiring_it_must_enrol(coordinator, prog):
    prog.require_two_factor_for_coordinators = True
    prog.save()
    client = _log_in(coordinator)
    response = client.get("/programmes/")
    assert response.status_code == 302 and response["Location"].startswith(SECURITY)
    assert client.get(SECURITY).status_code == 200


@pytest.mark.parametrize("persona", ["other_coordinator", "outsider", "viewer"])
def test_others_are_not_asked(request, prog, persona):
    prog.require_two_factor_for_coordinators = True
    prog.save()
    user = request.getfixturevalue(persona)
    client = _log_in(user)
    assert client.get("/programmes/").status_code == 200


def test_the_api_with_a_bearer_token_is_unaffected(staff_admin):
    key = api_key(staff_admin)
    response = Client().get("/api/v1/programmes/", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 200


def test_the_api_on_a_session_that_owes_the_second_step_is_refused(staff_admin):
    enrol_two_factor(staff_admin)
    client = _log_in(staff_admin)
    assert client.get("/api/v1/programmes/").status_code == 403


def test_the_security_page_of_an_enrolled_user_needs_the_second_step_first(outsider):
    _enrolled_with_codes(outsider)
    client = _log_in(outsider)
    response = client.post(SECURITY, {"action": "regenerate"})
    assert response.status_code == 302 and response["Location"].startswith(VERIFY)
    assert AuditEntry.objects.filter(action=CoreAction.TWO_FACTOR_RECOVERY_CODES_REGENERATE).count() == 0


def test_regenerating_recovery_codes_retires_the_old_ones(outsider):
    device, old = _enrolled_with_codes(outsider)
    client = _log_in(outsider)
    client.post(VERIFY, {"token": totp_now(device)})
    body = client.post(SECURITY, {"action": "regenerate"}).content.decode()
    new = re.findall(r"<li><code>([a-z2-7]+)</code></li>", body)
    assert len(new) == 10 and not set(new) & set(old)
    assert not StaticToken.objects.filter(token__in=old).exists()
    assert AuditEntry.objects.filter(action=CoreAction.TWO_FACTOR_RECOVERY_CODES_REGENERATE).count() == 1


def test_disabling_needs_a_current_code(outsider):
    device, _codes = _enrolled_with_codes(outsider)
    client = _log_in(outsider)
    client.post(VERIFY, {"token": totp_now(device)})
    refused = client.post(SECURITY, {"action": "disable", "token": "abc"})
    assert "Mã không đúng" in refused.content.decode()
    assert TOTPDevice.objects.filter(user=outsider).exists()
    device.refresh_from_db()
    device.throttle_reset()
    done = client.post(SECURITY, {"action": "disable", "token": totp_now(device, offset_steps=1)})
    assert done.status_code == 302
    assert not TOTPDevice.objects.filter(user=outsider).exists()
    assert AuditEntry.objects.filter(action=CoreAction.TWO_FACTOR_DISABLE).count() == 1


def test_the_test_client_fixture_passes_the_step_for_staff(client, staff_admin):
    client.force_login(staff_admin)
    assert client.get("/admin/").status_code == 200


@pytest.mark.parametrize(
    "path",
    ["/accounts/password-change/", "/accounts/tokens/", "/accounts/mail/undelivered/", "/cal/subscribe/", "/admin/"],
)
def test_an_enrolled_user_reaches_no_account_page_before_the_second_step(coordinator, path):
    enrol_two_factor(coordinator)
    client = _log_in(coordinator)
    assert client.get(path, HTTP_HX_REQUEST="true")["Location"].startswith(VERIFY)
    assert client.post(path, {"old_password": "pw-coordinator"})["Location"].startswith(VERIFY)


@pytest.mark.parametrize("target", ["//evil.example", "/\\evil.example", "https://evil.example", "\\\\evil.example"])
def test_the_second_step_never_sends_on_to_another_site(outsider, target):
    device = enrol_two_factor(outsider)
    client = _log_in(outsider)
    response = client.post(VERIFY, {"token": totp_now(device), "next": target})
    assert response.status_code == 302 and response["Location"] == "/"


def test_setting_a_new_password_from_the_e_mailed_link_does_not_sign_in(
    coordinator, django_capture_on_commit_callbacks
):
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    enrol_two_factor(coordinator)
    client = Client()
    uid = urlsafe_base64_encode(force_bytes(coordinator.pk))
    form_page = client.get(f"/accounts/reset/{uid}/{default_token_generator.make_token(coordinator)}/")
    new_password = {"new_password1": "Mat-khau-moi-2026!", "new_password2": "Mat-khau-moi-2026!"}
    response = client.post(form_page["Location"], new_password)
    assert response.status_code == 302 and "_auth_user_id" not in client.session


def test_the_owner_is_told_by_e_mail_when_the_second_factor_changes(outsider, django_capture_on_commit_callbacks):
    """Someone holding only the password could enrol their own phone, or turn the factor off:
    every change goes to the account's address."""
    from django.core import mail

    from ketnoi.core.services import two_factor as service

    outsider.email = "chu-tai-khoan@example.org"
    outsider.save(update_fields=["email"])
    with django_capture_on_commit_callbacks(execute=True):
        device = service.two_factor_enrol_start(actor=outsider)
        service.two_factor_enrol_confirm(actor=outsider, token=totp_now(device))
    with django_capture_on_commit_callbacks(execute=True):
        service.two_factor_recovery_codes_regenerate(actor=outsider)
    device.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        assert service.two_factor_disable(actor=outsider, token=totp_now(device, offset_steps=1))
    assert [m.to for m in mail.outbox] == [["chu-tai-khoan@example.org"]] * 3
    bodies = [m.body for m in mail.outbox]
    assert "được bật" in bodies[0] and "mã khôi phục" in bodies[1] and "bị tắt" in bodies[2]
    assert all("Quên mật khẩu" in body for body in bodies)
