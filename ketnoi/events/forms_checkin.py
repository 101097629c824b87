"""The forms of the check-in page. The rules (a name, consent) belong to the service, so its own
messages land next to the fields; the browser still asks for them first (`required`)."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ketnoi.core.text import fold
from ketnoi.directory.models import Organisation, Sex


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
        help_text=_("Gõ tên hoặc tên viết tắt của một tổ chức có trong danh bạ, hoặc để trống."),
        widget=forms.TextInput(attrs={"list": "walkin-organisations", "autocomplete": "off"}),
    )
    sex = forms.ChoiceField(label=_("Giới tính"), choices=Sex.choices, initial=Sex.UNKNOWN, required=False)
    consent = forms.BooleanField(
        label=_("Người tham dự đồng ý để ban tổ chức lưu thông tin của họ cho việc đăng ký và tham dự hội thảo"),
        required=False,
        widget=forms.CheckboxInput(attrs={"required": True}),
    )

    def organisation(self) -> Organisation | None:
        """The directory organisation the typed name means: its full name, its short name, or
        both as the directory writes them; None when nothing or more than one matches."""
        folded = fold(self.cleaned_data.get("organisation_name"))
        if not folded:
            return None
        # name_folded is "name short-name" folded: the typed text is all of it, its start or its end.
        candidates = Organisation.objects.filter(
            Q(name_folded=folded) | Q(name_folded__startswith=folded + " ") | Q(name_folded__endswith=" " + folded)
        )[:20]
        matches = [o for o in candidates if folded in (fold(o.name), fold(o.short_name), o.name_folded)]
        return matches[0] if len(matches) == 1 else None

    def service_values(self) -> dict:
        data = self.cleaned_data
        return {
            "full_name": data["full_name"],
            "phone": data["phone"],
            "email": data["email"],
            "sex": data["sex"] or Sex.UNKNOWN,
            "organisation": self.organisation(),
            "consent": data["consent"],
        }
