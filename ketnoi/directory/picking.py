"""Search-as-you-type pickers of people, organisations and accounts, written once.

A form declares `PersonPickerField(purpose="training.lecturer", multiple=True)` (or
`OrganisationPickerField`, `UserPickerField`); a purpose (`core.registry.register_picker_purpose`)
says who may fill that role. A form whose purpose needs a context scopes the field in its
`__init__`: `self.fields["lead"].scope(programme=programme, user=user)`.

The field renders a search box (htmx "active search": `GET /directory/pick/` as one types), the
people chosen as checked native checkboxes (several) or radios (one), and the matches as unchecked
ones, all named as the field, so the form posts ids. Without JavaScript the "Tìm" button posts
the form with `_pick_<name>`: the field refuses to be saved (`core.web.submit` shows the form
again without errors) and renders the matches of `<name>__q`. An id outside the purpose's
queryset is refused like any invalid choice.

In a GET filter form, declare the field with `filtering=True` (and `none_label=_("Mọi tổ chức")`):
its "Tìm" is then not a refusal, the form stays valid and filters by what is chosen (never by
the half-typed search), and the list's URL stays `?organisation=<id>`.
"""

import re
from urllib.parse import urlencode

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from ketnoi.core.parsing import whole_number
from ketnoi.core.permissions import can_edit_directory, can_read_directory
from ketnoi.core.registry import picker_purpose, register_picker_purpose
from ketnoi.core.text import fold, normalise, normalise_phone

from .models import Organisation, OrganisationType, Person

LIMIT = 20  # matches shown at once: typing more narrows them
QUERY_MAX = 100
PICKING_PREFIX = "_pick_"
FIELD_NAME = re.compile(r"^[\w-]{1,100}$")
PICKING_MESSAGE = _("Chọn trong các kết quả tìm được bên dưới rồi bấm Lưu.")
REFUSED_MESSAGE = _("Lựa chọn này không có trong danh sách được phép: hãy tìm và chọn lại.")


# Search ------------------------------------------------------------------------------------------


