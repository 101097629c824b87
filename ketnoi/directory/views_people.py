"""People pages: list, detail, create (with the duplicate warning), edit, duplicates, merge."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ketnoi.core.parsing import whole_number
from ketnoi.core.permissions import can_edit_directory
from ketnoi.core.web import apply_errors, submit

from . import queries, services
from .forms import ConsentForm, MergeForm, PersonFilterForm, PersonForm
from .stewardship import can_edit_person, person_audit_for, stewardship_for
from .views import detail_context, editor_required, forbidden, list_context, reader_required


@reader_required
def person_list(request: HttpRequest) -> HttpResponse:
    filters = PersonFilterForm(request.GET or None)
    by_province = []

    def count(people) -> int:  # the breakdown by province, shown on the page, adds up to the count
        by_province[:] = queries.people_count_by_province(people)
        return sum(row["count"] for row in by_province)

    _people, context = list_context(
        request, filters, queries.people_for(request.user), queries.search_people, count=count
    )
    context["by_province"] = by_province
    return render(request, "directory/person_list.html", context)


@login_required
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = queries.get_person_for_user(request.user, pk)
    context = detail_context(request, person)
    # Who stewards the person asks every app that holds personal data: once for the page.
    stewardship = stewardship_for(request.user, person) if context["can_edit"] else None
    context["can_steward"] = bool(stewardship and stewardship.is_steward)
    context["audit_entries"] = person_audit_for(request.user, person, stewardship=stewardship) if stewardship else []
    context["open_erasure"] = (
        person.erasure_requests.filter(completed_at__isnull=True).first() if context["can_edit"] else None
    )
    possible_duplicates = []
    if context["can_edit"] and person.erased_at is None:
        possible_duplicates = list(
            services.person_find_duplicates(
                full_name=person.full_name, email=person.email, phone=person.phone, exclude_pk=person.pk
            )[:10]
        )
    return render(
        request,
        "directory/person_detail.html",
        {
            "person": person,
            # A consent's purpose names the workshop or class it was given for: stewards only.
            "consents": person.consents.all() if context["can_steward"] else None,
            "consent_form": ConsentForm() if context["can_steward"] else None,
            "possible_duplicates": possible_duplicates,
            **context,
        },
    )


@editor_required
@require_http_methods(["GET", "POST"])
def person_create(request: HttpRequest) -> HttpResponse:
    initial = {}
    if request.method == "GET" and whole_number(request.GET.get("organisation")) is not None:
        initial["organisation"] = request.GET["organisation"]
    form = PersonForm(request.POST or None, initial=initial)
    duplicates = []
    if request.method == "POST" and form.is_valid():
        create_anyway = request.POST.get("create_anyway") == "1"
        if not create_anyway:
            duplicates = list(
                services.person_find_duplicates(
                    full_name=form.cleaned_data["full_name"],
                    email=form.cleaned_data["email"],
                    phone=form.cleaned_data["phone"],
                )[:10]
            )
        if not duplicates:
            try:
                person = services.person_create(actor=request.user, allow_duplicate=create_anyway, **form.cleaned_data)
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, _("Đã thêm “%(name)s” vào danh bạ.") % {"name": person.full_name})
                return redirect("directory:person_detail", pk=person.pk)
    return render(request, "directory/person_form.html", {"form": form, "person": None, "duplicates": duplicates})


@login_required
@require_http_methods(["GET", "POST"])
def person_edit(request: HttpRequest, pk: int) -> HttpResponse:
    person = queries.get_person_for_user(request.user, pk)
    if not can_edit_directory(request.user):
        return forbidden(request, read_only=True)
    if not can_edit_person(request.user, person):
        return forbidden(request, not_steward=True)
    if person.erased_at is not None:
        messages.error(request, _("Dữ liệu cá nhân của người này đã bị xoá: không thể sửa."))
        return redirect("directory:person_detail", pk=person.pk)
    form = PersonForm(request.POST or None, instance=person)
    saved = submit(request, form, lambda f: services.person_update(actor=request.user, person=person, **f.cleaned_data))
    if saved is not None:
        messages.success(request, _("Đã lưu thay đổi."))
        return redirect("directory:person_detail", pk=person.pk)
    return render(request, "directory/person_form.html", {"form": form, "person": person, "duplicates": []})


@editor_required
def person_duplicates(request: HttpRequest) -> HttpResponse:
    return render(request, "directory/person_duplicates.html", {"pairs": queries.duplicate_pairs(request.user)})


@editor_required
@require_http_methods(["GET", "POST"])
def person_merge(request: HttpRequest) -> HttpResponse:
    form = MergeForm(request.POST if request.method == "POST" else request.GET)
    if not form.is_valid():
        raise Http404
    keep = queries.get_person_for_user(request.user, form.cleaned_data["keep"])
    remove = queries.get_person_for_user(request.user, form.cleaned_data["remove"])
    error = None
    if request.method == "POST":
        try:
            services.person_merge(actor=request.user, keep=keep, remove=remove)
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(
                request,
                _("Đã gộp “%(removed)s” vào “%(kept)s”.") % {"removed": remove.full_name, "kept": keep.full_name},
            )
            return redirect("directory:person_detail", pk=keep.pk)
    rows = [
        (_("Họ và tên"), keep.full_name, remove.full_name),
        (_("Giới tính"), keep.get_sex_display(), remove.get_sex_display()),
        (_("Năm sinh"), keep.birth_year or "", remove.birth_year or ""),
        (_("Chức vụ"), keep.position, remove.position),
        (_("Tổ chức"), keep.organisation or "", remove.organisation or ""),
        (_("Email"), keep.email, remove.email),
        (_("Điện thoại"), keep.phone, remove.phone),
        (_("Tỉnh/thành phố"), keep.province or "", remove.province or ""),
        (_("Tài khoản"), keep.user or "", remove.user or ""),
        (_("Số sự đồng ý"), keep.consents.count(), remove.consents.count()),
    ]
    return render(
        request,
        "directory/person_merge.html",
        {"keep": keep, "remove": remove, "rows": rows, "form": form, "error": error},
        status=400 if error else 200,
    )
