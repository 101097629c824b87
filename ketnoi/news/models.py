"""News posts (e.g. a workshop report) and the public's comments on them.

A post belongs to a programme: its coordinators write, publish and moderate. Visitors read
published posts only and leave comments that wait for moderation. A comment's e-mail is kept
for the moderators and the person's own data requests, never shown; the client address is kept
only as a keyed hash, enough to count a flood of comments from one address.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ketnoi.core.models import TimeStampedModel
from ketnoi.core.text import keep_folded
from ketnoi.programmes.models import Programme

TITLE_MAX = 200
SUMMARY_MAX = 500
SIGNATURE_MAX = 200


def cover_path(post: "Post", filename: str) -> str:
    return f"news/covers/{post.programme_id}/{filename}"


class Tag(models.Model):
    name = models.CharField(_("tên thẻ"), max_length=60)
    slug = models.SlugField(_("mã thẻ"), max_length=60, unique=True)

    class Meta:
        verbose_name = _("thẻ tin bài")
        verbose_name_plural = _("thẻ tin bài")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Post(TimeStampedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Bản nháp")
        PUBLISHED = "published", _("Đã đăng")

    programme = models.ForeignKey(
        Programme, verbose_name=_("chương trình"), on_delete=models.PROTECT, related_name="news_posts"
    )
    title = models.CharField(_("tiêu đề"), max_length=TITLE_MAX)
    title_folded = models.CharField(max_length=TITLE_MAX, editable=False, default="")  # for the header search
    slug = models.SlugField(_("đường dẫn"), max_length=TITLE_MAX + 10, unique=True)
    summary = models.CharField(_("tóm tắt"), max_length=SUMMARY_MAX, blank=True)
    body = models.TextField(_("nội dung (Markdown)"), blank=True)
    signature = models.CharField(_("ký tên"), max_length=SIGNATURE_MAX, blank=True)
    status = models.CharField(_("trạng thái"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(_("đăng lúc"), null=True, blank=True)
    cover = models.FileField(_("ảnh bìa"), upload_to=cover_path, max_length=300, blank=True)
    tags = models.ManyToManyField(Tag, verbose_name=_("thẻ"), related_name="posts", blank=True)
    # What the post reports on (e.g. a workshop of the events app), without importing that app.
    source_content_type = models.ForeignKey(
        ContentType, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    source_object_id = models.CharField(max_length=64, blank=True)
    source = GenericForeignKey("source_content_type", "source_object_id")

    class Meta:
        verbose_name = _("tin bài")
        verbose_name_plural = _("tin bài")
        ordering = ["-published_at", "-id"]
        indexes = [
            models.Index(fields=["status", "-published_at"]),
            models.Index(fields=["source_content_type", "source_object_id"]),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        keep_folded(self, kwargs, title_folded="title")
        super().save(*args, **kwargs)

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED


class Comment(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Chờ kiểm duyệt")
        APPROVED = "approved", _("Đã duyệt")
        SPAM = "spam", _("Thư rác")
        REMOVED = "removed", _("Đã gỡ")

    post = models.ForeignKey(Post, verbose_name=_("tin bài"), on_delete=models.CASCADE, related_name="comments")
    name = models.CharField(_("tên người bình luận"), max_length=100)
    email = models.EmailField(_("thư điện tử (không công khai)"), max_length=254)
    body = models.TextField(_("nội dung bình luận"))
    status = models.CharField(_("trạng thái"), max_length=12, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(_("gửi lúc"), auto_now_add=True)
    # HMAC-SHA256 of the client address keyed by SECRET_KEY: counts floods, never reveals the address.
    ip_hash = models.CharField(max_length=64, blank=True, editable=False)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người kiểm duyệt"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    moderated_at = models.DateTimeField(_("kiểm duyệt lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("bình luận")
        verbose_name_plural = _("bình luận")
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["post", "status", "created_at"]),
            # The rate limit counts recent comments per address.
            models.Index(fields=["email", "created_at"]),
            models.Index(fields=["ip_hash", "created_at"]),
        ]

    def __str__(self) -> str:
        # No name here: the audit log keeps this text after the person asks to be forgotten.
        return gettext("Bình luận #%(id)s") % {"id": self.pk}
