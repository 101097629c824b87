from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ketnoi.core.imports import ImportJob
from ketnoi.core.models import TimeStampedModel
from ketnoi.core.text import fold, normalise, normalise_phone


class Province(models.Model):
    """A province-level unit. The 34-unit scheme is in force since 1 July 2025; the 63 legacy
    units are kept for older records and each points at the unit it merged into."""

    class Scheme(models.TextChoices):
        CURRENT = "2025", _("34 tỉnh/thành (từ 01/7/2025)")
        LEGACY = "legacy", _("63 tỉnh/thành (trước 01/7/2025)")

    code = models.CharField(_("mã"), max_length=8)
    scheme = models.CharField(_("hệ đơn vị"), max_length=8, choices=Scheme.choices)
    name = models.CharField(_("tên"), max_length=100)
    short_name = models.CharField(_("tên ngắn"), max_length=60)
    name_folded = models.CharField(max_length=100, editable=False, db_index=True)
    successor = models.ForeignKey(
        "self",
        verbose_name=_("thuộc đơn vị mới"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="predecessors",
        limit_choices_to={"scheme": Scheme.CURRENT},
    )

    class Meta:
        verbose_name = _("tỉnh/thành phố")
        verbose_name_plural = _("tỉnh/thành phố")
        ordering = ["scheme", "short_name"]
        constraints = [models.UniqueConstraint(fields=["scheme", "code"], name="province_code_unique_per_scheme")]

    def __str__(self) -> str:
        return self.short_name if self.scheme == self.Scheme.CURRENT else f"{self.short_name} (cũ)"

    def save(self, *args, **kwargs):
        self.name_folded = fold(self.short_name)
        super().save(*args, **kwargs)

    @property
    def current(self) -> "Province":
        return self.successor or self


class OrganisationType(models.TextChoices):
    STATE_AGENCY = "state_agency", _("Cơ quan nhà nước")
    CSO = "cso", _("Tổ chức xã hội")
    MASS_ORGANISATION = "mass_organisation", _("Tổ chức chính trị - xã hội")
    ACADEMIC = "academic", _("Cơ sở học thuật, nghiên cứu")
    INGO = "ingo", _("Tổ chức phi chính phủ quốc tế")
    MEDIA = "media", _("Cơ quan báo chí, truyền thông")
    BUSINESS = "business", _("Doanh nghiệp")
    OTHER = "other", _("Khác")


class Sex(models.TextChoices):
    FEMALE = "female", _("Nữ")
    MALE = "male", _("Nam")
    OTHER = "other", _("Khác")
    UNKNOWN = "unknown", _("Không rõ")


class Organisation(TimeStampedModel):
    name = models.CharField(_("tên tổ chức"), max_length=255)
    short_name = models.CharField(_("tên viết tắt"), max_length=60, blank=True)
    type = models.CharField(_("loại hình"), max_length=24, choices=OrganisationType.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("trực thuộc"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="children",
    )
    province = models.ForeignKey(
        Province,
        verbose_name=_("tỉnh/thành phố"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    website = models.URLField(_("trang web"), blank=True)
    email = models.EmailField(_("thư điện tử"), blank=True)
    phone = models.CharField(_("điện thoại"), max_length=40, blank=True)
    name_folded = models.CharField(max_length=320, editable=False, db_index=True)

    class Meta:
        verbose_name = _("tổ chức")
        verbose_name_plural = _("tổ chức")
        ordering = ["name"]
        indexes = [models.Index(fields=["name"], name="organisation_by_name")]  # the list's order

    def __str__(self) -> str:
        return f"{self.name} ({self.short_name})" if self.short_name else self.name

    def save(self, *args, **kwargs):
        self.name = normalise(self.name)
        self.short_name = normalise(self.short_name)
        self.name_folded = fold(f"{self.name} {self.short_name}")
        super().save(*args, **kwargs)


class Person(TimeStampedModel):
    full_name = models.CharField(_("họ và tên"), max_length=200)
    sex = models.CharField(_("giới tính"), max_length=8, choices=Sex.choices, default=Sex.UNKNOWN)
    birth_year = models.PositiveSmallIntegerField(_("năm sinh"), null=True, blank=True)
    position = models.CharField(_("chức vụ"), max_length=200, blank=True)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("tổ chức"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="people",
    )
    email = models.EmailField(_("thư điện tử"), blank=True)
    phone = models.CharField(_("điện thoại"), max_length=40, blank=True)
    province = models.ForeignKey(
        Province,
        verbose_name=_("tỉnh/thành phố"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("tài khoản"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="person",
    )
    name_folded = models.CharField(max_length=200, editable=False, db_index=True)
    email_normalised = models.CharField(max_length=254, editable=False, db_index=True, blank=True)
    phone_normalised = models.CharField(max_length=40, editable=False, db_index=True, blank=True)
    erased_at = models.DateTimeField(_("đã xoá dữ liệu cá nhân lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("cá nhân")
        verbose_name_plural = _("cá nhân")
        ordering = ["name_folded", "id"]
        indexes = [
            # The people list counts those not erased, by province, from this index alone.
            models.Index(fields=["erased_at", "province"], name="person_listed_by_province"),
        ]

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args, **kwargs):
        self.full_name = normalise(self.full_name)
        self.name_folded = fold(self.full_name)
        self.email = (self.email or "").strip()
        self.email_normalised = self.email.lower()
        self.phone_normalised = normalise_phone(self.phone)
        super().save(*args, **kwargs)


class Consent(TimeStampedModel):
    """A person's consent to a purpose, as Vietnam's personal-data rules require it recorded."""

    class Method(models.TextChoices):
        WRITTEN = "written", _("Văn bản có chữ ký")
        ONLINE = "online", _("Biểu mẫu trực tuyến")
        VERBAL = "verbal", _("Bằng lời, có người chứng kiến")
        EMAIL = "email", _("Thư điện tử")

    person = models.ForeignKey(Person, verbose_name=_("cá nhân"), on_delete=models.CASCADE, related_name="consents")
    purpose = models.CharField(_("mục đích"), max_length=255)
    given_on = models.DateField(_("ngày đồng ý"))
    method = models.CharField(_("hình thức"), max_length=12, choices=Method.choices)
    guardian_name = models.CharField(
        _("người giám hộ (nếu là trẻ em)"),
        max_length=200,
        blank=True,
        help_text=_("Với người chưa thành niên: họ tên cha, mẹ hoặc người giám hộ đã đồng ý."),
    )
    withdrawn_on = models.DateField(_("ngày rút lại"), null=True, blank=True)

    class Meta:
        verbose_name = _("sự đồng ý")
        verbose_name_plural = _("sự đồng ý")
        ordering = ["-given_on", "-id"]

    def __str__(self) -> str:
        return f"{self.person}: {self.purpose}"

    @property
    def is_active(self) -> bool:
        return self.withdrawn_on is None


class PersonImport(ImportJob, TimeStampedModel):
    """An uploaded list of people: read and classified by a background task (`tasks.py`), shown
    as a paged preview, then confirmed (the new rows added, by a task too) or cancelled. Its rows
    live in PersonImportRow, one per line."""

    # What happens to the list's people once written (core.registry.register_import_followup:
    # enrol them in a class, invite them to a workshop) and to what (the class's or workshop's id).
    followup = models.CharField(max_length=40, blank=True)
    followup_target = models.PositiveBigIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = _("lượt nhập danh sách")
        verbose_name_plural = _("lượt nhập danh sách")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.filename

    @property
    def error_rows(self):
        """The first rows that could not be read, each with its line and errors."""
        return self.import_rows.filter(status=PersonImportRow.Status.ERROR).order_by("line")[:ERROR_ROWS_SHOWN]


ERROR_ROWS_SHOWN = 20


class PersonImportRow(models.Model):
    """One line of an uploaded list: what was read, how it was classified, who it became."""

    class Status(models.TextChoices):
        NEW = "new", _("Mới")
        DUPLICATE = "duplicate", _("Trùng")
        ERROR = "error", _("Lỗi")
        CREATED = "created", _("Đã thêm")

    PROBLEMS = (Status.ERROR, Status.DUPLICATE)

    person_import = models.ForeignKey(PersonImport, on_delete=models.CASCADE, related_name="import_rows")
    line = models.PositiveIntegerField()
    status = models.CharField(max_length=12, choices=Status.choices)
    cells = models.JSONField(default=list)  # as uploaded, for the refused-rows file
    data = models.JSONField(default=dict)  # what person_create takes
    errors = models.JSONField(default=list)
    notes = models.JSONField(default=list)
    duplicate_of = models.JSONField(null=True, blank=True)  # {"person_id", "name"} or {"line"}
    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["person_import", "line"]
        indexes = [models.Index(fields=["person_import", "status", "line"], name="personimportrow_status_line")]
        constraints = [
            models.UniqueConstraint(fields=["person_import", "line"], name="personimportrow_one_per_line"),
        ]

    def __str__(self) -> str:
        return f"{self.person_import_id}:{self.line}"


class ErasureRequest(models.Model):
    """A person's data to be erased across the programmes that hold it.

    A coordinator erases what their own programmes hold at once; each other programme holding
    the person has a step its coordinator (or a data protection officer) completes. The person's
    shared record (name, e-mail, phone, account) goes when the last step is done. Who asked, who
    did each step, and when, stays here as the controller's record of the erasure.
    """

    person = models.ForeignKey(
        Person, verbose_name=_("cá nhân"), on_delete=models.CASCADE, related_name="erasure_requests"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người yêu cầu"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("yêu cầu lúc"), auto_now_add=True)
    completed_at = models.DateTimeField(_("hoàn tất lúc"), null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người hoàn tất"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("yêu cầu xoá dữ liệu cá nhân")
        verbose_name_plural = _("yêu cầu xoá dữ liệu cá nhân")
        ordering = ["-requested_at", "-id"]
        permissions = [("complete_erasure", _("Hoàn tất mọi yêu cầu xoá dữ liệu (cán bộ bảo vệ dữ liệu cá nhân)"))]
        constraints = [
            models.UniqueConstraint(
                fields=["person"], condition=models.Q(completed_at__isnull=True), name="erasure_one_open_per_person"
            )
        ]

    def __str__(self) -> str:
        return f"#{self.pk} – #{self.person_id}"

    @property
    def is_open(self) -> bool:
        return self.completed_at is None


class ErasureStep(models.Model):
    """One programme's part of an erasure request: its rows about the person, erased or not yet."""

    request = models.ForeignKey(ErasureRequest, on_delete=models.CASCADE, related_name="steps")
    # A string reference: the directory sits below programmes and never imports it.
    programme = models.ForeignKey(
        "programmes.Programme",
        verbose_name=_("chương trình"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    programme_name = models.CharField(_("tên chương trình"), max_length=255)
    done_at = models.DateTimeField(_("đã xoá lúc"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người xoá"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # The apps whose rows in this programme were erased.
    erased = models.JSONField(default=list, blank=True)

    class Meta:
        verbose_name = _("bước xoá dữ liệu")
        verbose_name_plural = _("bước xoá dữ liệu")
        ordering = ["programme_name", "id"]
        constraints = [models.UniqueConstraint(fields=["request", "programme"], name="erasure_step_once")]

    def __str__(self) -> str:
        return self.programme_name
