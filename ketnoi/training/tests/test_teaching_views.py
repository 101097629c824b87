"""The teaching pages: who sees and does what, the session form, attendance on the phone page
(radios, "all present", refusals), the export, the calendars, query counts that do not grow."""

from datetime import date, time
from io import BytesIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from icalendar import Calendar
from openpyxl import load_workbook

from ketnoi.directory.tests.factories import run_tasks
from ketnoi.training import services
from ketnoi.training.models import Attendance, SessionLecturer, TeachingSession

from .factories import CANCELLED, PLANNED, record

LEAD = SessionLecturer.Role.LEAD


@pytest.fixture
def committed(coordinator, activity, course):
    return services.commitment_set(actor=coordinator, activity=activity, course=course, periods=10)


@pytest.fixture
def session(lecturer, klass, lead, enrolled):
    return record(lecturer, klass, lecturers=[(lead, LEAD)])


def url(name, prog, *args):
    return reverse(f"training:{name}", args=[prog.code, *args])


def test_overview_shows_the_compliance_table_behind_first(
    client_for, coordinator, viewer, prog, committed, klass, campus_hcm, lead
):
    other = services.class_create(
        actor=coordinator, course=klass.course, campus=campus_hcm, semester=klass.semester, code="HCM01"
    )
    for day in (2, 3, 4):
        record(coordinator, klass, day=date(2026, 3, day), periods=4, ends_at=time(10, 30), lecturers=[(lead, LEAD)])
    page = client_for(viewer).get(url("overview", prog))
    assert page.status_code == 200
    html = page.content.decode()
    assert html.index(f'id="compliance-{other.pk}"') < html.index(f'id="compliance-{klass.pk}"')
    assert 'class="rag-red"' in html and 'class="rag-green"' in html
    assert reverse("training:overview", args=[prog.code]) in html  # the programme nav links here


@pytest.mark.parametrize("name", ["overview", "setup"])
def test_outsider_gets_404(client_for, outsider, prog, name):
    assert client_for(outsider).get(url(name, prog)).status_code == 404


def test_outsider_gets_404_on_class_and_session(client_for, outsider, prog, session, klass):
    client = client_for(outsider)
    for response in (
        client.get(url("class_detail", prog, klass.pk)),
        client.get(url("session_detail", prog, session.pk)),
        client.get(url("attendance_export", prog, klass.pk)),
        client.get(url("class_calendar", prog, klass.pk)),
        client.post(url("attendance_save", prog, session.pk), {"all_present": "1"}),
    ):
        assert response.status_code == 404
    assert not Attendance.objects.exists()


def test_another_programme_s_coordinator_gets_404(client_for, other_coordinator, prog, session, klass):
    client = client_for(other_coordinator)
    for name, args in (
        ("overview", ()),
        ("setup", ()),
        ("class_detail", (klass.pk,)),
        ("session_detail", (session.pk,)),
    ):
        assert client.get(url(name, prog, *args)).status_code == 404, name
    assert client.post(url("attendance_save", prog, session.pk), {"all_present": "1"}).status_code == 404
    assert not Attendance.objects.exists()


def test_class_of_another_programme_is_404(client_for, coordinator, other_prog, prog, klass):
    assert client_for(coordinator).get(url("class_detail", other_prog, klass.pk)).status_code == 404


def test_viewer_reads_but_does_not_record(client_for, viewer, prog, klass, session):
    client = client_for(viewer)
    assert client.get(url("class_detail", prog, klass.pk)).status_code == 200
    page = client.get(url("session_detail", prog, session.pk))
    assert page.status_code == 200 and b"attendance-form" not in page.content
    assert client.get(url("session_create", prog, klass.pk)).status_code == 403
    assert client.post(url("attendance_save", prog, session.pk), {"all_present": "1"}).status_code == 403
    assert client.get(url("class_create", prog)).status_code == 403
    assert not Attendance.objects.exists()


def test_lecturer_records_but_does_not_set_up(client_for, lecturer, prog, klass):
    client = client_for(lecturer)
    assert client.get(url("session_create", prog, klass.pk)).status_code == 200
    assert client.get(url("class_create", prog)).status_code == 403
    assert client.get(url("course_create", prog)).status_code == 403
    assert client.get(url("commitment", prog)).status_code == 403


