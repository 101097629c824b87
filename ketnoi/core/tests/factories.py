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
