"""Builders for core rows: an account (its password is "pw-" + its username, which the browser
tests type) and an API token."""

from django.contrib.auth import get_user_model

from ketnoi.core.services import api_token_create


def make_user(username: str, **extra):
    return get_user_model().objects.create_user(username=username, password="pw-" + username, **extra)


def api_key(user, name: str = "test") -> str:
    """A new API token of `user`; returns the key to send as `Authorization: Bearer <key>`."""
    _token, key = api_token_create(actor=user, name=name)
    return key


def enrol_two_factor(user):
    """A confirmed authenticator device for `user` (a known secret: compute its codes with
    `totp_now(device)`)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)


def totp_now(device, offset_steps: int = 0) -> str:
    """The 6-digit code the authenticator app shows now, computed as RFC 6238 says."""
    from django_otp.oath import totp

    code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=offset_steps)
    return f"{code:0{device.digits}d}"


def mark_two_factor_verified(client, user) -> None:
    """Make `client`'s session one that passed the second step (as after the verify page), for a
    user the rules require it of: tests of other things log such users in with force_login."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or enrol_two_factor(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
