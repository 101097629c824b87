"""Every write to news: posts (create, edit, publish, unpublish) and comments (submit, moderate).

Posts and moderation are audited with the coordinator as actor. A submitted comment is audited
without its name or e-mail (the audit log outlives a person's request to be forgotten).

The comment rate limit is counted in the database, never in a process's memory: several app
processes may serve the same site. On PostgreSQL two submissions from one address are
serialised by an advisory lock for the transaction, so both cannot count "two so far" at once;
SQLite's IMMEDIATE transactions already let one writer in at a time.
"""

import hashlib
import hmac
from collections.abc import Iterable
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import connection, models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import slugify
from django.utils.translation import gettext as _

from ketnoi.core.audit import audit_record, diff, snapshot
from ketnoi.core.text import fold, normalise
from ketnoi.core.uploads import check_upload
from ketnoi.programmes.models import Programme

from . import access
from .models import SIGNATURE_MAX, SUMMARY_MAX, TITLE_MAX, Comment, Post, Tag

COVER_MAX_BYTES = 5 * 1024 * 1024
COVER_KINDS = "PNG, JPEG, WebP"
NAME_MAX = 100
COMMENT_MAX = 5000
TAG_MAX = 60
RATE_LIMIT = 3
RATE_WINDOW = timedelta(minutes=10)
POST_FIELDS = ["title", "summary", "body", "signature", "cover"]
# Addresses under /news/ that a post's slug must not take.
RESERVED_SLUGS = {"feed", "programmes", "cover"}


def _require_manager(actor, programme: Programme) -> None:
    if not access.can_manage(actor, programme):
        raise PermissionDenied(_("Chỉ điều phối viên của chương trình mới được quản lý tin bài."))


# Posts ------------------------------------------------------------------------------------------


def _unique_slug(title: str, *, exclude: int | None = None) -> str:
    base = slugify(fold(title))[:TITLE_MAX].strip("-") or "tin-bai"
    taken = set(Post.objects.filter(slug__startswith=base).exclude(pk=exclude).values_list("slug", flat=True))
    taken |= RESERVED_SLUGS
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def check_cover(uploaded) -> None:
    """PNG, JPEG or WebP by content, at most 5 MB."""
    check_upload(
        uploaded,
        field="cover",
        allowed={".png", ".jpg", ".jpeg", ".webp"},
        max_bytes=COVER_MAX_BYTES,
        kinds_label=COVER_KINDS,
    )


def _tags(names: Iterable) -> list[Tag]:
    """Tags by name (or Tag objects), made when new. Names that fold to the same slug are one tag."""
    tags: dict[str, Tag] = {}
    for item in names:
        if isinstance(item, Tag):
            tags[item.slug] = item
            continue
        name = normalise(str(item))
        if not name:
            continue
        if len(name) > TAG_MAX:
            raise ValidationError(
                {
                    "tags": _("Thẻ “%(name)s” dài quá %(max)s ký tự: hãy dùng một từ ngắn hơn.")
                    % {"name": name, "max": TAG_MAX}
                }
            )
        slug = slugify(fold(name))[:TAG_MAX]
        if not slug:
            raise ValidationError({"tags": _("Thẻ “%(name)s” cần có chữ hoặc số.") % {"name": name}})
        if slug not in tags:
            tags[slug] = Tag.objects.get_or_create(slug=slug, defaults={"name": name})[0]
    return list(tags.values())


def _clean_post_fields(post: Post) -> None:
    post.title = normalise(post.title)
    post.summary = normalise(post.summary)
    post.signature = normalise(post.signature)
    post.body = (post.body or "").strip()
    errors: dict[str, str] = {}
    if not post.title:
        errors["title"] = _("Hãy nhập tiêu đề tin bài, ví dụ “Hội thảo tập huấn vận động chính sách”.")
    elif len(post.title) > TITLE_MAX:
        errors["title"] = _("Tiêu đề dài quá %(max)s ký tự: hãy rút gọn.") % {"max": TITLE_MAX}
    if len(post.summary) > SUMMARY_MAX:
        errors["summary"] = _("Tóm tắt dài quá %(max)s ký tự: hãy rút gọn còn một hai câu.") % {"max": SUMMARY_MAX}
    if len(post.signature) > SIGNATURE_MAX:
        errors["signature"] = _("Phần ký tên dài quá %(max)s ký tự: hãy rút gọn.") % {"max": SIGNATURE_MAX}
    if errors:
        raise ValidationError(errors)


def _source_fields(source: models.Model | None) -> dict:
    if source is None:
        return {"source_content_type": None, "source_object_id": ""}
    if source.pk is None:
        raise ValidationError(_("Đối tượng được đưa tin chưa được lưu."))
    return {
        "source_content_type": ContentType.objects.get_for_model(source, for_concrete_model=True),
        "source_object_id": str(source.pk),
    }


