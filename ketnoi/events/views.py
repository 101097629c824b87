"""The organiser's workshop pages: the list and its calendar feed, a workshop's page (facts, agenda, discussion
questions and conclusions, materials, who registered and who came), its forms, invitations and
printable documents. Thin: parse, call a service, render."""

from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from ketnoi.core.calendars import feed_response
from ketnoi.core.imports import progress_response
from ketnoi.core.parsing import whole_number
from ketnoi.core.registry import import_followup
from ketnoi.core.web import REFUSALS, attachment, paginate, perform, picker_search_pressed, refusal_text, submit
from ketnoi.directory.queries import get_import_for_user
from ketnoi.directory.services import people_import_preview
from ketnoi.programmes.models import Programme
from ketnoi.programmes.web import forbidden, programme_context, programme_view

from . import access, documents, queries, registrations_match, services
from .feeds import FEED_PROGRAMME, programme_calendar
from .forms import AgendaItemForm, MaterialForm, QuestionForm, WorkshopForm
from .forms_invite import TICKED_MAX, InviteManyForm, too_many
from .models import AgendaItem, DiscussionQuestion, Material, Registration, Workshop
from .services.workshops import INVITE_FROM_LIST

PDF, XLSX = "application/pdf", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def workshop_view(need: str | None = None) -> Callable:
    """programme_view, then the workshop among the programme's (404 otherwise); `need` is
    "organise" or "check_in" (a 403 page for people with another role)."""

    def decorator(view: Callable) -> Callable:
        @programme_view()
        @wraps(view)
        def wrapper(request: HttpRequest, programme: Programme, pk: int, *args, **kwargs) -> HttpResponse:
            workshop = access.get_workshop_for_user(request.user, programme, pk)
            check = {"organise": access.can_organise, "check_in": access.can_check_in}.get(need)
            if check is not None and not check(request.user, programme):
                return forbidden(request, programme, need="plan")
            return view(request, programme, workshop, *args, **kwargs)

        return wrapper

    return decorator


def workshop_url(workshop: Workshop, anchor: str = "") -> str:
    url = reverse("events:detail", args=[workshop.programme.code, workshop.pk])
    return url + (f"#{anchor}" if anchor else "")


def _context(request: HttpRequest, programme: Programme, **extra) -> dict:
    return {
        **programme_context(request, programme, audit_object=extra.get("workshop")),
        "can_organise": access.can_organise(request.user, programme),
        "can_check_in": access.can_check_in(request.user, programme),
        **extra,
    }


# List and forms -------------------------------------------------------------------------------


@programme_view()
def workshop_list(request: HttpRequest, programme: Programme) -> HttpResponse:
    workshops = access.workshops_for(request.user, programme)
    # ?organisation=unknown: the workshops where someone's organisation type is not known yet —
    # where an indicator's "not classified" figure sends the coordinator to fix it.
    unknown_only = request.GET.get("organisation") == "unknown"
    now = timezone.now()
    upcoming = queries.with_counts(workshops.filter(ends_at__gte=now)).order_by("starts_at", "pk")
    past = workshops.filter(ends_at__lt=now).order_by("-starts_at", "-pk")
    if unknown_only:
        upcoming = upcoming.filter(unknown_type__gt=0)
        past = queries.with_counts(past).filter(unknown_type__gt=0)
    # Past workshops pile up year after year: a page of them, counted for that page only.
    past_page, query_string = paginate(request, past)
    counted = queries.with_counts(workshops.filter(pk__in=[w.pk for w in past_page])).in_bulk()
    past_page.object_list = [counted[w.pk] for w in past_page]
    context = _context(
        request,
        programme,
        unknown_only=unknown_only,
        upcoming=list(upcoming),
        past=past_page.object_list,
        past_page=past_page,
        query_string=query_string,
        calendar_url=reverse("events:calendar", args=[programme.code]),
        subscribe_url=reverse("calendar_subscribe") + f"?feed={FEED_PROGRAMME}:{programme.pk}",
    )
    return render(request, "events/workshop_list.html", context)


