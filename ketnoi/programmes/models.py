import re
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ketnoi.core.models import TimeStampedModel
from ketnoi.core.roles import Role
from ketnoi.core.text import fold
from ketnoi.directory.models import Organisation, Province


class Programme(TimeStampedModel):
    name = models.CharField(_("tên chương trình"), max_length=255)
    code = models.SlugField(_("mã"), max_length=40, unique=True)
    description = models.TextField(_("mô tả"), blank=True)
    # Off by default: a programme's name and description show on the public home page (and name
    # its coordinators to a signed-in person refused one of its pages) only once it says so.
    is_public = models.BooleanField(_("giới thiệu công khai"), default=False)
    start_date = models.DateField(_("bắt đầu"), null=True, blank=True)
    end_date = models.DateField(_("kết thúc"), null=True, blank=True)
    # Read by the two-factor rule programmes registers in core (apps.py): its coordinators must
    # sign in with a second factor.
    require_two_factor_for_coordinators = models.BooleanField(
        _("bắt buộc điều phối viên đăng nhập hai bước"), default=False
    )
    # The four-eyes rule wants a second person: a programme with a single coordinator names who
    # approves the values that coordinator enters (access.Reviewers).
    second_approver = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người phê duyệt thứ hai"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="second_approver_of",
    )

    class Meta:
        verbose_name = _("chương trình")
        verbose_name_plural = _("chương trình")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
                name="programme_dates_ordered",
            )
        ]

    def __str__(self) -> str:
        return self.name


