"""Every survey design page tried by every kind of visitor: anonymous (login), no role — a
learner, an outsider, another programme's coordinator — (404), viewer (reads; 403 on any
change), lecturer (reads and opens collections; 403 on design), coordinator (everything)."""

import pytest
from django.urls import reverse

from ketnoi.surveys.models import Collection, Form

from .factories import lecture_form, open_collection

pytestmark = pytest.mark.django_db


@pytest.fixture
def objects(coordinator, prog):
    form = lecture_form(coordinator, prog)
    return {"form": form, "collection": open_collection(coordinator, form), "overall": "overall", "improve": "improve"}


# (method, url name, args after the code, status for: viewer, lecturer, coordinator)
PAGES = [
    ("get", "form_list", [], 200, 200, 200),
    ("get", "form_create", [], 403, 403, 200),
    ("post", "form_create", [], 403, 403, 200),
    ("get", "form_detail", ["form"], 200, 200, 200),
    ("get", "form_edit", ["form"], 403, 403, 200),
    ("post", "form_edit", ["form"], 403, 403, 200),
    ("get", "question_list", ["form"], 200, 200, 200),
    ("get", "question_create", ["form"], 403, 403, 200),
    ("get", "question_edit", ["form", "overall"], 403, 403, 200),
    ("post", "question_edit", ["form", "overall"], 403, 403, 200),
    ("post", "question_delete", ["form", "improve"], 403, 403, 302),
    ("post", "question_move", ["form", "overall"], 403, 403, 302),
    ("get", "collection_open", ["form"], 403, 200, 200),
    ("post", "collection_open", ["form"], 403, 200, 200),
    ("get", "collection_detail", ["form", "collection"], 200, 200, 200),
    ("get", "collection_edit", ["form", "collection"], 403, 200, 200),
    ("post", "collection_close", ["form", "collection"], 403, 302, 302),
    ("get", "collection_project", ["form", "collection"], 200, 200, 200),
]


def _url(name, args, objects, prog):
    values = [getattr(objects[a], "pk", objects[a]) for a in args]
    return reverse(f"surveys:{name}", args=[prog.code, *values])


@pytest.mark.parametrize(("method", "name", "args", "viewer_status", "lecturer_status", "coordinator_status"), PAGES)
def test_each_role_gets_what_it_may(
    client_for,
    objects,
    prog,
    viewer,
    lecturer,
    coordinator,
    method,
    name,
    args,
    viewer_status,
    lecturer_status,
    coordinator_status,
):
    url = _url(name, args, objects, prog)
    for user, expected in ((viewer, viewer_status), (lecturer, lecturer_status), (coordinator, coordinator_status)):
        response = getattr(client_for(user), method)(url)
        assert response.status_code == expected, (user.username, method, name, response.status_code)
        if expected == 403:
            assert "Không có quyền truy cập" in response.content.decode()


@pytest.mark.parametrize(("method", "name", "args"), [p[:3] for p in PAGES])
def test_no_role_is_a_404_and_changes_nothing(
    client_for, objects, prog, learner, outsider, other_coordinator, method, name, args
):
    url = _url(name, args, objects, prog)
    version = objects["form"].current_version.definition
    for user in (learner, outsider, other_coordinator):
        response = getattr(client_for(user), method)(url, {"title": "X", "start": "blank", "name": "x"})
        assert response.status_code == 404, (user.username, name)
    assert Form.objects.get().current_version.definition == version
    assert Collection.objects.count() == 1


@pytest.mark.parametrize(("method", "name", "args"), [p[:3] for p in PAGES])
def test_anonymous_goes_to_the_login_page(client, objects, prog, method, name, args):
    response = getattr(client, method)(_url(name, args, objects, prog))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_a_programme_that_does_not_exist_is_a_404(client_for, coordinator):
    assert client_for(coordinator).get("/programmes/khong-co/surveys/").status_code == 404


def test_a_form_of_another_programme_is_a_404_through_this_one(client_for, coordinator, other_prog, staff_admin, prog):
    other = lecture_form(staff_admin, other_prog)
    client = client_for(coordinator)
    assert client.get(reverse("surveys:form_detail", args=[prog.code, other.pk])).status_code == 404
    assert client.get(reverse("surveys:question_list", args=[prog.code, other.pk])).status_code == 404


def test_viewer_sees_no_design_buttons(client_for, objects, prog, viewer):
    client = client_for(viewer)
    page = client.get(reverse("surveys:form_detail", args=[prog.code, objects["form"].pk])).content.decode()
    assert "Mở đợt khảo sát" not in page
    assert "Sửa tiêu đề" not in page
    assert "Nhật ký thay đổi" not in page
    listing = client.get(reverse("surveys:form_list", args=[prog.code])).content.decode()
    assert "Biểu mẫu trống" not in listing
    questions = client.get(reverse("surveys:question_list", args=[prog.code, objects["form"].pk])).content.decode()
    assert "Thêm câu hỏi" not in questions
    assert "/delete/" not in questions
