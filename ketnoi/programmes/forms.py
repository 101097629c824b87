"""Forms parse and check input shape; the rules live in services/ (plan.py, indicators.py).

Numbers are typed the Vietnamese way (1,5) or with a point (1.5): both are read as one and a
half, since no thousands separator is expected in these fields.
"""

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ketnoi.core.forms import EMPTY_CHOICE_LABEL
from ketnoi.core.registry import metric_choices
from ketnoi.core.roles import Role
from ketnoi.directory.forms import DATE_WIDGET
from ketnoi.directory.models import Province
from ketnoi.directory.picking import OrganisationPickerField, UserPickerField

from .models import Activity, Agreement, Component, Disaggregation, Indicator, IndicatorPeriod, Objective, Programme

# The fields each service accepts are the fields its form starts from.
from .services import (
    ACTIVITY_FIELDS,
    AGREEMENT_FIELDS,
    COMPONENT_FIELDS,
    INDICATOR_FIELDS,
    OBJECTIVE_FIELDS,
    PERIOD_FIELDS,
    PROGRAMME_FIELDS,
    category_choices,
)

NUMBER_WIDGET = forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"})
# A count takes whole numbers: phones show the digits keypad (the service refuses "1,5").
WHOLE_NUMBER_WIDGET = forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"})


def number_widget(indicator: Indicator | None) -> forms.TextInput:
    counts = indicator is not None and indicator.kind == Indicator.Kind.COUNT
    return WHOLE_NUMBER_WIDGET if counts else NUMBER_WIDGET


def _number(label, *, required: bool = True, help_text: str = "") -> forms.DecimalField:
    return forms.DecimalField(
        label=label, required=required, localize=True, max_digits=14, decimal_places=2, help_text=help_text
    )


def _date(label, *, required: bool = False) -> forms.DateField:
    return forms.DateField(label=label, required=required, widget=DATE_WIDGET)


def _initial_from(instance, names: tuple[str, ...]) -> dict:
    initial = {}
    for name in names:
        value = getattr(instance, name)
        initial[name] = value.pk if hasattr(value, "pk") else value
    return initial


class InstanceForm(forms.Form):
    """A plain form filled from a model instance: the service, not the form, saves it."""

    initial_fields: tuple[str, ...] = ()

    def __init__(self, *args, instance=None, **kwargs):
        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = _initial_from(instance, self.initial_fields)
        self.instance = instance
        super().__init__(*args, **kwargs)


# Programme and members -----------------------------------------------------------------------


