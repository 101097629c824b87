"""Personal API tokens: made once, shown once, revoked by their owner."""

from django.db import transaction
from django.utils import timezone

from ..audit import audit_record
from ..models import ApiToken, User
from ..parsing import whole_number
from .actions import CoreAction


@transaction.atomic
def api_token_create(*, actor: User, name: str) -> tuple[ApiToken, str]:
    """Make a token for `actor`; the plain key is returned once and never stored."""
    key = ApiToken.new_key()
    token = ApiToken.objects.create(user=actor, name=name, key_hash=ApiToken.hash_key(key), prefix=key[3:9])
    audit_record(actor=actor, action=CoreAction.API_TOKEN_CREATE, obj=token)
    return token, key


@transaction.atomic
def api_token_revoke(*, actor: User, token_id: str) -> bool:
    token = ApiToken.objects.filter(user=actor, pk=whole_number(str(token_id))).first()
    if token is None or token.revoked_at:
        return False
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit_record(actor=actor, action=CoreAction.API_TOKEN_REVOKE, obj=token)
    return True
