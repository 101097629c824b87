"""Workshops: what is held (kind, place, time, agenda, discussion questions, materials), who is
invited and registered, and who came. The rules — capacity, waiting list, approval, check-in —
live in services.py; a row here only keeps what belongs to it."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Case, CharField, F, Q, Value, When
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from ketnoi.core.models import TimeStampedModel
from ketnoi.core.text import fold, keep_folded, normalise_phone
from ketnoi.directory.models import Organisation, Person, Province, Sex
from ketnoi.programmes.models import Activity, Programme


def new_registration_code() -> str:
    # 128 bits: the personal link and the QR code carry it; far too many to guess.
    return secrets.token_urlsafe(16)


# The short check-in code printed on the ticket, the e-mail and the sign-in sheet, to be read
# aloud and typed at the door: digits and capitals without either side of the look-alikes 0/O,
# 1/I/L, 5/S, 2/Z, 8/B (25 signs). Six of them give 25**6 ≈ 244 million codes per workshop; the
# check-in page limits wrong guesses (views_checkin), and only people with a role on the
# programme reach it. Unique per workshop, not globally: the door only ever looks a code up
# within its own workshop, so a code of another workshop is refused there as any wrong code.
CHECKIN_ALPHABET = "34679ACDEFGHJKMNPQRTUVWXY"
CHECKIN_CODE_LENGTH = 6


def new_checkin_code() -> str:
    return "".join(secrets.choice(CHECKIN_ALPHABET) for _ in range(CHECKIN_CODE_LENGTH))


def checkin_code_display(code: str) -> str:
    """ "K7QM4X" → "K7Q-M4X": two groups of three, easier to read aloud and to type."""
    return f"{code[:3]}-{code[3:]}" if len(code) == CHECKIN_CODE_LENGTH else code


def unused_checkin_code(workshop_id: int) -> str:
    """A new check-in code no registration of the workshop holds: drawn again on a collision
    (about one draw in 244 000 for a workshop of a thousand)."""
    while True:
        code = new_checkin_code()
        if not Registration.objects.filter(workshop_id=workshop_id, checkin_code=code).exists():
            return code


class Workshop(TimeStampedModel):
    class Kind(models.TextChoices):
        CONNECTING = "connecting", _("Hội thảo kết nối")
        TRAINING = "training", _("Hội thảo tập huấn")
        SEMINAR = "seminar", _("Toạ đàm")

    class Registration(models.TextChoices):
        PUBLIC = "public", _("Ai cũng đăng ký được")
        INVITATION = "invitation", _("Chỉ người được mời")
        CLOSED = "closed", _("Đã đóng đăng ký")

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="workshops")
    activity = models.ForeignKey(
        Activity,
        verbose_name=_("hoạt động của chương trình"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="workshops",
    )
    kind = models.CharField(_("loại"), max_length=16, choices=Kind.choices, default=Kind.CONNECTING)
    title = models.CharField(_("tên hội thảo"), max_length=255)
    title_folded = models.CharField(max_length=255, editable=False, default="")  # for the header search
    description = models.TextField(_("giới thiệu"), blank=True)
    province = models.ForeignKey(
        Province, verbose_name=_("tỉnh/thành phố"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    venue = models.CharField(_("địa điểm"), max_length=255, blank=True)
    starts_at = models.DateTimeField(_("bắt đầu"))
    ends_at = models.DateTimeField(_("kết thúc"))
    capacity = models.PositiveIntegerField(_("số chỗ"), null=True, blank=True)
    registration = models.CharField(
        _("đăng ký"), max_length=12, choices=Registration.choices, default=Registration.INVITATION
    )
    needs_approval = models.BooleanField(_("ban tổ chức duyệt từng đăng ký"), default=False)
    held = models.BooleanField(_("đã tổ chức"), default=False)
    # The language of the workshop's documents (sign-in sheet, certificates), whatever language
    # the person printing them reads the site in.
    language = models.CharField(_("ngôn ngữ của tài liệu"), max_length=8, choices=settings.LANGUAGES, default="vi")
    feedback_collection_id = models.PositiveIntegerField(null=True, blank=True)  # surveys' collection, when attached

    class Meta:
        verbose_name = _("hội thảo")
        verbose_name_plural = _("hội thảo")
        ordering = ["-starts_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gte=models.F("starts_at")), name="workshop_ends_after")
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        keep_folded(self, kwargs, title_folded="title")
        super().save(*args, **kwargs)


class WorkshopOrganisation(models.Model):
    class Role(models.TextChoices):
        ORGANISER = "organiser", _("Đơn vị tổ chức")
        PARTNER = "partner", _("Đối tác")

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="organisations")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="workshop_roles")
    role = models.CharField(_("vai trò"), max_length=12, choices=Role.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["workshop", "organisation", "role"], name="workshop_organisation_once")
        ]

    def __str__(self) -> str:
        return f"{self.organisation} ({self.get_role_display()})"


class AgendaItem(models.Model):
    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="agenda")
    starts_at = models.TimeField(_("giờ"))
    title = models.CharField(_("nội dung"), max_length=255)
    speakers = models.CharField(_("người trình bày"), max_length=255, blank=True)

    class Meta:
        ordering = ["starts_at", "id"]

    def __str__(self) -> str:
        return f"{self.starts_at:%H:%M} {self.title}"


class DiscussionQuestion(models.Model):
    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField(default=0)
    text = models.TextField(_("câu hỏi thảo luận"))
    conclusions = models.TextField(_("kết luận"), blank=True)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.text[:80]


def material_path(instance: "Material", filename: str) -> str:
    return f"events/{instance.workshop_id}/{secrets.token_hex(8)}/{filename}"


class Material(TimeStampedModel):
    class Kind(models.TextChoices):
        CASE_STUDY = "case_study", _("Tình huống thực tế")
        HANDOUT = "handout", _("Tài liệu phát tay")
        SLIDES = "slides", _("Bài trình bày")
        OTHER = "other", _("Khác")

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="materials")
    kind = models.CharField(_("loại"), max_length=12, choices=Kind.choices, default=Kind.HANDOUT)
    title = models.CharField(_("tên tài liệu"), max_length=255)
    file = models.FileField(_("tệp"), upload_to=material_path, max_length=300)

    class Meta:
        ordering = ["kind", "title"]


class Invitation(TimeStampedModel):
    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="invitations")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, null=True, blank=True, related_name="invitations")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, null=True, blank=True, related_name="invitations"
    )
    code = models.CharField(max_length=32, unique=True, default=new_registration_code, editable=False)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(person__isnull=False, organisation__isnull=True)
                | Q(person__isnull=True, organisation__isnull=False),
                name="invitation_person_or_organisation",
            ),
            models.UniqueConstraint(fields=["workshop", "person"], name="invitation_person_once"),
            models.UniqueConstraint(fields=["workshop", "organisation"], name="invitation_organisation_once"),
        ]


class Registration(TimeStampedModel):
    class Status(models.TextChoices):
        PENDING = "pending", _("Chờ duyệt")
        CONFIRMED = "confirmed", _("Đã xác nhận")
        WAITING = "waiting", _("Danh sách chờ")
        CANCELLED = "cancelled", _("Đã huỷ")
        ATTENDED = "attended", _("Đã tham dự")

    class ConfirmedVia(models.TextChoices):
        EMAIL = "email", _("Đường dẫn xác nhận gửi tới thư điện tử")
        INVITATION = "invitation", _("Thư mời cá nhân")
        ACCOUNT = "account", _("Tài khoản đăng nhập cùng địa chỉ thư")
        ORGANISER = "organiser", _("Ban tổ chức đăng ký hộ")
        DOOR = "door", _("Ban tổ chức xác nhận tại hội thảo")

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="registrations")
    # None while a registration made from the public page awaits confirmation: a name and an
    # e-mail typed by anyone do not tie a registration (nor a consent) to a directory person
    # until that person answers from the address on record, or is seen at the door.
    person = models.ForeignKey(Person, on_delete=models.PROTECT, null=True, blank=True, related_name="registrations")
    # What was typed, kept only while the registration awaits confirmation (blanked once linked:
    # from then on the directory person holds the details).
    full_name = models.CharField(_("họ và tên"), max_length=200, blank=True)
    name_folded = models.CharField(max_length=200, blank=True, editable=False)
    email = models.EmailField(_("thư điện tử"), blank=True)
    phone = models.CharField(_("điện thoại"), max_length=40, blank=True)
    phone_normalised = models.CharField(max_length=40, blank=True, editable=False)
    position = models.CharField(_("chức vụ"), max_length=200, blank=True)
    # Where the delegate works, as they (or whoever registered them) typed it — kept for good,
    # even once linked to a person: the coordinator matches it to a directory organisation.
    organisation_name = models.CharField(_("cơ quan, tổ chức (như đã nhập)"), max_length=255, blank=True)
    # The directory organisation this registration counts under: found from the typed name when
    # exactly one organisation has it, or chosen by a coordinator (registrations_match_organisation).
    organisation = models.ForeignKey(Organisation, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    sex = models.CharField(_("giới tính"), max_length=8, choices=Sex.choices, blank=True)
    province = models.ForeignKey(Province, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    confirmed_at = models.DateTimeField(_("xác nhận lúc"), null=True, blank=True)
    confirmed_via = models.CharField(_("xác nhận qua"), max_length=12, choices=ConfirmedVia.choices, blank=True)
    invitation = models.ForeignKey(Invitation, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    status = models.CharField(_("trạng thái"), max_length=12, choices=Status.choices)
    code = models.CharField(max_length=32, unique=True, default=new_registration_code, editable=False)
    # Drawn at random, drawn again by save() while another registration of the workshop holds it.
    checkin_code = models.CharField(
        _("mã điểm danh"), max_length=CHECKIN_CODE_LENGTH, default=new_checkin_code, editable=False
    )
    approved = models.BooleanField(default=False)  # by the organiser, when the workshop needs approval
    walk_in = models.BooleanField(_("đăng ký tại chỗ"), default=False)
    waiting_since = models.DateTimeField(null=True, blank=True)  # the order of the waiting list
    checked_in_at = models.DateTimeField(_("điểm danh lúc"), null=True, blank=True)
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    note = models.CharField(_("ghi chú"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("đăng ký")
        verbose_name_plural = _("đăng ký")
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["workshop", "person"], name="registration_person_once"),
            models.UniqueConstraint(fields=["workshop", "checkin_code"], name="registration_checkin_code_once"),
        ]
        indexes = [models.Index(fields=["workshop", "status", "waiting_since"], name="registration_queue")]

    def __str__(self) -> str:
        return f"{self.delegate.full_name} – {self.workshop}"

    def save(self, *args, **kwargs):
        # The check-in search finds a registration still waiting for confirmation by these.
        self.name_folded, self.phone_normalised = fold(self.full_name), normalise_phone(self.phone)
        if self._state.adding and (
            not self.checkin_code
            or Registration.objects.filter(workshop_id=self.workshop_id, checkin_code=self.checkin_code).exists()
        ):
            self.checkin_code = unused_checkin_code(self.workshop_id)
        if kwargs.get("update_fields") is not None and {"full_name", "phone"} & set(kwargs["update_fields"]):
            kwargs["update_fields"] = {*kwargs["update_fields"], "name_folded", "phone_normalised"}
        super().save(*args, **kwargs)

    @property
    def checkin_code_display(self) -> str:
        return checkin_code_display(self.checkin_code)

    @property
    def awaiting_confirmation(self) -> bool:
        return self.person_id is None

    @property
    def delegate(self):
        """Who the registration is for, as pages and lists show it: the directory person once
        linked, the typed details until then (same attribute names)."""
        return self.person if self.person_id else self

    @property
    def organisation_known(self) -> Organisation | None:
        """The directory organisation the registration counts under: its own match, else — when
        nothing was typed — the person's in the directory (see `organisation_type_of`)."""
        if self.organisation_id:
            return self.organisation
        if not self.organisation_name and self.person_id:
            return self.person.organisation
        return None

    @property
    def organisation_unmatched(self) -> bool:
        """A name was typed that no directory organisation stands for yet."""
        return bool(self.organisation_name) and not self.organisation_id

    @property
    def organisation_shown(self) -> str:
        """What pages, sheets and exports print as the organisation: the directory's name once
        matched, else what was typed."""
        known = self.organisation_known
        return known.name if known is not None else self.organisation_name

    @property
    def takes_a_place(self) -> bool:
        return self.status in (self.Status.CONFIRMED, self.Status.ATTENDED)


def organisation_type_of(prefix: str = "") -> Coalesce:
    """The organisation type a registration counts under, as a query expression (`prefix`: the
    lookup to the registration, e.g. "registrations__"): its matched organisation's type, else —
    when nothing was typed — its person's organisation's type, else NULL ("not yet known"). A
    typed name not matched yet is unknown even when the person's record names an organisation."""
    return Coalesce(
        F(f"{prefix}organisation__type"),
        Case(
            When(**{f"{prefix}organisation_name": ""}, then=F(f"{prefix}person__organisation__type")),
            default=Value(None),
            output_field=CharField(),
        ),
        output_field=CharField(),
    )