class ProgrammeRole(models.Model):
    """A user's role on one programme. Everything a user sees of a programme follows from these."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="roles")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="programme_roles")
    role = models.CharField(_("vai trò"), max_length=16, choices=Role.choices)
    granted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("vai trò trong chương trình")
        verbose_name_plural = _("vai trò trong chương trình")
        constraints = [models.UniqueConstraint(fields=["programme", "user", "role"], name="programme_role_unique")]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} – {self.programme}"


class Component(TimeStampedModel):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="components")
    name = models.CharField(_("tên mảng"), max_length=255)
    description = models.TextField(_("mô tả"), blank=True)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=1)

    class Meta:
        verbose_name = _("mảng chương trình")
        verbose_name_plural = _("mảng chương trình")
        ordering = ["programme", "order", "id"]

    def __str__(self) -> str:
        return self.name


class Agreement(TimeStampedModel):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="agreements")
    component = models.ForeignKey(
        Component, verbose_name=_("mảng"), on_delete=models.SET_NULL, null=True, blank=True, related_name="agreements"
    )
    title = models.CharField(_("tên thoả thuận"), max_length=255)
    parties = models.ManyToManyField(Organisation, verbose_name=_("các bên"), related_name="agreements")
    signed_on = models.DateField(_("ngày ký"), null=True, blank=True)
    start_date = models.DateField(_("hiệu lực từ"), null=True, blank=True)
    end_date = models.DateField(_("hiệu lực đến"), null=True, blank=True)
    purpose = models.TextField(_("mục đích"), blank=True)
    document = models.FileField(_("văn bản đính kèm"), upload_to="agreements/%Y/", blank=True)

    class Meta:
        verbose_name = _("thoả thuận hợp tác")
        verbose_name_plural = _("thoả thuận hợp tác")
        ordering = ["programme", "-signed_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
                name="agreement_dates_ordered",
            )
        ]

    def __str__(self) -> str:
        return self.title


class Objective(TimeStampedModel):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="objectives")
    agreement = models.ForeignKey(
        Agreement,
        verbose_name=_("thoả thuận"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="objectives",
    )
    number = models.PositiveSmallIntegerField(_("số thứ tự"))
    title = models.CharField(_("mục tiêu"), max_length=500)
    description = models.TextField(_("mô tả"), blank=True)

    class Meta:
        verbose_name = _("mục tiêu")
        verbose_name_plural = _("mục tiêu")
        ordering = ["programme", "number", "id"]
        constraints = [models.UniqueConstraint(fields=["programme", "number"], name="objective_number_unique")]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


class Activity(TimeStampedModel):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="activities")
    objective = models.ForeignKey(
        Objective,
        verbose_name=_("mục tiêu"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="activities",
    )
    agreement = models.ForeignKey(
        Agreement,
        verbose_name=_("thoả thuận"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="activities",
    )
    number = models.PositiveSmallIntegerField(_("số thứ tự"))
    title = models.CharField(_("hoạt động"), max_length=500)
    description = models.TextField(_("mô tả"), blank=True)
    places = models.ManyToManyField(Province, verbose_name=_("địa bàn"), blank=True, related_name="+")
    responsible = models.ForeignKey(
        Organisation,
        verbose_name=_("đơn vị chịu trách nhiệm"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="responsible_for",
    )
    planned_quantity = models.DecimalField(
        _("số lượng kế hoạch"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    unit = models.CharField(_("đơn vị tính"), max_length=60, blank=True, help_text=_("Ví dụ: tiết, hội thảo."))
    quantity_basis = models.CharField(
        _("tính theo"),
        max_length=200,
        blank=True,
        help_text=_("Ví dụ: mỗi học kỳ, mỗi lớp, mỗi cơ sở."),
    )
    start_date = models.DateField(_("bắt đầu"), null=True, blank=True)
    end_date = models.DateField(_("kết thúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("hoạt động")
        verbose_name_plural = _("hoạt động")
        ordering = ["programme", "number", "id"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "number"], name="activity_number_unique"),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
                name="activity_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


class Disaggregation(models.TextChoices):
    SEX = "sex", _("Giới tính")
    ORGANISATION_TYPE = "organisation_type", _("Loại hình tổ chức")
    PROVINCE = "province", _("Tỉnh/thành phố")


# Words of a unit (folded) that say what an indicator measures, for `guess_indicator_kind`.
PERCENT_UNITS = ("%", "phan tram", "ti le", "ty le", "percent")
AMOUNT_UNITS = frozenset({"dong", "vnd", "usd", "eur", "trieu", "ty", "diem", "gio"})


def guess_indicator_kind(unit: str, cumulative: bool) -> str:
    """The kind an indicator most likely has when its creator does not say (the API, older
    callers): a percentage or an amount (money, a score, hours) if its unit says so, a level if
    it is not summed over periods, else a count."""
    folded = fold(unit)
    if any(word in folded for word in PERCENT_UNITS):
        return Indicator.Kind.PERCENT
    if AMOUNT_UNITS & set(re.split(r"[^a-z0-9]+", folded)) or not cumulative:
        return Indicator.Kind.AMOUNT
    return Indicator.Kind.COUNT


class Indicator(TimeStampedModel):
    class Kind(models.TextChoices):
        # A count of people, teaching periods or workshops: "1,5 hội thảo" is a typing mistake.
        COUNT = "count", _("Số đếm (số nguyên: người, tiết, hội thảo)")
        PERCENT = "percent", _("Tỉ lệ phần trăm")
        AMOUNT = "amount", _("Số đo có phần lẻ (số tiền, điểm trung bình)")

    class Frequency(models.TextChoices):
        MONTHLY = "monthly", _("Hằng tháng")
        QUARTERLY = "quarterly", _("Hằng quý")
        SEMESTER = "semester", _("Mỗi học kỳ")
        ANNUAL = "annual", _("Hằng năm")
        END = "end", _("Cuối chương trình")

    class Source(models.TextChoices):
        MANUAL = "manual", _("Nhập tay, có minh chứng và phê duyệt")
        METRIC = "metric", _("Tính tự động từ dữ liệu")

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="indicators")
    objective = models.ForeignKey(
        Objective,
        verbose_name=_("mục tiêu"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="indicators",
    )
    activity = models.ForeignKey(
        Activity,
        verbose_name=_("hoạt động"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="indicators",
    )
    code = models.CharField(_("mã chỉ số"), max_length=20)
    name = models.CharField(_("tên chỉ số"), max_length=500)
    unit = models.CharField(_("đơn vị"), max_length=60)
    kind = models.CharField(
        _("loại số liệu"),
        max_length=8,
        choices=Kind.choices,
        default=Kind.COUNT,
        help_text=_("Chỉ số đếm chỉ nhận số nguyên; tỉ lệ và số đo giữ phần thập phân."),
    )
    baseline = models.DecimalField(_("giá trị cơ sở"), max_digits=14, decimal_places=2, default=Decimal("0"))
    baseline_date = models.DateField(_("ngày đo cơ sở"), null=True, blank=True)
    frequency = models.CharField(_("tần suất"), max_length=12, choices=Frequency.choices, default=Frequency.ANNUAL)
    cumulative = models.BooleanField(
        _("cộng dồn"), default=True, help_text=_("Giá trị thực hiện được cộng dồn qua các kỳ.")
    )
    disaggregations = models.JSONField(
        _("phân tách theo"), default=list, blank=True, help_text=_("Giới tính, loại hình tổ chức, tỉnh/thành phố.")
    )
    source = models.CharField(_("nguồn số liệu"), max_length=8, choices=Source.choices, default=Source.MANUAL)
    metric_key = models.CharField(_("số liệu tự động"), max_length=80, blank=True)
    metric_params = models.JSONField(
        _("tham số của số liệu"),
        default=dict,
        blank=True,
        help_text=_("Thu hẹp số liệu tự động, ví dụ chỉ một biểu mẫu khảo sát hay một câu hỏi."),
    )

    class Meta:
        verbose_name = _("chỉ số")
        verbose_name_plural = _("chỉ số")
        ordering = ["programme", "code", "id"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "code"], name="indicator_code_unique"),
            models.CheckConstraint(condition=Q(source="manual") | ~Q(metric_key=""), name="indicator_metric_needs_key"),
        ]

    def __str__(self) -> str:
        return f"{self.code} – {self.name}"

    def check_whole(self, number: Decimal | None, field: str) -> None:
        """A count takes whole numbers only (2 and 2,0 are the same number; 1,5 is refused);
        percentages and amounts keep their decimals."""
        if self.kind != self.Kind.COUNT or number is None or number == number.to_integral_value():
            return
        raise ValidationError(
            {
                field: _(
                    "Chỉ số đếm số lượng chỉ nhận số nguyên (ví dụ 2, không phải 1,5). Nếu chỉ số đo tỉ lệ, số "
                    "tiền hay điểm trung bình, điều phối viên cần đổi loại số liệu của chỉ số."
                )
            }
        )


class IndicatorPeriod(models.Model):
    """A reporting period of an indicator with its target."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="periods")
    label = models.CharField(_("kỳ"), max_length=60)
    start_date = models.DateField(_("từ ngày"))
    end_date = models.DateField(_("đến ngày"))
    target = models.DecimalField(
        _("chỉ tiêu"), max_digits=14, decimal_places=2, validators=[MinValueValidator(Decimal("0"))]
    )

    class Meta:
        verbose_name = _("kỳ và chỉ tiêu")
        verbose_name_plural = _("kỳ và chỉ tiêu")
        ordering = ["indicator", "start_date", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(end_date__gte=models.F("start_date")), name="period_dates_ordered"),
            models.UniqueConstraint(fields=["indicator", "label"], name="period_label_unique"),
        ]

    def __str__(self) -> str:
        return self.label

    def clean(self) -> None:
        # Also what the staff back office's inline of periods checks.
        if self.indicator_id is not None and self.target is not None:
            self.indicator.check_whole(self.target, "target")


