"""Forms of the survey design pages. They parse what a coordinator types into the pieces of a
definition (definition.py); the services check the whole and save it.

Choices and matrix items are typed one per line as “code | nhãn tiếng Việt | English label”;
a line without a code gets one made from its Vietnamese label.
"""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from ketnoi.core.forms import EMPTY_CHOICE_LABEL, datetime_field
from ketnoi.core.text import fold, normalise
from ketnoi.programmes.models import Programme

from . import definition as d
from . import expressions
from .models import Collection

TYPE_LABELS = {
    d.TEXT: _("Trả lời ngắn"),
    d.LONG_TEXT: _("Đoạn văn"),
    d.INTEGER: _("Số nguyên"),
    d.DECIMAL: _("Số thập phân"),
    d.DATE: _("Ngày"),
    d.SELECT_ONE: _("Chọn một"),
    d.SELECT_MULTIPLE: _("Chọn nhiều"),
    d.RATING: _("Thang điểm"),
    d.MATRIX: _("Bảng đánh giá (nhiều tiêu chí, một thang điểm)"),
    d.NOTE: _("Ghi chú (chỉ có chữ)"),
    d.GROUP: _("Nhóm câu hỏi"),
}
# Types an imported XLSForm brings that this editor shows but does not edit: the author changes
# them in the XLSForm and imports it again (the form's next version).
IMPORTED_TYPE_LABELS = {kind: label for kind, label in d.KIND_LABELS.items() if kind not in TYPE_LABELS}
CONTAINER_TYPES = d.CONTAINERS
START_BLANK, START_XLSFORM = "blank", "xlsform"
START_CHOICES = [
    (START_BLANK, _("Biểu mẫu trống (một câu trả lời ngắn để bắt đầu)")),
    ("lecture", _("Mẫu có sẵn: đánh giá bài giảng")),
    ("workshop", _("Mẫu có sẵn: phản hồi sau hội thảo")),
    (START_XLSFORM, _("Nhập tệp XLSForm (.xlsx, từ KoboToolbox hoặc ODK)")),
]
SCALE_CHOICES = [(f"{low}-{high}", f"{low}–{high}") for low, high in d.SCALES]
TOP_LEVEL = ""
XLSFORM_MAX_BYTES = 5 * 1024 * 1024
LINE_FORMAT = _("mã | nhãn tiếng Việt | English label")


def blank_definition(title: str) -> dict:
    """What a blank form starts with: one short-text question to edit (a form with nothing to
    answer would not pass the definition check)."""
    return {
        "title": {"vi": title},
        "questions": [{"name": "q1", "type": d.TEXT, "label": {"vi": "Câu hỏi 1", "en": "Question 1"}}],
    }


def _lang(vi: str, en: str) -> dict:
    value = {"vi": normalise(vi)}
    if normalise(en):
        value["en"] = normalise(en)
    return value if value["vi"] or len(value) > 1 else {}


def make_code(text: str, *, answer: bool) -> str:
    """A code made from a label: folded, underscores for spaces. Answer keys (matrix items) must
    start with a letter, which the prefix guarantees."""
    code = re.sub(r"[^a-z0-9]+", "_", fold(text)).strip("_")[:40] or "x"
    if answer and not re.match(r"[a-z_]", code):
        code = f"m_{code}"
    return code


def parse_lines(text: str, *, answer: bool) -> list[dict]:
    """Lines of “code | vi | en” as [{"name", "label"}]; raises ValidationError naming the line."""
    entries, errors, seen = [], [], set()
    for number, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        parts = [normalise(p) for p in line.split("|")]
        if len(parts) == 1:
            parts = [make_code(parts[0], answer=answer), parts[0]]
        if len(parts) > 3:
            errors.append(
                _("Dòng %(n)s: có nhiều hơn hai dấu |. Hãy viết “%(format)s”.") % {"n": number, "format": LINE_FORMAT}
            )
            continue
        code, vi, en = (parts + ["", ""])[:3]
        pattern = d.NAME if answer else re.compile(r"^[A-Za-z0-9_.\-]+$")
        if not code or not pattern.match(code):
            hint = (
                _("chỉ gồm chữ không dấu, số và dấu gạch dưới, bắt đầu bằng chữ")
                if answer
                else _("chỉ gồm chữ không dấu, số, dấu chấm, gạch nối và gạch dưới")
            )
            errors.append(
                _("Dòng %(n)s: mã “%(code)s” không hợp lệ (%(hint)s).") % {"n": number, "code": code, "hint": hint}
            )
            continue
        if not vi:
            errors.append(_("Dòng %(n)s: hãy viết nhãn tiếng Việt sau mã “%(code)s”.") % {"n": number, "code": code})
            continue
        if code in seen:
            errors.append(_("Dòng %(n)s: mã “%(code)s” bị trùng với một dòng trước.") % {"n": number, "code": code})
            continue
        seen.add(code)
        entries.append({"name": code, "label": _lang(vi, en)})
    if errors:
        raise forms.ValidationError(errors)
    return entries


