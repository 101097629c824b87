import hashlib
import secrets

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """The platform's account. Kept as our own model so fields can be added without pain."""

    # E-mails this person caused that could not be delivered and they have not looked at yet:
    # kept on the row the request already loads, so the menu's notice costs no query.
    undelivered_mail_unseen = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("tài khoản")
        verbose_name_plural = _("tài khoản")

    def __str__(self) -> str:
        return self.get_full_name() or self.username


class TimeStampedModel(models.Model):
    """Who made and last changed a row, and when. Services fill the `_by` fields."""

    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người tạo"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người cập nhật"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        abstract = True


class AuditEntry(models.Model):
    """One write made through a service: who, what, when, on which object, what changed."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người thực hiện"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="audit_entries",
    )
    action = models.CharField(_("thao tác"), max_length=80)
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.CharField(max_length=64)
    object_repr = models.CharField(_("đối tượng"), max_length=255)
    changes = models.JSONField(_("thay đổi"), default=dict, blank=True)
    created_at = models.DateTimeField(_("lúc"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("nhật ký thay đổi")
        verbose_name_plural = _("nhật ký thay đổi")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.action} {self.object_repr}"


class ApiToken(models.Model):
    """A personal API token. Only its SHA-256 is stored; the token is shown once at creation."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("tên"), max_length=100)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField(max_length=8, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("mã truy cập API")
        verbose_name_plural = _("mã truy cập API")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def hash_key(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @staticmethod
    def new_key() -> str:
        return "kn_" + secrets.token_urlsafe(32)


class CalendarFeedToken(models.Model):
    """A private link to one calendar feed (/cal/<key>.ics), for a calendar app that cannot log in.

    The feed is served as `user`, with the checks of the page it comes from at each fetch: a user
    who loses their role gets no data from their links. Only the key's SHA-256 is stored (the key
    has 256 random bits, so a fast hash is enough): the full link is shown once, when it is made,
    and a lost link is replaced by a new one. `scope` names the kind of feed an app registered
    (`core.registry.register_calendar_feed`, e.g. "training.class") and `object_id` which one."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed_tokens")
    scope = models.CharField(_("loại lịch"), max_length=40)
    object_id = models.CharField(_("lịch"), max_length=64)
    # The calendar's title when the link was made (a class, a programme's workshops), for the list
    # of one's links; the feed itself is rebuilt at every fetch.
    label = models.CharField(_("tên lịch"), max_length=200, blank=True)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField(max_length=8, editable=False)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("dùng lần cuối"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("thu hồi lúc"), null=True, blank=True)

    KEY_START = "kc_"

    class Meta:
        verbose_name = _("liên kết đăng ký lịch")
        verbose_name_plural = _("liên kết đăng ký lịch")
        indexes = [models.Index(fields=["user", "scope", "object_id"], name="core_calfeed_user_feed")]

    def __str__(self) -> str:
        # The prefix only: the audit log and the admin never hold a usable key.
        return f"{self.feed} ({self.prefix}…)"

    @property
    def feed(self) -> str:
        return f"{self.scope}:{self.object_id}"

    @staticmethod
    def hash_key(key: str) -> str:
        return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()

    @classmethod
    def new_key(cls) -> str:
        return cls.KEY_START + secrets.token_urlsafe(32)


class OutgoingEmail(models.Model):
    """One e-mail the platform sends, kept until it is delivered — or shown as undelivered to
    the person whose action caused it and to staff. Written by `core.services.mail_queue`, sent
    by the `send_outgoing_email` task (tried again with a growing delay)."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("đang chờ gửi")
        SENT = "sent", _("đã gửi")
        FAILED = "failed", _("không gửi được")

    to = models.JSONField(_("gửi đến"), default=list)
    subject = models.CharField(_("tiêu đề"), max_length=255)
    body = models.TextField(_("nội dung"), blank=True)
    html_body = models.TextField(_("nội dung HTML"), blank=True)
    # [{"name": …, "mimetype": …, "content": base64}] — small files only (a check-in QR code).
    attachments = models.JSONField(default=list, blank=True)
    template = models.CharField(_("mẫu thư"), max_length=120)
    language = models.CharField(_("ngôn ngữ"), max_length=8)
    # A message carrying a secret (a password-reset link): its text is dropped once sent.
    sensitive = models.BooleanField(default=False)
    status = models.CharField(_("trạng thái"), max_length=8, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("số lần thử"), default=0)
    last_error = models.TextField(_("lỗi gần nhất"), blank=True)
    caused_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("do ai gây ra"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="outgoing_emails",
    )
    # What the message is about, for the person who reads the list of undelivered mail.
    about_label = models.CharField(_("về việc"), max_length=255, blank=True)
    about_url = models.CharField(_("đường dẫn"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)
    sent_at = models.DateTimeField(_("gửi lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("thư gửi đi")
        verbose_name_plural = _("thư gửi đi")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["caused_by", "status"], name="core_outgoingemail_causer")]

    def __str__(self) -> str:
        return f"{self.subject} → {', '.join(self.to)}"
