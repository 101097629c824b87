import contextlib
import secrets
import uuid

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.validators import MinValueValidator
from django.db import models, transaction
from django.db.models import Q
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ketnoi.core.models import TimeStampedModel
from ketnoi.core.text import keep_folded
from ketnoi.programmes.models import Programme


def new_share_token() -> str:
    # 12 URL-safe characters (72 bits): short enough for a QR code, far too many to guess.
    return secrets.token_urlsafe(9)


class Form(TimeStampedModel):
    """A questionnaire of one programme. Its questions live in versions: answering a version
    freezes it, and editing then makes the next one."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="survey_forms")
    code = models.SlugField(_("mã biểu mẫu"), max_length=60)
    title = models.CharField(_("tiêu đề"), max_length=255)
    title_folded = models.CharField(max_length=255, editable=False, default="")  # for the header search
    description = models.TextField(_("mô tả"), blank=True)
    current_version = models.ForeignKey(
        "FormVersion", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("biểu mẫu khảo sát")
        verbose_name_plural = _("biểu mẫu khảo sát")
        ordering = ["programme", "title", "id"]
        constraints = [models.UniqueConstraint(fields=["programme", "code"], name="survey_form_code_unique")]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        keep_folded(self, kwargs, title_folded="title")
        super().save(*args, **kwargs)


class FormVersion(models.Model):
    form = models.ForeignKey(Form, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("phiên bản"))
    definition = models.JSONField(_("định nghĩa"))
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("phiên bản biểu mẫu")
        verbose_name_plural = _("phiên bản biểu mẫu")
        ordering = ["form", "-number"]
        constraints = [models.UniqueConstraint(fields=["form", "number"], name="survey_version_number_unique")]

    def __str__(self) -> str:
        return f"{self.form} v{self.number}"


class Collection(TimeStampedModel):
    """One opening of a form for a target (a teaching session, a class, a workshop, or nothing),
    reached through its share link."""

    class Mode(models.TextChoices):
        ANONYMOUS = "anonymous", _("Ẩn danh")
        IDENTIFIED = "identified", _("Có danh tính (cần đăng nhập)")

    form = models.ForeignKey(Form, on_delete=models.CASCADE, related_name="collections")
    token = models.CharField(max_length=24, unique=True, default=new_share_token, editable=False)
    title = models.CharField(_("tên đợt khảo sát"), max_length=255)
    # The target, whichever app it lives in (see core.registry survey targets).
    target_type = models.ForeignKey(ContentType, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    target_id = models.CharField(max_length=40, blank=True)
    target_label = models.CharField(_("đối tượng khảo sát"), max_length=255, blank=True)
    # What the results are filtered and compared by, copied from the target when it is opened
    # so results never join into other apps: {"class": "…", "campus": "…", "semester": "…",
    # "lecturer": "…", "city": "…"}.
    context = models.JSONField(_("bối cảnh"), default=dict, blank=True)
    opens_at = models.DateTimeField(_("mở lúc"), default=timezone.now)
    closes_at = models.DateTimeField(_("đóng lúc"), null=True, blank=True)
    max_responses = models.PositiveIntegerField(
        _("tối đa số phiếu"), null=True, blank=True, validators=[MinValueValidator(1)]
    )
    mode = models.CharField(_("chế độ"), max_length=12, choices=Mode.choices, default=Mode.ANONYMOUS)

    class Meta:
        verbose_name = _("đợt khảo sát")
        verbose_name_plural = _("đợt khảo sát")
        ordering = ["-opens_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__isnull=True) | Q(closes_at__gt=models.F("opens_at")),
                name="collection_closes_after_opening",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def is_open(self, now=None) -> bool:
        now = now or timezone.now()
        return self.opens_at <= now and (self.closes_at is None or now < self.closes_at)


class Response(models.Model):
    """One submitted questionnaire. Stored once per client-made UUID. An anonymous response
    keeps no account and no network address."""

    uuid = models.UUIDField(unique=True, default=uuid.uuid4, editable=False)
    collection = models.ForeignKey(Collection, on_delete=models.CASCADE, related_name="responses")
    version = models.ForeignKey(FormVersion, on_delete=models.PROTECT, related_name="responses")
    answers = models.JSONField()
    # XLSForm's instance_name (settings), computed from the answers when they are stored.
    instance_name = models.CharField(_("tên phiếu"), max_length=255, blank=True, default="")
    submitted_at = models.DateTimeField(default=timezone.now, db_index=True)
    respondent = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="survey_responses"
    )

    class Meta:
        verbose_name = _("phiếu trả lời")
        verbose_name_plural = _("phiếu trả lời")
        ordering = ["-submitted_at", "-id"]
        indexes = [models.Index(fields=["collection", "submitted_at"], name="response_collection_time")]

    def __str__(self) -> str:
        return str(self.uuid)


class CollectionTally(models.Model):
    """How often each answer was given in one collection, per form version and answer name —
    the results of many responses read from a few rows (results_tally). Derived data, rebuilt
    from the responses whenever it no longer matches them; free texts are counted, never kept."""

    collection = models.OneToOneField(Collection, on_delete=models.CASCADE, primary_key=True, related_name="tally")
    through_id = models.BigIntegerField(default=0)  # every response up to this id is counted…
    responses = models.PositiveIntegerField(default=0)  # …and they are this many
    counts = models.JSONField(default=dict)  # {version id: {answer name: [[value, how many], …]}}
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("bảng đếm câu trả lời")
        verbose_name_plural = _("bảng đếm câu trả lời")

    def __str__(self) -> str:
        return f"{self.collection_id}: {self.responses}"


class ResponseAttachment(models.Model):
    """A photo, recording or document sent with a response: the answer holds its `name`, the
    file lives in storage under a name of the server's choosing. Personal data of anonymous
    respondents: served only to those who read the form's results (views_media), never by URL."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="attachments")
    name = models.CharField(_("tên tệp"), max_length=100)  # the answer's value, chosen by the client
    file = models.FileField(_("tệp"), upload_to="surveys/responses/%Y/%m/", max_length=255)
    content_type = models.CharField(_("loại tệp"), max_length=100)  # read from the bytes, not the client
    size = models.PositiveIntegerField(_("dung lượng"))
    sha256 = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("tệp đính kèm phiếu trả lời")
        verbose_name_plural = _("tệp đính kèm phiếu trả lời")
        ordering = ["response", "name"]
        constraints = [models.UniqueConstraint(fields=["response", "name"], name="response_attachment_name_unique")]

    def __str__(self) -> str:
        return self.name


