"""core's own writes (API tokens, private calendar links, outgoing e-mail). The kit every app's
services use is `ketnoi.core.writes`; every e-mail is sent through `mail_queue` (see services/mail.py)."""

from .calendar_links import calendar_feed_for, calendar_link_create, calendar_link_revoke
from .mail import mail_queue, mail_undelivered_seen, render_email, undelivered_for
from .tokens import api_token_create, api_token_revoke

__all__ = [
    "api_token_create",
    "api_token_revoke",
    "calendar_feed_for",
    "calendar_link_create",
    "calendar_link_revoke",
    "mail_queue",
    "mail_undelivered_seen",
    "render_email",
    "undelivered_for",
]
