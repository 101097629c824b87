"""The audit actions of core's services."""

from ketnoi.core.audit import AuditAction


class CoreAction(AuditAction):
    # "TOKEN" in a name is not a secret (ruff S105 reads it as one).
    API_TOKEN_CREATE = "core.api_token_create"  # noqa: S105
    API_TOKEN_REVOKE = "core.api_token_revoke"  # noqa: S105
    CALENDAR_LINK_CREATE = "core.calendar_link_create"
    CALENDAR_LINK_REVOKE = "core.calendar_link_revoke"
