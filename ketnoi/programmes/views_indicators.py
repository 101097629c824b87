"""Indicators: their definition, periods with targets, values entered by hand, and approval."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ketnoi.core.web import paginate, refusal_text, submit

from . import access, queries, services
from .charts import number, period_chart
from .forms import IndicatorForm, PeriodForm, ReviewForm, ValueForm
from .models import Indicator, IndicatorValue, Programme
from .progress import indicators_progress
from .web import programme_context, programme_url, programme_view, render_form


def _indicator(programme: Programme, pk: int) -> Indicator:
    return get_object_or_404(programme.indicators.select_related("objective", "activity"), pk=pk)


def _indicator_url(programme: Programme, indicator: Indicator) -> str:
    return reverse("programmes:indicator_detail", args=[programme.code, indicator.pk])


def _with_category_labels(values) -> list[IndicatorValue]:
    """Each value with `category_label` ("Nữ", "Hà Nội") instead of the stored code."""
    values = list(values)
    labels: dict[str, dict[str, str]] = {}
    for value in values:
        if value.disaggregation and value.disaggregation not in labels:
            labels[value.disaggregation] = dict(services.category_choices(value.disaggregation))
        value.category_label = labels.get(value.disaggregation, {}).get(value.category, value.category)
    return values


def _with_review_state(request: HttpRequest, programme: Programme, values) -> list[IndicatorValue]:
    """Each submitted value with `may_review` (this user may approve it: the form is shown) and
    `awaiting` (who may, in a sentence: shown otherwise). One read of the reviewers per page."""
    reviewers = access.Reviewers(programme)
    for value in values:
        if value.status == IndicatorValue.Status.SUBMITTED:
            value.may_review = reviewers.may_review(request.user, value)
            value.awaiting = services.awaiting_text(value, reviewers)
    return values


# Indicators ----------------------------------------------------------------------------------


@programme_view()
def indicator_detail(request: HttpRequest, programme: Programme, pk: int) -> HttpResponse:
    indicator = get_object_or_404(
        programme.indicators.select_related("objective", "activity").prefetch_related("periods"), pk=pk
    )
    (item,) = indicators_progress(programme, [indicator])
    item.chart = period_chart(item)
    values = indicator.values.select_related("period", "created_by", "reviewed_by").order_by(
        "period__start_date", "created_at", "id"
    )
    return render(
        request,
        "programmes/indicator_detail.html",
        {
            **programme_context(request, programme, audit_object=indicator),
            "indicator": indicator,
            "item": item,
            "values": _with_review_state(request, programme, _with_category_labels(values)),
            "is_metric": indicator.source == Indicator.Source.METRIC,
        },
    )


@programme_view("plan")
@require_http_methods(["GET", "POST"])
def indicator_create(request: HttpRequest, programme: Programme) -> HttpResponse:
    initial = None
    if request.method == "GET":
        initial = {k: request.GET[k] for k in ("objective", "activity") if request.GET.get(k)}
    form = IndicatorForm(request.POST or None, programme=programme, initial=initial)
    indicator = submit(
        request, form, lambda f: services.indicator_create(actor=request.user, programme=programme, **f.cleaned_data)
    )
    if indicator is not None:
        messages.success(
            request,
            _("Đã thêm chỉ số %(code)s. Tiếp theo: thêm các kỳ báo cáo và chỉ tiêu của từng kỳ.")
            % {"code": indicator.code},
        )
        return redirect(_indicator_url(programme, indicator))
    return render_form(request, programme, form, title=_("Thêm chỉ số"), cancel_url=programme_url(programme))


@programme_view("plan")
@require_http_methods(["GET", "POST"])
def indicator_edit(request: HttpRequest, programme: Programme, pk: int) -> HttpResponse:
    indicator = _indicator(programme, pk)
    form = IndicatorForm(request.POST or None, programme=programme, instance=indicator)
    saved = submit(
        request, form, lambda f: services.indicator_update(actor=request.user, indicator=indicator, **f.cleaned_data)
    )
    if saved is not None:
        messages.success(request, _("Đã lưu thay đổi."))
        return redirect(_indicator_url(programme, indicator))
    return render_form(request, programme, form, title=_("Sửa chỉ số"), cancel_url=_indicator_url(programme, indicator))


# Periods and targets -------------------------------------------------------------------------


@programme_view("plan")
@require_http_methods(["GET", "POST"])
def period_create(request: HttpRequest, programme: Programme, pk: int) -> HttpResponse:
    indicator = _indicator(programme, pk)
    form = PeriodForm(request.POST or None, indicator=indicator)
    period = submit(
        request,
        form,
        lambda f: services.indicator_period_create(actor=request.user, indicator=indicator, **f.cleaned_data),
    )
    if period is not None:
        messages.success(request, _("Đã thêm kỳ “%(label)s”.") % {"label": period.label})
        return redirect(_indicator_url(programme, indicator))
    return render_form(
        request,
        programme,
        form,
        title=_("Thêm kỳ và chỉ tiêu cho %(code)s") % {"code": indicator.code},
        cancel_url=_indicator_url(programme, indicator),
        indicator=indicator,
    )


@programme_view("plan")
@require_http_methods(["GET", "POST"])
def period_edit(request: HttpRequest, programme: Programme, pk: int, period_pk: int) -> HttpResponse:
    indicator = _indicator(programme, pk)
    period = get_object_or_404(indicator.periods.select_related("indicator__programme"), pk=period_pk)
    form = PeriodForm(request.POST or None, instance=period, indicator=indicator)
    saved = submit(
        request, form, lambda f: services.indicator_period_update(actor=request.user, period=period, **f.cleaned_data)
    )
    if saved is not None:
        messages.success(request, _("Đã lưu thay đổi."))
        return redirect(_indicator_url(programme, indicator))
    return render_form(
        request,
        programme,
        form,
        title=_("Sửa kỳ “%(label)s” của %(code)s") % {"label": period.label, "code": indicator.code},
        cancel_url=_indicator_url(programme, indicator),
        indicator=indicator,
    )


# Values --------------------------------------------------------------------------------------


@programme_view("report")
@require_http_methods(["GET", "POST"])
def value_create(request: HttpRequest, programme: Programme, pk: int) -> HttpResponse:
    indicator = _indicator(programme, pk)
    if indicator.source == Indicator.Source.METRIC:
        messages.info(
            request, _("Chỉ số %(code)s được tính tự động từ dữ liệu: không nhập tay.") % {"code": indicator.code}
        )
        return redirect(_indicator_url(programme, indicator))
    if not indicator.periods.exists():
        messages.warning(
            request,
            _("Chỉ số %(code)s chưa có kỳ báo cáo: điều phối viên cần thêm kỳ và chỉ tiêu trước.")
            % {"code": indicator.code},
        )
        return redirect(_indicator_url(programme, indicator))
    indicator.programme = programme
    form = ValueForm(request.POST or None, request.FILES or None, indicator=indicator)
    entry = submit(
        request,
        form,
        lambda f: services.indicator_value_submit(actor=request.user, indicator=indicator, **f.service_values()),
        aliases={"disaggregation": "breakdown", "category": "breakdown"},
    )
    if entry is not None:
        messages.success(
            request,
            _("Đã gửi giá trị %(value)s cho kỳ %(period)s. Giá trị được tính khi điều phối viên phê duyệt.")
            % {"value": number(entry.value), "period": entry.period.label},
        )
        return redirect(_indicator_url(programme, indicator))
    return render_form(
        request,
        programme,
        form,
        title=_("Nhập giá trị cho %(code)s") % {"code": indicator.code},
        cancel_url=_indicator_url(programme, indicator),
        indicator=indicator,
        intro=_(
            "%(name)s. Giá trị cần minh chứng (ghi chú hoặc tệp) và chỉ được tính vào tiến độ sau khi một điều "
            "phối viên khác phê duyệt."
        )
        % {"name": indicator.name},
    )


# Approval ------------------------------------------------------------------------------------


@programme_view("approve")
def approvals(request: HttpRequest, programme: Programme) -> HttpResponse:
    waiting = queries.values_of(programme).filter(status=IndicatorValue.Status.SUBMITTED).order_by("created_at", "id")
    page, query_string = paginate(request, waiting)
    page.object_list = _with_review_state(request, programme, _with_category_labels(page.object_list))
    return render(
        request,
        "programmes/approvals.html",
        {
            **programme_context(request, programme),
            "page": page,
            "query_string": query_string,
            "may_review_any": any(getattr(value, "may_review", False) for value in page.object_list),
        },
    )


@programme_view("approve")
@require_POST
def value_review(request: HttpRequest, programme: Programme, pk: int) -> HttpResponse:
    value = get_object_or_404(queries.values_of(programme).select_related("indicator__programme"), pk=pk)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Hãy chọn Phê duyệt hoặc Từ chối."))
    else:
        approve = form.cleaned_data["decision"] == "approve"
        try:
            services.indicator_value_review(
                actor=request.user, value=value, approve=approve, note=form.cleaned_data["note"]
            )
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, refusal_text(error))
        else:
            text = (
                _("Đã phê duyệt %(value)s cho %(code)s, kỳ %(period)s.")
                if approve
                else _("Đã từ chối %(value)s cho %(code)s, kỳ %(period)s. Người nhập sẽ nhận được ghi chú.")
            )
            messages.success(
                request, text % {"value": number(value.value), "code": value.indicator.code, "period": value.period}
            )
    next_url = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return redirect(next_url)
    return redirect("programmes:approvals", code=programme.code)
