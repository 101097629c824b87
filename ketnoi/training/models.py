"""Co-teaching inside a partner's course: courses, campuses, semesters, classes and topics;
teaching sessions with their periods and lecturers; learners and attendance; the periods
commitment on a programme activity; training materials with versions and their expert review.
The rules (the commitment arithmetic, who may review what) live in services and queries."""

import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from ketnoi.core.models import TimeStampedModel
from ketnoi.core.text import keep_folded
from ketnoi.directory.models import Organisation, Person, Province
from ketnoi.programmes.models import Activity, Programme

DEFAULT_PERIOD_MINUTES = 45
DEFAULT_COMMITTED_PERIODS = 10


class Course(TimeStampedModel):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="courses")
    name = models.CharField(_("tên khoá học"), max_length=255)
    name_folded = models.CharField(max_length=255, editable=False, default="")  # for the header search
    code = models.CharField(_("mã"), max_length=40, blank=True)
    host = models.ForeignKey(
        Organisation,
        verbose_name=_("đơn vị đào tạo"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    period_minutes = models.PositiveSmallIntegerField(
        _("số phút một tiết"),
        default=DEFAULT_PERIOD_MINUTES,
        validators=[MinValueValidator(15), MaxValueValidator(120)],
    )

    class Meta:
        verbose_name = _("khoá học")
        verbose_name_plural = _("khoá học")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        keep_folded(self, kwargs, name_folded="name")
        super().save(*args, **kwargs)


class Campus(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="campuses")
    name = models.CharField(_("tên cơ sở"), max_length=255)
    province = models.ForeignKey(
        Province, verbose_name=_("tỉnh/thành phố"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("cơ sở đào tạo")
        verbose_name_plural = _("cơ sở đào tạo")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["programme", "name"], name="campus_name_once")]

    def __str__(self) -> str:
        return self.name


class Semester(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="semesters")
    name = models.CharField(_("học kỳ"), max_length=80)
    starts_on = models.DateField(_("từ ngày"))
    ends_on = models.DateField(_("đến ngày"))

    class Meta:
        verbose_name = _("học kỳ")
        verbose_name_plural = _("học kỳ")
        ordering = ["starts_on"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "name"], name="semester_name_once"),
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="semester_ends_after"),
        ]

    def __str__(self) -> str:
        return self.name


class Topic(models.Model):
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="topics")
    title = models.CharField(_("chủ đề"), max_length=255)
    title_folded = models.CharField(max_length=255, editable=False, default="")  # for the header search
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("chủ đề")
        verbose_name_plural = _("chủ đề")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        keep_folded(self, kwargs, title_folded="title")
        super().save(*args, **kwargs)


class TrainingClass(TimeStampedModel):
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="classes")
    campus = models.ForeignKey(Campus, verbose_name=_("cơ sở"), on_delete=models.PROTECT, related_name="classes")
    semester = models.ForeignKey(Semester, verbose_name=_("học kỳ"), on_delete=models.PROTECT, related_name="classes")
    code = models.CharField(_("mã lớp"), max_length=40)
    code_folded = models.CharField(max_length=40, editable=False, default="")  # for the header search
    learners_expected = models.PositiveIntegerField(_("số học viên"), default=0)

    class Meta:
        verbose_name = _("lớp")
        verbose_name_plural = _("lớp")
        ordering = ["semester__starts_on", "campus__name", "code"]
        constraints = [models.UniqueConstraint(fields=["course", "semester", "code"], name="class_code_once")]

    def __str__(self) -> str:
        return self.code

    def save(self, *args, **kwargs):
        keep_folded(self, kwargs, code_folded="code")
        super().save(*args, **kwargs)


class Enrolment(models.Model):
    """A learner (a directory person, usually a state official) in a class."""

    training_class = models.ForeignKey(TrainingClass, on_delete=models.CASCADE, related_name="enrolments")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="enrolments")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["training_class", "person"], name="enrolment_once")]

    def __str__(self) -> str:
        return f"{self.person} – {self.training_class}"


class Commitment(models.Model):
    """The periods a programme activity promises: so many per semester, per class, per campus."""

    activity = models.OneToOneField(Activity, on_delete=models.CASCADE, related_name="training_commitment")
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="commitments")
    periods = models.PositiveSmallIntegerField(
        _("số tiết mỗi học kỳ, mỗi lớp"), default=DEFAULT_COMMITTED_PERIODS, validators=[MinValueValidator(1)]
    )

    class Meta:
        verbose_name = _("cam kết số tiết")
        verbose_name_plural = _("cam kết số tiết")

    def __str__(self) -> str:
        return f"{self.activity}: {self.periods}"


