"""Private calendar links (core.CalendarFeedToken): made by a user for a feed they may see now,
shown once, revoked by their owner. Which feeds exist, and who may see them, the apps say through
`core.registry.register_calendar_feed`."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from ..audit import audit_record
from ..models import CalendarFeedToken, User
from ..parsing import whole_number
from ..registry import CalendarFeed, calendar_feed_builder
from .actions import CoreAction

# Enough for a phone, a laptop and a shared calendar; more is a list nobody tidies.
MAX_ACTIVE_LINKS_PER_FEED = 5


def calendar_feed_for(user: User, scope: str, object_id: str) -> CalendarFeed:
    """The feed as `user` sees it now; Http404 for an unknown feed or one out of their sight (a
    refusal reads the same as a feed that does not exist)."""
    build = calendar_feed_builder(scope)
    if build is None or not getattr(user, "is_active", False):
        raise Http404("calendar feed")
    try:
        return build(user, str(object_id))
    except PermissionDenied as refusal:
        raise Http404("calendar feed") from refusal


@transaction.atomic
def calendar_link_create(*, actor: User, scope: str, object_id: str) -> tuple[CalendarFeedToken, str]:
    """A link to the feed `scope`:`object_id` for `actor`, who must see that feed now (Http404
    otherwise). The key is returned once and only its hash is stored."""
    feed = calendar_feed_for(actor, scope, object_id)
    active = CalendarFeedToken.objects.filter(user=actor, scope=scope, object_id=object_id, revoked_at__isnull=True)
    if active.count() >= MAX_ACTIVE_LINKS_PER_FEED:
        raise ValidationError(
            _("Bạn đã có %(n)d liên kết cho lịch này. Hãy thu hồi một liên kết không dùng nữa rồi tạo lại.")
            % {"n": MAX_ACTIVE_LINKS_PER_FEED}
        )
    key = CalendarFeedToken.new_key()
    token = CalendarFeedToken.objects.create(
        user=actor,
        scope=scope,
        object_id=str(object_id),
        key_hash=CalendarFeedToken.hash_key(key),
        prefix=key[len(CalendarFeedToken.KEY_START) :][:6],
        label=feed.name[:200],
    )
    audit_record(actor=actor, action=CoreAction.CALENDAR_LINK_CREATE, obj=token, changes={"feed": token.feed})
    return token, key


@transaction.atomic
def calendar_link_revoke(*, actor: User, token_id: int | str) -> CalendarFeedToken:
    """Revoke one of `actor`'s links (Http404 for another's); revoking twice changes nothing."""
    # "³".isdigit() is True and int("³") fails: read the id as ASCII digits only.
    token = CalendarFeedToken.objects.select_for_update().filter(user=actor, pk=whole_number(token_id, low=1)).first()
    if token is None:
        raise Http404("calendar link")
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_record(actor=actor, action=CoreAction.CALENDAR_LINK_REVOKE, obj=token, changes={"feed": token.feed})
    return token