def test_session_recorded_through_the_form(client_for, lecturer, prog, klass, lead, co_teacher):
    response = client_for(lecturer).post(
        url("session_create", prog, klass.pk),
        {
            "date": "02/03/2026",
            "starts_at": "07:30",
            "ends_at": "10:00",
            "periods": "3",
            "status": "delivered",
            "lead": str(lead.pk),
            "co_teachers": [str(co_teacher.pk)],
            "note": "",
        },
    )
    session = TeachingSession.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/sessions/{session.pk}/#attendance")
    assert set(session.lecturers.values_list("person_id", "role")) == {(lead.pk, "lead"), (co_teacher.pk, "co_teacher")}


def test_bad_session_form_shows_the_reason_and_writes_nothing(client_for, lecturer, prog, klass, co_teacher):
    client = client_for(lecturer)
    data = {"date": "02/03/2026", "starts_at": "07:30", "ends_at": "08:00", "periods": "3", "status": "delivered"}
    page = client.post(url("session_create", prog, klass.pk), data)
    assert page.status_code == 200 and "135" in page.content.decode()
    page = client.post(url("session_create", prog, klass.pk), dict(data, ends_at="10:00"))
    assert "giảng viên chính" in page.content.decode()
    page = client.post(url("session_create", prog, klass.pk), dict(data, date="31/02/2026"))
    assert "dd/mm/yyyy" in page.content.decode()
    assert not TeachingSession.objects.exists()


def test_attendance_on_the_phone_page(client_for, lecturer, prog, session, enrolled):
    client = client_for(lecturer)
    page = client.get(url("session_detail", prog, session.pk)).content.decode()
    assert page.count('type="radio"') == 4 * len(enrolled)
    a, b, c = enrolled[:3]
    response = client.post(
        url("attendance_save", prog, session.pk),
        {f"mark-{a.pk}": "present", f"mark-{b.pk}": "late", f"mark-{c.pk}": ""},
    )
    assert response.status_code == 302
    assert dict(Attendance.objects.values_list("person_id", "status")) == {a.pk: "present", b.pk: "late"}
    client.post(url("attendance_save", prog, session.pk), {"all_present": "1"})
    assert set(Attendance.objects.values_list("status", flat=True)) == {"present"}
    assert Attendance.objects.count() == len(enrolled)


def test_attendance_refused_with_a_message(client_for, lecturer, prog, klass, enrolled):
    cancelled = record(lecturer, klass, status=CANCELLED)
    client = client_for(lecturer)
    response = client.post(url("attendance_save", prog, cancelled.pk), {"all_present": "1"}, follow=True)
    assert "đã huỷ" in response.content.decode()
    assert not Attendance.objects.exists()
    session = record(lecturer, klass, status=PLANNED, day=date(2026, 3, 3))
    response = client.post(url("attendance_save", prog, session.pk), {f"mark-{enrolled[0].pk}": "asleep"}, follow=True)
    assert "không hợp lệ" in response.content.decode()
    assert not Attendance.objects.exists()


def test_export(client_for, viewer, lecturer, prog, klass, session, enrolled):
    services.attendance_record(
        actor=lecturer, session=session, marks={enrolled[0].pk: "present", enrolled[1].pk: "absent"}
    )
    response = client_for(viewer).get(url("attendance_export", prog, klass.pk))
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][2] == "02/03/2026 07:30"
    by_name = {row[0]: row for row in rows[1:]}
    assert by_name[enrolled[0].full_name][2:] == ("Có mặt", 1, 1, 100)
    assert by_name[enrolled[1].full_name][-1] == 0


def test_calendars(client_for, viewer, prog, klass, session, lead, co_teacher):
    client = client_for(viewer)
    feed = Calendar.from_ical(client.get(url("class_calendar", prog, klass.pk)).content)
    (event,) = feed.walk("VEVENT")
    assert str(event["uid"]).startswith(f"teaching-session-{session.pk}@")
    assert "HN01" in str(event["summary"])
    lecturer_feed = Calendar.from_ical(client.get(url("lecturer_calendar", prog, lead.pk)).content)
    assert len(lecturer_feed.walk("VEVENT")) == 1
    assert client.get(url("lecturer_calendar", prog, co_teacher.pk)).status_code == 404  # teaches nothing here


