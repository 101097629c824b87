"""The plan: components, cooperation agreements, objectives and activities."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ketnoi.core.web import submit

from . import services
from .charts import period_chart
from .forms import ActivityForm, AgreementForm, ComponentForm, ObjectiveForm
from .models import Programme
from .progress import indicators_progress
from .web import programme_context, programme_url, programme_view, render_form


def _without_blanks(values: dict, *names: str) -> dict:
    """On update, an empty optional number means "keep it", not "erase it"."""
    return {k: v for k, v in values.items() if not (k in names and v is None)}


# Components ----------------------------------------------------------------------------------


@programme_view("plan")
@require_http_methods(["GET", "POST"])
def component_create(request: HttpRequest, programme: Programme) -> HttpResponse:
    form = ComponentForm(request.POST or None)
    component = submit(
        request, form, lambda f: services.component_create(actor=request.user, programme=programme, **f.cleaned_data)
    )
    if component is not None:
        messages.success(request, _("Đã thêm mảng “%(name)s”.") % {"name": component.name})
        return redirect(programme_url(programme, "components"))
    return render_form(
        request, programme, form, title=_("Thêm mảng chương trình"), cancel_url=programme_url(programme, "components")
    )


@programme_view("plan")
@require_http_methods(["GET", "POST"])
def component_edit(request: HttpRequest, programme: Programme, pk: int) -> HttpResponse:
    component = get_object_or_404(programme.components, pk=pk)
    form = ComponentForm(request.POST or None, instance=component)
    saved = submit(
        request,
        form,
        lambda f: services.component_update(
            actor=request.user, component=component, **_without_blanks(f.cleaned_data, "order")
        ),
    )
    if saved is not None:
        messages.success(request, _("Đã lưu thay đổi."))
        return redirect(programme_url(programme, "components"))
    return render_form(
        request,
        programme,
        form,
        title=_("Sửa mảng chương trình"),
        cancel_url=programme_url(programme, "components"),
        audit_object=component,
    )


# Agreements ----------------------------------------------------------------------------------


@programme_view()
def agreement_list(request: HttpRequest, programme: Programme) -> HttpResponse:
    agreements = programme.agreements.select_related("component").prefetch_related("parties")
    return render(
        request,
        "programmes/agreement_list.html",
        {**programme_context(request, programme), "agreements": agreements},
    )


@programme_view()
def agreement_detail(request: HttpRequest, programme: Programme, pk: int) -> HttpResponse:
    agreement = get_object_or_404(
        programme.agreements.select_related("component").prefetch_related("parties", "objectives", "activities"),
        pk=pk,
    )
    return render(
        request,
        "programmes/agreement_detail.html",
        {**programme_context(request, programme, audit_object=agreement), "agreement": agreement},
    )


@programme_view("plan")
@require_http_methods(["GET", "POST"])
def agreement_create(request: HttpRequest, programme: Programme) -> HttpResponse:
    form = AgreementForm(request.POST or None, request.FILES or None, programme=programme)
    agreement = submit(
        request,
        form,
        lambda f: services.agreement_create(actor=request.user, programme=programme, **f.service_values()),
    )
    if agreement is not None:
        messages.success(request, _("Đã thêm thoả thuận “%(title)s”.") % {"title": agreement.title})
        return redirect("programmes:agreement_detail", code=programme.code, pk=agreement.pk)
    return render_form(
        request,
        programme,
        form,
        title=_("Thêm thoả thuận hợp tác"),
        cancel_url=reverse("programmes:agreement_list", args=[programme.code]),
    )


@programme_view("plan")
@require_http_methods(["GET", "POST"])
def agreement_edit(request: HttpRequest, programme: Programme, pk: int) -> HttpResponse:
    agreement = get_object_or_404(programme.agreements.prefetch_related("parties"), pk=pk)
    form = AgreementForm(request.POST or None, request.FILES or None, programme=programme, instance=agreement)
    saved = submit(
        request,
        form,
        lambda f: services.agreement_update(actor=request.user, agreement=agreement, **f.service_values()),
    )
    if saved is not None:
        messages.success(request, _("Đã lưu thay đổi."))
        return redirect("programmes:agreement_detail", code=programme.code, pk=agreement.pk)
    return render_form(
        request,
        programme,
        form,
        title=_("Sửa thoả thuận hợp tác"),
        cancel_url=reverse("programmes:agreement_detail", args=[programme.code, agreement.pk]),
    )


# Objectives ----------------------------------------------------------------------------------


@programme_view("plan")
@require_http_methods(["GET", "POST"])
def objective_create(request: HttpRequest, programme: Programme) -> HttpResponse:
    form = ObjectiveForm(request.POST or None, programme=programme)
    objective = submit(
        request, form, lambda f: services.objective_create(actor=request.user, programme=programme, **f.cleaned_data)
    )
    if objective is not None:
        messages.success(
            request,
            _("Đã thêm mục tiêu %(number)s. Tiếp theo: thêm hoạt động hoặc chỉ số cho mục tiêu này.")
            % {"number": objective.number},
        )
        return redirect(programme_url(programme, f"objective-{objective.pk}"))
    return render_form(request, programme, form, title=_("Thêm mục tiêu"), cancel_url=programme_url(programme))


@programme_view("plan")
@require_http_methods(["GET", "POST"])
def objective_edit(request: HttpRequest, programme: Programme, pk: int) -> HttpResponse:
    objective = get_object_or_404(programme.objectives, pk=pk)
    form = ObjectiveForm(request.POST or None, programme=programme, instance=objective)
    saved = submit(
        request,
        form,
        lambda f: services.objective_update(
            actor=request.user, objective=objective, **_without_blanks(f.cleaned_data, "number")
        ),
    )
    if saved is not None:
        messages.success(request, _("Đã lưu thay đổi."))
        return redirect(programme_url(programme, f"objective-{objective.pk}"))
    return render_form(
        request,
        programme,
        form,
        title=_("Sửa mục tiêu"),
        cancel_url=programme_url(programme, f"objective-{objective.pk}"),
        audit_object=objective,
    )


# Activities ----------------------------------------------------------------------------------


@programme_view()
def activity_detail(request: HttpRequest, programme: Programme, pk: int) -> HttpResponse:
    activity = get_object_or_404(
        programme.activities.select_related("objective", "agreement", "responsible").prefetch_related("places"),
        pk=pk,
    )
    items = indicators_progress(programme, activity.indicators.all())
    for item in items:
        item.chart = period_chart(item)
    return render(
        request,
        "programmes/activity_detail.html",
        {**programme_context(request, programme, audit_object=activity), "activity": activity, "items": items},
    )


@programme_view("plan")
@require_http_methods(["GET", "POST"])
def activity_create(request: HttpRequest, programme: Programme) -> HttpResponse:
    initial = {"objective": request.GET.get("objective")} if request.method == "GET" else None
    form = ActivityForm(request.POST or None, programme=programme, initial=initial)
    activity = submit(
        request, form, lambda f: services.activity_create(actor=request.user, programme=programme, **f.cleaned_data)
    )
    if activity is not None:
        messages.success(request, _("Đã thêm hoạt động %(number)s.") % {"number": activity.number})
        return redirect("programmes:activity_detail", code=programme.code, pk=activity.pk)
    return render_form(request, programme, form, title=_("Thêm hoạt động"), cancel_url=programme_url(programme))


@programme_view("plan")
@require_http_methods(["GET", "POST"])
def activity_edit(request: HttpRequest, programme: Programme, pk: int) -> HttpResponse:
    activity = get_object_or_404(programme.activities.prefetch_related("places"), pk=pk)
    form = ActivityForm(request.POST or None, programme=programme, instance=activity)
    saved = submit(
        request,
        form,
        lambda f: services.activity_update(
            actor=request.user, activity=activity, **_without_blanks(f.cleaned_data, "number")
        ),
    )
    if saved is not None:
        messages.success(request, _("Đã lưu thay đổi."))
        return redirect("programmes:activity_detail", code=programme.code, pk=activity.pk)
    return render_form(
        request,
        programme,
        form,
        title=_("Sửa hoạt động"),
        cancel_url=reverse("programmes:activity_detail", args=[programme.code, activity.pk]),
    )
