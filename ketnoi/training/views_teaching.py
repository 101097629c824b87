"""The co-teaching pages under /programmes/<code>/training/: the overview with the compliance
table, classes with their sessions, learners and attendance rates, the session form, the session
page with attendance taken on a phone, the attendance export, the set-up forms and calendars.

Thin: parse, call a service (training.services), render. Reading needs any role on the
programme; set-up needs a coordinator; sessions and attendance a coordinator or lecturer."""

from collections.abc import Callable
from functools import wraps
from io import BytesIO

from django.contrib import messages
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ketnoi.core.calendars import feed_response
from ketnoi.core.web import REFUSALS, perform, submit
from ketnoi.programmes.models import Programme
from ketnoi.programmes.web import forbidden, programme_context, programme_view, render_form
from ketnoi.surveys.services import collection_for_programme

from . import access, feeds, queries, services
from .forms_teaching import (
    CampusForm,
    ClassForm,
    CommitmentForm,
    CourseForm,
    SemesterForm,
    SessionForm,
    TopicForm,
)
from .models import Attendance, Campus, Commitment, Course, Semester, SessionLecturer, TeachingSession, Topic

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MARK_PREFIX = "mark-"


def class_view(need: str | None = None) -> Callable:
    """programme_view, then the class among the programme's (404 otherwise); `need` is "set_up"
    or "record" (a 403 page for other roles)."""

    def decorator(view: Callable) -> Callable:
        @programme_view()
        @wraps(view)
        def wrapper(request: HttpRequest, programme: Programme, pk: int, *args, **kwargs) -> HttpResponse:
            training_class = access.get_class_for_user(request.user, programme, pk)
            if need is not None and not CHECKS[need](request.user, programme):
                return forbidden(request, programme, need="plan" if need == "set_up" else "report")
            return view(request, programme, training_class, *args, **kwargs)

        return wrapper

    return decorator


def session_view(need: str | None = None) -> Callable:
    def decorator(view: Callable) -> Callable:
        @programme_view()
        @wraps(view)
        def wrapper(request: HttpRequest, programme: Programme, pk: int, *args, **kwargs) -> HttpResponse:
            session = access.get_session_for_user(request.user, programme, pk)
            if need is not None and not CHECKS[need](request.user, programme):
                return forbidden(request, programme, need="report")
            return view(request, programme, session, *args, **kwargs)

        return wrapper

    return decorator


CHECKS = {"set_up": access.can_set_up, "record": access.can_record}


def _context(request: HttpRequest, programme: Programme, **extra) -> dict:
    return {
        **programme_context(request, programme),
        "can_set_up": access.can_set_up(request.user, programme),
        "can_record": access.can_record(request.user, programme),
        **extra,
    }


def overview_url(programme: Programme) -> str:
    return reverse("training:overview", args=[programme.code])


def class_url(training_class) -> str:
    return reverse("training:class_detail", args=[training_class.course.programme.code, training_class.pk])


def session_url(session: TeachingSession) -> str:
    return reverse("training:session_detail", args=[session.training_class.course.programme.code, session.pk])


# Overview and classes --------------------------------------------------------------------------


@programme_view()
def overview(request: HttpRequest, programme: Programme) -> HttpResponse:
    classes = list(queries.classes_for_programme(programme))
    rates = queries.class_rates(classes)
    for training_class in classes:
        training_class.rate = rates[training_class.pk]
    commitments = list(Commitment.objects.filter(course__programme=programme).select_related("activity", "course"))
    return render(
        request,
        "training/overview.html",
        _context(
            request,
            programme,
            rows=queries.compliance(programme, classes=classes),  # the classes read once for both tables
            classes=classes,
            commitments=commitments,
            section="training",
        ),
    )


@class_view()
def class_detail(request: HttpRequest, programme: Programme, training_class) -> HttpResponse:
    sessions = list(queries.sessions_of(training_class))
    rates = queries.learner_rates(training_class)
    enrolments = list(training_class.enrolments.select_related("person__organisation").order_by("person__full_name"))
    for enrolment in enrolments:
        enrolment.rate = rates.get(enrolment.person_id)
    totals = queries.class_with_periods(training_class)
    return render(
        request,
        "training/class_detail.html",
        _context(
            request,
            programme,
            training_class=training_class,
            sessions=sessions,
            enrolments=enrolments,
            totals=totals,
            class_rate=queries.class_rates([training_class])[training_class.pk],
            lecturers=sorted(
                {lecturer.person for session in sessions for lecturer in session.lecturers.all()},
                key=lambda p: p.full_name,
            ),
        ),
    )


