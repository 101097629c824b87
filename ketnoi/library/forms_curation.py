"""The curation pages' forms. They only parse and label; the rules are in services/curation.py."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ketnoi.core.forms import DATE_INPUT_FORMATS
from ketnoi.directory.models import Organisation
from ketnoi.directory.picking import OrganisationPickerField

from .models import Collection, CollectionItem, Document

DATE_ERRORS = {
    "invalid": _("Hãy nhập ngày dạng dd/mm/yyyy, ví dụ 15/10/2025."),
    "required": _("Hãy nhập ngày dạng dd/mm/yyyy."),
}
NOTE_MAX = 500


def date_field(label, **extra) -> forms.DateField:
    return forms.DateField(
        label=label,
        input_formats=DATE_INPUT_FORMATS,
        error_messages=DATE_ERRORS,
        widget=forms.DateInput(
            format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric", "autocomplete": "off"}
        ),
        **extra,
    )


def note_field(label, help_text="") -> forms.CharField:
    return forms.CharField(label=label, max_length=NOTE_MAX, required=False, help_text=help_text)


class CollectionForm(forms.Form):
    name = forms.CharField(label=_("Tên bộ sưu tập"), max_length=255)
    partner = OrganisationPickerField(
        label=_("Đối tác nhận"),
        required=False,
        help_text=_("Tổ chức nhận các tài liệu được bàn giao, ví dụ viện có góc tri thức."),
    )
    description = forms.CharField(label=_("Mô tả"), widget=forms.Textarea(attrs={"rows": 4}), required=False)


class ProposeForm(forms.Form):
    document = forms.ModelChoiceField(
        label=pgettext_lazy("library", "Tài liệu"),
        queryset=Document.objects.none(),
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": _("Tài liệu này không đề xuất được nữa; hãy tìm lại.")},
    )
    note = note_field(_("Lý do đề xuất"))

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["document"].queryset = candidates


class DecisionForm(forms.Form):
    note = note_field(_("Ghi chú"))


class DeliverForm(forms.Form):
    items = forms.ModelMultipleChoiceField(
        label=_("Tài liệu bàn giao"),
        queryset=CollectionItem.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Hãy đánh dấu ít nhất một tài liệu đã chọn để bàn giao."),
            "invalid_choice": _("Có tài liệu không còn chờ bàn giao; hãy tải lại trang."),
        },
    )
    delivered_on = date_field(_("Ngày bàn giao"))
    note = note_field(_("Ghi chú bàn giao"), help_text=_("Ví dụ: bản in và tệp PDF, người nhận."))

    def __init__(self, *args, items, **kwargs):
        kwargs.setdefault("initial", {"delivered_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self.fields["items"].queryset = items
        self.fields["items"].label_from_instance = lambda item: item.document.title


class RegisterFilterForm(forms.Form):
    partner = forms.ModelChoiceField(
        label=_("Đối tác"), queryset=Organisation.objects.none(), required=False, empty_label=_("Mọi đối tác")
    )
    collection = forms.ModelChoiceField(
        label=_("Bộ sưu tập"), queryset=Collection.objects.none(), required=False, empty_label=_("Mọi bộ sưu tập")
    )
    start = date_field(_("Từ ngày"), required=False)
    end = date_field(_("Đến ngày"), required=False)

    def __init__(self, *args, collections, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["collection"].queryset = collections
        self.fields["partner"].queryset = Organisation.objects.filter(
            pk__in=collections.exclude(partner=None).values("partner_id")
        ).order_by("name")

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and start > end:
            self.add_error("end", _("Ngày kết thúc phải sau ngày bắt đầu."))
        return data
