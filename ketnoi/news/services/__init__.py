"""Every write to news, one module per entity: posts.py (create, edit, publish, unpublish) and
comments.py (submit, moderate); audited (actions.py).

The other apps reach news only through this package: the services below, the Post they return,
the limits a post's fields keep (TITLE_MAX, SUMMARY_MAX) and `plain_text`, the text a post's
Markdown reads as; and `latest_published`, the public home page's news.
"""

from ..access import latest_published
from ..models import SIGNATURE_MAX, SUMMARY_MAX, TITLE_MAX, Post
from ..rendering import plain_text
from .comments import COMMENT_MAX, NAME_MAX, RATE_LIMIT, RATE_WINDOW, comment_moderate, comment_submit, ip_hash
from .posts import RESERVED_SLUGS, check_cover, post_create, post_publish, post_unpublish, post_update

__all__ = [
    "latest_published",
    "COMMENT_MAX",
    "NAME_MAX",
    "RATE_LIMIT",
    "RATE_WINDOW",
    "RESERVED_SLUGS",
    "SIGNATURE_MAX",
    "SUMMARY_MAX",
    "TITLE_MAX",
    "Post",
    "check_cover",
    "comment_moderate",
    "comment_submit",
    "ip_hash",
    "plain_text",
    "post_create",
    "post_publish",
    "post_unpublish",
    "post_update",
]
