"""The training pickers (training/picking.py): lecturers of a session and expert reviewers, scoped
to the programme and to the role; the session form's search without JavaScript; crafted ids
refused; the lead starting as the signed-in lecturer."""

import pytest
from django.urls import reverse
from django.utils import timezone

from ketnoi.core.roles import Role
from ketnoi.directory.tests.factories import make_person
from ketnoi.programmes.models import ProgrammeRole
from ketnoi.training.models import ReviewRequest, TeachingSession

from .factories import make_material

PICK = reverse("directory:pick")


def session_form(prog, klass):
    return reverse("training:session_create", args=[prog.code, klass.pk])


def session_data(**extra):
    return {
        "date": "02/03/2026",
        "starts_at": "07:30",
        "ends_at": "10:00",
        "periods": "3",
        "status": "planned",
        **extra,
    }


@pytest.fixture
def dung(db):
    return make_person("Nguyễn Văn Dũng")


def test_lecturer_search_within_the_programme(client_for, coordinator, lecturer, prog, dung):
    for user in (coordinator, lecturer):
        response = client_for(user).get(PICK, {"purpose": "training.lecturer", "programme": prog.code, "q": "van dung"})
        assert response.status_code == 200 and "Nguyễn Văn Dũng" in response.content.decode()


def test_lecturer_search_refused_outside_the_programme(client_for, outsider, other_coordinator, viewer, prog, dung):
    query = {"purpose": "training.lecturer", "programme": prog.code, "q": "dung"}
    for user, status in ((outsider, 404), (other_coordinator, 404), (viewer, 403)):
        response = client_for(user).get(PICK, query)
        assert response.status_code == status and "Nguyễn Văn Dũng" not in response.content.decode()
    assert client_for(other_coordinator).get(PICK, {**query, "programme": ""}).status_code == 404


def test_reviewers_are_accounts_with_the_role(client_for, lecturer, reviewer, expert, prog, other_coordinator):
    query = {"purpose": "training.reviewer", "programme": prog.code, "q": "e"}
    html = client_for(lecturer).get(PICK, query).content.decode()
    assert f'value="{reviewer.pk}"' in html and f'value="{expert.pk}"' not in html  # no role, not offered
    assert client_for(other_coordinator).get(PICK, query).status_code == 404


def test_review_request_refuses_an_account_without_a_role(client_for, lecturer, reviewer, expert, prog):
    material = make_material(lecturer, prog)
    url = f"/programmes/{prog.code}/training/materials/{material.pk}/versions/1/review/"
    client = client_for(lecturer)
    response = client.post(url, {"reviewers": [expert.pk], "due_on": "31/12/2099"})
    assert "không có trong danh sách được phép" in response.content.decode()
    assert not ReviewRequest.objects.exists()
    response = client.post(url, {"reviewers": [reviewer.pk], "due_on": "31/12/2099"})
    assert response.status_code == 302 and ReviewRequest.objects.get().assignments.get().reviewer == reviewer


def test_session_search_without_javascript_saves_nothing(client_for, coordinator, prog, klass, dung):
    client = client_for(coordinator)
    data = session_data(co_teachers__q="nguyen van dung", _pick_co_teachers="1")
    response = client.post(session_form(prog, klass), data)
    html = response.content.decode()
    assert response.status_code == 200 and not TeachingSession.objects.exists()
    assert f'type="checkbox" id="id_co_teachers_{dung.pk}" name="co_teachers" value="{dung.pk}"' in html
    assert 'value="07:30"' in html and "error-summary" not in html  # the form kept, nothing refused
    response = client.post(session_form(prog, klass), session_data(co_teachers=[dung.pk]))
    assert response.status_code == 302
    assert [sl.person for sl in TeachingSession.objects.get().lecturers.all()] == [dung]


def test_session_refuses_an_erased_person(client_for, coordinator, prog, klass, dung):
    dung.erased_at = timezone.now()
    dung.save()
    response = client_for(coordinator).post(session_form(prog, klass), session_data(lead=dung.pk))
    assert "không có trong danh sách được phép" in response.content.decode()
    assert not TeachingSession.objects.exists()


def test_lead_starts_as_the_signed_in_lecturer(client_for, lecturer, coordinator, prog, klass):
    me = make_person("Phạm Thị Giảng", user=lecturer)
    html = client_for(lecturer).get(session_form(prog, klass)).content.decode()
    assert f'type="radio" id="id_lead_{me.pk}" name="lead" value="{me.pk}" checked' in html
    html = client_for(coordinator).get(session_form(prog, klass)).content.decode()
    assert f'id="id_lead_{me.pk}"' not in html  # the coordinator teaches nothing: nobody chosen
    assert ProgrammeRole.objects.filter(user=lecturer, role=Role.LECTURER).exists()
