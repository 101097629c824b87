"""The question editor. Every change builds the whole new definition and saves it through
services.form_update, which keeps an answered version as it was and makes the next one."""

import copy
import re

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ketnoi.core.web import apply_errors
from ketnoi.programmes.models import Programme

from . import access, expressions, services
from . import definition as d
from .forms import CONTAINER_TYPES, IMPORTED_TYPE_LABELS, TOP_LEVEL, TYPE_LABELS, QuestionForm, make_code
from .models import Form
from .views_design import question_rows, survey_context, survey_view

# Locating and moving questions in a definition ----------------------------------------------


def locate(questions: list[dict], name: str, parent: str = TOP_LEVEL) -> tuple[list[dict], int, str] | None:
    """(the list holding the question, its index, the name of its group or repeat, or "")."""
    for index, question in enumerate(questions):
        if question.get("name") == name:
            return questions, index, parent
        if question.get("type") in CONTAINER_TYPES:
            found = locate(question.get("children") or [], name, question.get("name", ""))
            if found:
                return found
    return None


def group_choices(questions: list[dict], exclude: str | None = None) -> list[tuple[str, str]]:
    """The groups and repeats a question may be placed in: not itself nor one inside it."""
    choices = []
    for question in questions:
        if question.get("type") not in CONTAINER_TYPES or question.get("name") == exclude:
            continue
        title = d.label(question.get("label"), "vi") or question.get("name", "")
        if question.get("type") == "repeat":
            title = _("%(title)s (lặp lại)") % {"title": title}
        choices.append((question["name"], f"{title} ({question['name']})"))
        choices.extend(group_choices(question.get("children") or [], exclude))
    return choices


# Every key of a question that holds an expression, and those that hold texts which may show an
# answer through ${…}: a renamed question must be renamed in all of them.
EXPRESSION_KEYS = ("relevant", "constraint", "calculation", "choice_filter", "repeat_count")
TEXT_KEYS = ("label", "hint", "guidance_hint", "constraint_message", "required_message")


def rename_references(questions: list[dict], old: str, new: str) -> None:
    pattern = re.compile(r"\$\{\s*" + re.escape(old) + r"\s*\}")

    def renamed(value):
        if isinstance(value, str):
            return pattern.sub("${" + new + "}", value)
        if isinstance(value, dict):
            return {key: renamed(text) for key, text in value.items()}
        return value

    for question in d.walk(questions):
        for key in (*EXPRESSION_KEYS, *TEXT_KEYS):
            if question.get(key):
                question[key] = renamed(question[key])
        for choice in question.get("choices") or []:
            if isinstance(choice, dict) and choice.get("label"):
                choice["label"] = renamed(choice["label"])


def unused_name(questions: list[dict], form: QuestionForm) -> str:
    """A name made from the question's text (or its type), not yet used in the form."""
    taken = set()
    for question in d.walk(questions):
        taken.add(question.get("name", ""))
        if question.get("type") in d.TYPES:
            taken.update(d.answer_names(question))
    text = form.cleaned_data.get("label_vi") or form.kind
    base = make_code(" ".join(text.split()[:5]), answer=True)[:40]
    name, n = base, 2
    while name in taken or f"{name}_{d.OTHER}" in taken:
        name, n = f"{base}_{n}", n + 1
    return name


def answered_before(questions: list[dict], name: str) -> tuple[set[str], set[str]]:
    """(answer names before the question, every answer name in the form)."""
    before: set[str] = set()
    everything: set[str] = set()
    reached = False
    for question in d.walk(questions):
        if question.get("name") == name:
            reached = True
        names = set(d.answer_names(question)) if question.get("type") in d.TYPES else set()
        everything |= names
        if not reached:
            before |= names
    return before, everything


def _reference_errors(form: QuestionForm, questions: list[dict], name: str) -> None:
    known, everything = answered_before(questions, name)
    for field in ("relevant", "constraint"):
        source = form.cleaned_data.get(field)
        if not source or field in form.errors:
            continue
        refs = expressions.references(source)
        later = sorted((refs & everything) - known)
        unknown = sorted(refs - everything)
        if unknown:
            form.add_error(
                field,
                _("Biểu mẫu không có câu hỏi %(names)s. Hãy kiểm tra tên trong ${…}.") % {"names": ", ".join(unknown)},
            )
        if later:
            form.add_error(
                field,
                _("Quy tắc chỉ được nhắc tới câu hỏi đứng trước câu này; %(names)s đứng sau (hoặc là chính câu này).")
                % {"names": ", ".join(later)},
            )


