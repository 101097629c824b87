"""core's own writes (API tokens, private calendar links). The kit every app's services use is
`ketnoi.core.writes`."""

from .calendar_links import calendar_feed_for, calendar_link_create, calendar_link_revoke
from .tokens import api_token_create, api_token_revoke

__all__ = ["api_token_create", "api_token_revoke", "calendar_feed_for", "calendar_link_create", "calendar_link_revoke"]