@programme_view()
@require_GET
def calendar(request: HttpRequest, programme: Programme) -> HttpResponse:
    return feed_response(programme_calendar(request.user, programme))


def _save_workshop(request: HttpRequest, programme: Programme, form: WorkshopForm, workshop: Workshop | None):
    data = dict(form.cleaned_data)
    organisers, partners = data.pop("organisers"), data.pop("partners")
    if not data.get("language"):
        data.pop("language", None)
    if workshop is None:
        return services.workshop_create(
            actor=request.user, programme=programme, organisers=list(organisers), partners=list(partners), **data
        )
    services.workshop_update(actor=request.user, workshop=workshop, **data)
    services.workshop_organisations_set(
        actor=request.user, workshop=workshop, organisers=list(organisers), partners=list(partners)
    )
    return workshop


def _workshop_form_page(request: HttpRequest, programme: Programme, workshop: Workshop | None) -> HttpResponse:
    initial = WorkshopForm.initial_for(workshop) if workshop else {"registration": Workshop.Registration.INVITATION}
    form = WorkshopForm(request.POST or None, programme=programme, initial=initial)
    saved = submit(request, form, lambda f: _save_workshop(request, programme, f, workshop))
    if saved is not None:
        messages.success(request, _("Đã lưu hội thảo “%(title)s”.") % {"title": saved.title})
        return redirect(workshop_url(saved))
    cancel = workshop_url(workshop) if workshop else reverse("events:list", args=[programme.code])
    context = _context(request, programme, form=form, workshop=workshop, cancel_url=cancel)
    return render(request, "events/workshop_form.html", context)


@programme_view("plan")
def workshop_create(request: HttpRequest, programme: Programme) -> HttpResponse:
    return _workshop_form_page(request, programme, None)


@workshop_view("organise")
def workshop_edit(request: HttpRequest, programme: Programme, workshop: Workshop) -> HttpResponse:
    return _workshop_form_page(request, programme, workshop)


# The workshop's page ---------------------------------------------------------------------------


@workshop_view()
def workshop_detail(request: HttpRequest, programme: Programme, workshop: Workshop) -> HttpResponse:
    counts = queries.registration_counts(workshop)
    status = request.GET.get("status", "")
    organisation = request.GET.get("organisation", "")
    can_organise = access.can_organise(request.user, programme)
    matching = registrations_match.match_context(request, programme, workshop) if can_organise else {}
    rows = queries.registrations_listed(
        workshop,
        status=status if status in Registration.Status.values else "",
        unknown_only=organisation == registrations_match.UNKNOWN,
        first=matching.get("ticked", ()),
    )
    # A page of the list (a workshop may have hundreds); the figures above it count them all.
    page, query_string = paginate(request, rows)
    organisations = workshop.organisations.select_related("organisation").order_by("role", "organisation__name")
    context = _context(
        request,
        programme,
        workshop=workshop,
        counts=counts,
        places_left=None if workshop.capacity is None else max(0, workshop.capacity - counts["confirmed"]),
        organisations=organisations,
        agenda=workshop.agenda.all(),
        questions=workshop.questions.all(),
        materials=workshop.materials.all(),
        registrations=page.object_list,
        registrations_page=page,
        # "select all" ticks one page only: it is not carried to the next page.
        registrations_query=registrations_match.without(query_string, "select"),
        status=status,
        statuses=[(value, label, counts["by_status"][value]) for value, label in Registration.Status.choices],
        organisation_filter=organisation == registrations_match.UNKNOWN,
        **matching,
        ticked_elsewhere=registrations_match.ticked_elsewhere(matching.get("ticked"), page.object_list),
        select_all=can_organise and request.GET.get("select") == "all",
        bulk_url=reverse("events:registrations_bulk", args=[programme.code, workshop.pk]),
        breakdown=queries.breakdown(workshop),
        agenda_form=AgendaItemForm(),
        question_form=QuestionForm(),
        material_form=MaterialForm(),
        public_url=reverse("events_public:register", args=[workshop.pk]),
        checkin_url=reverse("events:checkin", args=[programme.code, workshop.pk]),
        report_url=reverse("events:report", args=[programme.code, workshop.pk]),
        feedback_url=reverse("events:feedback", args=[programme.code, workshop.pk]),
        not_started=services.has_not_started(workshop),
    )
    return render(request, "events/workshop_detail.html", context)