def format_lines(entries: list[dict] | None) -> str:
    lines = []
    for entry in entries or []:
        labels = entry.get("label") or {}
        if isinstance(labels, str):
            labels = {"vi": labels}
        parts = [entry.get("name", ""), labels.get("vi", "")]
        if labels.get("en"):
            parts.append(labels["en"])
        lines.append(" | ".join(parts))
    return "\n".join(lines)


def _text(label, *, required: bool = False, help_text: str = "", max_length: int = 500, **attrs) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        help_text=help_text,
        max_length=max_length,
        widget=forms.TextInput(attrs={"autocomplete": "off", **attrs}),
    )


def _area(label, *, required: bool = False, help_text: str = "", rows: int = 2) -> forms.CharField:
    return forms.CharField(
        label=label, required=required, help_text=help_text, widget=forms.Textarea(attrs={"rows": rows})
    )


# Forms --------------------------------------------------------------------------------------


class _MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class _MultipleFileField(forms.FileField):
    """Several files in one field (the XLSForm with its media and lists): a list of uploads."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", _MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(_MultipleFileField, self).clean(item, initial) for item in data if item] or None
        return [super().clean(data, initial)] if data else None


class FormCreateForm(forms.Form):
    title = _text(
        _("Tiêu đề"),
        max_length=255,
        help_text=_("Ví dụ: Đánh giá bài giảng khoá Quản lý nhà nước về TCXH. Để trống khi dùng mẫu: lấy tên mẫu."),
    )
    start = forms.ChoiceField(
        label=_("Bắt đầu từ"), choices=START_CHOICES, initial=START_BLANK, widget=forms.RadioSelect
    )
    xlsform = _MultipleFileField(
        label=_("Tệp XLSForm"),
        required=False,
        help_text=_(
            "Tệp .xlsx có các trang survey, choices và settings, tối đa 5 MB. Nếu biểu mẫu dùng ảnh, âm thanh hay "
            "danh sách CSV/XML (select_one_from_file), hãy chọn cùng lúc tệp .xlsx và các tệp đó, hoặc một tệp "
            ".zip chứa tất cả (như tệp KoboToolbox hay nền tảng này xuất ra)."
        ),
        widget=_MultipleFileInput(attrs={"accept": ".xlsx,.xlsm,.xls,.zip,.csv,.xml,image/*,audio/*"}),
    )

    def clean(self):
        data = super().clean()
        start, upload = data.get("start"), data.get("xlsform")
        if start == START_XLSFORM:
            if not upload:
                self.add_error("xlsform", _("Hãy chọn tệp XLSForm (.xlsx) để nhập."))
            elif any(
                f.size > XLSFORM_MAX_BYTES and f.name.lower().endswith((".xlsx", ".xlsm", ".xls")) for f in upload
            ):
                self.add_error("xlsform", _("Tệp lớn hơn 5 MB. Một biểu mẫu khảo sát thường chỉ vài chục KB."))
        elif start == START_BLANK and not normalise(data.get("title")):
            self.add_error("title", _("Hãy đặt tiêu đề cho biểu mẫu trống."))
        return data


class FormEditForm(forms.Form):
    title = _text(_("Tiêu đề"), required=True, max_length=255, help_text=_("Người trả lời thấy tiêu đề này."))
    title_en = _text(_("Tiêu đề tiếng Anh"), max_length=255, help_text=_("Cho người trả lời chọn tiếng Anh."))
    description = _area(
        _("Mô tả"),
        rows=3,
        help_text=_("Dành cho người thiết kế: mục đích, dùng cho khoá nào. Người trả lời không thấy."),
    )


# Questions ----------------------------------------------------------------------------------


def _expression_help() -> str:
    return _(
        "Ví dụ: ${da_tham_du} = 'yes' hoặc ${diem} >= 3. Chỉ nhắc tới câu hỏi ở phía trước. "
        "Hàm: selected(), count-selected(), string-length(), regex(), contains(), not(), today()…"
    )


class QuestionForm(forms.Form):
    """One question of any type; fields that do not apply to the type are removed."""

    label_vi = _area(_("Nội dung (tiếng Việt)"))
    label_en = _area(_("Nội dung (tiếng Anh)"))
    name = forms.CharField(
        label=_("Tên (mã) câu hỏi"),
        max_length=64,
        required=False,
        help_text=_(
            "Chữ không dấu, số và dấu gạch dưới, bắt đầu bằng chữ; dùng trong quy tắc và khi xuất dữ liệu. "
            "Để trống: tạo từ nội dung."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "none", "spellcheck": "false"}),
    )
    hint_vi = _text(_("Gợi ý (tiếng Việt)"))
    hint_en = _text(_("Gợi ý (tiếng Anh)"))
    parent = forms.ChoiceField(label=_("Vị trí câu hỏi"), required=False)
    required = forms.BooleanField(label=_("Bắt buộc trả lời"), required=False)
    choices = _area(
        _("Các lựa chọn"),
        rows=5,
        help_text=_("Mỗi dòng một lựa chọn: “mã | nhãn tiếng Việt | English label”, ví dụ “yes | Có | Yes”."),
    )
    or_other = forms.BooleanField(label=_("Thêm lựa chọn “Khác, ghi rõ”"), required=False)
    scale = forms.ChoiceField(label=_("Thang điểm"), choices=SCALE_CHOICES, initial="1-5")
    min_label_vi = _text(_("Nhãn điểm thấp nhất (tiếng Việt)"), help_text=_("Ví dụ: Rất không đồng ý."))
    min_label_en = _text(_("Nhãn điểm thấp nhất (tiếng Anh)"))
    max_label_vi = _text(_("Nhãn điểm cao nhất (tiếng Việt)"), help_text=_("Ví dụ: Rất đồng ý."))
    max_label_en = _text(_("Nhãn điểm cao nhất (tiếng Anh)"))
    items = _area(
        _("Các tiêu chí"),
        rows=5,
        help_text=_(
            "Mỗi dòng một tiêu chí: “mã | nhãn tiếng Việt | English label”, "
            "ví dụ “lecturer_clear | Giảng viên trình bày dễ hiểu | The lecturer explained clearly”."
        ),
    )
    relevant = _text(_("Chỉ hiện khi"), max_length=expressions.MAX_LENGTH, help_text=_expression_help())
    constraint = _text(
        _("Điều kiện của câu trả lời"),
        max_length=expressions.MAX_LENGTH,
        help_text=_("Dấu chấm là câu trả lời này. Ví dụ: . >= 1 and . <= 50 hoặc string-length(.) <= 200."),
    )
    constraint_message_vi = _text(_("Thông báo khi sai điều kiện (tiếng Việt)"))
    constraint_message_en = _text(_("Thông báo khi sai điều kiện (tiếng Anh)"))

    def __init__(self, *args, kind: str, groups: list[tuple[str, str]] = (), question: dict | None = None, **kwargs):
        if question is not None and not kwargs.get("initial"):
            kwargs["initial"] = self.initial_from(question)
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.fields["parent"].choices = [(TOP_LEVEL, _("Ngoài cùng (không thuộc nhóm nào)"))] + [
            (name, _("Trong nhóm: %(label)s") % {"label": title}) for name, title in groups
        ]
        if not groups:
            del self.fields["parent"]
        keep = {"name", "label_vi", "label_en", "relevant", "parent"}
        if kind != d.GROUP:
            keep |= {"hint_vi", "hint_en"}
        if kind in (*d.ANSWERED_TYPES, d.MATRIX):
            keep |= {"required", "constraint", "constraint_message_vi", "constraint_message_en"}
        if kind in (d.SELECT_ONE, d.SELECT_MULTIPLE):
            keep |= {"choices", "or_other"}
        if kind in (d.RATING, d.MATRIX):
            keep |= {"scale", "min_label_vi", "min_label_en", "max_label_vi", "max_label_en"}
        if kind == d.MATRIX:
            keep.add("items")
        for name in list(self.fields):
            if name not in keep:
                del self.fields[name]
        if kind != d.GROUP:
            self.fields["label_vi"].required = True
        else:
            self.fields["label_vi"].label = _("Tên nhóm (tiếng Việt)")
            self.fields["label_en"].label = _("Tên nhóm (tiếng Anh)")
            self.fields["relevant"].help_text = _("Cả nhóm chỉ hiện khi điều kiện đúng. ") + _expression_help()
        if kind in (d.SELECT_ONE, d.SELECT_MULTIPLE):
            self.fields["choices"].required = True
        if kind == d.MATRIX:
            self.fields["items"].required = True
        for name in ("choices", "items"):
            if name in self.fields:
                # Room for every line, which wraps once or twice on a phone.
                lines = len(str(self.data.get(name) or self.initial.get(name) or "").splitlines())
                self.fields[name].widget.attrs["rows"] = min(24, max(5, 2 * lines + 1))

    @staticmethod
    def initial_from(question: dict) -> dict:
        def part(key: str, lang: str) -> str:
            value = question.get(key) or {}
            return (
                value
                if isinstance(value, str) and lang == "vi"
                else (value.get(lang, "") if isinstance(value, dict) else "")
            )

        scale = question.get("scale") or {}
        initial = {
            "name": question.get("name", ""),
            "label_vi": part("label", "vi"),
            "label_en": part("label", "en"),
            "hint_vi": part("hint", "vi"),
            "hint_en": part("hint", "en"),
            "required": bool(question.get("required")),
            "relevant": question.get("relevant", ""),
            "constraint": question.get("constraint", ""),
            "constraint_message_vi": part("constraint_message", "vi"),
            "constraint_message_en": part("constraint_message", "en"),
            "choices": format_lines(question.get("choices")),
            "or_other": bool(question.get("or_other")),
            "items": format_lines(question.get("items")),
        }
        if scale:
            initial["scale"] = f"{scale.get('min', 1)}-{scale.get('max', 5)}"
            for end in ("min", "max"):
                labels = scale.get(f"{end}_label") or {}
                initial[f"{end}_label_vi"] = labels.get("vi", "") if isinstance(labels, dict) else labels
                initial[f"{end}_label_en"] = labels.get("en", "") if isinstance(labels, dict) else ""
        return initial

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if name and not d.NAME.match(name):
            raise forms.ValidationError(
                _(
                    "Tên chỉ gồm chữ không dấu, số và dấu gạch dưới, bắt đầu bằng chữ, tối đa 64 ký tự "
                    "(ví dụ: muc_do_hai_long)."
                )
            )
        return name

    def _check_syntax(self, field: str) -> str:
        source = (self.cleaned_data.get(field) or "").strip()
        if source:
            try:
                expressions.references(source)
            except expressions.ExpressionError as error:
                raise forms.ValidationError(
                    _("Không đọc được biểu thức: %(error)s. Xem ví dụ bên dưới.") % {"error": error}
                ) from None
            problems = d.regex_problems(source)
            if problems:
                raise forms.ValidationError(problems)
        return source

    def clean_relevant(self):
        return self._check_syntax("relevant")

    def clean_constraint(self):
        return self._check_syntax("constraint")

    def clean_choices(self):
        return parse_lines(self.cleaned_data.get("choices", ""), answer=False)

    def clean_items(self):
        return parse_lines(self.cleaned_data.get("items", ""), answer=True)

    def build(self, existing: dict | None = None) -> dict:
        """The question as the definition stores it, keeping what this form does not edit
        (a group's children, keys an imported XLSForm brought)."""
        data = self.cleaned_data
        question = dict(existing or {})
        question["name"] = data["name"]
        question["type"] = self.kind

        def put(key: str, value) -> None:
            if value:
                question[key] = value
            else:
                question.pop(key, None)

        put("label", _lang(data.get("label_vi", ""), data.get("label_en", "")))
        put("hint", _lang(data.get("hint_vi", ""), data.get("hint_en", "")))
        put("required", bool(data.get("required")))
        put("relevant", data.get("relevant", ""))
        put("constraint", data.get("constraint", ""))
        put(
            "constraint_message",
            _lang(data.get("constraint_message_vi", ""), data.get("constraint_message_en", ""))
            if data.get("constraint")
            else {},
        )
        if "choices" in self.fields:
            put("choices", data.get("choices"))
            put("or_other", bool(data.get("or_other")))
        if "scale" in self.fields:
            low, high = (int(v) for v in data["scale"].split("-"))
            scale = {"min": low, "max": high}
            for end in ("min", "max"):
                labels = _lang(data.get(f"{end}_label_vi", ""), data.get(f"{end}_label_en", ""))
                if labels:
                    scale[f"{end}_label"] = labels
            question["scale"] = scale
        if "items" in self.fields:
            put("items", data.get("items"))
        if self.kind == d.GROUP:
            question.setdefault("children", [])
        return question


# Collections --------------------------------------------------------------------------------


def _datetime(label, help_text: str = "") -> forms.SplitDateTimeField:
    return datetime_field(label, help_text)


CONTEXT_FIELDS = {
    "context_class": "class",
    "context_campus": "campus",
    "context_semester": "semester",
    "context_lecturer": "lecturer",
}


class CollectionForm(forms.Form):
    title = _text(
        _("Tên đợt khảo sát"),
        required=True,
        max_length=255,
        help_text=_("Người trả lời thấy tên này. Ví dụ: Bài giảng 12/10 – lớp HN01."),
    )
    target = forms.ModelChoiceField(
        label=_("Hoạt động của chương trình"),
        queryset=None,
        required=False,
        empty_label=EMPTY_CHOICE_LABEL,
    )
    target_label = _text(
        _("Đối tượng khảo sát"),
        max_length=255,
        help_text=_(
            "Ví dụ: buổi giảng ngày 12/10, hội thảo Đà Nẵng. Để trống khi đã chọn hoạt động: lấy tên hoạt động."
        ),
    )
    context_class = _text(_("Lớp"), max_length=120)
    context_campus = _text(_("Cơ sở đào tạo"), max_length=120)
    context_semester = _text(_("Học kỳ"), max_length=120, help_text=_("Ví dụ: HK1 2025–2026."))
    context_lecturer = _text(_("Giảng viên"), max_length=200)
    opens_at = _datetime(_("Mở lúc"), _("Để trống: mở ngay."))
    closes_at = _datetime(_("Đóng lúc"), _("Để trống: mở đến khi bấm “Đóng ngay”."))
    max_responses = forms.IntegerField(
        label=_("Số phiếu tối đa"),
        required=False,
        help_text=_("Để trống nếu không giới hạn."),
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    mode = forms.ChoiceField(
        label=_("Chế độ"),
        choices=Collection.Mode.choices,
        initial=Collection.Mode.ANONYMOUS,
        widget=forms.RadioSelect,
        help_text=_("Ẩn danh: không lưu tài khoản hay địa chỉ mạng của người trả lời."),
    )

    def __init__(self, *args, programme: Programme, collection: Collection | None = None, **kwargs):
        if collection is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "title": collection.title,
                "target_label": collection.target_label,
                "opens_at": collection.opens_at,
                "closes_at": collection.closes_at,
                "max_responses": collection.max_responses,
                "mode": collection.mode,
                **{field: (collection.context or {}).get(key, "") for field, key in CONTEXT_FIELDS.items()},
            }
        super().__init__(*args, **kwargs)
        if collection is not None:
            del self.fields["target"]  # the target is chosen once, when the collection opens
        else:
            self.fields["target"].queryset = programme.activities.order_by("number", "id")

    def service_values(self) -> dict:
        data = self.cleaned_data
        values = {
            "title": data["title"],
            "target_label": data.get("target_label", ""),
            "context": {key: data.get(field, "") for field, key in CONTEXT_FIELDS.items() if data.get(field)},
            "closes_at": data.get("closes_at"),
            "max_responses": data.get("max_responses"),
            "mode": data["mode"],
        }
        if data.get("opens_at"):
            values["opens_at"] = data["opens_at"]
        if "target" in self.fields and data.get("target") is not None:
            values["target"] = data["target"]
        return values
