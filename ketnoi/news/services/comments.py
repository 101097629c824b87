"""Comments: a visitor's comment, pending until a coordinator moderates it. A submitted comment
is audited without its name or e-mail (the audit log outlives a person's request to be
forgotten).

The comment rate limit is counted in the database, never in a process's memory: several app
processes may serve the same site. On PostgreSQL two submissions from one address are
serialised by an advisory lock for the transaction, so both cannot count "two so far" at once;
SQLite's IMMEDIATE transactions already let one writer in at a time.
"""

import hashlib
import hmac
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from ketnoi.core.audit import audit_record
from ketnoi.core.text import normalise
from ketnoi.core.writes import locked

from ..models import Comment, Post
from .actions import NewsAction
from .common import _require_manager

NAME_MAX = 100
COMMENT_MAX = 5000
RATE_LIMIT = 3
RATE_WINDOW = timedelta(minutes=10)


def ip_hash(ip: str | None) -> str:
    """HMAC-SHA256 of the client address keyed by SECRET_KEY; "" when there is no address."""
    if not ip:
        return ""
    return hmac.new(settings.SECRET_KEY.encode(), ip.strip().encode(), hashlib.sha256).hexdigest()


def _lock_addresses(*keys: str) -> None:
    """Serialise submissions from the same e-mail or address on PostgreSQL (see the module note)."""
    if connection.vendor != "postgresql":
        return
    ids = sorted({int.from_bytes(hashlib.sha256(k.encode()).digest()[:8], "big", signed=True) for k in keys if k})
    with connection.cursor() as cursor:
        for lock_id in ids:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [lock_id])


def _recent(*, email: str, hashed_ip: str, now) -> list:
    """Creation times of this e-mail's and this address's comments in the window, oldest first."""
    address = Q(email=email)
    if hashed_ip:
        address |= Q(ip_hash=hashed_ip)
    return list(
        Comment.objects.filter(address, created_at__gte=now - RATE_WINDOW)
        .order_by("created_at")
        .values_list("email", "ip_hash", "created_at")
    )


def _retry_after(rows: list, *, now) -> object | None:
    """When a new comment is allowed again, or None if it is allowed now."""
    by_key: dict[str, list] = {}
    for email, hashed, created_at in rows:
        by_key.setdefault("e:" + email, []).append(created_at)
        if hashed:
            by_key.setdefault("i:" + hashed, []).append(created_at)
    blocked = [times for times in by_key.values() if len(times) >= RATE_LIMIT]
    if not blocked:
        return None
    # The moment enough of the oldest comments leave the window.
    return max(times[len(times) - RATE_LIMIT] for times in blocked) + RATE_WINDOW


def _clean_comment(*, name: str, email: str, body: str) -> tuple[str, str, str]:
    name, email, body = normalise(name), (email or "").strip().lower(), (body or "").strip()
    errors: dict[str, str] = {}
    if not name:
        errors["name"] = _("Hãy nhập tên của bạn.")
    elif len(name) > NAME_MAX:
        errors["name"] = _("Tên dài quá %(max)s ký tự: hãy viết ngắn hơn.") % {"max": NAME_MAX}
    if not email:
        errors["email"] = _("Hãy nhập địa chỉ thư điện tử (sẽ không được công khai).")
    else:
        try:
            validate_email(email)
        except ValidationError:
            errors["email"] = _("Địa chỉ thư điện tử chưa đúng: hãy kiểm tra lại, ví dụ ten@example.org.")
    if not body:
        errors["body"] = _("Hãy viết nội dung bình luận.")
    elif len(body) > COMMENT_MAX:
        errors["body"] = _("Bình luận dài %(n)s ký tự, quá giới hạn %(max)s: hãy rút gọn.") % {
            "n": len(body),
            "max": COMMENT_MAX,
        }
    if errors:
        raise ValidationError(errors)
    return name, email, body


@transaction.atomic
def comment_submit(*, post: Post, name: str, email: str, body: str, ip: str | None, honeypot: str = "") -> Comment:
    """A visitor's comment, pending moderation. A filled honeypot (a field people never see)
    marks a robot: the comment is kept as spam and the robot is told nothing different."""
    post = Post.objects.select_related("programme").get(pk=post.pk)
    if not post.is_published:
        raise ValidationError(_("Tin bài này chưa được đăng nên chưa nhận bình luận."))
    hashed_ip = ip_hash(ip)
    now = timezone.now()
    if honeypot.strip():
        clean_email = (email or "").strip().lower()[:254]
        _lock_addresses(clean_email, hashed_ip)
        if _retry_after(_recent(email=clean_email, hashed_ip=hashed_ip, now=now), now=now) is not None:
            # A flooding robot: nothing more is stored, and it is told nothing new either.
            return Comment(post=post, name="", email="", body="", status=Comment.Status.SPAM)
        comment = Comment.objects.create(
            post=post,
            name=normalise(name)[:NAME_MAX],
            email=clean_email,
            body=(body or "").strip()[:COMMENT_MAX],
            ip_hash=hashed_ip,
            status=Comment.Status.SPAM,
        )
        audit_record(actor=None, action=NewsAction.COMMENT_SUBMIT, obj=comment, changes={"status": comment.status})
        return comment
    name, email, body = _clean_comment(name=name, email=email, body=body)
    _lock_addresses(email, hashed_ip)
    retry_at = _retry_after(_recent(email=email, hashed_ip=hashed_ip, now=now), now=now)
    if retry_at is not None:
        raise ValidationError(
            _("Bạn đã gửi %(limit)s bình luận trong %(minutes)s phút vừa qua. Hãy thử lại sau %(time)s.")
            % {
                "limit": RATE_LIMIT,
                "minutes": int(RATE_WINDOW.total_seconds() // 60),
                "time": date_format(timezone.localtime(retry_at), "H:i"),
            },
            code="rate_limited",
        )
    comment = Comment.objects.create(
        post=post, name=name, email=email, body=body, ip_hash=hashed_ip, status=Comment.Status.PENDING
    )
    audit_record(actor=None, action=NewsAction.COMMENT_SUBMIT, obj=comment, changes={"status": comment.status})
    return comment


@transaction.atomic
def comment_moderate(*, actor, comment: Comment, status: str) -> Comment:
    """Approve (shown on the post), mark as spam, remove, or put back to pending."""
    post = Post.objects.select_related("programme").get(pk=comment.post_id)
    _require_manager(actor, post.programme)
    if status not in Comment.Status.values:
        raise ValidationError({"status": _("Trạng thái kiểm duyệt không hợp lệ: hãy chọn duyệt, thư rác hoặc gỡ.")})
    comment = locked(comment)
    old = comment.status
    comment.status = status
    comment.moderated_by = actor
    comment.moderated_at = timezone.now()
    comment.save(update_fields=["status", "moderated_by", "moderated_at"])
    audit_record(actor=actor, action=NewsAction.COMMENT_MODERATE, obj=comment, changes={"status": [old, status]})
    return comment