def _done(request: HttpRequest, workshop: Workshop, anchor: str, call: Callable, success: str) -> HttpResponse:
    """Run a service from a small form on the workshop's page; say what happened there."""
    perform(request, call, success, refusals=REFUSALS)
    return redirect(workshop_url(workshop, anchor))


def _from_form(form, service: Callable, **kwargs) -> Callable:
    """For `_done`: `service(**kwargs, **form.cleaned_data)`, the form's errors being the refusal."""

    def call():
        if not form.is_valid():
            raise ValidationError([f"{form.fields[k].label}: {' '.join(v)}" for k, v in form.errors.items()])
        return service(**kwargs, **form.cleaned_data)

    return call


@require_POST
@workshop_view("organise")
def agenda_add(request: HttpRequest, programme: Programme, workshop: Workshop) -> HttpResponse:
    add = _from_form(AgendaItemForm(request.POST), services.agenda_item_add, actor=request.user, workshop=workshop)
    return _done(request, workshop, "agenda", add, _("Đã thêm vào chương trình làm việc."))


@require_POST
@workshop_view("organise")
def question_add(request: HttpRequest, programme: Programme, workshop: Workshop) -> HttpResponse:
    return _done(
        request,
        workshop,
        "questions",
        lambda: services.question_add(actor=request.user, workshop=workshop, text=request.POST.get("text", "")),
        _("Đã thêm câu hỏi thảo luận."),
    )


@workshop_view("organise")
def question_edit(request: HttpRequest, programme: Programme, workshop: Workshop, qpk: int) -> HttpResponse:
    question = get_object_or_404(workshop.questions, pk=qpk)
    form = QuestionForm(request.POST or None, initial={"text": question.text, "conclusions": question.conclusions})
    saved = submit(
        request, form, lambda f: services.question_update(actor=request.user, question=question, **f.cleaned_data)
    )
    if saved is not None:
        messages.success(request, _("Đã lưu câu hỏi và kết luận."))
        return redirect(workshop_url(workshop, "questions"))
    context = _context(request, programme, workshop=workshop, form=form, question=question)
    return render(request, "events/question_form.html", context)


@require_POST
@workshop_view("organise")
def material_add(request: HttpRequest, programme: Programme, workshop: Workshop) -> HttpResponse:
    form = MaterialForm(request.POST, request.FILES)
    add = _from_form(form, services.material_add, actor=request.user, workshop=workshop)
    return _done(request, workshop, "materials", add, _("Đã tải tài liệu lên."))


@require_POST
@workshop_view("organise")
def part_delete(request: HttpRequest, programme: Programme, workshop: Workshop, part: str, ppk: int) -> HttpResponse:
    models = {"agenda": AgendaItem, "question": DiscussionQuestion, "material": Material}
    if part not in models:
        raise Http404
    found = get_object_or_404(models[part].objects.filter(workshop=workshop), pk=ppk)
    anchor = {"agenda": "agenda", "question": "questions", "material": "materials"}[part]
    return _done(
        request,
        workshop,
        anchor,
        lambda: services.workshop_part_delete(actor=request.user, part=found),
        _("Đã xoá “%(what)s”.") % {"what": str(found)[:80]},
    )


@workshop_view()
def material_download(request: HttpRequest, programme: Programme, workshop: Workshop, mpk: int) -> FileResponse:
    material = get_object_or_404(workshop.materials, pk=mpk)
    return attachment(material.file)


