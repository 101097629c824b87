"""The results of a form: figures and charts per question with filters and a split, the
comparison across classes, semesters, campuses, lecturers or collections, and the exports.

Anyone with a role on the programme reads them. A programme or form out of sight is a 404 —
so is a learner who answered the form but holds no role — and anonymous visitors log in first.
"""

import hashlib
import os
import tempfile
from collections.abc import Callable
from functools import wraps
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, QueryDict, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from ketnoi.programmes import access as programme_access
from ketnoi.programmes.models import Programme

from . import access, results_tally
from .exports import JSON_TYPE, XLSX_TYPE, csv_download, export_json, write_xlsx
from .models import Form, Response
from .results import form_questions, form_results, split_questions, text_answers
from .results_charts import compare_sections, question_charts
from .results_compare import COMPARE_BY, compare, compare_label
from .results_filters import CONTEXT_FILTERS, context_values, filtered_responses, form_collections, whole_collections
from .results_pages import media_answers, media_url, point_answers
from .results_questions import GEOPOINT

FILTER_PARAMS = ("collection", *CONTEXT_FILTERS, "date_from", "date_to")
FORMATS = ("csv", "xlsx", "json")


def results_view(view: Callable) -> Callable:
    """Log in, fetch the programme and the form the user may read results of (404 otherwise),
    then call the view with both."""

    @login_required
    @require_GET
    @wraps(view)
    def wrapper(request: HttpRequest, code: str, pk: int, *args, **kwargs) -> HttpResponse:
        programme = programme_access.get_programme_for_user(request.user, code)
        if not access.can_read_results(request.user, programme):
            raise Http404
        survey = access.get_form_for_user(request.user, programme, pk)
        return view(request, programme, survey, *args, **kwargs)

    return wrapper


def _query(params: QueryDict, keep: tuple[str, ...], **changes) -> str:
    """The query string of `params` restricted to `keep`, with `changes` applied."""
    pairs = {k: params.get(k) for k in keep if params.get(k)}
    pairs.update({k: v for k, v in changes.items() if v not in (None, "")})
    for k, v in changes.items():
        if v in (None, ""):
            pairs.pop(k, None)
    return urlencode(pairs)


def _export_links(programme: Programme, survey: Form, params: QueryDict) -> list[dict]:
    filters = _query(params, FILTER_PARAMS)
    links = []
    for fmt, name in (("xlsx", "Excel"), ("csv", "CSV"), ("json", "JSON")):
        url = reverse("surveys:export", args=[programme.code, survey.pk, fmt])
        for labels in (True, False):
            query = "&".join(part for part in (filters, "labels=1" if labels else "") if part)
            text = _("%(fmt)s, nội dung lựa chọn") if labels else _("%(fmt)s, mã lựa chọn")
            links.append({"url": f"{url}?{query}" if query else url, "text": text % {"fmt": name}, "fmt": fmt})
    return links


def _page_context(request: HttpRequest, programme: Programme, survey: Form, filter_form, responses_total: int) -> dict:
    filters_query = _query(request.GET, FILTER_PARAMS)
    results_url = reverse("surveys:results", args=[programme.code, survey.pk])
    has_responses = responses_total > 0 or Response.objects.filter(collection__form=survey).exists()
    return {
        "programme": programme,
        "survey": survey,
        "filter_form": filter_form,
        "active_filters": filter_form.active(),
        "filters_query": filters_query,
        "results_url": results_url,
        "clear_url": results_url,
        "export_links": _export_links(programme, survey, request.GET),
        "has_responses": has_responses,
        "can_collect": access.can_collect(request.user, programme),
    }


