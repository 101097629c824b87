"""The filters of a form's results, shared by the results page, the comparison and the exports:
which collection (target), the class, campus, semester and lecturer copied into collections'
context, and the dates the responses were submitted between (dd/mm/yyyy).

The choices offered are the values that exist among the form's collections, read in one query
over collections (never over responses). A filter that does not validate is left out and its
field says why, so a typing mistake never turns into a server error.
"""

from dataclasses import dataclass
from datetime import datetime, time

from django import forms
from django.db.models import QuerySet
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ketnoi.core.text import fold

from .models import Collection, Form, Response

CONTEXT_FILTERS = ("class", "campus", "semester", "lecturer")
CONTEXT_LABELS = {
    "class": gettext_lazy("Lớp"),
    "campus": gettext_lazy("Cơ sở"),
    "semester": gettext_lazy("Học kỳ"),
    "lecturer": gettext_lazy("Giảng viên"),
    "city": gettext_lazy("Thành phố"),
    "session": gettext_lazy("Buổi học"),
}
DATE_HELP = gettext_lazy("dd/mm/yyyy")


@dataclass(frozen=True)
class CollectionInfo:
    pk: int
    title: str
    context: dict
    opens_at: datetime


def form_collections(form: Form) -> list[CollectionInfo]:
    rows = (
        Collection.objects.filter(form=form)
        .order_by("opens_at", "id")
        .values_list("id", "title", "context", "opens_at")
    )
    return [
        CollectionInfo(pk, title, context if isinstance(context, dict) else {}, opens)
        for pk, title, context, opens in rows
    ]


def context_values(collections: list[CollectionInfo], key: str) -> list[str]:
    values = {str(c.context[key]) for c in collections if c.context.get(key) not in (None, "")}
    return sorted(values, key=lambda v: (fold(v), v))


class DateInput(forms.TextInput):
    """A text box for dd/mm/yyyy: a browser's date picker would send yyyy-mm-dd and show the
    date in the phone's own format, which is not what the rest of the platform shows."""

    def __init__(self):
        super().__init__(attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric", "autocomplete": "off"})


class FilterForm(forms.Form):
    collection = forms.TypedChoiceField(
        label=gettext_lazy("Đợt khảo sát"), required=False, coerce=int, empty_value=None
    )
    date_from = forms.DateField(
        label=gettext_lazy("Gửi từ ngày"),
        required=False,
        widget=DateInput(),
        error_messages={"invalid": gettext_lazy("Hãy nhập ngày dạng dd/mm/yyyy, ví dụ 15/10/2024.")},
    )
    date_to = forms.DateField(
        label=gettext_lazy("Đến ngày"),
        required=False,
        widget=DateInput(),
        error_messages={"invalid": gettext_lazy("Hãy nhập ngày dạng dd/mm/yyyy, ví dụ 15/10/2024.")},
    )

    def __init__(self, data: QueryDict | dict | None, *, collections: list[CollectionInfo]):
        super().__init__(data or None)
        self.collections = collections
        any_value = _("Tất cả")
        wrong_choice = _("“%(value)s” không có trong các đợt khảo sát của biểu mẫu này. Hãy chọn trong danh sách.")
        self.fields["collection"].choices = [("", any_value)] + [(str(c.pk), c.title) for c in collections]
        self.fields["collection"].error_messages["invalid_choice"] = wrong_choice
        # Context filters go between the collection and the dates, and only where some
        # collection has a value to filter by.
        ordered = {"collection": self.fields.pop("collection")}
        for key in CONTEXT_FILTERS:
            values = context_values(collections, key)
            if values or (data and data.get(key)):  # a value asked for but absent gets its message
                ordered[key] = forms.ChoiceField(
                    label=CONTEXT_LABELS[key],
                    required=False,
                    choices=[("", any_value)] + [(v, v) for v in values],
                    error_messages={"invalid_choice": wrong_choice},
                )
        ordered["date_from"] = self.fields.pop("date_from")
        ordered["date_to"] = self.fields.pop("date_to")
        self.fields = ordered

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("Ngày cuối phải từ ngày đầu trở đi. Hãy đổi lại hai ngày."))
        return cleaned

    def values(self) -> dict:
        """The filters that validated and are set (an invalid field is left out)."""
        if self.data:
            self.is_valid()
        cleaned = getattr(self, "cleaned_data", {}) or {}
        return {k: v for k, v in cleaned.items() if v not in (None, "") and k not in self.errors}

    def active(self) -> list[tuple[str, str]]:
        """(label, value) of each filter in force, as a person reads it."""
        shown = []
        titles = {c.pk: c.title for c in self.collections}
        for key, value in self.values().items():
            if key == "collection":
                text = titles.get(value, str(value))
            elif key in ("date_from", "date_to"):
                text = value.strftime("%d/%m/%Y")
            else:
                text = str(value)
            shown.append((str(self.fields[key].label), text))
        return shown


def apply_filters(
    responses: QuerySet[Response], values: dict, *, collections: list[CollectionInfo] | None = None
) -> QuerySet[Response]:
    """`responses` narrowed by the filter values. Given the form's collections, a class, campus,
    semester or lecturer becomes the list of their ids, so the database filters on the indexed
    collection (and walks a collection's responses newest first) instead of reading every
    response's collection context."""
    if values.get("collection"):
        responses = responses.filter(collection_id=values["collection"])
    for key in CONTEXT_FILTERS:
        if not values.get(key):
            continue
        if collections is None:
            responses = responses.filter(**{f"collection__context__{key}": values[key]})
        else:
            ids = [c.pk for c in collections if _has(c, key, values[key])]
            responses = responses.filter(collection_id__in=ids)
    if values.get("date_from"):
        start = timezone.make_aware(datetime.combine(values["date_from"], time.min))
        responses = responses.filter(submitted_at__gte=start)
    if values.get("date_to"):
        end = timezone.make_aware(datetime.combine(values["date_to"], time.max))
        responses = responses.filter(submitted_at__lte=end)
    return responses


def _has(collection: CollectionInfo, key: str, value) -> bool:
    return collection.context.get(key) not in (None, "") and str(collection.context[key]) == str(value)


def whole_collections(values: dict, collections: list[CollectionInfo]) -> list[int] | None:
    """The ids of the collections the filter values select when they select whole collections
    (no dates): their results can then be read from the collections' tallies (results_tally).
    None when a date narrows the responses within collections."""
    if values.get("date_from") or values.get("date_to"):
        return None
    wanted = {k: values[k] for k in CONTEXT_FILTERS if values.get(k)}
    return [
        c.pk
        for c in collections
        if values.get("collection") in (None, c.pk) and all(_has(c, k, v) for k, v in wanted.items())
    ]


def filtered_responses(
    form: Form, params: QueryDict | dict, *, collections: list[CollectionInfo] | None = None
) -> tuple[QuerySet[Response], FilterForm]:
    """The form's responses narrowed by the filters in `params`, and the filter form (bound,
    with its errors) to show. Costs one query for the form's collections, none for responses."""
    if collections is None:
        collections = form_collections(form)
    data = {k: params.get(k) for k in ("collection", *CONTEXT_FILTERS, "date_from", "date_to") if params.get(k)}
    filter_form = FilterForm(data, collections=collections)
    responses = apply_filters(
        Response.objects.filter(collection__form=form), filter_form.values(), collections=collections
    )
    return responses, filter_form