def test_evaluation_button(client_for, coordinator, prog, session):
    client = client_for(coordinator)
    client.post(url("session_evaluation", prog, session.pk))
    session.refresh_from_db()
    assert session.evaluation_collection_id
    page = client.get(url("session_detail", prog, session.pk)).content.decode()
    assert f"?collection={session.evaluation_collection_id}" in page
    assert 'id="open-evaluation"' not in page


def test_setup_forms(client_for, coordinator, prog, activity):
    client = client_for(coordinator)
    assert client.post(url("course_create", prog), {"name": "MPP", "period_minutes": "45"}).status_code == 302
    course = prog.courses.get()
    client.post(url("campus_create", prog), {"name": "Hà Nội"})
    client.post(url("semester_create", prog), {"name": "HK1", "starts_on": "05/01/2026", "ends_on": "30/06/2026"})
    client.post(url("topic_create", prog, course.pk), {"title": "Vai trò của TCXH", "position": "1"})
    client.post(url("commitment", prog), {"activity": activity.pk, "course": course.pk, "periods": "10"})
    response = client.post(
        url("class_create", prog),
        {"course": course.pk, "campus": prog.campuses.get().pk, "semester": prog.semesters.get().pk, "code": "HN01"},
    )
    assert response.status_code == 302
    assert course.topics.count() == 1 and course.commitments.get().periods == 10
    page = client.post(
        url("semester_create", prog), {"name": "HK2", "starts_on": "05/09/2026", "ends_on": "01/09/2026"}
    )
    assert page.status_code == 200 and "sau ngày bắt đầu" in page.content.decode()


def test_learners_added_by_ids(client_for, coordinator, prog, klass, people):
    client = client_for(coordinator)
    response = client.post(url("class_learners", prog, klass.pk), {"person_ids": f"{people[0].pk}, {people[1].pk}"})
    assert response.status_code == 302 and klass.enrolments.count() == 2
    page = client.post(url("class_learners", prog, klass.pk), {"person_ids": "999999"})
    assert "999999" in page.content.decode()


def test_learners_found_by_name_or_uploaded_as_a_list(client_for, coordinator, lecturer, prog, klass):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from ketnoi.directory.models import Person

    hung = Person.objects.create(full_name="Đặng Quốc Hùng", email="hung@example.org")
    client = client_for(coordinator)
    found = client.get(url("class_learners", prog, klass.pk), {"q": "dang quoc"}).content.decode()
    assert "Đặng Quốc Hùng" in found
    by_email = client.get(url("class_learners", prog, klass.pk), {"q": "hung@example"}).content.decode()
    assert "Đặng Quốc Hùng" in by_email  # the pickers' search: by e-mail and phone too
    client.post(url("class_learners", prog, klass.pk), {"person": [hung.pk]})
    assert list(klass.enrolments.values_list("person", flat=True)) == [hung.pk]
    rows = "Họ và tên,Thư điện tử\nđặng quốc hùng,HUNG@example.org\nLò Thị Xuân,xuan@example.org\n"
    upload = SimpleUploadedFile("lop.csv", rows.encode(), content_type="text/csv")
    with run_tasks():
        response = client.post(url("class_learners", prog, klass.pk), {"list": upload})
    preview = client.get(response["Location"])
    assert "1 người mới" in preview.content.decode() and klass.enrolments.count() == 1
    assert 'id="import-rows-link"' in preview.content.decode()
    person_import = preview.context["person_import"]
    assert (
        client_for(lecturer).post(url("class_learners", prog, klass.pk), {"import": person_import.pk}).status_code
        == 403
    )
    client = client_for(coordinator)
    with run_tasks():
        client.post(url("class_learners", prog, klass.pk), {"import": person_import.pk})
    names = set(klass.enrolments.values_list("person__full_name", flat=True))
    assert names == {"Đặng Quốc Hùng", "Lò Thị Xuân"} and Person.objects.filter(full_name="Đặng Quốc Hùng").count() == 1