@require_POST
@workshop_view("organise")
def workshop_held(request: HttpRequest, programme: Programme, workshop: Workshop) -> HttpResponse:
    held = request.POST.get("held") == "1"
    early = request.POST.get("confirm_early") == "1"
    return _done(
        request,
        workshop,
        "",
        lambda: services.workshop_update(actor=request.user, workshop=workshop, held=held, confirm_early=early),
        _("Đã ghi: hội thảo đã được tổ chức.") if held else _("Đã ghi: hội thảo chưa tổ chức."),
    )


# Registrations and invitations -----------------------------------------------------------------


@require_POST
@workshop_view("organise")
def registration_action(request: HttpRequest, programme: Programme, workshop: Workshop, rpk: int) -> HttpResponse:
    registration = get_object_or_404(workshop.registrations.select_related("person"), pk=rpk)
    action = request.POST.get("action")
    name = registration.delegate.full_name
    if action == "approve":
        call, text = services.registration_approve, _("Đã duyệt đăng ký của %(name)s.")
    elif action == "cancel":
        call, text = services.registration_cancel, _("Đã huỷ đăng ký của %(name)s.")
    else:
        raise Http404
    return _done(
        request,
        workshop,
        "registrations",
        lambda: call(actor=request.user, registration=registration),
        text % {"name": name},
    )


def invite_progress_url(workshop: Workshop, person_import) -> str:
    return reverse("events:invite_import_progress", args=[workshop.programme.code, workshop.pk, person_import.pk])


@workshop_view("organise")
def invite_import_progress(
    request: HttpRequest, programme: Programme, workshop: Workshop, import_pk: int
) -> HttpResponse:
    """The progress of an invitations list on the workshop's page: read by the directory's task,
    then its people invited (polled by htmx; 286 when done)."""
    person_import = get_import_for_user(request.user, import_pk)
    if person_import.followup and (
        person_import.followup != INVITE_FROM_LIST or person_import.followup_target != workshop.pk
    ):
        raise Http404
    return progress_response(
        request,
        person_import,
        progress_url=invite_progress_url(workshop, person_import),
        followup_label=import_followup(INVITE_FROM_LIST).label,
    )


@workshop_view("organise")
def invite(request: HttpRequest, programme: Programme, workshop: Workshop) -> HttpResponse:
    """Invite people and organisations from the directory; each invitation is a personal link."""
    if request.method == "POST" and "list" in request.FILES:
        return _invite_preview(request, workshop)
    if request.method == "POST" and request.POST.get("import"):
        import_id = whole_number(request.POST["import"])
        if import_id is None:
            raise Http404
        person_import = get_import_for_user(request.user, import_id)
        perform(
            request,
            lambda: services.invitations_from_import(
                actor=request.user, workshop=workshop, person_import=person_import
            ),
            _("Đang tạo thư mời cho những người trong danh sách; trang này cho biết khi xong."),
            refusals=REFUSALS,
        )
        return redirect(
            reverse("events:invite", args=[programme.code, workshop.pk]) + f"?import={person_import.pk}#import"
        )
    if request.method == "POST":
        if picker_search_pressed(request.POST):  # a picker's "Tìm" without JavaScript: show the matches
            return _invite_page(request, programme, workshop, InviteManyForm(request.POST, user=request.user))
        return _invite_many(request, workshop)
    return _invite_page(request, programme, workshop, InviteManyForm(user=request.user))


def _invite_page(request: HttpRequest, programme: Programme, workshop: Workshop, form: InviteManyForm) -> HttpResponse:
    person_import = None
    import_id = whole_number(request.GET.get("import"))
    if import_id is not None:
        person_import = get_import_for_user(request.user, import_id)
    invitations = workshop.invitations.select_related("person", "organisation").order_by("-created_at")
    links = [(invitation, reverse("events_public:invitation", args=[invitation.code])) for invitation in invitations]
    context = _context(
        request,
        programme,
        workshop=workshop,
        form=form,
        links=links,
        person_import=person_import,
        import_errors=person_import.error_rows if person_import else [],
        progress_url=invite_progress_url(workshop, person_import) if person_import else "",
        followup_label=import_followup(INVITE_FROM_LIST).label,
    )
    return render(request, "events/invite.html", context)


