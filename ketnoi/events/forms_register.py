"""The public registration form: what a delegate types on their phone. The rules (closed,
invitation-only, places, consent) are the service's, and so is finding the directory organisation
a typed name means; this form checks the shape of the input."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ketnoi.core.forms import EMPTY_CHOICE_LABEL
from ketnoi.core.text import normalise
from ketnoi.directory.models import Person, Province, Sex
from ketnoi.directory.queries import current_provinces

from .models import Invitation

POSITION_MAX = 200

SEX_CHOICES = [
    (Sex.FEMALE, Sex.FEMALE.label),
    (Sex.MALE, Sex.MALE.label),
    (Sex.OTHER, Sex.OTHER.label),
    (Sex.UNKNOWN, _("Không muốn trả lời")),
]


class RegistrationForm(forms.Form):
    full_name = forms.CharField(
        label=_("Họ và tên"),
        max_length=200,
        error_messages={"required": _("Hãy nhập họ và tên.")},
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label=_("Thư điện tử"),
        required=False,
        error_messages={"invalid": _("Địa chỉ thư điện tử này chưa đúng, ví dụ đúng: ten@example.org.")},
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        help_text=_("Ban tổ chức gửi xác nhận và đường dẫn tới vé của anh/chị vào địa chỉ này."),
    )
    phone = forms.CharField(
        label=_("Điện thoại"),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    position = forms.CharField(
        label=_("Chức vụ"),
        max_length=POSITION_MAX,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "organization-title"}),
    )
    organisation = forms.CharField(
        label=_("Cơ quan, tổ chức"),
        max_length=255,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
        help_text=_("Tên đầy đủ hoặc tên viết tắt, ví dụ: Sở Nội vụ Thành phố Cần Thơ."),
    )
    sex = forms.ChoiceField(
        label=_("Giới tính"), choices=SEX_CHOICES, initial=Sex.UNKNOWN, widget=forms.RadioSelect, required=False
    )
    province = forms.ModelChoiceField(
        label=_("Tỉnh/thành phố nơi anh/chị làm việc"),
        queryset=Province.objects.none(),
        required=False,
        empty_label=EMPTY_CHOICE_LABEL,
    )
    consent = forms.BooleanField(
        label=_(
            "Tôi đồng ý để ban tổ chức lưu họ tên, thông tin liên hệ, chức vụ, cơ quan, giới tính và "
            "tỉnh/thành phố của tôi để quản lý việc đăng ký, gửi xác nhận, điểm danh và thống kê số người "
            "tham dự hội thảo. Tôi có thể đề nghị ban tổ chức cho xem hoặc xoá các thông tin này."
        ),
        required=True,
        error_messages={
            "required": _(
                "Hãy đánh dấu đồng ý để ban tổ chức lưu thông tin của anh/chị cho việc đăng ký và tham dự hội thảo."
            )
        },
    )

    def __init__(self, *args, invitation: Invitation | None = None, **kwargs):
        self.invitation = invitation
        if invitation is not None and "initial" not in kwargs:
            kwargs["initial"] = initial_for(invitation)
        super().__init__(*args, **kwargs)
        self.fields["province"].queryset = current_provinces()
        if invitation is not None and invitation.person_id:
            # The invitation names the person: the service registers them, whatever is typed.
            for name in ("full_name", "email", "phone", "position", "organisation", "sex", "province"):
                self.fields[name].required = False
                self.fields[name].disabled = True

    @property
    def names_a_person(self) -> bool:
        return self.invitation is not None and bool(self.invitation.person_id)

    def clean_full_name(self) -> str:
        return normalise(self.cleaned_data.get("full_name"))

    def clean(self):
        cleaned = super().clean()
        if self.names_a_person:
            return cleaned
        if not self.has_error("email") and not cleaned.get("email") and not (cleaned.get("phone") or "").strip():
            self.add_error("email", _("Hãy nhập thư điện tử hoặc số điện thoại để ban tổ chức gửi xác nhận."))
        return cleaned

    def service_arguments(self) -> dict:
        """Keyword arguments for registration_submit. The typed organisation goes as typed: the
        service links it when the directory knows that name, and keeps it for the coordinator to
        match otherwise — an unreviewed name typed by the public adds nothing to the shared
        directory, and never lands in the position."""
        data = self.cleaned_data
        if self.names_a_person:
            return {"full_name": ""}
        return {
            "full_name": data["full_name"],
            "email": data.get("email") or "",
            "phone": (data.get("phone") or "").strip(),
            "position": normalise(data.get("position"))[:POSITION_MAX],
            "organisation_name": normalise(data.get("organisation")),
            "sex": data.get("sex") or Sex.UNKNOWN,
            "province": data.get("province"),
        }


def initial_for(invitation: Invitation) -> dict:
    person: Person | None = invitation.person
    if person is not None:
        current = person.province is not None and person.province.scheme == Province.Scheme.CURRENT
        return {
            "full_name": person.full_name,
            "email": person.email,
            "phone": person.phone,
            "position": person.position,
            "organisation": person.organisation.name if person.organisation_id else "",
            "sex": person.sex,
            "province": person.province_id if current else None,
        }
    return {"organisation": invitation.organisation.name if invitation.organisation_id else ""}