def _name_the_earlier_questions(form: QuestionForm, questions: list[dict], name: str | None) -> None:
    """Say under the rule fields which answers a rule may use, in form order."""
    if "relevant" not in form.fields:
        return
    earlier: list[str] = []
    for question in d.walk(questions):
        if question.get("name") == name:
            break
        if question.get("type") in d.TYPES:
            earlier.extend(d.answer_names(question))
    if not earlier:
        return
    shown = ", ".join("${" + n + "}" for n in earlier[:40]) + (" …" if len(earlier) > 40 else "")
    form.fields["relevant"].help_text = format_lazy(
        "{} {}", form.fields["relevant"].help_text, _("Có thể dùng: %(names)s.") % {"names": shown}
    )


def _duplicate_errors(form: QuestionForm, questions: list[dict], new: dict) -> None:
    own = {new["name"], *d.answer_names(new)} if new["type"] in d.TYPES else {new["name"]}
    others: set[str] = set()
    for question in d.walk(questions):
        if question is new:
            continue
        others.add(question.get("name", ""))
        if question.get("type") in d.TYPES:
            others.update(d.answer_names(question))
    if new["name"] in others:
        form.add_error("name", _("Tên “%(name)s” đã có trong biểu mẫu. Hãy đặt tên khác.") % {"name": new["name"]})
    clashes = sorted((own - {new["name"]}) & others)
    if clashes:
        field = "items" if "items" in form.fields else None
        form.add_error(
            field,
            _("Mã %(names)s trùng với tên một câu hỏi khác. Hãy đổi mã.") % {"names": ", ".join(clashes)},
        )


# Saving -------------------------------------------------------------------------------------


def _save(request: HttpRequest, survey: Form, definition: dict) -> Form:
    """Save the definition; tell the user when their change became a new version."""
    before = survey.current_version.number
    updated = services.form_update(actor=request.user, form=survey, definition=definition)
    after = updated.current_version.number
    if after != before:
        messages.warning(
            request,
            _(
                "Phiên bản %(old)s đã có phiếu trả lời nên thay đổi được lưu thành phiên bản %(new)s. "
                "Phiếu cũ vẫn giữ phiên bản %(old)s; từ giờ người trả lời nhận phiên bản %(new)s."
            )
            % {"old": before, "new": after},
        )
    return updated


def _list_url(programme: Programme, survey: Form, name: str = "") -> str:
    url = reverse("surveys:question_list", args=[programme.code, survey.pk])
    return f"{url}#q-{name}" if name else url


def _question_page(request, programme, survey, form, *, kind: str, question: dict | None) -> HttpResponse:
    context = {
        **survey_context(request, programme),
        "survey": survey,
        "form": form,
        "kind": kind,
        "type_label": TYPE_LABELS[kind],
        "question": question,
        "answered": survey.current_version.responses.exists(),
        "title": (
            _("Sửa câu hỏi “%(name)s”") % {"name": question["name"]}
            if question
            else _("Thêm câu hỏi: %(type)s") % {"type": TYPE_LABELS[kind]}
        ),
    }
    return render(request, "surveys/design/question_form.html", context)


def _edit(request: HttpRequest, programme: Programme, survey: Form, *, kind: str, name: str | None) -> HttpResponse:
    definition = copy.deepcopy(survey.current_version.definition)
    questions = definition["questions"]
    existing, place = None, None
    if name is not None:
        place = locate(questions, name)
        if place is None:
            raise Http404
        existing = place[0][place[1]]
    groups = group_choices(questions, exclude=name)
    form = QuestionForm(
        request.POST or None,
        kind=kind,
        groups=groups,
        question=existing,
        initial=None if existing else {"parent": request.GET.get("group", TOP_LEVEL)},
    )
    if existing is not None and place is not None and "parent" in form.fields and not request.POST:
        form.initial["parent"] = place[2]
    _name_the_earlier_questions(form, questions, name)
    if request.method == "POST" and form.is_valid():
        if not form.cleaned_data["name"]:
            form.cleaned_data["name"] = existing["name"] if existing else unused_name(questions, form)
        new = form.build(existing)
        parent = form.cleaned_data.get("parent", place[2] if place else TOP_LEVEL)
        if place is not None and parent == place[2]:
            place[0][place[1]] = new
        else:
            if place is not None:
                del place[0][place[1]]
            target = questions if parent == TOP_LEVEL else locate(questions, parent)
            siblings = target if parent == TOP_LEVEL else target[0][target[1]].setdefault("children", [])
            siblings.append(new)
        if existing is not None and existing["name"] != new["name"]:
            rename_references(questions, existing["name"], new["name"])
        _duplicate_errors(form, questions, new)
        _reference_errors(form, questions, new["name"])
        if not form.errors:
            try:
                _save(request, survey, definition)
            except ValidationError as error:
                apply_errors(form, ValidationError(error.messages))
            else:
                messages.success(request, _("Đã lưu câu hỏi “%(name)s”.") % {"name": new["name"]})
                return redirect(_list_url(programme, survey, new["name"]))
    return _question_page(request, programme, survey, form, kind=kind, question=existing)


