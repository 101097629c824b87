"""The members page's picker (programmes/picking.py, purpose "programmes.member"): accounts of
people in the directory found like people are; any other active account only by its exact user
name or e-mail; the roles an account already holds shown; the endpoint refused to those who may
not plan the programme; a crafted id refused; the search without JavaScript saving nothing."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from ketnoi.core.roles import Role
from ketnoi.directory.tests.factories import make_organisation, make_person
from ketnoi.programmes.models import ProgrammeRole

PICK = reverse("directory:pick")


def members_url(prog):
    return reverse("programmes:members", args=[prog.code])


def pick(client, prog, q, **extra):
    return client.get(PICK, {"purpose": "programmes.member", "programme": prog.code, "field": "user", "q": q, **extra})


@pytest.fixture
def people(make_user):
    cdsc = make_organisation("Trung tâm Hỗ trợ Phát triển Cộng đồng", short_name="CDSC")
    dung = make_user("dung-nv", email="dung.nv@cdsc.example.org")
    make_person("Nguyễn Văn Dũng", organisation=cdsc, user=dung, email="dung@cdsc.example.org", phone="0912 345 678")
    erased = make_user("da-xoa", first_name="Dũng")
    make_person("Dũng Đã Xoá", user=erased, erased_at=timezone.now())
    locked = make_user("bi-khoa", is_active=False)
    make_person("Nguyễn Văn Dũng Khoá", user=locked)
    loose = make_user("tai-khoan-le", email="le@partner.example.org", first_name="Dũng")  # not in the directory
    return {"dung": dung, "erased": erased, "locked": locked, "loose": loose}


def values(html):
    return html.count('name="user" value="')


def test_directory_accounts_found_by_name_organisation_email_and_phone(client_for, coordinator, prog, people):
    client = client_for(coordinator)
    dung, loose = people["dung"], people["loose"]
    for q in ("nguyen van dung", "Dũng", "cong dong", "dung@cdsc.example.org", "0912345678", "dung-nv"):
        html = pick(client, prog, q).content.decode()
        assert f'value="{dung.pk}"' in html, q
        assert f'value="{loose.pk}"' not in html, q  # no partial match outside the directory
        assert f'value="{people["erased"].pk}"' not in html and f'value="{people["locked"].pk}"' not in html, q
        assert "Nguyễn Văn Dũng (dung-nv)" in html


def test_other_accounts_only_by_exact_user_name_or_email(client_for, coordinator, prog, people):
    client = client_for(coordinator)
    loose = people["loose"]
    for q in ("tai-khoan", "tai-khoan-l", "partner.example.org", "le@partner"):
        assert f'value="{loose.pk}"' not in pick(client, prog, q).content.decode(), q
    for q in ("tai-khoan-le", "TAI-KHOAN-LE", " le@Partner.example.org "):
        html = pick(client, prog, q).content.decode()
        assert f'value="{loose.pk}"' in html and values(html) == 1, q
    # a locked account is not found even by its exact user name
    assert f'value="{people["locked"].pk}"' not in pick(client, prog, "bi-khoa").content.decode()


def test_roles_already_held_are_shown(client_for, coordinator, prog, people):
    ProgrammeRole.objects.create(programme=prog, user=people["dung"], role=Role.VIEWER)
    html = pick(client_for(coordinator), prog, "nguyen van dung").content.decode()
    assert "Nguyễn Văn Dũng (dung-nv) · đã là Người xem" in html
    html = pick(client_for(coordinator), prog, "coordinator").content.decode()
    assert "đã là Điều phối viên" in html


def test_staff_may_search(client_for, staff_admin, prog, people):
    assert f'value="{people["dung"].pk}"' in pick(client_for(staff_admin), prog, "dung").content.decode()


@pytest.mark.parametrize(("persona", "status"), [("outsider", 404), ("other_coordinator", 404), ("viewer", 403)])
def test_endpoint_refused_to_those_who_may_not_plan(request, client_for, prog, people, persona, status):
    client = client_for(request.getfixturevalue(persona))
    for q in ("nguyen van dung", "tai-khoan-le"):
        response = pick(client, prog, q)
        html = response.content.decode()
        assert response.status_code == status and 'name="user"' not in html and "Nguyễn Văn Dũng" not in html
    assert pick(client, prog, "dung", programme="").status_code == 404


def test_endpoint_query_count_does_not_grow(client_for, coordinator, prog, make_user, django_assert_num_queries):
    client = client_for(coordinator)

    def add(first, n):
        for k in range(first, first + n):
            user = make_user(f"thanh-vien-{k}")
            make_person(f"Trần Thành Viên {k}", user=user)
            ProgrammeRole.objects.create(programme=prog, user=user, role=Role.VIEWER)

    add(0, 3)
    pick(client, prog, "thanh vien")  # warm the session and the caches
    with CaptureQueriesContext(connection) as few:
        assert pick(client, prog, "thanh vien").status_code == 200
    assert len(few) <= 8  # session, user, roles, programme, the search, its roles, the exact match
    add(3, 27)
    with django_assert_num_queries(len(few)):
        html = pick(client, prog, "thanh vien").content.decode()
    assert values(html) == 20 and "gõ thêm để thu hẹp" in html


def test_grant_to_an_account_found_in_the_directory(client_for, coordinator, prog, people):
    client = client_for(coordinator)
    response = client.post(members_url(prog), {"user": people["dung"].pk, "role": Role.REVIEWER})
    assert response.status_code == 302
    assert ProgrammeRole.objects.filter(programme=prog, user=people["dung"], role=Role.REVIEWER).exists()


def test_crafted_account_outside_the_purpose_is_refused(client_for, coordinator, prog, people):
    client = client_for(coordinator)
    before = ProgrammeRole.objects.count()
    for data in (
        {"user": people["loose"].pk},  # not in the directory, its user name not typed
        {"user": people["loose"].pk, "user__q": "tai-khoan"},  # a partial match is not enough
        {"user": people["locked"].pk, "user__q": "bi-khoa"},  # locked
        {"user": people["erased"].pk},  # its person erased
        {"user": "999999"},
        {"user": "abc"},
    ):
        response = client.post(members_url(prog), {**data, "role": Role.VIEWER})
        assert response.status_code == 200, data
        assert "không có trong danh sách được phép" in response.content.decode(), data
    assert ProgrammeRole.objects.count() == before


def test_grant_to_an_account_outside_the_directory_by_its_exact_user_name(client_for, coordinator, prog, people):
    client = client_for(coordinator)
    loose = people["loose"]
    response = client.post(members_url(prog), {"user": loose.pk, "user__q": "tai-khoan-le", "role": Role.CURATOR})
    assert response.status_code == 302
    assert ProgrammeRole.objects.filter(programme=prog, user=loose, role=Role.CURATOR).exists()


def test_search_without_javascript_saves_nothing(client_for, coordinator, prog, people):
    client = client_for(coordinator)
    data = {"user__q": "nguyen van dung", "_pick_user": "1", "role": Role.LECTURER}
    response = client.post(members_url(prog), data)
    html = response.content.decode()
    assert response.status_code == 200 and "error-summary" not in html
    dung = people["dung"]
    assert f'type="radio" id="id_user_{dung.pk}" name="user" value="{dung.pk}">' in html
    assert not ProgrammeRole.objects.filter(user=dung).exists()
    response = client.post(members_url(prog), {"user": dung.pk, "user__q": "nguyen van dung", "role": Role.LECTURER})
    assert response.status_code == 302 and ProgrammeRole.objects.filter(user=dung, role=Role.LECTURER).exists()
    # the exact user name of an account outside the directory, without JavaScript too
    data = {"user__q": "tai-khoan-le", "_pick_user": "1", "role": Role.VIEWER}
    html = client.post(members_url(prog), data).content.decode()
    assert f'name="user" value="{people["loose"].pk}"' in html
