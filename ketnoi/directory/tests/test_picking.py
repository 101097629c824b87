"""The pickers of people and organisations (directory/picking.py): the folded search, by
organisation, e-mail and phone, prefix matches first; the search endpoint's permissions and its
constant query count; the field refusing an id outside its purpose and the search without
JavaScript (the "Tìm" button shows the form again with the matches and saves nothing)."""

import pytest
from django.urls import reverse
from django.utils import timezone

from ketnoi.directory.models import Organisation, Person
from ketnoi.directory.picking import people_choices, search

from .factories import make_organisation, make_person

PICK = reverse("directory:pick")


def names(rows):
    return [row.full_name for row in rows]


@pytest.fixture
def found(db):
    hanoi = make_organisation("Trung tâm Hỗ trợ Phát triển Cộng đồng", short_name="CDSC")
    return {
        "dung": make_person("Nguyễn Văn Dũng", organisation=hanoi),
        "dang": make_person("Đặng Thị Hoa", email="hoa.dang@vien.example.org"),
        "phone": make_person("Trần Minh Tuấn", phone="+84 912 345 678"),
        "first": make_person("Dũng Lê Văn"),
    }


def test_search_folds_diacritics_and_d(found):
    assert names(search(people_choices(), "person", "nguyen van dung")[0]) == ["Nguyễn Văn Dũng"]
    assert names(search(people_choices(), "person", "NGUYỄN  văn")[0]) == ["Nguyễn Văn Dũng"]
    assert names(search(people_choices(), "person", "dang")[0]) == ["Đặng Thị Hoa"]
    assert names(search(people_choices(), "person", "Đặng")[0]) == ["Đặng Thị Hoa"]


def test_search_by_organisation_email_and_phone(found):
    assert names(search(people_choices(), "person", "ho tro cong dong")[0]) == ["Nguyễn Văn Dũng"]
    assert names(search(people_choices(), "person", "cdsc")[0]) == ["Nguyễn Văn Dũng"]
    assert names(search(people_choices(), "person", "hoa.dang@vien")[0]) == ["Đặng Thị Hoa"]
    assert names(search(people_choices(), "person", "0912 345")[0]) == ["Trần Minh Tuấn"]
    assert names(search(people_choices(), "person", "912345678")[0]) == ["Trần Minh Tuấn"]
    assert search(people_choices(), "person", "   ") == ([], False)


def test_prefix_matches_first_bounded_and_erased_left_out(found):
    assert names(search(people_choices(), "person", "dung")[0]) == ["Dũng Lê Văn", "Nguyễn Văn Dũng"]
    found["first"].erased_at = timezone.now()
    found["first"].save()
    assert names(search(people_choices(), "person", "dung")[0]) == ["Nguyễn Văn Dũng"]
    for n in range(25):
        make_person(f"Nguyễn Thị An {n}")
    rows, more = search(people_choices(), "person", "nguyen", limit=20)
    assert len(rows) == 20 and more


def test_endpoint_answers_matches_as_inputs_named_as_the_field(client_for, coordinator, found):
    response = client_for(coordinator).get(
        PICK, {"purpose": "directory.people", "field": "co_teachers", "id": "id_co_teachers", "multiple": "1",
               "co_teachers__q": "nguyen van dung", "co_teachers": [str(found["first"].pk)]}
    )  # fmt: skip
    html = response.content.decode()
    assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"
    assert (
        f'type="checkbox" id="id_co_teachers_{found["dung"].pk}" name="co_teachers" value="{found["dung"].pk}"' in html
    )
    assert "Nguyễn Văn Dũng – Trung tâm Hỗ trợ Phát triển Cộng đồng (CDSC)" in html
    assert 'hx-swap-oob="innerHTML:#id_co_teachers_status">1 người khớp' in html
    # what is already chosen is not offered again
    html = client_for(coordinator).get(PICK, {"purpose": "directory.people", "q": "dung", "pick": found["dung"].pk})
    assert "Nguyễn Văn Dũng" not in html.content.decode() and "Dũng Lê Văn" in html.content.decode()


def test_endpoint_organisations_and_empty(client_for, viewer, found):
    client = client_for(viewer)
    html = client.get(PICK, {"purpose": "directory.organisations", "q": "ho tro"}).content.decode()
    assert 'type="radio"' in html and "Trung tâm Hỗ trợ Phát triển Cộng đồng" in html
    html = client.get(PICK, {"purpose": "directory.organisations", "q": "khong co dau"}).content.decode()
    assert "Không tìm thấy tổ chức nào" in html


def test_endpoint_refuses_outsiders_and_unknown_purposes(client, client_for, outsider, coordinator, found):
    assert client.get(PICK, {"purpose": "directory.people", "q": "dung"}).status_code == 302  # sign in first
    response = client_for(outsider).get(PICK, {"purpose": "directory.people", "q": "dung"})
    assert response.status_code == 403 and "Nguyễn Văn Dũng" not in response.content.decode()
    assert client_for(coordinator).get(PICK, {"purpose": "nothing", "q": "dung"}).status_code == 404
    assert client_for(coordinator).post(PICK, {"purpose": "directory.people"}).status_code == 405
    # hostile input: a long query, a bad field name, huge ids
    response = client_for(coordinator).get(
        PICK, {"purpose": "directory.people", "q": "d" * 5000, "field": "<x>", "pick": ["9" * 40, "x"]}
    )
    assert response.status_code == 200


