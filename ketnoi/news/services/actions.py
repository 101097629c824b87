"""The audit actions of the news services."""

from ketnoi.core.audit import AuditAction


class NewsAction(AuditAction):
    POST_CREATE = "news.post_create"
    POST_UPDATE = "news.post_update"
    POST_PUBLISH = "news.post_publish"
    POST_UNPUBLISH = "news.post_unpublish"
    COMMENT_SUBMIT = "news.comment_submit"
    COMMENT_MODERATE = "news.comment_moderate"