@programme_view("plan")
def class_create(request: HttpRequest, programme: Programme) -> HttpResponse:
    form = ClassForm(request.POST or None, programme=programme)

    def save(f):
        data = dict(f.cleaned_data, learners_expected=f.cleaned_data.get("learners_expected") or 0)
        return services.class_create(actor=request.user, **data)

    created = submit(request, form, save)
    if created:
        messages.success(request, _("Đã thêm lớp %(code)s.") % {"code": created.code})
        return redirect(class_url(created))
    return render_form(request, programme, form, title=_("Thêm lớp"), cancel_url=overview_url(programme))


@class_view("set_up")
def class_edit(request: HttpRequest, programme: Programme, training_class) -> HttpResponse:
    initial = {
        "campus": training_class.campus_id,
        "semester": training_class.semester_id,
        "code": training_class.code,
        "learners_expected": training_class.learners_expected,
    }
    form = ClassForm(request.POST or None, initial=initial, programme=programme, editing=True)

    def save(f):
        data = dict(f.cleaned_data, learners_expected=f.cleaned_data.get("learners_expected") or 0)
        return services.class_update(actor=request.user, training_class=training_class, **data)

    if submit(request, form, save):
        messages.success(request, _("Đã lưu lớp."))
        return redirect(class_url(training_class))
    return render_form(
        request,
        programme,
        form,
        title=_("Sửa lớp %(code)s") % {"code": training_class.code},
        cancel_url=class_url(training_class),
        audit_object=training_class,
    )


# Sessions ----------------------------------------------------------------------------------------


def _session_form_page(request, programme, form, *, title, cancel_url):
    return render(
        request,
        "training/session_form.html",
        _context(request, programme, form=form, title=title, cancel_url=cancel_url),
    )


@class_view("record")
def session_create(request: HttpRequest, programme: Programme, training_class) -> HttpResponse:
    initial = {"status": TeachingSession.Status.DELIVERED, "date": timezone.localdate()}
    form = SessionForm(request.POST or None, initial=initial, training_class=training_class, user=request.user)
    # The lead starts as the signed-in lecturer, when the account is linked to someone who may teach.
    if not form.is_bound:
        form.initial["lead"] = (
            form.fields["lead"].queryset.filter(user=request.user).values_list("pk", flat=True).first()
        )

    def save(f):
        data = {k: f.cleaned_data.get(k) for k in ("date", "starts_at", "ends_at", "periods", "topic", "status")}
        return services.session_record(
            actor=request.user,
            training_class=training_class,
            lecturers=f.lecturers(),
            note=f.cleaned_data.get("note", ""),
            materials=f.cleaned_data.get("materials") or [],
            **data,
        )

    session = submit(request, form, save, aliases={"lecturers": "lead"})
    if session:
        messages.success(request, _("Đã ghi buổi giảng %(date)s.") % {"date": f"{session.date:%d/%m/%Y}"})
        return redirect(
            session_url(session) + ("#attendance" if session.status != TeachingSession.Status.CANCELLED else "")
        )
    return _session_form_page(
        request,
        programme,
        form,
        title=_("Ghi buổi giảng – lớp %(code)s") % {"code": training_class.code},
        cancel_url=class_url(training_class),
    )


@session_view("record")
def session_edit(request: HttpRequest, programme: Programme, session: TeachingSession) -> HttpResponse:
    lecturers = list(session.lecturers.all())
    initial = {
        "date": session.date,
        "starts_at": session.starts_at,
        "ends_at": session.ends_at,
        "periods": session.periods,
        "topic": session.topic_id,
        "status": session.status,
        "note": session.note,
        "lead": next((sl.person_id for sl in lecturers if sl.role == SessionLecturer.Role.LEAD), None),
        "co_teachers": [sl.person_id for sl in lecturers if sl.role == SessionLecturer.Role.CO_TEACHER],
        "materials": list(session.materials.values_list("pk", flat=True)),
    }
    form = SessionForm(request.POST or None, initial=initial, training_class=session.training_class, user=request.user)

    def save(f):
        data = {k: f.cleaned_data.get(k) for k in ("date", "starts_at", "ends_at", "periods", "topic", "status")}
        return services.session_update(
            actor=request.user,
            session=session,
            lecturers=f.lecturers(),
            note=f.cleaned_data.get("note", ""),
            materials=f.cleaned_data.get("materials") if "materials" in f.fields else None,
            **data,
        )

    if submit(request, form, save, aliases={"lecturers": "lead"}):
        messages.success(request, _("Đã lưu buổi giảng."))
        return redirect(session_url(session))
    return _session_form_page(
        request,
        programme,
        form,
        title=_("Sửa buổi giảng %(date)s – lớp %(code)s")
        % {"date": f"{session.date:%d/%m/%Y}", "code": session.training_class.code},
        cancel_url=session_url(session),
    )


