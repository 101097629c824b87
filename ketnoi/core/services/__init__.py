"""core's own writes (API tokens, two-factor sign-in). The kit every app's services use is
`ketnoi.core.writes`."""

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
    "two_factor_disable",
    "two_factor_enrol_confirm",
    "two_factor_enrol_start",
    "two_factor_recovery_codes_regenerate",
    "two_factor_verify",
]
