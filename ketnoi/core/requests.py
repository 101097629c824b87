"""What a request says about its sender, read the same way everywhere."""

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    """The visitor's address. Behind TRUSTED_PROXY_HOPS reverse proxies (nginx, a load
    balancer) REMOTE_ADDR is the nearest proxy's, so the address is read from X-Forwarded-For,
    counting that many hops from its right end: what a visitor writes at its left end is never
    believed. Without proxies (the default) REMOTE_ADDR is the visitor."""
    hops = getattr(settings, "TRUSTED_PROXY_HOPS", 0)
    if hops > 0:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= hops:
            return forwarded[-hops]
    return request.META.get("REMOTE_ADDR", "")
