"""The page kit that needs no programme (core.web): perform, a button's service with its message."""

import pytest
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import RequestFactory

from ketnoi.core.web import REFUSALS, perform


@pytest.fixture
def request_():
    request = RequestFactory().post("/")
    request.session = {}
    request._messages = FallbackStorage(request)
    return request


def said(request) -> list[tuple[str, str]]:
    return [(m.level_tag, m.message) for m in get_messages(request)]


def test_perform_says_the_success_or_a_function_of_what_the_service_returned(request_):
    assert perform(request_, lambda: 3, "Xong.") is True
    assert perform(request_, lambda: 3, lambda n: f"{n} người.") is True
    assert said(request_) == [("success", "Xong."), ("success", "3 người.")]


def test_perform_says_a_refusal_and_lets_permission_through_unless_asked(request_):
    def refuse():
        raise ValidationError("Không được.")

    def deny():
        raise PermissionDenied("Không có quyền.")

    assert perform(request_, refuse, "Xong.") is False
    assert perform(request_, deny, "Xong.", refusals=REFUSALS) is False
    with pytest.raises(PermissionDenied):
        perform(request_, deny, "Xong.")
    assert said(request_) == [("error", "Không được."), ("error", "Không có quyền.")]
