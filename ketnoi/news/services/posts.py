"""Posts: a draft written, changed, published and taken down by the programme's coordinators,
each write audited with the coordinator as actor."""

from collections.abc import Iterable
from pathlib import Path

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from ketnoi.core.audit import audit_record, diff, snapshot
from ketnoi.core.text import fold, normalise
from ketnoi.core.uploads import check_upload
from ketnoi.core.writes import apply_fields, locked, set_related
from ketnoi.programmes.models import Programme

from ..models import SIGNATURE_MAX, SUMMARY_MAX, TITLE_MAX, Post, Tag
from .actions import NewsAction
from .common import _require_manager

COVER_MAX_BYTES = 5 * 1024 * 1024
COVER_KINDS = "PNG, JPEG, WebP"
TAG_MAX = 60
POST_FIELDS = ["title", "summary", "body", "signature", "cover"]
TEXT_FIELDS = ("title", "summary", "body", "signature")
# Addresses under /news/ that a post's slug must not take.
RESERVED_SLUGS = {"feed", "programmes", "cover"}


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
        action=NewsAction.POST_CREATE,
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
    post = locked(post, related=("programme",))
    before = snapshot(post, POST_FIELDS)
    before_tags = sorted(post.tags.values_list("name", flat=True))
    texts = {"title": title, "summary": summary, "body": body, "signature": signature}
    apply_fields(post, TEXT_FIELDS, {name: value for name, value in texts.items() if value is not None})
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
        set_related(changes, post, "tags", tag_list, before=before_tags, label=lambda t: t.name)
    if changes:
        audit_record(actor=actor, action=NewsAction.POST_UPDATE, obj=post, changes=changes)
    return post


@transaction.atomic
def post_publish(*, actor, post: Post) -> Post:
    """Make the post public. The first publication's date stays when it is published again."""
    _require_manager(actor, post.programme)
    post = locked(post, related=("programme",))
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
        actor=actor, action=NewsAction.POST_PUBLISH, obj=post, changes={"status": [Post.Status.DRAFT, post.status]}
    )
    return post


@transaction.atomic
def post_unpublish(*, actor, post: Post) -> Post:
    """Take the post off the public site (back to a draft); its comments stay."""
    _require_manager(actor, post.programme)
    post = locked(post, related=("programme",))
    if not post.is_published:
        raise ValidationError(_("Tin bài này chưa được đăng nên không cần gỡ xuống."))
    post.status = Post.Status.DRAFT
    post.updated_by = actor
    post.save(update_fields=["status", "updated_by", "updated_at"])
    audit_record(
        actor=actor,
        action=NewsAction.POST_UNPUBLISH,
        obj=post,
        changes={"status": [Post.Status.PUBLISHED, post.status]},
    )
    return post