class TeachingSession(TimeStampedModel):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Dự kiến")
        DELIVERED = "delivered", _("Đã dạy")
        CANCELLED = "cancelled", _("Đã huỷ")

    training_class = models.ForeignKey(
        TrainingClass, verbose_name=_("lớp"), on_delete=models.CASCADE, related_name="sessions"
    )
    topic = models.ForeignKey(
        Topic, verbose_name=_("chủ đề"), on_delete=models.SET_NULL, null=True, blank=True, related_name="sessions"
    )
    date = models.DateField(_("ngày"))
    starts_at = models.TimeField(_("bắt đầu"))
    ends_at = models.TimeField(_("kết thúc"))
    periods = models.PositiveSmallIntegerField(_("số tiết"), validators=[MinValueValidator(1), MaxValueValidator(12)])
    status = models.CharField(_("trạng thái"), max_length=12, choices=Status.choices, default=Status.PLANNED)
    note = models.TextField(_("ghi chú"), blank=True)
    evaluation_collection_id = models.PositiveIntegerField(null=True, blank=True)  # surveys' collection, once opened
    materials = models.ManyToManyField(
        "MaterialVersion", verbose_name=_("tài liệu dùng"), blank=True, related_name="sessions"
    )

    class Meta:
        verbose_name = _("buổi giảng")
        verbose_name_plural = _("buổi giảng")
        ordering = ["date", "starts_at", "id"]
        constraints = [models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="session_ends_after")]
        indexes = [models.Index(fields=["training_class", "status", "date"], name="session_class_status")]

    def __str__(self) -> str:
        return f"{self.training_class} {self.date:%d/%m/%Y}"


class SessionLecturer(models.Model):
    class Role(models.TextChoices):
        LEAD = "lead", _("Giảng chính")
        CO_TEACHER = "co_teacher", _("Đồng giảng")

    session = models.ForeignKey(TeachingSession, on_delete=models.CASCADE, related_name="lecturers")
    person = models.ForeignKey(Person, verbose_name=_("giảng viên"), on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("đơn vị"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )  # the lecturer's organisation at the time: a lecturer may change employer later
    role = models.CharField(_("vai trò"), max_length=12, choices=Role.choices, default=Role.LEAD)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["session", "person"], name="session_lecturer_once")]

    def __str__(self) -> str:
        return f"{self.person} ({self.get_role_display()})"


class Attendance(models.Model):
    class Status(models.TextChoices):
        PRESENT = "present", _("Có mặt")
        LATE = "late", _("Đến muộn")
        EXCUSED = "excused", _("Vắng có phép")
        ABSENT = "absent", _("Vắng")

    session = models.ForeignKey(TeachingSession, on_delete=models.CASCADE, related_name="attendance")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="attendance")
    status = models.CharField(_("điểm danh"), max_length=8, choices=Status.choices)
    recorded_at = models.DateTimeField(auto_now=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["session", "person"], name="attendance_once")]

    def __str__(self) -> str:
        return f"{self.person}: {self.get_status_display()}"


# Training content and its review -------------------------------------------------------------


class Material(TimeStampedModel):
    class Kind(models.TextChoices):
        SLIDES = "slides", _("Bài trình bày")
        HANDOUT = "handout", _("Tài liệu phát tay")
        SYLLABUS = "syllabus", _("Đề cương")
        OTHER = "other", _("Khác")

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="training_materials")
    topic = models.ForeignKey(
        Topic, verbose_name=_("chủ đề"), on_delete=models.SET_NULL, null=True, blank=True, related_name="materials"
    )
    title = models.CharField(_("tên tài liệu"), max_length=255)
    kind = models.CharField(_("loại"), max_length=12, choices=Kind.choices, default=Kind.SLIDES)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("tác giả"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("tài liệu đào tạo")
        verbose_name_plural = _("tài liệu đào tạo")
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


def version_path(instance: "MaterialVersion", filename: str) -> str:
    return f"training/{instance.material_id}/{secrets.token_hex(8)}/{filename}"


class MaterialVersion(models.Model):
    material = models.ForeignKey(Material, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField()
    file = models.FileField(_("tệp"), upload_to=version_path, max_length=300)
    note = models.TextField(_("thay đổi so với bản trước"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["material", "-number"]
        constraints = [models.UniqueConstraint(fields=["material", "number"], name="material_version_once")]

    def __str__(self) -> str:
        return f"{self.material} v{self.number}"


class ReviewRequest(models.Model):
    """The author asks named experts to review one version by a date."""

    version = models.ForeignKey(MaterialVersion, on_delete=models.CASCADE, related_name="review_requests")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    due_on = models.DateField(_("hạn góp ý"))
    message = models.TextField(_("lời nhắn"), blank=True)

    class Meta:
        ordering = ["-requested_at"]

    def __str__(self) -> str:
        return f"{self.version} → {self.due_on:%d/%m/%Y}"


class ReviewAssignment(models.Model):
    class Decision(models.TextChoices):
        PENDING = "pending", _("Đang chờ góp ý")
        APPROVED = "approved", _("Đã duyệt")
        CHANGES = "changes", _("Cần chỉnh sửa")

    request = models.ForeignKey(ReviewRequest, on_delete=models.CASCADE, related_name="assignments")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("chuyên gia"),
        on_delete=models.PROTECT,
        related_name="review_assignments",
    )
    decision = models.CharField(_("kết luận"), max_length=10, choices=Decision.choices, default=Decision.PENDING)
    decided_at = models.DateTimeField(null=True, blank=True)
    reminded_on = models.DateField(null=True, blank=True)  # the last reminder, so one a day at most

    class Meta:
        constraints = [models.UniqueConstraint(fields=["request", "reviewer"], name="review_assignment_once")]
        indexes = [models.Index(fields=["reviewer", "decision"], name="review_reviewer_decision")]

    def __str__(self) -> str:
        return f"{self.reviewer} – {self.request}"


class ReviewComment(models.Model):
    assignment = models.ForeignKey(ReviewAssignment, on_delete=models.CASCADE, related_name="comments")
    location = models.CharField(_("mục hoặc trang"), max_length=120, blank=True)  # empty: a general comment
    body = models.TextField(_("góp ý"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.body[:60]