# Pages --------------------------------------------------------------------------------------


@survey_view()
@require_GET
def question_list(request: HttpRequest, programme: Programme, pk: int) -> HttpResponse:
    survey = access.get_form_for_user(request.user, programme, pk)
    version = survey.current_version
    context = {
        **survey_context(request, programme),
        "survey": survey,
        "version": version,
        "rows": question_rows(version.definition.get("questions") or []),
        "answered": version.responses.exists(),
        "types": list(TYPE_LABELS.items()),
    }
    return render(request, "surveys/design/question_list.html", context)


@survey_view("design")
@require_http_methods(["GET", "POST"])
def question_create(request: HttpRequest, programme: Programme, pk: int) -> HttpResponse:
    survey = access.get_form_for_user(request.user, programme, pk)
    kind = request.GET.get("type", "")
    if kind not in TYPE_LABELS:
        context = {
            **survey_context(request, programme),
            "survey": survey,
            "types": list(TYPE_LABELS.items()),
            "group": request.GET.get("group", ""),
        }
        return render(request, "surveys/design/question_type.html", context)
    return _edit(request, programme, survey, kind=kind, name=None)


@survey_view("design")
@require_http_methods(["GET", "POST"])
def question_edit(request: HttpRequest, programme: Programme, pk: int, name: str) -> HttpResponse:
    survey = access.get_form_for_user(request.user, programme, pk)
    place = locate(survey.current_version.definition.get("questions") or [], name)
    if place is None:
        raise Http404
    kind = place[0][place[1]].get("type")
    if kind not in TYPE_LABELS:
        # An XLSForm type this editor shows but does not edit: say where it is changed instead.
        kind_label = IMPORTED_TYPE_LABELS.get(kind, kind)
        messages.info(
            request,
            _(
                "Câu “%(name)s” (%(type)s) đến từ tệp XLSForm và không sửa được ở đây. Hãy tải XLSForm của biểu "
                "mẫu, sửa trong Excel hoặc KoboToolbox rồi nhập lại: biểu mẫu sẽ có phiên bản mới."
            )
            % {"name": name, "type": kind_label},
        )
        return redirect(_list_url(programme, survey, name))
    return _edit(request, programme, survey, kind=kind, name=name)


def _question_to_change(request, programme: Programme, pk: int, name: str) -> tuple[Form, dict, list[dict], int]:
    """The form, a copy of its definition to change, and where question `name` stands in it:
    its siblings and its index among them (404 when it is not there)."""
    survey = access.get_form_for_user(request.user, programme, pk)
    definition = copy.deepcopy(survey.current_version.definition)
    place = locate(definition["questions"], name)
    if place is None:
        raise Http404
    siblings, index, _parent = place
    return survey, definition, siblings, index


@survey_view("design")
@require_POST
def question_delete(request: HttpRequest, programme: Programme, pk: int, name: str) -> HttpResponse:
    survey, definition, siblings, index = _question_to_change(request, programme, pk, name)
    removed = siblings.pop(index)
    # A group's (or repeat's) questions stay, where it was: deleting a heading must not lose them.
    if removed.get("type") in CONTAINER_TYPES:
        siblings[index:index] = removed.get("children") or []
    try:
        _save(request, survey, definition)
    except ValidationError as error:
        messages.error(
            request,
            _("Chưa xoá được “%(name)s”: %(problem)s") % {"name": name, "problem": " ".join(error.messages)},
        )
        return redirect(_list_url(programme, survey, name))
    messages.success(request, _("Đã xoá câu hỏi “%(name)s”.") % {"name": name})
    return redirect(_list_url(programme, survey))


@survey_view("design")
@require_POST
def question_move(request: HttpRequest, programme: Programme, pk: int, name: str) -> HttpResponse:
    survey, definition, siblings, index = _question_to_change(request, programme, pk, name)
    other = index - 1 if request.POST.get("direction") == "up" else index + 1
    if 0 <= other < len(siblings):
        siblings[index], siblings[other] = siblings[other], siblings[index]
        try:
            _save(request, survey, definition)
        except ValidationError as error:
            messages.error(
                request,
                _("Không chuyển được “%(name)s”: %(problem)s") % {"name": name, "problem": " ".join(error.messages)},
            )
    return redirect(_list_url(programme, survey, name))