def _evaluation(programme: Programme, session: TeachingSession):
    collection = collection_for_programme(programme=programme, collection_id=session.evaluation_collection_id)
    if collection is None:
        return None, None
    results = reverse("surveys:results", args=[programme.code, collection.form_id]) + f"?collection={collection.pk}"
    return collection, results


@session_view()
def session_detail(request: HttpRequest, programme: Programme, session: TeachingSession) -> HttpResponse:
    enrolments = list(
        session.training_class.enrolments.select_related("person__organisation").order_by("person__full_name", "pk")
    )
    marks = dict(session.attendance.values_list("person_id", "status"))
    for enrolment in enrolments:
        enrolment.mark = marks.get(enrolment.person_id, "")
    collection, results_url = _evaluation(programme, session)
    can_take = session.status != TeachingSession.Status.CANCELLED
    return render(
        request,
        "training/session_detail.html",
        _context(
            request,
            programme,
            session=session,
            training_class=session.training_class,
            lecturers=session.lecturers.select_related("person", "organisation").order_by("-role", "id"),
            materials=session.materials.select_related("material"),
            enrolments=enrolments,
            statuses=Attendance.Status.choices,
            rate=queries.session_rate(session),
            marked=len(marks),
            can_take=can_take,
            collection=collection,
            results_url=results_url,
        ),
    )


@require_POST
@session_view("record")
def attendance_save(request: HttpRequest, programme: Programme, session: TeachingSession) -> HttpResponse:
    enrolled = list(session.training_class.enrolments.values_list("person_id", flat=True))
    if "all_present" in request.POST:
        marks = dict.fromkeys(enrolled, Attendance.Status.PRESENT)
    else:
        marks = {
            key.removeprefix(MARK_PREFIX): value
            for key, value in request.POST.items()
            if key.startswith(MARK_PREFIX) and value
        }
    if not marks:
        messages.warning(request, _("Chưa chọn điểm danh cho học viên nào."))
        return redirect(session_url(session) + "#attendance")
    perform(
        request,
        lambda: services.attendance_record(actor=request.user, session=session, marks=marks),
        _("Đã lưu điểm danh %(n)d học viên.") % {"n": len(marks)},
        refusals=REFUSALS,
    )
    return redirect(session_url(session) + "#attendance")


@require_POST
@session_view("record")
def session_evaluation(request: HttpRequest, programme: Programme, session: TeachingSession) -> HttpResponse:
    perform(
        request,
        lambda: services.session_evaluation_open(actor=request.user, session=session),
        lambda collection: _("Đã mở phiếu đánh giá bài giảng: %(title)s.") % {"title": collection.title},
        refusals=REFUSALS,
    )
    return redirect(session_url(session) + "#evaluation")


# Export and calendars -----------------------------------------------------------------------------


@class_view()
def attendance_export(request: HttpRequest, programme: Programme, training_class) -> HttpResponse:
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    sessions = list(
        training_class.sessions.filter(status=TeachingSession.Status.DELIVERED).order_by("date", "starts_at")
    )
    enrolments = list(training_class.enrolments.select_related("person__organisation").order_by("person__full_name"))
    marks = {
        (a.session_id, a.person_id): a.get_status_display() for a in Attendance.objects.filter(session__in=sessions)
    }
    rates = queries.learner_rates(training_class)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = training_class.code[:31] or "lop"
    sheet.append(
        [_("Họ và tên"), _("Đơn vị")]
        + [f"{s.date:%d/%m/%Y} {s.starts_at:%H:%M}" for s in sessions]
        + [_("Có mặt hoặc đến muộn"), _("Số buổi tính"), _("Tỉ lệ chuyên cần (%)")]
    )
    for enrolment in enrolments:
        person = enrolment.person
        rate = rates.get(person.pk)
        sheet.append(
            [person.full_name, str(person.organisation or "")]
            + [marks.get((s.pk, person.pk), "") for s in sessions]
            + [rate.attended, rate.counted, round(rate.percent, 1) if rate.percent is not None else None]
        )
    sheet.freeze_panes = "C2"
    sheet.column_dimensions["A"].width = 28
    sheet.column_dimensions["B"].width = 28
    for index in range(3, len(sessions) + 6):
        sheet.column_dimensions[get_column_letter(index)].width = 16
    buffer = BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="diem-danh-{training_class.pk}.xlsx"'
    return response


@class_view()
def class_calendar(request: HttpRequest, programme: Programme, training_class) -> HttpResponse:
    return feed_response(feeds.class_calendar(request.user, programme, training_class))


@programme_view()
def lecturer_calendar(request: HttpRequest, programme: Programme, person_pk: int) -> HttpResponse:
    return feed_response(feeds.lecturer_calendar(request.user, programme, person_pk))


