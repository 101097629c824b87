"""Forms of the review pages: parse and show; the rules live in services/review.py."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ketnoi.core.forms import DATE_INPUT_FORMATS, EMPTY_CHOICE_LABEL
from ketnoi.directory.forms import DATE_WIDGET
from ketnoi.directory.picking import UserPickerField

from .models import Material, ReviewComment, Topic

FILE_WIDGET = forms.ClearableFileInput(attrs={"accept": ".pdf,.docx"})


class MaterialForm(forms.Form):
    title = forms.CharField(label=_("Tên tài liệu"), max_length=255)
    kind = forms.ChoiceField(label=_("Loại"), choices=Material.Kind.choices, initial=Material.Kind.SLIDES)
    topic = forms.ModelChoiceField(
        label=_("Chủ đề"), queryset=Topic.objects.none(), required=False, empty_label=EMPTY_CHOICE_LABEL
    )
    file = forms.FileField(
        label=_("Tệp (PDF hoặc Word)"),
        widget=FILE_WIDGET,
        error_messages={"required": _("Hãy chọn tệp tài liệu để tải lên.")},
    )
    note = forms.CharField(label=_("Ghi chú"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topic"].queryset = Topic.objects.filter(course__programme=programme).select_related("course")


class VersionForm(forms.Form):
    file = forms.FileField(
        label=_("Tệp bản mới (PDF hoặc Word)"),
        widget=FILE_WIDGET,
        error_messages={"required": _("Hãy chọn tệp tài liệu để tải lên.")},
    )
    note = forms.CharField(
        label=_("Thay đổi so với bản trước"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class ReviewRequestForm(forms.Form):
    reviewers = UserPickerField(
        purpose="training.reviewer",
        multiple=True,
        label=_("Chuyên gia góp ý"),
        required=False,  # the service says why an empty choice is refused
        help_text=_("Những người có vai trò chuyên gia góp ý trong chương trình."),
    )
    due_on = forms.DateField(
        label=_("Hạn góp ý"),
        widget=DATE_WIDGET,
        input_formats=DATE_INPUT_FORMATS,
        required=False,
        error_messages={"invalid": _("Hãy nhập ngày dạng dd/mm/yyyy, ví dụ 15/10/2025.")},
    )
    message = forms.CharField(label=_("Lời nhắn"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, author, programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviewers"].scope(programme=programme)
        self.fields["reviewers"].queryset = self.fields["reviewers"].queryset.exclude(pk=author.pk)


class CommentForm(forms.Form):
    location = forms.CharField(
        label=_("Mục hoặc trang (không bắt buộc)"),
        max_length=ReviewComment._meta.get_field("location").max_length,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": _("ví dụ: Slide 5, Trang 3, Mục 2.1")}),
    )
    body = forms.CharField(
        label=_("Góp ý"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,  # the service refuses an empty comment with its own message
    )


class DecideForm(forms.Form):
    comment = forms.CharField(
        label=_("Nhận xét chung (bắt buộc khi cần chỉnh sửa nếu chưa có góp ý)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
