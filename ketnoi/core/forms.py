"""Form pieces every app uses: a date and a time typed as the platform shows them, the label of a
select's empty choice."""

from django import forms
from django.contrib.auth.forms import PasswordResetForm
from django.utils.translation import gettext_lazy as _

# The one label of a select's empty choice in every form that records something, whether the
# field must be chosen or may stay empty (Django's own "---------" never shows). A filter's empty
# choice means "all" and says so in its own words ("Mọi tỉnh/thành", "Tất cả").
EMPTY_CHOICE_LABEL = _("— Chọn —")

DATE_INPUT_FORMATS = ["%d/%m/%Y", "%d/%m/%y", "%Y-%m-%d"]
TIME_INPUT_FORMATS = ["%H:%M", "%H:%M:%S", "%Hh%M", "%H"]


class DateTimeWidget(forms.SplitDateTimeWidget):
    """dd/mm/yyyy and HH:MM in two text boxes: a browser's picker would show the phone's own
    format, not the one the rest of the platform shows."""

    template_name = "core/_datetime_widget.html"

    def __init__(self, attrs=None):
        super().__init__(
            attrs=attrs,
            date_format="%d/%m/%Y",
            time_format="%H:%M",
            date_attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric", "autocomplete": "off"},
            time_attrs={"placeholder": "HH:MM", "inputmode": "numeric", "autocomplete": "off"},
        )


def datetime_field(label, help_text: str = "", *, required: bool = False) -> forms.SplitDateTimeField:
    return forms.SplitDateTimeField(
        label=label,
        required=required,
        help_text=help_text,
        widget=DateTimeWidget(),
        input_date_formats=DATE_INPUT_FORMATS,
        input_time_formats=TIME_INPUT_FORMATS,
        error_messages={
            "required": _("Hãy nhập ngày và giờ."),
            "invalid_date": _("Hãy nhập ngày dạng dd/mm/yyyy, ví dụ 15/10/2025."),
            "invalid_time": _("Hãy nhập giờ dạng HH:MM, ví dụ 14:30."),
            "incomplete": _("Hãy nhập cả ngày và giờ."),
        },
    )


class QueuedPasswordResetForm(PasswordResetForm):
    """Django's password reset, its e-mail sent through the outgoing-mail queue (tried again when
    the mail server is down; an undeliverable one shows to staff). The link is a secret: the
    message's text is dropped from the queue once it is sent."""

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ) -> None:
        from .services import mail_queue

        mail_queue(to=to_email, template="core/email/password_reset", context=context, sensitive=True)