class FormAttachment(models.Model):
    """A file of a form version (a choice's image, a CSV list, a question's audio), fetched by
    respondents through the share link. A new version shares the stored files of the previous
    one: a file leaves storage once no version names it."""

    form_version = models.ForeignKey(FormVersion, on_delete=models.CASCADE, related_name="attachments")
    name = models.CharField(_("tên tệp"), max_length=255)
    file = models.FileField(_("tệp"), upload_to="surveys/forms/%Y/%m/", max_length=255)
    content_type = models.CharField(_("loại tệp"), max_length=100)
    size = models.PositiveIntegerField(_("dung lượng"))
    sha256 = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("tệp đính kèm biểu mẫu")
        verbose_name_plural = _("tệp đính kèm biểu mẫu")
        ordering = ["form_version", "name"]
        constraints = [models.UniqueConstraint(fields=["form_version", "name"], name="form_attachment_name_unique")]

    def __str__(self) -> str:
        return self.name


# Stored files leave storage with their rows, however the rows go (a response deleted, a collection,
# form or programme deleted with everything under it, a person's data erased), once the deletion
# commits: a rolled-back deletion keeps its files.


def _delete_file_after_commit(field_file, *, unless_still_used_by=None) -> None:
    storage, name = field_file.storage, field_file.name
    if not name:
        return

    def delete() -> None:
        if unless_still_used_by is not None and unless_still_used_by.filter(file=name).exists():
            return  # another form version shares the file
        with contextlib.suppress(OSError):  # already gone
            storage.delete(name)

    transaction.on_commit(delete)


@receiver(post_delete, sender=ResponseAttachment, dispatch_uid="surveys_response_attachment_file")
def _response_attachment_deleted(sender, instance: ResponseAttachment, **kwargs) -> None:
    _delete_file_after_commit(instance.file)


@receiver(post_delete, sender=FormAttachment, dispatch_uid="surveys_form_attachment_file")
def _form_attachment_deleted(sender, instance: FormAttachment, **kwargs) -> None:
    _delete_file_after_commit(instance.file, unless_still_used_by=FormAttachment.objects.all())
