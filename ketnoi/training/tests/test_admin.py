"""The staff back office for training: every model opens read-only (the services do the writing),
and no list or page costs a query per row."""

from datetime import date, time

import pytest
from django.urls import reverse

from ketnoi.core.tests.admin_checks import admin_pages, assert_flat_query_counts, assert_read_only
from ketnoi.directory.models import Organisation, OrganisationType, Person
from ketnoi.programmes.models import Activity
from ketnoi.training.models import (
    Attendance,
    Campus,
    Commitment,
    Course,
    Enrolment,
    Material,
    MaterialVersion,
    ReviewAssignment,
    ReviewComment,
    ReviewRequest,
    Semester,
    SessionLecturer,
    TeachingSession,
    Topic,
    TrainingClass,
)

pytestmark = pytest.mark.django_db

MODELS = [
    "course",
    "campus",
    "semester",
    "trainingclass",
    "commitment",
    "teachingsession",
    "material",
    "reviewrequest",
    "reviewassignment",
]


def add_rows(prog, make_user, i: int, base: dict | None = None) -> dict:
    """One row of every model; with `base`, also one more child on each of base's pages."""
    org = Organisation.objects.create(name=f"Trường {i}", type=OrganisationType.ACADEMIC)
    person = Person.objects.create(full_name=f"Học viên {i}", organisation=org)
    user = make_user(f"nguoi-{i}")
    course = Course.objects.create(programme=prog, name=f"Khoá {i}", code=f"K{i}", host=org)
    topic = Topic.objects.create(course=course, title=f"Chủ đề {i}")
    campus = Campus.objects.create(programme=prog, name=f"Cơ sở {i}")
    semester = Semester.objects.create(
        programme=prog, name=f"HK {i}", starts_on=date(2026, 1, 5), ends_on=date(2026, 6, 30)
    )
    klass = TrainingClass.objects.create(course=course, campus=campus, semester=semester, code=f"L{i}")
    activity = Activity.objects.create(programme=prog, number=i, title=f"Hoạt động {i}")
    Commitment.objects.create(activity=activity, course=course, periods=10)
    session = TeachingSession.objects.create(
        training_class=klass, topic=topic, date=date(2026, 3, 2), starts_at=time(8), ends_at=time(10), periods=2
    )
    material = Material.objects.create(programme=prog, title=f"Bài giảng {i}", topic=topic, author=user)
    version = MaterialVersion.objects.create(material=material, number=1, file=f"training/{i}/a.pdf", created_by=user)
    session.materials.add(version)
    request = ReviewRequest.objects.create(version=version, requested_by=user, due_on=date(2026, 4, 1))
    assignment = ReviewAssignment.objects.create(request=request, reviewer=make_user(f"chuyen-gia-{i}"))
    ReviewComment.objects.create(assignment=assignment, body=f"Góp ý {i}")
    Enrolment.objects.create(training_class=klass, person=person)
    SessionLecturer.objects.create(session=session, person=person, organisation=org)
    Attendance.objects.create(session=session, person=person, status=Attendance.Status.PRESENT, recorded_by=user)
    if base is not None:
        Topic.objects.create(course=base["course"], title=f"Chủ đề thêm {i}")
        Enrolment.objects.create(training_class=base["trainingclass"], person=person)
        lecturer = Person.objects.create(full_name=f"Giảng viên {i}", organisation=org)
        SessionLecturer.objects.create(session=base["teachingsession"], person=lecturer, organisation=org)
        Attendance.objects.create(
            session=base["teachingsession"], person=person, status=Attendance.Status.LATE, recorded_by=user
        )
        extra = MaterialVersion.objects.create(
            material=base["material"], number=i + 1, file=f"training/{i}/b.pdf", created_by=user
        )
        base["teachingsession"].materials.add(extra)
        ReviewAssignment.objects.create(request=base["reviewrequest"], reviewer=make_user(f"them-{i}"))
        ReviewComment.objects.create(assignment=base["reviewassignment"], body=f"Góp ý thêm {i}")
    return {
        "course": course,
        "campus": campus,
        "semester": semester,
        "trainingclass": klass,
        "commitment": activity.training_commitment,
        "teachingsession": session,
        "material": material,
        "reviewrequest": request,
        "reviewassignment": assignment,
    }


@pytest.fixture
def rows(prog, make_user):
    return add_rows(prog, make_user, 1)


def pages(rows: dict) -> list[str]:
    return admin_pages("training", {m: rows[m] for m in MODELS})


@pytest.mark.parametrize("model", MODELS)
def test_staff_open_each_changelist_and_change_page_read_only(client_for, staff_admin, rows, model):
    assert_read_only(client_for(staff_admin), "training", model, rows[model])


def test_search_finds_by_name(client_for, staff_admin, rows):
    response = client_for(staff_admin).get(reverse("admin:training_trainingclass_changelist"), {"q": "Khoá 1"})
    assert response.context["cl"].result_count == 1


def test_query_counts_do_not_grow_with_rows(client_for, staff_admin, prog, make_user, rows):
    assert_flat_query_counts(client_for(staff_admin), pages(rows), lambda i: add_rows(prog, make_user, i, base=rows))


def test_session_page_lists_its_lecturers_attendance_and_materials(client_for, staff_admin, prog, make_user, rows):
    add_rows(prog, make_user, 2, base=rows)
    page = client_for(staff_admin).get(
        reverse("admin:training_teachingsession_change", args=[rows["teachingsession"].pk])
    )
    html = page.content.decode()
    assert "Giảng viên 2" in html and "Học viên 2" in html
    assert "Bài giảng 1 v1" in html and "Bài giảng 1 v3" in html


@pytest.mark.parametrize("persona", ["coordinator", "outsider"])
def test_non_staff_cannot_use_the_back_office(request, client_for, persona):
    response = client_for(request.getfixturevalue(persona)).get(reverse("admin:training_course_changelist"))
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")