class IndicatorValue(TimeStampedModel):
    """A value entered by hand for a period, optionally for one category of a disaggregation.
    It counts towards actuals only once approved."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Chờ phê duyệt")
        APPROVED = "approved", _("Đã phê duyệt")
        REJECTED = "rejected", _("Bị từ chối")

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="values")
    period = models.ForeignKey(IndicatorPeriod, verbose_name=_("kỳ"), on_delete=models.CASCADE, related_name="values")
    value = models.DecimalField(_("giá trị"), max_digits=14, decimal_places=2)
    disaggregation = models.CharField(_("phân tách theo"), max_length=20, choices=Disaggregation.choices, blank=True)
    category = models.CharField(_("nhóm"), max_length=60, blank=True)
    evidence = models.TextField(_("minh chứng"), blank=True)
    evidence_file = models.FileField(_("tệp minh chứng"), upload_to="evidence/%Y/", blank=True)
    status = models.CharField(_("trạng thái"), max_length=10, choices=Status.choices, default=Status.SUBMITTED)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.TextField(_("ghi chú phê duyệt"), blank=True)

    class Meta:
        verbose_name = _("giá trị chỉ số")
        verbose_name_plural = _("giá trị chỉ số")
        ordering = ["indicator", "period__start_date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(disaggregation="") & Q(category="")) | (~Q(disaggregation="") & ~Q(category="")),
                name="value_category_with_disaggregation",
            )
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.period.label}: {self.value}"

    def clean(self) -> None:
        if self.indicator_id is not None and self.value is not None:
            self.indicator.check_whole(self.value, "value")
