"""core's own writes (API tokens). The kit every app's services use is `ketnoi.core.writes`."""

from .tokens import api_token_create, api_token_revoke

__all__ = ["api_token_create", "api_token_revoke"]
