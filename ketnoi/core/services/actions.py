"""The audit actions of core's services."""

from ketnoi.core.audit import AuditAction


class CoreAction(AuditAction):
    # "TOKEN" in a name is not a secret (ruff S105 reads it as one).
    API_TOKEN_CREATE = "core.api_token_create"  # noqa: S105
    API_TOKEN_REVOKE = "core.api_token_revoke"  # noqa: S105
    CALENDAR_LINK_CREATE = "core.calendar_link_create"
    CALENDAR_LINK_REVOKE = "core.calendar_link_revoke"
    # Account security: failed and locked-out logins, two-factor sign-in.
    LOGIN_FAILED = "core.login_failed"
    LOGIN_LOCKED_OUT = "core.login_locked_out"
    TWO_FACTOR_ENABLE = "core.two_factor_enable"
    TWO_FACTOR_DISABLE = "core.two_factor_disable"
    TWO_FACTOR_RECOVERY_CODES_REGENERATE = "core.two_factor_recovery_codes_regenerate"
    TWO_FACTOR_RECOVERY_CODE_USE = "core.two_factor_recovery_code_use"