# Set-up -------------------------------------------------------------------------------------------


@programme_view()
def setup(request: HttpRequest, programme: Programme) -> HttpResponse:
    return render(
        request,
        "training/setup.html",
        _context(
            request,
            programme,
            courses=programme.courses.prefetch_related(
                Prefetch("topics", queryset=Topic.objects.order_by("position", "id"))
            ),
            campuses=programme.campuses.select_related("province"),
            semesters=programme.semesters.all(),
            commitments=Commitment.objects.filter(course__programme=programme).select_related("activity", "course"),
        ),
    )


def setup_url(programme: Programme) -> str:
    return reverse("training:setup", args=[programme.code])


def _setup_form(request, programme, form, save, *, title, audit_object=None, aliases=None):
    if submit(request, form, save, aliases=aliases) is not None:
        messages.success(request, _("Đã lưu."))
        return redirect(setup_url(programme))
    return render_form(
        request, programme, form, title=title, cancel_url=setup_url(programme), audit_object=audit_object
    )


@programme_view("plan")
def course_form(request: HttpRequest, programme: Programme, pk: int | None = None) -> HttpResponse:
    course = get_object_or_404(Course, programme=programme, pk=pk) if pk else None
    initial = {f: getattr(course, f) for f in ("name", "code", "host", "period_minutes")} if course else None
    form = CourseForm(request.POST or None, initial=initial)
    if course:
        save = lambda f: services.course_update(actor=request.user, course=course, **f.cleaned_data)  # noqa: E731
    else:
        save = lambda f: services.course_create(actor=request.user, programme=programme, **f.cleaned_data)  # noqa: E731
    return _setup_form(
        request, programme, form, save, title=_("Sửa khoá học") if course else _("Thêm khoá học"), audit_object=course
    )


@programme_view("plan")
def campus_form(request: HttpRequest, programme: Programme, pk: int | None = None) -> HttpResponse:
    campus = get_object_or_404(Campus, programme=programme, pk=pk) if pk else None
    initial = {"name": campus.name, "province": campus.province_id} if campus else None
    form = CampusForm(request.POST or None, initial=initial)
    if campus:
        save = lambda f: services.campus_update(actor=request.user, campus=campus, **f.cleaned_data)  # noqa: E731
    else:
        save = lambda f: services.campus_create(actor=request.user, programme=programme, **f.cleaned_data)  # noqa: E731
    return _setup_form(request, programme, form, save, title=_("Sửa cơ sở") if campus else _("Thêm cơ sở đào tạo"))


@programme_view("plan")
def semester_form(request: HttpRequest, programme: Programme, pk: int | None = None) -> HttpResponse:
    semester = get_object_or_404(Semester, programme=programme, pk=pk) if pk else None
    initial = {f: getattr(semester, f) for f in ("name", "starts_on", "ends_on")} if semester else None
    form = SemesterForm(request.POST or None, initial=initial)
    if semester:
        save = lambda f: services.semester_update(actor=request.user, semester=semester, **f.cleaned_data)  # noqa: E731
    else:
        save = lambda f: services.semester_create(actor=request.user, programme=programme, **f.cleaned_data)  # noqa: E731
    return _setup_form(request, programme, form, save, title=_("Sửa học kỳ") if semester else _("Thêm học kỳ"))


@programme_view("plan")
def topic_form(request: HttpRequest, programme: Programme, course_pk: int, pk: int | None = None) -> HttpResponse:
    course = get_object_or_404(Course, programme=programme, pk=course_pk)
    topic = get_object_or_404(Topic, course=course, pk=pk) if pk else None
    initial = {"title": topic.title, "position": topic.position} if topic else None
    form = TopicForm(request.POST or None, initial=initial)

    def save(f):
        data = dict(f.cleaned_data, position=f.cleaned_data.get("position") or 0)
        if topic:
            return services.topic_update(actor=request.user, topic=topic, **data)
        return services.topic_create(actor=request.user, course=course, **data)

    return _setup_form(
        request,
        programme,
        form,
        save,
        title=(_("Sửa chủ đề") if topic else _("Thêm chủ đề")) + f" – {course.name}",
    )


@programme_view("plan")
def commitment_form(request: HttpRequest, programme: Programme) -> HttpResponse:
    current = Commitment.objects.filter(course__programme=programme).select_related("activity", "course").first()
    initial = (
        {"activity": current.activity_id, "course": current.course_id, "periods": current.periods} if current else None
    )
    form = CommitmentForm(request.POST or None, initial=initial, programme=programme)
    save = lambda f: services.commitment_set(actor=request.user, **f.cleaned_data)  # noqa: E731
    return _setup_form(request, programme, form, save, title=_("Cam kết số tiết"))