@pytest.mark.parametrize("rows", [3, 30])
def test_endpoint_query_count_does_not_grow(client_for, coordinator, django_assert_max_num_queries, rows):
    organisation = make_organisation("Viện Nghiên cứu")
    for n in range(rows):
        make_person(f"Nguyễn Văn Bình {n}", organisation=organisation)
    client = client_for(coordinator)
    # session, user, roles (directory reader), the names starting with "nguyen" (enough of them
    # with 30 rows), the whole search (with 3)
    with django_assert_max_num_queries(4 if rows > 20 else 5):
        response = client.get(PICK, {"purpose": "directory.people", "q": "nguyen"})
    assert response.content.decode().count('type="radio"') == min(rows, 20)


def test_the_names_starting_with_the_search_come_first_when_there_are_many(client_for, coordinator):
    organisation = make_organisation("Nguyễn Trãi")  # its people match too, but after the names
    for n in range(25):
        make_person(f"Nguyễn Văn Bình {n:02d}")
        make_person(f"Trần Thị Hoa {n:02d}", organisation=organisation)
    content = client_for(coordinator).get(PICK, {"purpose": "directory.people", "q": "nguyen"}).content.decode()
    assert content.count('type="radio"') == 20
    assert "Trần Thị Hoa" not in content and "Nguyễn Văn Bình 00" in content and "Nguyễn Văn Bình 19" in content
    assert "Nguyễn Văn Bình 20" not in content and "gõ thêm để thu hẹp" in content


def test_organisation_form_refuses_an_id_outside_and_searches_without_javascript(client_for, coordinator, found):
    client = client_for(coordinator)
    create = reverse("directory:organisation_create")
    data = {"name": "Chi hội Phụ nữ", "type": "cso", "parent__q": "ho tro", "_pick_parent": "1"}
    response = client.post(create, data)
    html = response.content.decode()
    assert response.status_code == 200 and not Organisation.objects.filter(name="Chi hội Phụ nữ").exists()
    parent = Organisation.objects.get(short_name="CDSC")
    assert f'type="radio" id="id_parent_{parent.pk}" name="parent" value="{parent.pk}"' in html
    assert 'class="errorlist"' not in html  # shown again to choose, not refused
    response = client.post(create, {"name": "Chi hội Phụ nữ", "type": "cso", "parent": "987654"})
    assert "không có trong danh sách được phép" in response.content.decode()
    assert not Organisation.objects.filter(name="Chi hội Phụ nữ").exists()
    response = client.post(create, {"name": "Chi hội Phụ nữ", "type": "cso", "parent": str(parent.pk)})
    assert response.status_code == 302 and Organisation.objects.get(name="Chi hội Phụ nữ").parent == parent


def test_add_a_new_person_from_the_picker(client_for, coordinator, viewer, found):
    new = reverse("directory:pick_new") + "?purpose=directory.people&field=lead&id=id_lead"
    data = {"lead__new_name": "Lò Văn Páo", "lead__new_email": "pao@example.org", "lead__new_phone": ""}
    response = client_for(viewer).post(new, data)
    assert response.status_code == 403 and not Person.objects.filter(full_name="Lò Văn Páo").exists()
    response = client_for(coordinator).post(new, data)
    person = Person.objects.get(full_name="Lò Văn Páo")
    html = response.content.decode()
    assert f'type="radio" id="id_lead_{person.pk}" name="lead" value="{person.pk}" checked> Lò Văn Páo' in html
    response = client_for(coordinator).post(new, data)  # the same again: a likely duplicate
    assert (
        response["HX-Retarget"] == "#id_lead_create_problem" and "Có thể người này đã có" in response.content.decode()
    )
    response = client_for(coordinator).post(new, {"lead__new_name": ""})
    assert response["HX-Retarget"] == "#id_lead_create_problem"
    assert Person.objects.filter(full_name="Lò Văn Páo").count() == 1
    assert client_for(coordinator).get(new).status_code == 405


def test_add_a_new_organisation_from_the_picker(client_for, coordinator):
    new = reverse("directory:pick_new") + "?purpose=directory.organisations&field=parent&id=id_parent"
    response = client_for(coordinator).post(new, {"parent__new_name": "Hội Nông dân xã", "parent__new_type": "cso"})
    organisation = Organisation.objects.get(name="Hội Nông dân xã")
    assert f'value="{organisation.pk}" checked> Hội Nông dân xã' in response.content.decode()
    response = client_for(coordinator).post(new, {"parent__new_name": "X", "parent__new_type": "nothing"})
    assert response["HX-Retarget"] == "#id_parent_create_problem" and not Organisation.objects.filter(name="X").exists()
