"""The organiser's forms. They only parse and label; the rules are in services.py."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from ketnoi.core.forms import EMPTY_CHOICE_LABEL, TIME_INPUT_FORMATS, datetime_field
from ketnoi.directory.models import Organisation, Province
from ketnoi.directory.picking import OrganisationPickerField
from ketnoi.programmes.models import Programme

from .models import Material, Workshop


class WorkshopForm(forms.Form):
    kind = forms.ChoiceField(label=_("Loại hội thảo"), choices=Workshop.Kind.choices)
    title = forms.CharField(label=_("Tên hội thảo"), max_length=255)
    activity = forms.ModelChoiceField(
        label=_("Hoạt động của chương trình"),
        queryset=None,
        required=False,
        empty_label=EMPTY_CHOICE_LABEL,
        help_text=_("Hội thảo được tính vào tiến độ của hoạt động này."),
    )
    province = forms.ModelChoiceField(
        label=_("Tỉnh/thành phố"), queryset=Province.objects.none(), required=False, empty_label=EMPTY_CHOICE_LABEL
    )
    venue = forms.CharField(label=_("Địa điểm"), max_length=255, required=False)
    starts_at = datetime_field(_("Bắt đầu"), required=True)
    ends_at = datetime_field(_("Kết thúc"), required=True)
    capacity = forms.IntegerField(
        label=_("Số chỗ"),
        required=False,
        min_value=1,
        help_text=_("Để trống nếu không giới hạn. Khi đủ chỗ, người đăng ký sau vào danh sách chờ."),
        error_messages={"min_value": _("Số chỗ phải từ 1 trở lên, hoặc để trống nếu không giới hạn.")},
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    registration = forms.ChoiceField(
        label=_("Ai được đăng ký"), choices=Workshop.Registration.choices, widget=forms.RadioSelect
    )
    needs_approval = forms.BooleanField(
        label=_("Ban tổ chức duyệt từng đăng ký"),
        required=False,
        help_text=_("Người đăng ký chờ duyệt; khi được duyệt mà hết chỗ thì vào danh sách chờ."),
    )
    organisers = OrganisationPickerField(multiple=True, label=_("Đơn vị tổ chức"), required=False)
    partners = OrganisationPickerField(multiple=True, label=_("Đối tác"), required=False)
    description = forms.CharField(label=_("Giới thiệu"), required=False, widget=forms.Textarea(attrs={"rows": 5}))
    language = forms.ChoiceField(
        label=_("Ngôn ngữ của tài liệu"),
        choices=settings.LANGUAGES,
        initial="vi",
        required=False,  # a form sent without it keeps the workshop's language (Vietnamese when new)
        help_text=_(
            "Danh sách ký tên và giấy chứng nhận in bằng ngôn ngữ này, dù người in đang xem trang bằng ngôn ngữ nào."
        ),
    )

    def __init__(self, *args, programme: Programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["activity"].queryset = programme.activities.order_by("number")
        self.fields["province"].queryset = Province.objects.filter(scheme=Province.Scheme.CURRENT).order_by("name")

    @staticmethod
    def initial_for(workshop: Workshop) -> dict:
        roles = list(workshop.organisations.values_list("organisation_id", "role"))
        return {
            **{name: getattr(workshop, name) for name in ("kind", "title", "venue", "capacity", "registration")},
            "activity": workshop.activity_id,
            "province": workshop.province_id,
            "starts_at": workshop.starts_at,
            "ends_at": workshop.ends_at,
            "needs_approval": workshop.needs_approval,
            "description": workshop.description,
            "language": workshop.language,
            "organisers": [pk for pk, role in roles if role == "organiser"],
            "partners": [pk for pk, role in roles if role == "partner"],
        }


class AgendaItemForm(forms.Form):
    starts_at = forms.TimeField(
        label=_("Giờ"),
        input_formats=TIME_INPUT_FORMATS,
        widget=forms.TimeInput(format="%H:%M", attrs={"placeholder": "HH:MM", "inputmode": "numeric"}),
        error_messages={"invalid": _("Hãy nhập giờ dạng HH:MM, ví dụ 08:30.")},
    )
    title = forms.CharField(label=_("Nội dung"), max_length=255)
    speakers = forms.CharField(label=_("Người trình bày"), max_length=255, required=False)


class QuestionForm(forms.Form):
    text = forms.CharField(label=_("Câu hỏi thảo luận"), widget=forms.Textarea(attrs={"rows": 2}))
    conclusions = forms.CharField(
        label=_("Kết luận"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Ghi sau phiên thảo luận: những điểm cả hội thảo đồng ý, các kiến nghị."),
    )


class MaterialForm(forms.Form):
    title = forms.CharField(label=_("Tên tài liệu"), max_length=255, required=False)
    kind = forms.ChoiceField(label=_("Loại"), choices=Material.Kind.choices, initial=Material.Kind.HANDOUT)
    file = forms.FileField(label=_("Tệp"), help_text=_("PDF, Word, Excel, OpenDocument hoặc ảnh; tối đa 20 MB."))


class OrganisationMatchForm(forms.Form):
    """The typed parts of the registrations list's matching POST (views_registrations.py), read
    through form fields so that a NUL (which PostgreSQL cannot store or compare) or a name longer
    than the directory holds is refused with a message, before any query or redirect."""

    NAME_MAX = Organisation._meta.get_field("name").max_length

    organisation = OrganisationPickerField(label=_("Tổ chức có trong danh bạ"), required=False)
    new_organisation_name = forms.CharField(label=_("Tên tổ chức mới"), max_length=NAME_MAX, required=False)
    new_organisation_type = forms.CharField(label=_("Loại hình"), max_length=32, required=False)

    def error_text(self) -> str:
        return " ".join(f"{self[field].label}: {' '.join(errors)}" for field, errors in self.errors.items())
