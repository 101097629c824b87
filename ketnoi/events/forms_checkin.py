"""The forms of the check-in page. The rules (a name, consent) belong to the service, so its own
messages land next to the fields; the browser still asks for them first (`required`)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ketnoi.directory.models import Sex


class WalkInForm(forms.Form):
    full_name = forms.CharField(
        label=_("Họ và tên"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"required": True, "autocomplete": "off", "autocapitalize": "words"}),
    )
    phone = forms.CharField(
        label=_("Điện thoại"),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel", "autocomplete": "off"}),
    )
    email = forms.EmailField(
        label=_("Thư điện tử"), required=False, widget=forms.EmailInput(attrs={"autocomplete": "off"})
    )
    organisation_name = forms.CharField(
        label=_("Tổ chức"),
        max_length=255,
        required=False,
        help_text=_(
            "Gõ tên hoặc tên viết tắt. Tên chưa có trong danh bạ vẫn được lưu để điều phối viên gắn với danh bạ sau."
        ),
        widget=forms.TextInput(attrs={"list": "walkin-organisations", "autocomplete": "off"}),
    )
    sex = forms.ChoiceField(label=_("Giới tính"), choices=Sex.choices, initial=Sex.UNKNOWN, required=False)
    consent = forms.BooleanField(
        label=_("Người tham dự đồng ý để ban tổ chức lưu thông tin của họ cho việc đăng ký và tham dự hội thảo"),
        required=False,
        widget=forms.CheckboxInput(attrs={"required": True}),
    )

    def service_values(self) -> dict:
        data = self.cleaned_data
        return {
            "full_name": data["full_name"],
            "phone": data["phone"],
            "email": data["email"],
            "sex": data["sex"] or Sex.UNKNOWN,
            "organisation_name": data["organisation_name"],
            "consent": data["consent"],
        }