@transaction.atomic
def post_create(
    *,
    actor,
    programme: Programme,
    title: str,
    summary: str = "",
    body: str = "",
    signature: str = "",
    tags: Iterable = (),
    cover=None,
    source: models.Model | None = None,
) -> Post:
    """A draft post. The events app calls this for a workshop's "Publish report" with the body
    it composed and source=<the workshop>."""
    _require_manager(actor, programme)
    post = Post(
        programme=programme,
        title=title or "",
        summary=summary or "",
        body=body or "",
        signature=signature or "",
        status=Post.Status.DRAFT,
        created_by=actor,
        updated_by=actor,
        **_source_fields(source),
    )
    _clean_post_fields(post)
    if cover:
        check_cover(cover)
    tag_list = _tags(tags)
    post.slug = _unique_slug(post.title)
    if cover:
        post.cover.save(Path(cover.name).name, cover, save=False)
    post.save()
    post.tags.set(tag_list)
    audit_record(
        actor=actor,
        action="news.post_create",
        obj=post,
        changes={"title": post.title, "tags": [t.name for t in tag_list], "source": source},
    )
    return post


@transaction.atomic
def post_update(
    *,
    actor,
    post: Post,
    title: str | None = None,
    summary: str | None = None,
    body: str | None = None,
    signature: str | None = None,
    tags: Iterable | None = None,
    cover=None,
    remove_cover: bool = False,
) -> Post:
    """Change what is given (None leaves a field as it is). The address (slug) follows the title
    until the post is first published; after that links to it must keep working."""
    _require_manager(actor, post.programme)
    post = Post.objects.select_for_update().select_related("programme").get(pk=post.pk)
    before = snapshot(post, POST_FIELDS)
    before_tags = sorted(post.tags.values_list("name", flat=True))
    for name, value in (("title", title), ("summary", summary), ("body", body), ("signature", signature)):
        if value is not None:
            setattr(post, name, value)
    _clean_post_fields(post)
    if cover:
        check_cover(cover)
    tag_list = _tags(tags) if tags is not None else None
    if post.published_at is None and "title" in diff(before, post):
        post.slug = _unique_slug(post.title, exclude=post.pk)
    if cover:
        post.cover.save(Path(cover.name).name, cover, save=False)
    elif remove_cover:
        post.cover = ""
    post.updated_by = actor
    post.save()
    changes = diff(before, post)
    if tag_list is not None:
        post.tags.set(tag_list)
        after_tags = sorted(t.name for t in tag_list)
        if after_tags != before_tags:
            changes["tags"] = [before_tags, after_tags]
    if changes:
        audit_record(actor=actor, action="news.post_update", obj=post, changes=changes)
    return post


@transaction.atomic
def post_publish(*, actor, post: Post) -> Post:
    """Make the post public. The first publication's date stays when it is published again."""
    _require_manager(actor, post.programme)
    post = Post.objects.select_for_update().select_related("programme").get(pk=post.pk)
    if post.is_published:
        raise ValidationError(_("Tin bài này đã được đăng."))
    if not post.body.strip() and not post.summary.strip():
        raise ValidationError({"body": _("Hãy viết nội dung (hoặc ít nhất phần tóm tắt) trước khi đăng tin bài.")})
    post.status = Post.Status.PUBLISHED
    if post.published_at is None:
        post.published_at = timezone.now()
    post.updated_by = actor
    post.save(update_fields=["status", "published_at", "updated_by", "updated_at"])
    audit_record(
        actor=actor, action="news.post_publish", obj=post, changes={"status": [Post.Status.DRAFT, post.status]}
    )
    return post


@transaction.atomic
def post_unpublish(*, actor, post: Post) -> Post:
    """Take the post off the public site (back to a draft); its comments stay."""
    _require_manager(actor, post.programme)
    post = Post.objects.select_for_update().select_related("programme").get(pk=post.pk)
    if not post.is_published:
        raise ValidationError(_("Tin bài này chưa được đăng nên không cần gỡ xuống."))
    post.status = Post.Status.DRAFT
    post.updated_by = actor
    post.save(update_fields=["status", "updated_by", "updated_at"])
    audit_record(
        actor=actor, action="news.post_unpublish", obj=post, changes={"status": [Post.Status.PUBLISHED, post.status]}
    )
    return post


# Comments ---------------------------------------------------------------------------------------


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
        audit_record(actor=None, action="news.comment_submit", obj=comment, changes={"status": comment.status})
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
    audit_record(actor=None, action="news.comment_submit", obj=comment, changes={"status": comment.status})
    return comment


@transaction.atomic
def comment_moderate(*, actor, comment: Comment, status: str) -> Comment:
    """Approve (shown on the post), mark as spam, remove, or put back to pending."""
    post = Post.objects.select_related("programme").get(pk=comment.post_id)
    _require_manager(actor, post.programme)
    if status not in Comment.Status.values:
        raise ValidationError({"status": _("Trạng thái kiểm duyệt không hợp lệ: hãy chọn duyệt, thư rác hoặc gỡ.")})
    comment = Comment.objects.select_for_update().get(pk=comment.pk)
    old = comment.status
    comment.status = status
    comment.moderated_by = actor
    comment.moderated_at = timezone.now()
    comment.save(update_fields=["status", "moderated_by", "moderated_at"])
    audit_record(actor=actor, action="news.comment_moderate", obj=comment, changes={"status": [old, status]})
    return comment
