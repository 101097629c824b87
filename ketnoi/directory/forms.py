"""Forms parse and check input shape; the rules live in services.py."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ketnoi.core.forms import EMPTY_CHOICE_LABEL

from .importing import MAX_BYTES, MIN_BIRTH_YEAR
from .models import Consent, Organisation, OrganisationType, Person, Province, Sex
from .picking import OrganisationPickerField
from .queries import current_provinces, province_choices_for

DATE_WIDGET = forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric"})


class OrganisationForm(forms.Form):
    name = forms.CharField(label=_("Tên tổ chức"), max_length=255)
    short_name = forms.CharField(
        label=_("Tên viết tắt"), max_length=60, required=False, help_text=_("Ví dụ: MSD, ViLEAP.")
    )
    type = forms.ChoiceField(label=_("Loại hình"), choices=OrganisationType.choices)
    parent = OrganisationPickerField(
        label=_("Trực thuộc"),
        required=False,
        help_text=_("Ví dụ: ViLEAP trực thuộc Học viện Chính trị Quốc gia Hồ Chí Minh."),
    )
    province = forms.ModelChoiceField(
        label=_("Tỉnh/thành phố"), queryset=Province.objects.none(), required=False, empty_label=EMPTY_CHOICE_LABEL
    )
    website = forms.URLField(label=_("Trang web"), required=False, assume_scheme="https")
    email = forms.EmailField(label=_("Email"), required=False)
    phone = forms.CharField(label=_("Điện thoại"), max_length=40, required=False)

    def __init__(self, *args, instance: Organisation | None = None, **kwargs):
        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "name": instance.name,
                "short_name": instance.short_name,
                "type": instance.type,
                "parent": instance.parent_id,
                "province": instance.province_id,
                "website": instance.website,
                "email": instance.email,
                "phone": instance.phone,
            }
        super().__init__(*args, **kwargs)
        if instance is not None:
            self.fields["parent"].queryset = self.fields["parent"].queryset.exclude(pk=instance.pk)
        self.fields["province"].queryset = province_choices_for(instance.province if instance else None)


class PersonForm(forms.Form):
    full_name = forms.CharField(label=_("Họ và tên"), max_length=200)
    sex = forms.ChoiceField(label=_("Giới tính"), choices=Sex.choices, initial=Sex.UNKNOWN)
    birth_year = forms.IntegerField(
        label=_("Năm sinh"),
        required=False,
        min_value=MIN_BIRTH_YEAR,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "placeholder": "1985"}),
    )
    position = forms.CharField(label=_("Chức vụ"), max_length=200, required=False)
    organisation = OrganisationPickerField(label=_("Tổ chức"), required=False)
    email = forms.EmailField(label=_("Email"), required=False)
    phone = forms.CharField(
        label=_("Điện thoại"),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    province = forms.ModelChoiceField(
        label=_("Tỉnh/thành phố"), queryset=Province.objects.none(), required=False, empty_label=EMPTY_CHOICE_LABEL
    )

    def __init__(self, *args, instance: Person | None = None, **kwargs):
        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "full_name": instance.full_name,
                "sex": instance.sex,
                "birth_year": instance.birth_year,
                "position": instance.position,
                "organisation": instance.organisation_id,
                "email": instance.email,
                "phone": instance.phone,
                "province": instance.province_id,
            }
        super().__init__(*args, **kwargs)
        self.fields["birth_year"].max_value = timezone.localdate().year
        self.fields["birth_year"].widget.attrs["max"] = timezone.localdate().year
        self.fields["province"].queryset = province_choices_for(instance.province if instance else None)


class ConsentForm(forms.Form):
    purpose = forms.CharField(
        label=_("Mục đích"), max_length=255, help_text=_("Ví dụ: nhận thư mời hội thảo, chụp ảnh tại sự kiện.")
    )
    given_on = forms.DateField(label=_("Ngày đồng ý"), widget=DATE_WIDGET)
    method = forms.ChoiceField(label=_("Hình thức"), choices=Consent.Method.choices)
    guardian_name = forms.CharField(
        label=_("Người giám hộ (nếu là trẻ em)"),
        max_length=200,
        required=False,
        help_text=_("Bắt buộc với người dưới 16 tuổi: họ tên cha, mẹ hoặc người giám hộ đã đồng ý."),
    )


class EraseForm(forms.Form):
    confirmation = forms.CharField(
        label=_("Gõ XOÁ để xác nhận"), max_length=20, widget=forms.TextInput(attrs={"autocomplete": "off"})
    )


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Tệp danh sách (CSV hoặc Excel .xlsx)"),
        help_text=_("Tối đa 5 MB và 5.000 dòng. Dòng đầu tiên là tiêu đề cột."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,text/csv"}),
    )

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        if uploaded.size > MAX_BYTES:
            raise forms.ValidationError(_("Tệp quá lớn: tối đa 5 MB. Hãy chia danh sách thành nhiều tệp."))
        return uploaded


class OrganisationFilterForm(forms.Form):
    q = forms.CharField(label=_("Tìm kiếm"), required=False)
    type = forms.ChoiceField(label=_("Loại hình"), required=False, choices=[("", _("Mọi loại hình"))])
    province = forms.ModelChoiceField(
        label=_("Tỉnh/thành phố"), queryset=Province.objects.none(), required=False, empty_label=_("Mọi tỉnh/thành")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["type"].choices = [("", _("Mọi loại hình")), *OrganisationType.choices]
        self.fields["province"].queryset = current_provinces()


class PersonFilterForm(forms.Form):
    q = forms.CharField(label=_("Tìm kiếm"), required=False)
    sex = forms.ChoiceField(label=_("Giới tính"), required=False)
    # A search-as-you-type picker, not a <select> of every organisation (2,000 at scale).
    organisation = OrganisationPickerField(
        label=_("Tổ chức"), required=False, filtering=True, none_label=_("Mọi tổ chức")
    )
    province = forms.ModelChoiceField(
        label=_("Tỉnh/thành phố"), queryset=Province.objects.none(), required=False, empty_label=_("Mọi tỉnh/thành")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sex"].choices = [("", _("Mọi giới tính")), *Sex.choices]
        self.fields["province"].queryset = current_provinces()


class MergeForm(forms.Form):
    """Which person stays and which is folded into it (ids from the duplicates page)."""

    keep = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    remove = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