def _invite_many(request: HttpRequest, workshop: Workshop) -> HttpResponse:
    """The ticked people and organisations invited in one call (services.invitations_create_many)."""
    back = reverse("events:invite", args=[workshop.programme.code, workshop.pk])
    if too_many(request.POST):
        messages.error(
            request,
            _("Mỗi lần mời được tối đa %(n)s người hoặc tổ chức: hãy chia ra nhiều lần.") % {"n": TICKED_MAX},
        )
        return redirect(back)
    form = InviteManyForm(request.POST, user=request.user)
    if not form.is_valid():
        messages.error(request, form.error_text())
        return redirect(back)
    try:
        result = services.invitations_create_many(
            actor=request.user,
            workshop=workshop,
            people=list(form.cleaned_data["person"]),
            organisations=list(form.cleaned_data["organisation"]),
        )
    except REFUSALS as error:
        messages.error(request, refusal_text(error))
        return redirect(back)
    messages.success(
        request,
        services.invitations_result_text(result) + " " + _("Gửi đường dẫn riêng của từng thư mời cho người được mời."),
    )
    return redirect(f"{back}#invitations")


def _invite_preview(request: HttpRequest, workshop: Workshop) -> HttpResponse:
    """A CSV/XLSX list read by the directory's import: who is new, who is already there, which
    rows have errors — shown before anything is added or anyone invited."""
    invite_url = reverse("events:invite", args=[workshop.programme.code, workshop.pk])
    try:
        person_import = people_import_preview(actor=request.user, uploaded_file=request.FILES["list"])
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, refusal_text(error))
        return redirect(invite_url)
    return redirect(f"{invite_url}?import={person_import.pk}#import")


# Printable documents ---------------------------------------------------------------------------


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@workshop_view("check_in")
def document(request: HttpRequest, programme: Programme, workshop: Workshop, name: str) -> HttpResponse:
    """The printable documents, in the workshop's language whatever the language of the page
    (Vietnamese delegates get Vietnamese certificates from a coordinator reading in English)."""
    if name not in ("signin.pdf", "signin.xlsx", "attendance.xlsx", "certificates.pdf"):
        raise Http404
    with translation.override(workshop.language):
        rows = queries.document_attendees(workshop, attended_only=name == "certificates.pdf")
        if rows or name != "certificates.pdf":
            return _document(workshop, name, rows)
    messages.error(request, _("Chưa có ai điểm danh: giấy chứng nhận chỉ cấp cho người đã tham dự."))
    return redirect(workshop_url(workshop, "documents"))


def _document(workshop: Workshop, name: str, rows: list) -> HttpResponse:
    info = queries.document_workshop(workshop)
    stem = f"hoi-thao-{workshop.pk}"
    if name == "signin.pdf":
        return _download(documents.signin_sheet_pdf(info, rows, blank_rows=10), PDF, f"{stem}-ky-ten.pdf")
    if name == "signin.xlsx":
        return _download(documents.signin_sheet_xlsx(info, rows, blank_rows=10), XLSX, f"{stem}-ky-ten.xlsx")
    if name == "attendance.xlsx":
        return _download(documents.attendance_xlsx(info, rows), XLSX, f"{stem}-danh-sach.xlsx")
    recipients = [
        documents.CertificateRecipient(
            full_name=a.full_name, organisation=a.organisation, certificate_no=f"{workshop.pk}-{a.number:03d}"
        )
        for a in rows
    ]
    organiser = info.organisers.split(",")[0].strip()
    pdf = documents.certificates_pdf(
        info,
        recipients,
        issued_on=timezone.localdate(workshop.ends_at),
        signer_name="",
        signer_title=_("Đại diện ban tổ chức") + (f" – {organiser}" if organiser else ""),
    )
    return _download(pdf, PDF, f"{stem}-giay-chung-nhan.pdf")
