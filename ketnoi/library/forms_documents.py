"""Forms of the library's staff pages: they parse input; the rules live in services/documents.py."""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from ketnoi.core.forms import DATE_INPUT_FORMATS
from ketnoi.directory.picking import NameSuggestionsTextarea

from .models import Access, Document, DocumentFile, DocumentType, Language
from .services.documents import FIELDS

DATE_WIDGET = forms.DateInput(
    format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric", "autocomplete": "off"}
)
ACCEPT = ".pdf,.docx,.txt,.html"
DOCUMENT_FIELDS = FIELDS  # the service's fields, in the form's order


def _date(label, help_text="") -> forms.DateField:
    return forms.DateField(
        label=label,
        required=False,
        help_text=help_text,
        widget=DATE_WIDGET,
        input_formats=DATE_INPUT_FORMATS,
        error_messages={"invalid": _("Hãy nhập ngày dạng dd/mm/yyyy, ví dụ 15/10/2025.")},
    )


def split_lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def split_subjects(text: str) -> list[str]:
    """Subjects a line each, or separated by commas or semicolons on one line."""
    return [part.strip() for part in re.split(r"[\n;,]", text or "") if part.strip()]


class DocumentForm(forms.Form):
    title = forms.CharField(label=_("Nhan đề"), max_length=500)
    type = forms.ChoiceField(label=_("Loại tài liệu"), choices=DocumentType.choices)
    creators = forms.CharField(
        label=_("Tác giả"),
        required=False,
        widget=NameSuggestionsTextarea(attrs={"rows": 3}),
        help_text=_(
            "Mỗi tác giả một dòng. Tác giả là tổ chức: viết “Tổ chức: ” trước tên, ví dụ “Tổ chức: Viện Nghiên cứu X”."
        ),
    )
    year = forms.IntegerField(label=_("Năm"), required=False, widget=forms.TextInput(attrs={"inputmode": "numeric"}))
    issued = _date(_("Ngày ban hành/xuất bản"))
    publisher = forms.CharField(label=_("Nhà xuất bản / cơ quan ban hành"), max_length=255, required=False)
    language = forms.ChoiceField(label=_("Ngôn ngữ"), choices=Language.choices, initial=Language.VIETNAMESE)
    subjects = forms.CharField(
        label=_("Chủ đề / từ khoá"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Cách nhau bằng dấu phẩy hoặc mỗi chủ đề một dòng, ví dụ: tổ chức xã hội, luật về hội."),
    )
    abstract = forms.CharField(label=_("Tóm tắt"), required=False, widget=forms.Textarea(attrs={"rows": 5}))
    rights = forms.CharField(
        label=_("Quyền / giấy phép"), max_length=255, required=False, help_text=_("Ví dụ: CC BY 4.0.")
    )
    isbn = forms.CharField(label=_("ISBN"), max_length=20, required=False)
    doi = forms.CharField(label=_("DOI"), max_length=255, required=False, help_text=_("Ví dụ: 10.1234/abc-5."))
    url = forms.URLField(label=_("Địa chỉ web"), max_length=500, required=False, assume_scheme="https")
    source = forms.CharField(label=_("Nguồn"), max_length=255, required=False)
    access = forms.ChoiceField(label=_("Quyền xem"), choices=Access.choices, initial=Access.PARTNERS)
    embargo_until = _date(
        _("Hạn chế đến ngày"),
        _(
            "Trước ngày này chỉ cán bộ thư viện đọc được toàn văn; thông tin mô tả vẫn hiện. "
            "Để trống nếu đọc được ngay."
        ),
    )

    FIELDS = DOCUMENT_FIELDS

    @classmethod
    def initial_from(cls, document: Document) -> dict:
        initial = {name: getattr(document, name) for name in cls.FIELDS}
        creators = document.creators.all()
        initial["creators"] = "\n".join(
            f"Tổ chức: {c.name}" if c.is_organisation and not c.organisation_id else c.name for c in creators
        )
        initial["subjects"] = ", ".join(s.name for s in document.subjects.all())
        return initial

    def service_fields(self) -> dict:
        data = {name: self.cleaned_data[name] for name in self.FIELDS}
        for name in ("publisher", "abstract", "rights", "isbn", "doi", "url", "source"):
            data[name] = data[name] or ""
        data["creators"] = split_lines(self.cleaned_data["creators"])
        data["subjects"] = split_subjects(self.cleaned_data["subjects"])
        return data


class FileForm(forms.Form):
    file = forms.FileField(
        label=_("Tệp"),
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
        help_text=_("PDF, Word (DOCX), văn bản (TXT) hoặc trang web (HTML). Văn bản sẽ được trích để tìm kiếm."),
        error_messages={"required": _("Hãy chọn tệp để tải lên.")},
    )


class CopyForm(forms.Form):
    location = forms.CharField(label=_("Nơi để"), max_length=255, help_text=_("Ví dụ: Góc tri thức, tầng 2."))
    shelf = forms.CharField(label=_("Giá / kệ"), max_length=100, required=False)
    call_number = forms.CharField(label=_("Ký hiệu xếp giá"), max_length=100, required=False)
    count = forms.IntegerField(label=_("Số bản"), min_value=1, max_value=1000, initial=1)
    note = forms.CharField(label=_("Ghi chú"), max_length=255, required=False)


class DocumentFilterForm(forms.Form):
    q = forms.CharField(label=_("Tìm theo nhan đề, tác giả, chủ đề"), required=False, max_length=200)
    type = forms.ChoiceField(label=_("Loại"), required=False, choices=[("", _("Mọi loại"))] + DocumentType.choices)
    access = forms.ChoiceField(
        label=_("Quyền xem"), required=False, choices=[("", _("Mọi quyền xem"))] + Access.choices
    )
    files = forms.ChoiceField(
        label=_("Tệp"),
        required=False,
        choices=[("", _("Mọi trạng thái tệp")), *DocumentFile.Status.choices, ("none", _("Chưa có tệp"))],
    )