def _rank(field: str, folded: str, first: str) -> Case:
    """0 when the name starts with what was typed, 1 when a word of it does, 2 otherwise."""
    return Case(
        When(**{f"{field}__startswith": folded}, then=Value(0)),
        When(Q(**{f"{field}__startswith": first}) | Q(**{f"{field}__contains": f" {first}"}), then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )


def search(queryset: QuerySet, kind: str, q: str, *, limit: int = LIMIT) -> tuple[list, bool]:
    """At most `limit` rows of `queryset` matching `q` (folded: "nguyen van dung" finds
    "Nguyễn Văn Dũng", "dang" finds "Đặng"), prefix matches first; and whether there are more.
    People are found by name, organisation, e-mail or phone; organisations by name, short name,
    e-mail or phone; accounts by their person's name, organisation, e-mail or phone, or their user
    name or e-mail. One query (with the purpose's prefetches, if any), or two when fewer names
    than `limit` start with what was typed."""
    text = normalise(q)[:QUERY_MAX]
    folded = fold(text)
    terms = [term for term in folded.split(" ") if term]
    if not terms:
        return [], False
    digits = normalise_phone(text)
    phone = len(digits) >= 4 and not re.search(r"[^\d\s+().-]", text)
    email = text.lower()
    if kind in ("person", "organisation"):
        # Names starting with what was typed come first: when there are more of them than are
        # shown, they are the answer, read in order from the name index (a common name such as
        # "nguyen" would otherwise rank thousands of rows). A second query otherwise.
        first = list(_starting_with(queryset, kind, folded)[: limit + 1])
        if len(first) > limit:
            return first[:limit], True
    if kind == "person":
        condition = Q()
        for term in terms:
            # the organisations first (a few of 2,000), so the people are read by their indexes
            named = Organisation.objects.filter(name_folded__contains=term).values("pk")
            condition &= Q(name_folded__contains=term) | Q(organisation_id__in=named)
        if "@" in text or "." in text:
            condition |= Q(email_normalised__contains=email)
        if phone:
            condition |= Q(phone_normalised__contains=digits)
        queryset = queryset.filter(condition).select_related("organisation")
        name = "name_folded"
    elif kind == "organisation":
        condition = Q()
        for term in terms:
            condition &= Q(name_folded__contains=term)
        if "@" in text or "." in text:
            condition |= Q(email__icontains=email)
        if phone:
            condition |= Q(phone__contains=text.strip())
        queryset = queryset.filter(condition)
        name = "name_folded"
    else:
        condition = Q()
        for term in terms:
            named = Organisation.objects.filter(name_folded__contains=term).values("pk")
            condition &= (
                Q(person__name_folded__contains=term)
                | Q(person__organisation_id__in=named)
                | Q(username__icontains=term)
                | Q(first_name__icontains=term)
                | Q(last_name__icontains=term)
            )
        condition |= Q(email__icontains=email)
        if "@" in text or "." in text:
            condition |= Q(person__email_normalised__contains=email)
        if phone:
            condition |= Q(person__phone_normalised__contains=digits)
        queryset = queryset.filter(condition).select_related("person")
        name = "person__name_folded"
    rows = list(
        queryset.annotate(_pick_rank=_rank(name, folded, terms[0])).order_by("_pick_rank", name, "pk")[: limit + 1]
    )
    return rows[:limit], len(rows) > limit


def _starting_with(queryset: QuerySet, kind: str, folded: str) -> QuerySet:
    """Rows whose folded name starts with `folded`, in name order: a range of the name index."""
    after = folded[:-1] + chr(ord(folded[-1]) + 1)
    rows = queryset.filter(name_folded__gte=folded, name_folded__lt=after, name_folded__startswith=folded)
    if kind == "person":
        rows = rows.select_related("organisation")
    return rows.order_by("name_folded", "pk")


def find(purpose, queryset: QuerySet, q: str, *, context: dict, exclude=()) -> tuple[list, bool]:
    """The purpose's matches of `q` in `queryset` (its choices), leaving out the ids `exclude`;
    first the rows its `exact` finds by their exact identifier, which no partial match lists."""
    if exclude:
        queryset = queryset.exclude(pk__in=exclude)
    matches, more = search(queryset, purpose.kind, q)
    text = normalise(q)[:QUERY_MAX]
    if purpose.exact is None or not text:
        return matches, more
    listed = {row.pk for row in matches}
    exact = purpose.exact(text, **context)
    if exclude:
        exact = exact.exclude(pk__in=exclude)
    return [row for row in exact[:LIMIT] if row.pk not in listed] + matches, more


def label(obj, kind: str, note=None) -> str:
    """A row as a picker shows it, with the purpose's `note` (a few words) after it."""
    if kind == "person":
        text = f"{obj.full_name} – {obj.organisation}" if obj.organisation_id else obj.full_name
    elif kind == "user":
        person = getattr(obj, "person", None) if hasattr(obj, "person") else None
        name = person.full_name if person is not None else obj.get_full_name()
        text = f"{name} ({obj.get_username()})" if name else obj.get_username()
    else:
        text = str(obj)
    extra = note(obj) if note is not None else ""
    return f"{text} · {extra}" if extra else text


def status_text(kind: str, count: int, more: bool) -> str:
    if more:
        return str(_("Hơn %(count)s kết quả: gõ thêm để thu hẹp.") % {"count": count})
    if kind == "organisation":
        return ngettext("%(count)s tổ chức khớp", "%(count)s tổ chức khớp", count) % {"count": count}
    return ngettext("%(count)s người khớp", "%(count)s người khớp", count) % {"count": count}


# The form field ----------------------------------------------------------------------------------


class Picked(list):
    """The ids a picker posted, with what was typed in its search box and whether its "Tìm"
    button was pressed (a search without JavaScript: the form must not be saved)."""

    def __init__(self, ids, *, query: str = "", picking: bool = False):
        super().__init__(ids)
        self.query, self.picking = query, picking


class PickerWidget(forms.Widget):
    template_name = "directory/picker/widget.html"
    use_fieldset = True

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.field = None  # set by the field, per form

    def value_from_datadict(self, data, files, name):
        values = data.getlist(name) if hasattr(data, "getlist") else data.get(name)
        if values is None:
            values = []
        elif isinstance(values, (str, int)):
            values = [values]
        ids = [str(v) for v in values if str(v).strip()]
        query = str(data.get(f"{name}__q", ""))[:QUERY_MAX]
        return Picked(ids, query=query, picking=f"{PICKING_PREFIX}{name}" in data and bool(query.strip()))

    def value_omitted_from_data(self, data, files, name):
        return False

    def id_for_label(self, id_):
        return f"{id_}_q" if id_ else id_

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        field = self.field
        widget_id = (attrs or {}).get("id") or f"id_{name}"
        query = value.query if isinstance(value, Picked) else ""
        if field.filtering and not (isinstance(value, Picked) and value.picking):
            query = ""  # a filter applied with its own button: the picker shows what was chosen
        ids = _ids(value)
        chosen = list(field.offered(query).filter(pk__in=ids)) if ids else []
        matches, more = ([], False)
        if query:
            exclude = [o.pk for o in chosen]
            matches, more = find(field.purpose, field.queryset, query, context=field.context, exclude=exclude)
        note = field.purpose.note
        context["picker"] = {
            "id": widget_id,
            "name": name,
            "kind": field.kind,
            "label": field.label or "",
            "multiple": field.multiple,
            "required": field.required,
            "none_label": field.none_label,
            "query": query,
            "chosen": [(o.pk, label(o, field.kind, note)) for o in chosen],
            "matches": [(o.pk, label(o, field.kind, note)) for o in matches],
            "searched": bool(query),
            "status": status_text(field.kind, len(matches), more) if query else "",
            "url": field.search_url(name, widget_id),
            "create_url": field.create_url(),
            "create_post_url": field.create_post_url(name, widget_id),
            "organisation_types": OrganisationType.choices,
        }
        return context


def _ids(value) -> list[int]:
    if value is None or value == "":
        return []
    items = value if isinstance(value, (list, tuple, set, QuerySet)) else [value]
    found = (whole_number(getattr(item, "pk", item)) for item in items)
    return [pk for pk in found if pk is not None]


class _PickerMixin:
    multiple = False
    filtering = False  # in a GET filter form: a search is not a refusal (see the module's docstring)
    none_label = None  # the "nothing chosen" radio's text, "Không chọn" by default

    def _set_up(self, purpose: str):
        self.purpose_name = purpose
        self.context: dict = {}
        self.user = None
        self.widget.field = self

    @property
    def purpose(self):
        found = picker_purpose(self.purpose_name)
        if found is None:
            raise LookupError(f"No picker purpose {self.purpose_name!r} is registered.")
        return found

    @property
    def kind(self) -> str:
        return self.purpose.kind

    def __deepcopy__(self, memo):
        result = super().__deepcopy__(memo)
        result.widget.field = result
        result.context = dict(self.context)
        if not self.purpose.context_keys:
            result.queryset = self.purpose.choices()
        return result

    def scope(self, *, user=None, **context) -> None:
        """Narrow the field to its purpose's choices in `context` (a programme…); with `user`, an
        editor of the directory is offered "add a new person/organisation"."""
        self.context = context
        self.user = user
        self.queryset = self.purpose.choices(**context)

    def offered(self, query: str = "") -> QuerySet:
        """What the field accepts when `query` was typed in its search box: the purpose's choices
        and, if it has any, the rows found by that exact identifier."""
        exact = self.purpose.exact
        text = normalise(query)[:QUERY_MAX]
        if exact is None or not text:
            return self.queryset
        return self.queryset | exact(text, **self.context)

    def _accept_typed(self, value) -> None:
        if isinstance(value, Picked) and self.purpose.exact is not None:
            self.queryset = self.offered(value.query)

    def search_url(self, name: str, widget_id: str) -> str:
        params = {"purpose": self.purpose_name, "field": name, "id": widget_id}
        if self.multiple:
            params["multiple"] = "1"
        for key, value in self.context.items():
            params[key] = getattr(value, "code", None) or getattr(value, "pk", value)
        return f"{reverse('directory:pick')}?{urlencode(params)}"

    def create_post_url(self, name: str, widget_id: str) -> str:
        return self.search_url(name, widget_id).replace(reverse("directory:pick"), reverse("directory:pick_new"), 1)

    def create_url(self) -> str:
        if self.user is None or not can_edit_directory(self.user):
            return ""
        if self.kind == "person":
            return reverse("directory:person_create")
        if self.kind == "organisation":
            return reverse("directory:organisation_create")
        return ""

    def label_from_instance(self, obj):
        return label(obj, self.kind)

    def prepare_value(self, value):
        if isinstance(value, Picked):
            return value
        if self.multiple and isinstance(value, (list, tuple, set, QuerySet)):
            return [getattr(v, "pk", v) for v in value]
        return getattr(value, "pk", value)

    def _refuse_picking(self, value):
        if isinstance(value, Picked) and value.picking and not self.filtering:
            raise ValidationError(PICKING_MESSAGE, code="picking")


class PickerField(_PickerMixin, forms.ModelChoiceField):
    def __init__(self, *, purpose: str, model, **kwargs):
        kwargs.setdefault("widget", PickerWidget)
        kwargs.setdefault("error_messages", {}).setdefault("invalid_choice", REFUSED_MESSAGE)
        super().__init__(queryset=model.objects.none(), **kwargs)
        self._set_up(purpose)

    def clean(self, value):
        self._refuse_picking(value)
        self._accept_typed(value)
        if isinstance(value, Picked):
            value = value[-1] if value else None  # a radio posts one; the last is the newest
        return super().clean(value)


class PickerMultipleField(_PickerMixin, forms.ModelMultipleChoiceField):
    multiple = True

    def __init__(self, *, purpose: str, model, **kwargs):
        kwargs.setdefault("widget", PickerWidget)
        kwargs.setdefault("error_messages", {}).setdefault("invalid_choice", REFUSED_MESSAGE)
        super().__init__(queryset=model.objects.none(), **kwargs)
        self._set_up(purpose)

    def clean(self, value):
        self._refuse_picking(value)
        self._accept_typed(value)
        return super().clean(list(value) if isinstance(value, Picked) else value)


def _field(model, purpose: str, multiple: bool, kwargs):
    filtering, none_label = kwargs.pop("filtering", False), kwargs.pop("none_label", None)
    field = (PickerMultipleField if multiple else PickerField)(purpose=purpose, model=model, **kwargs)
    field.filtering, field.none_label = filtering, none_label
    return field


def PersonPickerField(*, purpose: str = "directory.people", multiple: bool = False, **kwargs):  # noqa: N802
    """A search-as-you-type field of people (see the module's docstring)."""
    return _field(Person, purpose, multiple, kwargs)


def OrganisationPickerField(*, purpose: str = "directory.organisations", multiple: bool = False, **kwargs):  # noqa: N802
    return _field(Organisation, purpose, multiple, kwargs)


def UserPickerField(*, purpose: str, multiple: bool = False, **kwargs):  # noqa: N802
    return _field(get_user_model(), purpose, multiple, kwargs)


def is_picking(data) -> bool:
    """Whether a POST is a picker's search without JavaScript (nothing to save)."""
    return any(key.startswith(PICKING_PREFIX) for key in data)


def results_html(*, request, kind, name, widget_id, multiple, matches, more, searched, note=None) -> str:
    # Rendered without the request: the fragment needs none of the context processors, which
    # every keystroke's answer would otherwise pay for.
    return render_to_string(
        "directory/picker/_results.html",
        {
            "picker": {
                "id": widget_id,
                "name": name,
                "kind": kind,
                "multiple": multiple,
                "matches": [(o.pk, label(o, kind, note)) for o in matches],
                "searched": searched,
                "status": status_text(kind, len(matches), more) if searched else "",
                "oob": True,
            }
        },
    )


# Suggestions for a free-text field of names ------------------------------------------------------

SUGGESTIONS = 8  # people, and as many organisations, suggested at once
ORGANISATION_LINE = "Tổ chức: "  # how the library's authors field marks an organisation


class NameSuggestionsTextarea(forms.Textarea):
    """A textarea of names, a line each (the library's authors, often not in the directory), with
    a search of the directory's people and organisations under it (`GET /directory/pick/names/`):
    choosing a suggestion adds its name as a line (organisations as "Tổ chức: …"). The search
    appears only with JavaScript; without it the textarea is all there is."""

    template_name = "directory/picker/name_suggestions.html"


# The directory's own purposes ------------------------------------------------------------------


def _directory_reader(user, params) -> dict:
    if not can_read_directory(user):
        raise PermissionDenied
    return {}


def people_choices() -> QuerySet[Person]:
    return Person.objects.filter(erased_at__isnull=True).select_related("organisation")


def organisation_choices() -> QuerySet[Organisation]:
    return Organisation.objects.all()


register_picker_purpose("directory.people", kind="person", choices=people_choices, resolve=_directory_reader)
register_picker_purpose(
    "directory.organisations", kind="organisation", choices=organisation_choices, resolve=_directory_reader
)
