"""core's own writes (API tokens, private calendar links, outgoing e-mail, two-factor sign-in). The
kit every app's services use is `ketnoi.core.writes`; every e-mail is sent through `mail_queue`
(see services/mail.py)."""

from .calendar_links import calendar_feed_for, calendar_link_create, calendar_link_revoke
from .mail import mail_purge, mail_queue, mail_undelivered_seen, render_email, undelivered_for
from .tokens import api_token_create, api_token_revoke
from .two_factor import (
    two_factor_disable,
    two_factor_enrol_confirm,
    two_factor_enrol_start,
    two_factor_recovery_codes_regenerate,
    two_factor_verify,
)

__all__ = [
    "api_token_create",
    "api_token_revoke",
    "calendar_feed_for",
    "calendar_link_create",
    "calendar_link_revoke",
    "mail_purge",
    "mail_queue",
    "mail_undelivered_seen",
    "render_email",
    "undelivered_for",
    "two_factor_disable",
    "two_factor_enrol_confirm",
    "two_factor_enrol_start",
    "two_factor_recovery_codes_regenerate",
    "two_factor_verify",
]
