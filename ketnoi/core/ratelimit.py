"""Counting requests against a limit in Django's cache, for the few places that must not be
used as a megaphone: password-reset e-mail, confirmation e-mail, calendar-feed fetches.

The count lives in the configured cache (CACHES): per process with the default in-memory cache,
shared between processes and machines with a shared one (README, Configuration)."""

import hashlib

from django.core.cache import cache


def cache_key_part(value: str) -> str:
    """A key part of safe characters, whatever `value` holds (an address, an e-mail)."""
    return hashlib.sha256(value.encode("utf-8", "surrogatepass")).hexdigest()[:32]


def take(key: str, *, limit: int, window_seconds: int) -> bool:
    """Count one use of `key`; False once it has been used more than `limit` times within the
    window that started with its first use."""
    cache.add(key, 0, timeout=window_seconds)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr: this use starts a new window
        cache.set(key, 1, timeout=window_seconds)
        count = 1
    return count <= limit
