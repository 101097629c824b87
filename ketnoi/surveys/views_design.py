"""What every survey design page shares: fetching the programme and the form the user may see,
the permission checks, and the readable form of a definition. The pages themselves are in
views_forms.py, views_questions.py and views_collections.py.

Anonymous visitors go to the login page; a programme the user holds no role on is a 404; a role
that may read but not change gets a 403 page saying who can.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ketnoi.core.audit import audit_for
from ketnoi.programmes import access as programme_access
from ketnoi.programmes.models import Programme
from ketnoi.programmes.web import programme_view

from . import access
from . import definition as d
from .forms import CONTAINER_TYPES, IMPORTED_TYPE_LABELS, TYPE_LABELS
from .models import Collection, Form

CHECKS: dict[str, Callable] = {"design": access.can_design, "collect": access.can_collect}


def forbidden(request: HttpRequest, programme: Programme, *, need: str) -> HttpResponse:
    return render(request, "surveys/design/forbidden.html", {"programme": programme, "need": need}, status=403)


def survey_view(need: str | None = None) -> Callable:
    """Log in, fetch the programme the user may see (404 otherwise), check `need` ("design" or
    "collect"; a 403 page otherwise), then call the view with the programme instead of its code."""

    return programme_view(need, checks=CHECKS, refuse=forbidden)


def survey_context(request: HttpRequest, programme: Programme, *, audit_object=None, section: str = "surveys") -> dict:
    user = request.user
    can_design = access.can_design(user, programme)
    return {
        "programme": programme,
        "section": section,
        "can_design": can_design,
        "can_collect": access.can_collect(user, programme),
        # The programme navigation shows its own links by these.
        "can_plan": programme_access.can_plan(user, programme),
        "can_approve": programme_access.can_approve(user, programme),
        "audit_entries": list(audit_for(audit_object)[:50]) if can_design and audit_object is not None else [],
    }


# Collections' state --------------------------------------------------------------------------

NOT_YET, OPEN, FULL, CLOSED = "not_yet", "open", "full", "closed"
STATUS_LABELS = {
    NOT_YET: gettext_lazy("chưa mở"),
    OPEN: gettext_lazy("đang mở"),
    FULL: gettext_lazy("đủ phiếu"),
    CLOSED: gettext_lazy("đã đóng"),
}
STATUS_BADGES = {NOT_YET: "", OPEN: "badge-ok", FULL: "badge-warn", CLOSED: "badge-bad"}


def collection_status(collection: Collection, responses: int, now=None) -> str:
    now = now or timezone.now()
    if collection.closes_at is not None and collection.closes_at <= now:
        return CLOSED
    if now < collection.opens_at:
        return NOT_YET
    if collection.max_responses is not None and responses >= collection.max_responses:
        return FULL
    return OPEN


def annotate_status(collections) -> list[Collection]:
    """The collections with `.response_count` (annotated), `.status`, its label and badge."""
    now = timezone.now()
    rows = []
    for collection in collections:
        collection.status = collection_status(collection, collection.response_count, now)
        collection.status_label = STATUS_LABELS[collection.status]
        collection.status_badge = STATUS_BADGES[collection.status]
        rows.append(collection)
    return rows


def collections_with_counts(form: Form):
    return form.collections.annotate(response_count=Count("responses")).order_by("-opens_at", "-id")


# A definition as a person reads it -----------------------------------------------------------


@dataclass
class QuestionRow:
    question: dict
    depth: int
    first: bool
    last: bool
    parent: str = ""

    @property
    def name(self) -> str:
        return self.question.get("name", "")

    @property
    def kind(self) -> str:
        return self.question.get("type", "")

    @property
    def type_label(self) -> str:
        return str(TYPE_LABELS.get(self.kind) or IMPORTED_TYPE_LABELS.get(self.kind) or self.kind)

    @property
    def editable(self) -> bool:
        """Whether the question editor edits this type (others are changed in the XLSForm)."""
        return self.kind in TYPE_LABELS

    @property
    def rules(self) -> list[tuple[str, str]]:
        """The XLSForm settings of the question beyond relevance and constraint, as (what, value)."""
        question = self.question
        shown = [
            (_("Phép tính"), question.get("calculation")),
            (_("Lọc lựa chọn"), question.get("choice_filter")),
            (_("Số lần lặp"), question.get("repeat_count")),
            (_("Giá trị mặc định"), question.get("default")),
            (_("Danh sách từ tệp"), question.get("from_file")),
            (_("Cách hiển thị"), question.get("appearance")),
        ]
        if question.get("read_only"):
            shown.append((_("Chỉ đọc"), _("có")))
        return [(str(what), str(value)) for what, value in shown if value not in (None, "")]

    @property
    def label_vi(self) -> str:
        return d.label(self.question.get("label"), "vi")

    @property
    def label_en(self) -> str:
        value = self.question.get("label")
        return value.get("en", "") if isinstance(value, dict) else ""

    @property
    def hint_vi(self) -> str:
        return d.label(self.question.get("hint"), "vi")

    @property
    def hint_en(self) -> str:
        value = self.question.get("hint")
        return value.get("en", "") if isinstance(value, dict) else ""

    @property
    def constraint_message(self) -> str:
        return d.label(self.question.get("constraint_message"), "vi")

    @property
    def scale(self) -> dict | None:
        scale = self.question.get("scale")
        if not scale:
            return None
        return {
            "min": scale.get("min"),
            "max": scale.get("max"),
            "min_label": d.label(scale.get("min_label"), "vi"),
            "max_label": d.label(scale.get("max_label"), "vi"),
        }

    @property
    def items(self) -> list[dict]:
        return [
            {"name": i.get("name", ""), "vi": d.label(i.get("label"), "vi"), "en": (i.get("label") or {}).get("en", "")}
            for i in self.question.get("items") or []
        ]

    @property
    def choice_rows(self) -> list[dict]:
        rows = [
            {"name": c.get("name", ""), "vi": d.label(c.get("label"), "vi"), "en": (c.get("label") or {}).get("en", "")}
            for c in self.question.get("choices") or []
        ]
        if self.question.get("or_other"):
            rows.append({"name": d.OTHER, "vi": _("Khác (ghi rõ)"), "en": "Other (specify)"})
        return rows

    @property
    def is_group(self) -> bool:
        return self.kind in CONTAINER_TYPES


def question_rows(questions: list[dict], depth: int = 0, parent: str = "") -> list[QuestionRow]:
    """Every question in order with its depth (inside groups and repeats) and whether it can move up/down."""
    rows: list[QuestionRow] = []
    for index, question in enumerate(questions):
        rows.append(
            QuestionRow(
                question=question, depth=depth, first=index == 0, last=index == len(questions) - 1, parent=parent
            )
        )
        if question.get("type") in CONTAINER_TYPES:
            rows.extend(question_rows(question.get("children") or [], depth + 1, question.get("name", "")))
    return rows
