"""The question editor on a form imported from KoboToolbox: repeats, calculations, locations and
photos are listed with their settings (a repeat's questions under it), are not editable here
(the page says to change the XLSForm), and a question inside a repeat is edited in place;
renaming a question renames it in every rule and label that shows it."""

import copy

import pytest
from django.urls import reverse

from ketnoi.surveys import services
from ketnoi.surveys.views_questions import locate, rename_references

pytestmark = pytest.mark.django_db

HOUSEHOLD = {
    "title": {"vi": "Khảo sát hộ gia đình"},
    "questions": [
        {"name": "head", "type": "text", "label": {"vi": "Tên chủ hộ"}, "required": True},
        {"name": "n_members", "type": "integer", "label": {"vi": "Số thành viên"}},
        {
            "name": "member",
            "type": "repeat",
            "label": {"vi": "Thành viên"},
            "repeat_count": "${n_members}",
            "children": [
                {"name": "m_name", "type": "text", "label": {"vi": "Tên thành viên"}},
                {"name": "m_age", "type": "integer", "label": {"vi": "Tuổi của ${m_name}"}},
            ],
        },
        {"name": "ages", "type": "calculate", "calculation": "sum(${m_age})"},
        {"name": "total_note", "type": "note", "label": {"vi": "Tổng số tuổi: ${ages}"}},
        {"name": "place", "type": "geopoint", "label": {"vi": "Vị trí nhà"}},
        {"name": "photo", "type": "image", "label": {"vi": "Ảnh ngôi nhà"}, "appearance": "annotate"},
    ],
}


@pytest.fixture
def household(coordinator, prog):
    return services.form_create(actor=coordinator, programme=prog, definition=copy.deepcopy(HOUSEHOLD))


def url(name, prog, *args):
    return reverse(f"surveys:{name}", args=[prog.code, *args])


def test_the_list_shows_every_imported_question_with_its_settings(client_for, coordinator, prog, household):
    page = client_for(coordinator).get(url("question_list", prog, household.pk))
    assert page.status_code == 200
    html = page.content.decode()
    for name in ("member", "m_name", "m_age", "ages", "place", "photo"):
        assert f'id="q-{name}"' in html
    assert "Nhóm lặp lại" in html and "Giá trị tính toán" in html and "Vị trí" in html
    assert "sum(${m_age})" in html and "${n_members}" in html  # the calculation and the repeat count
    assert "Sửa trong tệp XLSForm rồi nhập lại" in html
    assert url("question_edit", prog, household.pk, "ages") not in html
    assert url("question_edit", prog, household.pk, "m_name") in html  # a text inside the repeat is editable


def test_editing_an_imported_type_says_where_to_change_it(client_for, coordinator, prog, household):
    client = client_for(coordinator)
    response = client.get(url("question_edit", prog, household.pk, "place"))
    assert response.status_code == 302
    assert response["Location"].endswith("#q-place")
    page = client.get(response["Location"])
    assert "đến từ tệp XLSForm" in page.content.decode()


def test_a_question_inside_a_repeat_is_edited_in_place(client_for, coordinator, prog, household):
    response = client_for(coordinator).post(
        url("question_edit", prog, household.pk, "m_name"),
        {"name": "m_name", "label_vi": "Họ và tên", "parent": "member"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    household.refresh_from_db()
    questions = household.current_version.definition["questions"]
    siblings, index, parent = locate(questions, "m_name")
    assert parent == "member" and siblings[index]["label"] == {"vi": "Họ và tên"}


def test_no_access_and_another_coordinator_see_nothing(client_for, outsider, other_coordinator, prog, household):
    for user in (outsider, other_coordinator):
        assert client_for(user).get(url("question_list", prog, household.pk)).status_code in (403, 404)
        assert client_for(user).get(url("question_edit", prog, household.pk, "place")).status_code in (403, 404)


def test_renaming_reaches_calculations_filters_counts_and_labels():
    questions = copy.deepcopy(HOUSEHOLD["questions"])
    questions.append(
        {
            "name": "district",
            "type": "select_one",
            "choice_filter": "province = ${n_members}",
            "choices": [{"name": "a", "label": {"vi": "Nhà ${n_members}"}}],
        }
    )
    rename_references(questions, "n_members", "size")
    rename_references(questions, "m_age", "age")
    by_name = {q["name"]: q for q in questions}
    assert by_name["member"]["repeat_count"] == "${size}"
    assert by_name["district"]["choice_filter"] == "province = ${size}"
    assert by_name["district"]["choices"][0]["label"] == {"vi": "Nhà ${size}"}
    assert by_name["ages"]["calculation"] == "sum(${age})"
