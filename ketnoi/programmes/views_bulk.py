"""Approving many indicator values at once, from the approvals page: the ticked values are posted
to POST /programmes/<code>/approvals/bulk/, which first shows them for confirmation (works
without JavaScript), then, with `step=confirm`, approves them through one service call
(`services.indicator_values_approve_many`) and reports how many were approved and why any were not."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ketnoi.core.bulk import bulk_messages, read_ids
from ketnoi.core.web import REFUSALS, refusal_text
from ketnoi.programmes.access import within_sight

from . import services
from .models import IndicatorValue, Programme
from .views_indicators import _with_category_labels, _with_review_state
from .web import programme_context, programme_view

FIELD = "value"


@programme_view("approve")
@require_POST
def approvals_bulk(request: HttpRequest, programme: Programme) -> HttpResponse:
    back = reverse("programmes:approvals", args=[programme.code])
    try:
        ids = read_ids(request.POST.getlist(FIELD), field_name=FIELD)
    except ValidationError as error:
        messages.error(request, refusal_text(error))
        return redirect(back)
    # Values of any programme the user sees (one of another programme is reported by the
    # service); an id the user may not see at all refuses the batch here.
    values = list(
        within_sight(IndicatorValue.objects, request.user, via="indicator__programme")
        .filter(pk__in=ids)
        .select_related("indicator__programme", "period", "created_by")
        .order_by("created_at", "pk")
    )
    if len(values) != len(ids):
        messages.error(
            request,
            _(
                "Có %(n)s giá trị không tìm thấy hoặc bạn không được xem: hãy tải lại trang rồi đánh dấu lại. "
                "Chưa giá trị nào được phê duyệt."
            )
            % {"n": len(ids) - len(values)},
        )
        return redirect(back)
    if request.POST.get("step") == "confirm":
        try:
            result = services.indicator_values_approve_many(actor=request.user, values=values, programme=programme)
        except REFUSALS as error:
            messages.error(request, refusal_text(error))
            return redirect(back)
        bulk_messages(
            request,
            result,
            done=_("Đã phê duyệt %(n)s giá trị."),
            refused=_("%(n)s giá trị không phê duyệt được, vẫn chờ như trước:"),
        )
        return redirect(back)
    own = [value for value in values if value.indicator.programme_id == programme.pk]
    _with_review_state(request, programme, _with_category_labels(own))
    for value in values:
        value.other_programme = value.indicator.programme_id != programme.pk
    approvable = [value for value in own if getattr(value, "may_review", False)]
    return render(
        request,
        "programmes/approvals_confirm.html",
        {
            **programme_context(request, programme),
            "values": values,
            "approvable": len(approvable),
            "ids": [value.pk for value in values],
            "field": FIELD,
            "back": back,
        },
    )
