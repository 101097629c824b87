"""The visitor's address, with and without reverse proxies in front."""

from django.test import RequestFactory, override_settings

from ketnoi.core.requests import client_ip


def request(**meta):
    return RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", **meta)


def test_without_proxies_the_remote_address_is_the_visitor():
    assert client_ip(request(HTTP_X_FORWARDED_FOR="1.2.3.4")) == "10.0.0.2"


@override_settings(TRUSTED_PROXY_HOPS=1)
def test_behind_one_proxy_the_address_it_added_is_read_and_a_forged_left_part_ignored():
    assert client_ip(request(HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9")) == "203.0.113.9"
    assert client_ip(request()) == "10.0.0.2"


@override_settings(TRUSTED_PROXY_HOPS=2)
def test_behind_two_proxies():
    assert client_ip(request(HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9, 10.0.0.7")) == "203.0.113.9"