@results_view
def results(request: HttpRequest, programme: Programme, survey: Form) -> HttpResponse:
    collections = form_collections(survey)
    questions = form_questions(survey, repeats=True)
    responses, filter_form = filtered_responses(survey, request.GET, collections=collections)
    splits = split_questions(questions)
    split = request.GET.get("split", "")
    split_error = ""
    if split and split not in {q.name for q in splits}:
        split_error = _("Không có câu hỏi chọn một “%(name)s” để chia nhóm. Hãy chọn một câu trong danh sách.") % {
            "name": split
        }
        split = ""
    tallied = whole_collections(filter_form.values(), collections)
    data = form_results(survey, responses, split=split or None, questions=questions, tallied=tallied)
    base = reverse("surveys:results", args=[programme.code, survey.pk])
    keep = (
        *FILTER_PARAMS,
        "split",
        *(f"page_{q.key}" for q in questions),
        *(f"page_{q.other_key}" for q in questions),
    )

    def answers(question, key: str, total: int):
        """One page of the written answers stored under `key`, the page its `page_<key>` asks for."""
        page = request.GET.get(f"page_{key}")
        return text_answers(responses, question, key, total=total, page=page, split=data.split)

    def page_url(page, number: int, question) -> str:
        return f"{base}?{_query(request.GET, keep, **{page.param: number})}#q-{question.name}"

    link = media_url(programme.code, survey.pk)
    media_questions = [q for q in questions if q.is_media and not q.in_repeat]

    def questions_html() -> str:
        """Every question's figures, charts and page of texts, points or files, rendered."""
        for result in data.questions:
            question = result.question
            page_asked = request.GET.get(f"page_{question.key}")
            if not result.answered:
                pass
            elif result.as_text:
                result.texts = answers(question, question.key, result.answered)
            elif question.kind == GEOPOINT:
                result.texts = point_answers(
                    responses, question, total=result.answered, page=page_asked, media=media_questions, link=link
                )
            elif question.is_media:
                result.texts = media_answers(responses, question, total=result.answered, page=page_asked, link=link)
            if question.or_other and result.others:
                result.other_texts = answers(question, question.other_key, result.others)
            for page in (result.texts, result.other_texts):
                if page is None:
                    continue
                if page.has_previous:
                    page.previous_url = page_url(page, page.number - 1, question)
                if page.has_next:
                    page.next_url = page_url(page, page.number + 1, question)
            result.charts = question_charts(result, data)
        return render_to_string("surveys/results/_questions.html", {"results": data})

    if data.state_key and data.responses:
        # Whole collections' responses: kept while they, the questions, the language and the
        # pages of text asked for stay the same (results_tally.state names the responses).
        shown = repr((base, get_language(), questions, _query(request.GET, keep)))
        fragment = f"{data.state_key}.html.{hashlib.sha256(shown.encode()).hexdigest()}"
        rendered = mark_safe(results_tally.cached(fragment, questions_html))  # noqa: S308 - rendered by the template above
    else:
        rendered = questions_html() if data.responses else ""
    context = {
        **_page_context(request, programme, survey, filter_form, data.responses),
        "results": data,
        "questions_html": rendered,
        "split_choices": splits,
        "split": split,
        "split_error": split_error,
        "compare_url": reverse("surveys:results_compare", args=[programme.code, survey.pk]),
        "filter_open": bool(filter_form.active() or filter_form.errors or split or split_error),
    }
    return render(request, "surveys/results/results.html", context)


@results_view
def results_compare(request: HttpRequest, programme: Programme, survey: Form) -> HttpResponse:
    collections = form_collections(survey)
    questions = form_questions(survey)
    responses, filter_form = filtered_responses(survey, request.GET, collections=collections)
    available = [b for b in COMPARE_BY if b == "collection" or context_values(collections, b)]
    by = request.GET.get("by", "")
    by_error = ""
    if by and by not in COMPARE_BY:
        by_error = _("Không so sánh được theo “%(by)s”. Hãy chọn lớp, học kỳ, cơ sở, giảng viên hoặc đợt khảo sát.") % {
            "by": by
        }
        by = ""
    by = by or available[0]
    tallied = whole_collections(filter_form.values(), collections)
    comparison = compare(survey, responses, by=by, collections=collections, questions=questions, tallied=tallied)
    base = reverse("surveys:results_compare", args=[programme.code, survey.pk])
    options = [
        {
            "by": b,
            "label": compare_label(b),
            "url": f"{base}?{_query(request.GET, FILTER_PARAMS, by=b)}",
            "current": b == by,
            "has_values": b in available,
        }
        for b in COMPARE_BY
    ]
    total = sum(g.responses for g in comparison.groups)
    context = {
        **_page_context(request, programme, survey, filter_form, total),
        "clear_url": base,
        "comparison": comparison,
        "sections": compare_sections(comparison),
        "columns": len(comparison.groups) + 1,
        "by": by,
        "by_label": compare_label(by),
        "by_error": by_error,
        "options": options,
        "total": total,
        "has_scales": any(q.is_scale for q in questions),
        "filter_open": bool(filter_form.active() or filter_form.errors),
    }
    return render(request, "surveys/results/compare.html", context)


@results_view
def export(request: HttpRequest, programme: Programme, survey: Form, fmt: str) -> HttpResponse:
    if fmt not in FORMATS:
        raise Http404
    responses, filter_form = filtered_responses(survey, request.GET)
    if filter_form.is_bound and not filter_form.is_valid():
        messages.error(request, _("Bộ lọc chưa đúng nên chưa tải được tệp. Hãy sửa bộ lọc bên dưới rồi tải lại."))
        return redirect(f"{reverse('surveys:results', args=[programme.code, survey.pk])}?{request.GET.urlencode()}")
    labels = request.GET.get("labels") == "1"
    site = request.build_absolute_uri("/").rstrip("/")  # media answers are absolute links
    stem = f"{programme.code}-{survey.code}-{timezone.localdate():%Y%m%d}"
    extension = fmt
    if fmt == "csv":  # a .zip of CSVs when the form has repeats
        body, content_type, extension = csv_download(survey, responses, labels=labels, site=site)
        response = StreamingHttpResponse(body, content_type=content_type)
    elif fmt == "json":
        response = StreamingHttpResponse(
            export_json(survey, responses, labels=labels, site=site), content_type=JSON_TYPE
        )
    else:
        handle, path = tempfile.mkstemp(prefix="ketnoi-export-", suffix=".xlsx")
        os.close(handle)
        try:
            write_xlsx(survey, responses, labels=labels, path=path, site=site)
            stream = open(path, "rb")  # noqa: SIM115 - FileResponse closes it when sent
        finally:
            os.unlink(path)  # the open handle keeps the data until the response is sent
        response = FileResponse(stream, content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{stem}.{extension}"'
    response["Cache-Control"] = "private, no-store"
    return response
