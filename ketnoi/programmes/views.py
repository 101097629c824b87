"""Programme pages: the list, the dashboard, its export, the programme itself and its members.
(The helpers every programme page uses are in `ketnoi.programmes.web`.)

Anonymous visitors go to the login page. A programme the user holds no role on is a 404 (its
existence does not leak); a role that may read but not change something gets a 403 page that
says who can.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ketnoi.core.two_factor import forget_state as forget_two_factor_state
from ketnoi.core.web import perform, submit

from . import access, services
from .charts import period_chart
from .export import XLSX_TYPE, programme_workbook
from .forms import MemberForm, ProgrammeCreateForm, ProgrammeForm
from .models import Programme
from .progress import programme_progress, programmes_summary
from .web import forbidden, programme_context, programme_url, programme_view, render_form

# List and creation ---------------------------------------------------------------------------


@login_required
def programme_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    programmes = list(access.programmes_for(user))
    access.remember_roles(user, programmes)
    summaries = programmes_summary(programmes)
    rows = [
        {"programme": p, "summary": summaries[p.pk], "can_approve": access.can_approve(user, p)} for p in programmes
    ]
    return render(
        request,
        "programmes/programme_list.html",
        {"rows": rows, "can_create": access.can_create_programme(user)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def programme_create(request: HttpRequest) -> HttpResponse:
    if not access.can_create_programme(request.user):
        return forbidden(request, None, need="create")
    form = ProgrammeCreateForm(request.POST or None)
    programme = submit(request, form, lambda f: services.programme_create(actor=request.user, **f.cleaned_data))
    if programme is not None:
        messages.success(
            request,
            _("Đã tạo chương trình “%(name)s”. Tiếp theo: thêm thoả thuận, mục tiêu và chỉ số.")
            % {"name": programme.name},
        )
        return redirect("programmes:detail", code=programme.code)
    return render(request, "programmes/programme_create.html", {"form": form})


# The dashboard and its export ----------------------------------------------------------------


@programme_view()
def programme_detail(request: HttpRequest, programme: Programme) -> HttpResponse:
    progress = programme_progress(programme)
    for item in progress.indicators:
        item.chart = period_chart(item)
    agreements = list(programme.agreements.select_related("component").prefetch_related("parties"))
    context = {
        **programme_context(request, programme, audit_object=programme),
        "progress": progress,
        "agreements": agreements,
        "components": list(programme.components.all()),
    }
    return render(request, "programmes/programme_detail.html", context)


@programme_view()
def programme_export(request: HttpRequest, programme: Programme) -> HttpResponse:
    response = HttpResponse(programme_workbook(programme_progress(programme)), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{programme.code}-chi-so.xlsx"'
    return response


# The programme and its members ---------------------------------------------------------------


@programme_view("plan")
@require_http_methods(["GET", "POST"])
def programme_edit(request: HttpRequest, programme: Programme) -> HttpResponse:
    form = ProgrammeForm(request.POST or None, instance=programme)
    saved = submit(
        request, form, lambda f: services.programme_update(actor=request.user, programme=programme, **f.cleaned_data)
    )
    if saved is not None:
        # The editor may just have required two-factor sign-in of coordinators: ask again now.
        forget_two_factor_state(request)
        messages.success(request, _("Đã lưu thay đổi."))
        return redirect("programmes:detail", code=saved.code)
    return render_form(
        request, programme, form, title=_("Sửa thông tin chương trình"), cancel_url=programme_url(programme)
    )


@programme_view("plan")
@require_http_methods(["GET", "POST"])
def members(request: HttpRequest, programme: Programme) -> HttpResponse:
    form = MemberForm(request.POST or None, programme=programme)
    assignment = submit(
        request,
        form,
        lambda f: services.programme_role_grant(
            actor=request.user, programme=programme, user=f.cleaned_data["user"], role=f.cleaned_data["role"]
        ),
    )
    if assignment is not None:
        messages.success(
            request,
            _("%(user)s có vai trò %(role)s trong chương trình.")
            % {"user": assignment.user, "role": assignment.get_role_display()},
        )
        return redirect("programmes:members", code=programme.code)
    roles = programme.roles.select_related("user").order_by("role", "user__username")
    return render(
        request,
        "programmes/members.html",
        {**programme_context(request, programme), "form": form, "roles": roles},
    )


@programme_view("plan")
@require_POST
def member_revoke(request: HttpRequest, programme: Programme, pk: int) -> HttpResponse:
    assignment = get_object_or_404(programme.roles.select_related("user", "programme"), pk=pk)
    perform(
        request,
        lambda: services.programme_role_revoke(actor=request.user, assignment=assignment),
        _("Đã bỏ vai trò %(role)s của %(user)s.") % {"role": assignment.get_role_display(), "user": assignment.user},
    )
    return redirect("programmes:members", code=programme.code)