def test_learner_search_leaves_out_the_class_and_the_erased(client_for, coordinator, prog, klass):
    from django.utils import timezone

    from ketnoi.directory.models import Person

    Person.objects.create(full_name="Đặng Quốc Hùng", email="hung@example.org")
    erased = Person.objects.create(full_name="Đặng Quốc Huy", email="huy@example.org", erased_at=timezone.now())
    in_class = Person.objects.create(full_name="Đặng Quốc Hải", email="hai@example.org")
    client = client_for(coordinator)
    client.post(url("class_learners", prog, klass.pk), {"person": [in_class.pk, erased.pk]})
    assert list(klass.enrolments.values_list("person", flat=True)) == [in_class.pk]  # the erased is not enrolled
    found = client.get(url("class_learners", prog, klass.pk), {"q": "dang quoc"}).context["found"]
    assert [p.full_name for p in found] == ["Đặng Quốc Hùng"]
    assert client.get(url("class_learners", prog, klass.pk), {"q": "   "}).context["found"] == []


def test_query_counts_do_not_grow(
    client_for, coordinator, prog, committed, klass, lead, co_teacher, enrolled, django_assert_max_num_queries
):
    client = client_for(coordinator)

    def add_sessions(n, start):
        for day in range(start, start + n):
            session = record(
                coordinator,
                klass,
                day=date(2026, 3, day),
                periods=1,
                lecturers=[(lead, LEAD), (co_teacher, "co_teacher")],
            )
            services.attendance_record(actor=coordinator, session=session, marks={p.pk: "present" for p in enrolled})

    add_sessions(1, 2)
    counts = {}
    for name, args in (("overview", ()), ("class_detail", (klass.pk,))):
        with CaptureQueriesContext(connection) as few:
            assert client.get(url(name, prog, *args)).status_code == 200
        counts[name] = len(few)
    add_sessions(8, 10)
    for name, args in (("overview", ()), ("class_detail", (klass.pk,))):
        with django_assert_max_num_queries(counts[name]):
            client.get(url(name, prog, *args))


@pytest.mark.parametrize("odd", ["³", "²⁰²⁴", "٣", "99999999999999999999"])
def test_learners_import_reads_numbers_as_ascii_digits(client_for, coordinator, prog, klass, odd):
    """ "³".isdigit() is true and int("³") fails: a birth year or an import id written so was a 500."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = client_for(coordinator)
    assert client.get(url("class_learners", prog, klass.pk), {"import": odd}).status_code == 200
    assert client.post(url("class_learners", prog, klass.pk), {"import": odd}).status_code == 404
    rows = f"Họ và tên,Năm sinh\nLò Thị Xuân,{odd}\n"
    upload = SimpleUploadedFile("lop.csv", rows.encode(), content_type="text/csv")
    with run_tasks():
        response = client.post(url("class_learners", prog, klass.pk), {"list": upload})
    preview = client.get(response["Location"])
    assert preview.status_code == 200
    assert f"năm sinh “{odd}” không hợp lệ" in preview.content.decode()
    assert klass.enrolments.count() == 0


def test_attendance_rates_read_as_percentages_in_both_languages(client_for, lecturer, prog, klass, session, enrolled):
    """The shared formatter (ketnoi.core.figures): "50%", no space, in Vietnamese and English."""
    services.attendance_record(
        actor=lecturer, session=session, marks={enrolled[0].pk: "present", enrolled[1].pk: "absent"}
    )
    client = client_for(lecturer)
    page = client.get(url("session_detail", prog, session.pk)).content.decode()
    assert "Có mặt (kể cả đến muộn): 50%." in page
    client.cookies["ketnoi_language"] = "en"
    page = client.get(url("session_detail", prog, session.pk)).content.decode()
    assert "Present (late included): 50%." in page
    page = client.get(url("class_detail", prog, klass.pk)).content.decode()
    assert "Class attendance: 50%." in page and "100%" in page and " %" not in page
