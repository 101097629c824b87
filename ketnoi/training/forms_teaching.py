"""The teaching pages' forms. They only parse and label; the rules are in services/teaching.py."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ketnoi.core.forms import DATE_INPUT_FORMATS, EMPTY_CHOICE_LABEL, TIME_INPUT_FORMATS
from ketnoi.directory.models import Person, Province
from ketnoi.directory.picking import OrganisationPickerField, PersonPickerField
from ketnoi.programmes.models import Programme

from .models import Attendance, Campus, Course, MaterialVersion, Semester, SessionLecturer, TeachingSession

DATE_ERRORS = {"invalid": _("Hãy nhập ngày dạng dd/mm/yyyy, ví dụ 15/10/2025.")}
TIME_ERRORS = {"invalid": _("Hãy nhập giờ dạng HH:MM, ví dụ 14:30.")}


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


def time_field(label) -> forms.TimeField:
    return forms.TimeField(
        label=label,
        input_formats=TIME_INPUT_FORMATS,
        error_messages=TIME_ERRORS,
        widget=forms.TimeInput(
            format="%H:%M", attrs={"placeholder": "HH:MM", "inputmode": "numeric", "autocomplete": "off"}
        ),
    )


class CourseForm(forms.Form):
    name = forms.CharField(label=_("Tên khoá học"), max_length=255)
    code = forms.CharField(label=_("Mã"), max_length=40, required=False)
    host = OrganisationPickerField(label=_("Đơn vị đào tạo"), required=False)
    period_minutes = forms.IntegerField(
        label=_("Số phút một tiết"),
        min_value=15,
        max_value=120,
        initial=45,
        help_text=_("Dùng để kiểm tra số tiết của mỗi buổi có vừa với giờ bắt đầu và kết thúc."),
    )


class CampusForm(forms.Form):
    name = forms.CharField(label=_("Tên cơ sở"), max_length=255)
    province = forms.ModelChoiceField(
        label=_("Tỉnh/thành phố"),
        queryset=Province.objects.filter(scheme=Province.Scheme.CURRENT).order_by("name"),
        required=False,
        empty_label=EMPTY_CHOICE_LABEL,
    )


class SemesterForm(forms.Form):
    name = forms.CharField(label=_("Học kỳ"), max_length=80)
    starts_on = date_field(_("Từ ngày"))
    ends_on = date_field(_("Đến ngày"))


class TopicForm(forms.Form):
    title = forms.CharField(label=_("Chủ đề"), max_length=255)
    position = forms.IntegerField(label=_("Thứ tự"), min_value=0, initial=0, required=False)


class ClassForm(forms.Form):
    course = forms.ModelChoiceField(label=_("Khoá học"), queryset=Course.objects.none(), empty_label=EMPTY_CHOICE_LABEL)
    campus = forms.ModelChoiceField(label=_("Cơ sở"), queryset=Campus.objects.none(), empty_label=EMPTY_CHOICE_LABEL)
    semester = forms.ModelChoiceField(
        label=_("Học kỳ"), queryset=Semester.objects.none(), empty_label=EMPTY_CHOICE_LABEL
    )
    code = forms.CharField(label=_("Mã lớp"), max_length=40)
    learners_expected = forms.IntegerField(label=_("Số học viên"), min_value=0, initial=0, required=False)

    def __init__(self, *args, programme: Programme, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["course"].queryset = programme.courses.all()
        self.fields["campus"].queryset = programme.campuses.all()
        self.fields["semester"].queryset = programme.semesters.all()
        if editing:
            del self.fields["course"]


class LearnersForm(forms.Form):
    person_ids = forms.CharField(
        label=_("Mã số học viên trong danh bạ"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Các mã số cá nhân, cách nhau bởi dấu phẩy, dấu cách hoặc xuống dòng."),
    )

    def clean_person_ids(self) -> list[str]:
        text = self.cleaned_data["person_ids"].replace(",", " ").replace(";", " ")
        ids = [part for part in text.split() if part]
        if not ids:
            raise forms.ValidationError(_("Hãy nhập ít nhất một mã số."))
        return ids


class CommitmentForm(forms.Form):
    activity = forms.ModelChoiceField(
        label=_("Hoạt động của chương trình"), queryset=None, empty_label=EMPTY_CHOICE_LABEL
    )
    course = forms.ModelChoiceField(label=_("Khoá học"), queryset=Course.objects.none(), empty_label=EMPTY_CHOICE_LABEL)
    periods = forms.IntegerField(
        label=_("Số tiết mỗi học kỳ, mỗi lớp"),
        min_value=1,
        max_value=200,
        initial=10,
        help_text=_("Cam kết đồng giảng dạy: số tiết mỗi học kỳ, mỗi lớp, mỗi cơ sở."),
    )

    def __init__(self, *args, programme: Programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["activity"].queryset = programme.activities.all()
        self.fields["course"].queryset = programme.courses.all()


class SessionForm(forms.Form):
    date = date_field(_("Ngày giảng"))
    starts_at = time_field(_("Bắt đầu"))
    ends_at = time_field(_("Kết thúc"))
    periods = forms.IntegerField(
        label=_("Số tiết"), min_value=1, max_value=12, widget=forms.NumberInput(attrs={"inputmode": "numeric"})
    )
    topic = forms.ModelChoiceField(label=_("Chủ đề"), queryset=None, required=False, empty_label=EMPTY_CHOICE_LABEL)
    status = forms.ChoiceField(label=_("Trạng thái"), choices=TeachingSession.Status.choices, widget=forms.RadioSelect)
    lead = PersonPickerField(
        purpose="training.lecturer",
        label=_("Giảng viên chính"),
        required=False,
        help_text=_("Bắt buộc với buổi đã dạy."),
    )
    co_teachers = PersonPickerField(purpose="training.lecturer", multiple=True, label=_("Đồng giảng"), required=False)
    materials = forms.ModelMultipleChoiceField(
        label=_("Tài liệu dùng"), queryset=MaterialVersion.objects.none(), required=False
    )
    note = forms.CharField(label=_("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, training_class, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        programme = training_class.course.programme
        self.fields["lead"].scope(programme=programme, user=user)
        self.fields["co_teachers"].scope(programme=programme, user=user)
        self.fields["topic"].queryset = training_class.course.topics.all()
        versions = MaterialVersion.objects.filter(material__programme_id=training_class.course.programme_id)
        self.fields["materials"].queryset = versions.select_related("material")
        if not versions.exists():
            del self.fields["materials"]

    def lecturers(self) -> list[tuple[Person, str]]:
        lead = self.cleaned_data.get("lead")
        chosen = [(lead, SessionLecturer.Role.LEAD)] if lead else []
        chosen += [
            (p, SessionLecturer.Role.CO_TEACHER)
            for p in self.cleaned_data.get("co_teachers") or []
            if not lead or p.pk != lead.pk
        ]
        return chosen


ATTENDANCE_CHOICES = Attendance.Status.choices
