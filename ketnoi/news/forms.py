"""Forms of the news pages. They only parse what people type; the services check the rules."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import SIGNATURE_MAX, SUMMARY_MAX, TITLE_MAX, Comment
from .services import COMMENT_MAX, NAME_MAX

MARKDOWN_HINT = _(
    "Viết bằng Markdown: một dòng trống để sang đoạn mới, ## Tiêu đề mục, **chữ đậm**, *chữ nghiêng*, "
    "- gạch đầu dòng, [chữ hiển thị](https://địa-chỉ). Mã HTML không được hiển thị."
)


class PostForm(forms.Form):
    # Lengths are checked by the services, whose messages say what to do.
    title = forms.CharField(
        label=_("Tiêu đề"),
        widget=forms.TextInput(attrs={"maxlength": TITLE_MAX}),
        error_messages={"required": _("Hãy nhập tiêu đề tin bài, ví dụ “Hội thảo tập huấn vận động chính sách”.")},
    )
    summary = forms.CharField(
        label=_("Tóm tắt ngắn"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": SUMMARY_MAX}),
        help_text=_("Một hai câu hiện trong danh sách tin và trong nguồn tin RSS."),
    )
    body = forms.CharField(
        label=_("Nội dung bài"), required=False, widget=forms.Textarea(attrs={"rows": 14}), help_text=MARKDOWN_HINT
    )
    signature = forms.CharField(
        label=_("Ký tên cuối bài"),
        required=False,
        widget=forms.TextInput(attrs={"maxlength": SIGNATURE_MAX}),
        help_text=_("Ví dụ: Ban tổ chức, hoặc tên và chức danh người viết."),
    )
    tags = forms.CharField(
        label=_("Thẻ"),
        required=False,
        help_text=_("Cách nhau bằng dấu phẩy, ví dụ: vận động chính sách, trẻ em"),
    )
    cover = forms.FileField(
        label=_("Ảnh bìa"),
        required=False,
        help_text=_("PNG, JPEG hoặc WebP, tối đa 5 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg,image/webp"}),
    )

    def tag_names(self) -> list[str]:
        return [name.strip() for name in self.cleaned_data.get("tags", "").split(",") if name.strip()]

    def service_values(self) -> dict:
        """The post as post_create and post_update take it (post_update also takes remove_cover)."""
        data = self.cleaned_data
        return {
            "title": data["title"],
            "summary": data["summary"],
            "body": data["body"],
            "signature": data["signature"],
            "tags": self.tag_names(),
            "cover": data.get("cover") or None,
        }


class CommentForm(forms.Form):
    """Parses the visitor's comment; comment_submit checks it, so its messages say what to do
    (the fields here are optional on purpose, to give one message per field, the service's)."""

    REQUIRED = ("name", "email", "body")

    name = forms.CharField(label=_("Tên"), required=False, widget=forms.TextInput(attrs={"autocomplete": "name"}))
    email = forms.CharField(
        label=_("Thư điện tử"),
        required=False,
        help_text=_("Địa chỉ thư điện tử của bạn sẽ không được công khai."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    body = forms.CharField(label=_("Bình luận"), required=False, widget=forms.Textarea(attrs={"rows": 5}))
    # A field people never see (visually hidden, not reachable by Tab); robots fill every field.
    website = forms.CharField(
        label=_("Để trống ô này"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].widget.attrs["maxlength"] = NAME_MAX
        self.fields["body"].widget.attrs["maxlength"] = COMMENT_MAX
        for name in self.REQUIRED:
            self.fields[name].widget.attrs["aria-required"] = "true"


class PostFilterForm(forms.Form):
    tag = forms.SlugField(required=False)
    programme = forms.SlugField(required=False)


MODERATION_FILTERS = [("", _("Tất cả")), *Comment.Status.choices]


class ModerationFilterForm(forms.Form):
    status = forms.ChoiceField(choices=MODERATION_FILTERS, required=False)