class ProgrammeForm(InstanceForm):
    name = forms.CharField(label=_("Tên chương trình"), max_length=255)
    code = forms.SlugField(
        label=_("Mã"),
        max_length=40,
        help_text=_("Dùng trong đường dẫn: chữ không dấu, số và gạch nối, ví dụ inspiring-csos."),
    )
    description = forms.CharField(label=_("Mô tả"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    is_public = forms.BooleanField(
        label=_("Giới thiệu công khai trên trang chủ"),
        required=False,
        help_text=_(
            "Tên và mô tả của chương trình hiện cho mọi người trên trang chủ; người đã đăng nhập nhưng chưa có vai trò "
            "sẽ được biết tên điều phối viên để xin quyền. Số liệu và hồ sơ vẫn chỉ dành cho thành viên."
        ),
    )
    start_date = _date(_("Bắt đầu"))
    end_date = _date(_("Kết thúc"))
    require_two_factor_for_coordinators = forms.BooleanField(
        label=_("Bắt buộc điều phối viên đăng nhập hai bước"),
        required=False,
        help_text=_(
            "Điều phối viên phải nhập thêm mã từ ứng dụng xác thực trên điện thoại mỗi lần đăng nhập; "
            "người chưa cài sẽ được hướng dẫn cài ở lần mở trang tới."
        ),
    )
    second_approver = forms.ModelChoiceField(
        label=_("Người phê duyệt thứ hai"),
        queryset=get_user_model().objects.none(),
        required=False,
        empty_label=EMPTY_CHOICE_LABEL,
        help_text=_(
            "Người nhập số liệu không tự phê duyệt được. Khi chương trình chỉ có một điều phối viên, hãy chọn "
            "một thành viên khác để phê duyệt giá trị do điều phối viên nhập. Chưa có trong danh sách? Giao "
            "cho họ một vai trò ở trang Thành viên trước."
        ),
    )
    initial_fields = PROGRAMME_FIELDS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "second_approver" in self.fields and self.instance is not None:
            # Members who are not coordinators (coordinators approve already).
            members = self.instance.roles.values("user")
            coordinators = self.instance.roles.filter(role=Role.COORDINATOR).values("user")
            self.fields["second_approver"].queryset = (
                get_user_model()
                .objects.filter(pk__in=members, is_active=True)
                .exclude(pk__in=coordinators)
                .order_by("first_name", "last_name", "username")
            )

    def clean_code(self):
        return self.cleaned_data["code"].lower()


class ProgrammeCreateForm(ProgrammeForm):
    second_approver = None  # a new programme has no members yet
    coordinators = forms.CharField(
        label=_("Điều phối viên"),
        required=False,
        help_text=_("Tên đăng nhập của các điều phối viên, cách nhau bởi dấu phẩy. Có thể thêm sau."),
    )

    def clean_coordinators(self):
        names = [n.strip() for n in self.cleaned_data["coordinators"].replace(";", ",").split(",") if n.strip()]
        users = list(get_user_model().objects.filter(username__in=names, is_active=True))
        missing = sorted(set(names) - {u.username for u in users})
        if missing:
            raise forms.ValidationError(
                _("Không tìm thấy tài khoản đang hoạt động: %(names)s.") % {"names": ", ".join(missing)}
            )
        return users


class MemberForm(forms.Form):
    user = UserPickerField(
        purpose="programmes.member",
        label=_("Tài khoản"),
        help_text=_(
            "Tìm người trong danh bạ theo tên, tổ chức, thư điện tử hoặc số điện thoại. Tài khoản chưa gắn với "
            "ai trong danh bạ: gõ đúng tên đăng nhập hoặc thư điện tử của tài khoản."
        ),
    )
    role = forms.ChoiceField(label=_("Vai trò"), choices=Role.choices, initial=Role.VIEWER)

    def __init__(self, *args, programme: Programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].scope(programme=programme)


# Components and agreements -------------------------------------------------------------------


class ComponentForm(InstanceForm):
    name = forms.CharField(label=_("Tên mảng"), max_length=255)
    description = forms.CharField(label=_("Mô tả"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    order = forms.IntegerField(label=_("Thứ tự"), min_value=1, required=False)
    initial_fields = COMPONENT_FIELDS


class AgreementForm(InstanceForm):
    title = forms.CharField(label=_("Tên thoả thuận"), max_length=255)
    component = forms.ModelChoiceField(
        label=_("Mảng chương trình"), queryset=Component.objects.none(), required=False, empty_label=EMPTY_CHOICE_LABEL
    )
    parties = OrganisationPickerField(
        multiple=True,
        label=_("Các bên"),
        required=False,
        help_text=_("Chọn ít nhất hai tổ chức. Chưa có? Thêm trong Danh bạ."),
    )
    signed_on = _date(_("Ngày ký"))
    start_date = _date(_("Hiệu lực từ"))
    end_date = _date(_("Hiệu lực đến"))
    purpose = forms.CharField(label=_("Mục đích"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    document = forms.FileField(
        label=_("Văn bản đính kèm"),
        required=False,
        help_text=_("PDF, Word, ODT hoặc ảnh (JPG, PNG), tối đa 20 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.doc,.docx,.odt,.jpg,.jpeg,.png"}),
    )
    initial_fields = AGREEMENT_FIELDS

    def __init__(self, *args, programme: Programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["component"].queryset = programme.components.all()
        if self.instance is not None and "initial" not in kwargs:
            self.initial["parties"] = [p.pk for p in self.instance.parties.all()]

    def service_values(self) -> dict:
        """The cleaned data as the service takes it: a cleared document is "", an unchanged one left out."""
        values = dict(self.cleaned_data)
        document = values.pop("document")
        if document is False:
            values["document"] = ""
        elif document and document != getattr(self.instance, "document", None):
            values["document"] = document
        return values


# Objectives and activities -------------------------------------------------------------------


class ObjectiveForm(InstanceForm):
    number = forms.IntegerField(
        label=_("Số thứ tự"), min_value=1, required=False, help_text=_("Để trống: lấy số tiếp theo.")
    )
    title = forms.CharField(label=_("Mục tiêu"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
    description = forms.CharField(label=_("Mô tả"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    agreement = forms.ModelChoiceField(
        label=_("Thoả thuận"), queryset=Agreement.objects.none(), required=False, empty_label=EMPTY_CHOICE_LABEL
    )
    initial_fields = OBJECTIVE_FIELDS

    def __init__(self, *args, programme: Programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agreement"].queryset = programme.agreements.all()


class ActivityForm(InstanceForm):
    number = forms.IntegerField(
        label=_("Số thứ tự"), min_value=1, required=False, help_text=_("Để trống: lấy số tiếp theo.")
    )
    title = forms.CharField(label=_("Hoạt động"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
    description = forms.CharField(label=_("Mô tả"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    objective = forms.ModelChoiceField(
        label=_("Mục tiêu"), queryset=Objective.objects.none(), required=False, empty_label=EMPTY_CHOICE_LABEL
    )
    agreement = forms.ModelChoiceField(
        label=_("Thoả thuận"), queryset=Agreement.objects.none(), required=False, empty_label=EMPTY_CHOICE_LABEL
    )
    responsible = OrganisationPickerField(label=_("Đơn vị chịu trách nhiệm"), required=False)
    places = forms.ModelMultipleChoiceField(
        label=_("Địa bàn"),
        queryset=Province.objects.none(),
        required=False,
        help_text=_("Tỉnh/thành nơi diễn ra hoạt động (giữ Ctrl hoặc ⌘ để chọn nhiều)."),
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    planned_quantity = _number(_("Số lượng kế hoạch"), required=False)
    unit = forms.CharField(label=_("Đơn vị tính"), max_length=60, required=False, help_text=_("Ví dụ: tiết, hội thảo."))
    quantity_basis = forms.CharField(
        label=_("Tính theo"), max_length=200, required=False, help_text=_("Ví dụ: mỗi học kỳ, mỗi lớp, mỗi cơ sở.")
    )
    start_date = _date(_("Bắt đầu"))
    end_date = _date(_("Kết thúc"))
    initial_fields = ACTIVITY_FIELDS

    def __init__(self, *args, programme: Programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["objective"].queryset = programme.objectives.all()
        self.fields["agreement"].queryset = programme.agreements.all()
        kept = [p.pk for p in self.instance.places.all()] if self.instance is not None else []
        # Current units, plus a legacy unit the activity already holds so editing keeps it.
        self.fields["places"].queryset = Province.objects.filter(
            Q(scheme=Province.Scheme.CURRENT) | Q(pk__in=kept)
        ).order_by("scheme", "name_folded")
        self.fields["planned_quantity"].widget = NUMBER_WIDGET
        if self.instance is not None and "initial" not in kwargs:
            self.initial["places"] = kept


# Indicators, periods, values -----------------------------------------------------------------


class IndicatorForm(InstanceForm):
    code = forms.CharField(label=_("Mã chỉ số"), max_length=20, help_text=_("Ví dụ: CT1, 2.1."))
    name = forms.CharField(label=_("Tên chỉ số"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
    unit = forms.CharField(label=_("Đơn vị"), max_length=60, help_text=_("Ví dụ: người, tiết, hội thảo."))
    kind = forms.ChoiceField(
        label=_("Loại số liệu"),
        choices=Indicator.Kind.choices,
        initial=Indicator.Kind.COUNT,
        help_text=_("Số đếm chỉ nhận số nguyên (2 hội thảo, không phải 1,5); tỉ lệ và số đo giữ phần thập phân."),
    )
    objective = forms.ModelChoiceField(
        label=_("Mục tiêu"), queryset=Objective.objects.none(), required=False, empty_label=EMPTY_CHOICE_LABEL
    )
    activity = forms.ModelChoiceField(
        label=_("Hoạt động"),
        queryset=Activity.objects.none(),
        required=False,
        empty_label=EMPTY_CHOICE_LABEL,
        help_text=_("Chỉ số của một hoạt động được tính vào mục tiêu của hoạt động đó."),
    )
    baseline = _number(_("Giá trị cơ sở"), required=False)
    baseline_date = _date(_("Ngày đo cơ sở"))
    frequency = forms.ChoiceField(label=_("Tần suất"), choices=Indicator.Frequency.choices)
    cumulative = forms.BooleanField(
        label=_("Cộng dồn qua các kỳ"),
        required=False,
        initial=True,
        help_text=_("Bỏ chọn cho các mức độ như điểm đánh giá trung bình hay tỉ lệ."),
    )
    disaggregations = forms.MultipleChoiceField(
        label=_("Phân tách theo"),
        choices=Disaggregation.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    source = forms.ChoiceField(label=_("Nguồn số liệu"), choices=Indicator.Source.choices)
    metric_key = forms.ChoiceField(
        label=_("Số liệu tự động"),
        required=False,
        help_text=_("Chỉ dùng khi nguồn số liệu là “Tính tự động từ dữ liệu”."),
    )
    metric_params = forms.CharField(
        label=_("Tham số của số liệu tự động"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Không bắt buộc. Mỗi dòng một tham số dạng tên=giá trị, ví dụ form=danh-gia-bai-giang."),
    )
    initial_fields = INDICATOR_FIELDS

    def __init__(self, *args, programme: Programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["objective"].queryset = programme.objectives.all()
        self.fields["activity"].queryset = programme.activities.all()
        self.fields["metric_key"].choices = [("", EMPTY_CHOICE_LABEL), *metric_choices()]
        self.fields["baseline"].widget = NUMBER_WIDGET

        if self.instance is not None and not self.is_bound:
            params = self.instance.metric_params or {}
            self.initial["metric_params"] = "\n".join(f"{k}={v}" for k, v in params.items())

    def clean_baseline(self):
        return self.cleaned_data["baseline"] or 0

    def clean_metric_params(self) -> dict:
        params = {}
        for number, line in enumerate(self.cleaned_data["metric_params"].splitlines(), start=1):
            if not line.strip():
                continue
            name, sep, value = line.partition("=")
            if not sep or not name.strip():
                raise forms.ValidationError(
                    _("Dòng %(n)s: hãy viết tên=giá trị, ví dụ form=danh-gia-bai-giang.") % {"n": number}
                )
            params[name.strip()] = value.strip()
        return params


class PeriodForm(InstanceForm):
    label = forms.CharField(label=_("Tên kỳ"), max_length=60, help_text=_("Ví dụ: 2017, HK1 2017–2018, Quý 3/2025."))
    start_date = _date(_("Từ ngày"), required=True)
    end_date = _date(_("Đến ngày"), required=True)
    target = _number(_("Chỉ tiêu"))
    initial_fields = PERIOD_FIELDS

    def __init__(self, *args, indicator: Indicator | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].widget = number_widget(indicator)


TOTAL = ""


class ValueForm(forms.Form):
    period = forms.ModelChoiceField(label=_("Kỳ"), queryset=IndicatorPeriod.objects.none(), empty_label=None)
    breakdown = forms.ChoiceField(
        label=_("Thuộc nhóm"),
        required=False,
        help_text=_("Nhập tổng trước; giá trị theo nhóm chỉ để phân tách, không cộng vào tổng."),
    )
    value = _number(_("Giá trị"))
    evidence = forms.CharField(
        label=_("Minh chứng"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Ví dụ: biên bản, danh sách điểm danh, đường dẫn tới báo cáo."),
    )
    evidence_file = forms.FileField(
        label=_("Tệp minh chứng"),
        required=False,
        help_text=_("PDF, Word, Excel, CSV hoặc ảnh (JPG, PNG), tối đa 20 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.doc,.docx,.xls,.xlsx,.odt,.ods,.csv,.jpg,.jpeg,.png"}),
    )

    def __init__(self, *args, indicator: Indicator, **kwargs):
        super().__init__(*args, **kwargs)
        periods = list(indicator.periods.all())
        self.fields["period"].queryset = indicator.periods.all()
        # Most entries are for the period under way (or the latest one that has begun).
        begun = [p for p in periods if p.start_date <= timezone.localdate()]
        self.fields["period"].initial = (begun or periods)[-1].pk if periods else None
        self.fields["value"].label = _("Giá trị (%(unit)s)") % {"unit": indicator.unit}
        self.fields["value"].widget = number_widget(indicator)
        if indicator.kind == Indicator.Kind.COUNT:
            self.fields["value"].help_text = _("Số nguyên, ví dụ 2.")
        choices: list = [(TOTAL, _("Tổng (không phân tách)"))]
        for disaggregation in indicator.disaggregations or []:
            group = [(f"{disaggregation}:{value}", label) for value, label in category_choices(disaggregation)]
            choices.append((Disaggregation(disaggregation).label, group))
        self.fields["breakdown"].choices = choices
        if len(choices) == 1:
            self.fields["breakdown"].widget = forms.HiddenInput()

    def service_values(self) -> dict:
        values = dict(self.cleaned_data)
        disaggregation, _sep, category = values.pop("breakdown").partition(":")
        values.update(disaggregation=disaggregation, category=category)
        return values


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", _("Phê duyệt")), ("reject", _("Từ chối"))])
    note = forms.CharField(label=_("Ghi chú"), required=False, max_length=2000)
