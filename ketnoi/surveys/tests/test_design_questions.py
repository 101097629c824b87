"""The question editor: each type built from its form, rules and names checked next to the
field (nothing written on bad input), moves and deletions, and versions: editing a form that
has responses makes version 2 while the old responses keep version 1."""

import uuid

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ketnoi.surveys import services
from ketnoi.surveys.forms import blank_definition
from ketnoi.surveys.models import FormVersion, Response

from .factories import GOOD_LECTURE, lecture_form, open_collection

pytestmark = pytest.mark.django_db


def url(name, prog, *args):
    return reverse(f"surveys:{name}", args=[prog.code, *args])


@pytest.fixture
def form(coordinator, prog):
    return lecture_form(coordinator, prog)


@pytest.fixture
def client(client_for, coordinator):
    return client_for(coordinator)


def questions_of(form):
    form.refresh_from_db()
    return form.current_version.definition["questions"]


def names_of(form):
    return [q["name"] for q in questions_of(form)]


def add(client, prog, form, kind, **data):
    return client.post(url("question_create", prog, form.pk) + f"?type={kind}", data)


# Building each type ---------------------------------------------------------------------------


def test_add_short_text_with_hint_and_constraint(client, prog, form):
    response = add(
        client,
        prog,
        form,
        "text",
        name="unit",
        label_vi="Đơn vị công tác",
        label_en="Your organisation",
        hint_vi="Ghi tên đầy đủ",
        required="on",
        constraint="string-length(.) <= 200",
        constraint_message_vi="Tối đa 200 ký tự.",
        constraint_message_en="At most 200 characters.",
    )
    assert response.status_code == 302
    assert response["Location"] == url("question_list", prog, form.pk) + "#q-unit"
    assert questions_of(form)[-1] == {
        "name": "unit",
        "type": "text",
        "label": {"vi": "Đơn vị công tác", "en": "Your organisation"},
        "hint": {"vi": "Ghi tên đầy đủ"},
        "required": True,
        "constraint": "string-length(.) <= 200",
        "constraint_message": {"vi": "Tối đa 200 ký tự.", "en": "At most 200 characters."},
    }


def test_add_single_choice_from_lines(client, prog, form):
    response = add(
        client,
        prog,
        form,
        "select_one",
        name="province",
        label_vi="Anh/chị công tác ở đâu?",
        choices="hn | Hà Nội | Hanoi\nhcm | TP Hồ Chí Minh\n\nĐà Nẵng",
        or_other="on",
    )
    assert response.status_code == 302
    question = questions_of(form)[-1]
    assert question["choices"] == [
        {"name": "hn", "label": {"vi": "Hà Nội", "en": "Hanoi"}},
        {"name": "hcm", "label": {"vi": "TP Hồ Chí Minh"}},
        {"name": "da_nang", "label": {"vi": "Đà Nẵng"}},
    ]
    assert question["or_other"] is True


def test_choice_lines_with_a_bad_code_name_the_line(client, prog, form):
    before = questions_of(form)
    response = add(client, prog, form, "select_multiple", name="x", label_vi="X", choices="a | A\nb c | B\na | Lại A")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Dòng 2: mã “b c” không hợp lệ" in page
    assert "Dòng 3: mã “a” bị trùng" in page
    assert questions_of(form) == before


def test_add_rating_with_end_labels(client, prog, form):
    add(
        client,
        prog,
        form,
        "rating",
        name="pace",
        label_vi="Tốc độ giảng",
        scale="1-10",
        min_label_vi="Quá chậm",
        min_label_en="Too slow",
        max_label_vi="Quá nhanh",
        required="on",
    )
    assert questions_of(form)[-1]["scale"] == {
        "min": 1,
        "max": 10,
        "min_label": {"vi": "Quá chậm", "en": "Too slow"},
        "max_label": {"vi": "Quá nhanh"},
    }


def test_add_matrix_with_items(client, prog, form):
    response = add(
        client,
        prog,
        form,
        "matrix",
        name="venue",
        label_vi="Về địa điểm",
        scale="1-5",
        items="room_ok | Phòng học phù hợp | The room was fine\nÂm thanh rõ",
    )
    assert response.status_code == 302
    question = questions_of(form)[-1]
    assert question["items"] == [
        {"name": "room_ok", "label": {"vi": "Phòng học phù hợp", "en": "The room was fine"}},
        {"name": "am_thanh_ro", "label": {"vi": "Âm thanh rõ"}},
    ]


def test_matrix_item_that_clashes_with_a_question_name(client, prog, form):
    before = questions_of(form)
    response = add(
        client, prog, form, "matrix", name="venue", label_vi="Về địa điểm", scale="1-5", items="overall | Chung"
    )
    assert response.status_code == 200
    assert "Mã overall trùng với tên một câu hỏi khác" in response.content.decode()
    assert questions_of(form) == before


@pytest.mark.parametrize("kind", ["long_text", "integer", "decimal", "date", "note"])
def test_add_the_simple_types(client, prog, form, kind):
    response = add(client, prog, form, kind, name=f"q_{kind}", label_vi=f"Câu {kind}")
    assert response.status_code == 302
    assert questions_of(form)[-1] == {"name": f"q_{kind}", "type": kind, "label": {"vi": f"Câu {kind}"}}


def test_a_group_and_a_question_inside_it(client, prog, form):
    add(client, prog, form, "group", name="about_you", label_vi="Về anh/chị", relevant="${would_recommend} = 'yes'")
    page = client.get(url("question_create", prog, form.pk) + "?type=integer&group=about_you").content.decode()
    assert '<option value="about_you" selected>' in page
    response = add(client, prog, form, "integer", name="age", label_vi="Tuổi", parent="about_you")
    assert response.status_code == 302
    group = questions_of(form)[-1]
    assert group["type"] == "group"
    assert group["relevant"] == "${would_recommend} = 'yes'"
    assert [c["name"] for c in group["children"]] == ["age"]
    # Out of the group again, to the end of the form.
    client.post(url("question_edit", prog, form.pk, "age"), {"name": "age", "label_vi": "Tuổi", "parent": ""})
    assert names_of(form)[-2:] == ["about_you", "age"]
    assert questions_of(form)[-2]["children"] == []


def test_a_name_is_made_from_the_text_when_left_blank(client, prog, form):
    add(client, prog, form, "text", name="", label_vi="Đề xuất của anh/chị")
    add(client, prog, form, "text", name="", label_vi="Đề xuất của anh/chị")
    assert names_of(form)[-2:] == ["de_xuat_cua_anh_chi", "de_xuat_cua_anh_chi_2"]


def test_type_chooser_when_no_type_is_given(client, prog, form):
    page = client.get(url("question_create", prog, form.pk)).content.decode()
    assert "Chọn loại câu hỏi." in page
    assert "?type=matrix" in page and "?type=group" in page


def test_the_edit_form_fits_the_type(client, prog, form):
    matrix = client.get(url("question_edit", prog, form.pk, "quality")).content.decode()
    assert 'name="items"' in matrix and 'name="scale"' in matrix and 'name="choices"' not in matrix
    assert "content_relevant | Nội dung phù hợp với công việc của tôi | The content fits my work" in matrix
    text = client.get(url("question_edit", prog, form.pk, "improve")).content.decode()
    assert 'name="items"' not in text and 'name="choices"' not in text and 'name="constraint"' in text


def test_unknown_question_is_a_404(client, prog, form):
    assert client.get(url("question_edit", prog, form.pk, "nope")).status_code == 404
    assert client.post(url("question_delete", prog, form.pk, "nope")).status_code == 404
    assert client.post(url("question_move", prog, form.pk, "nope"), {"direction": "up"}).status_code == 404


# Bad input: a message next to the field, nothing written ---------------------------------------


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"name": "overall"}, "name", "Tên “overall” đã có trong biểu mẫu"),
        ({"name": "1abc"}, "name", "Tên chỉ gồm chữ không dấu"),
        ({"relevant": "lookup(${overall})"}, "relevant", "unknown function"),
        ({"relevant": "${overall} >= "}, "relevant", "Không đọc được biểu thức"),
        ({"relevant": "${later_one} = 'yes'"}, "relevant", "Biểu mẫu không có câu hỏi later_one"),
        ({"constraint": ". > ${self_ref}"}, "constraint", "không có câu hỏi self_ref"),
        ({"label_vi": ""}, "label_vi", "errorlist"),
    ],
)
def test_bad_input_is_shown_and_nothing_is_written(client, prog, form, data, field, message):
    before = questions_of(form)
    response = add(client, prog, form, "text", **{"name": "new_one", "label_vi": "Câu mới", **data})
    page = response.content.decode()
    assert response.status_code == 200
    assert message in page
    assert f'id="id_{field}_error"' in page, page[page.find("errorlist") - 300 : page.find("errorlist") + 300]
    assert questions_of(form) == before
    assert FormVersion.objects.count() == 1


def test_a_rule_on_a_later_question_is_refused(client, prog, form):
    """quality (the first question) may not depend on overall, which comes after it."""
    before = questions_of(form)
    response = client.post(
        url("question_edit", prog, form.pk, "improve"),
        {"name": "improve", "label_vi": "Cải thiện", "relevant": "${improve} != ''"},
    )
    assert "đứng sau (hoặc là chính câu này)" in response.content.decode()
    edit = client.get(url("question_edit", prog, form.pk, "quality")).content.decode()
    assert "quality" in edit
    response = client.post(
        url("question_edit", prog, form.pk, "quality"),
        {
            "name": "quality",
            "label_vi": "Mức độ đồng ý",
            "scale": "1-5",
            "items": "content_relevant | Nội dung phù hợp",
            "relevant": "${overall} >= 3",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Quy tắc chỉ được nhắc tới câu hỏi đứng trước câu này; overall đứng sau" in page
    assert questions_of(form) == before


def test_renaming_a_question_renames_the_rules_that_use_it(client, prog, coordinator, form):
    definition = form.current_version.definition
    definition["questions"][-1]["relevant"] = "${would_recommend} = 'yes' and ${ overall } >= 3"
    services.form_update(actor=coordinator, form=form, definition=definition)
    response = client.post(
        url("question_edit", prog, form.pk, "would_recommend"),
        {"name": "learn_more", "label_vi": "Học thêm?", "choices": "yes | Có\nno | Không", "required": "on"},
    )
    assert response.status_code == 302
    assert questions_of(form)[-1]["relevant"] == "${learn_more} = 'yes' and ${ overall } >= 3"
    assert "learn_more" in names_of(form)


def test_an_edit_keeps_what_the_form_does_not_show(client, prog, coordinator, form):
    definition = form.current_version.definition
    definition["questions"][-1]["appearance"] = "multiline"
    services.form_update(actor=coordinator, form=form, definition=definition)
    client.post(url("question_edit", prog, form.pk, "improve"), {"name": "improve", "label_vi": "Góp ý"})
    assert questions_of(form)[-1]["appearance"] == "multiline"
    assert questions_of(form)[-1]["label"] == {"vi": "Góp ý"}


# Moving and deleting --------------------------------------------------------------------------


def test_move_up_and_down(client, prog, form):
    assert names_of(form)[:3] == ["quality", "overall", "topics_useful"]
    response = client.post(url("question_move", prog, form.pk, "overall"), {"direction": "up"})
    assert response["Location"].endswith("#q-overall")
    assert names_of(form)[:3] == ["overall", "quality", "topics_useful"]
    client.post(url("question_move", prog, form.pk, "overall"), {"direction": "down"})
    client.post(url("question_move", prog, form.pk, "overall"), {"direction": "down"})
    assert names_of(form)[:3] == ["quality", "topics_useful", "overall"]
    client.post(url("question_move", prog, form.pk, "quality"), {"direction": "up"})  # already first
    assert names_of(form)[0] == "quality"


def test_a_move_that_puts_a_rule_before_its_question_is_allowed(client, prog, coordinator, form):
    # XLSForm lets a rule use a later question (the definition check no longer refuses it).
    definition = form.current_version.definition
    definition["questions"][-1]["relevant"] = "${would_recommend} = 'yes'"
    services.form_update(actor=coordinator, form=form, definition=definition)
    response = client.post(url("question_move", prog, form.pk, "improve"), {"direction": "up"}, follow=True)
    assert "Không chuyển được “improve”" not in response.content.decode()
    assert names_of(form)[-2:] == ["improve", "would_recommend"]


def test_delete(client, prog, form):
    response = client.post(url("question_delete", prog, form.pk, "topics_useful"))
    assert response.status_code == 302
    assert "topics_useful" not in names_of(form)


def test_delete_of_a_question_a_rule_uses_is_refused(client, prog, coordinator, form):
    definition = form.current_version.definition
    definition["questions"][-1]["relevant"] = "${would_recommend} = 'yes'"
    services.form_update(actor=coordinator, form=form, definition=definition)
    response = client.post(url("question_delete", prog, form.pk, "would_recommend"), follow=True)
    assert "Chưa xoá được “would_recommend”" in response.content.decode()
    assert "would_recommend" in names_of(form)


def test_deleting_a_group_keeps_its_questions(client, prog, coordinator, form):
    definition = form.current_version.definition
    inner = definition["questions"].pop()
    definition["questions"].append({"name": "end", "type": "group", "label": {"vi": "Cuối"}, "children": [inner]})
    services.form_update(actor=coordinator, form=form, definition=definition)
    client.post(url("question_delete", prog, form.pk, "end"))
    assert names_of(form)[-1] == "improve"


def test_the_last_question_cannot_be_deleted(client, prog, coordinator):
    form = services.form_create(actor=coordinator, programme=prog, definition=blank_definition("Trống"))
    response = client.post(url("question_delete", prog, form.pk, "q1"), follow=True)
    assert "Biểu mẫu cần ít nhất một câu hỏi." in response.content.decode()
    assert names_of(form) == ["q1"]


# Versions ------------------------------------------------------------------------------------


def test_editing_an_answered_form_makes_version_2_and_old_responses_keep_version_1(client, prog, coordinator, form):
    collection = open_collection(coordinator, form)
    old, _ = services.response_submit(collection=collection, uuid=uuid.uuid4(), answers=GOOD_LECTURE)
    page = client.get(url("question_list", prog, form.pk)).content.decode()
    assert "Phiên bản 1 đã có phiếu trả lời" in page

    response = add(client, prog, form, "text", name="unit", label_vi="Đơn vị công tác")
    follow = client.get(response["Location"]).content.decode()
    assert "được lưu thành phiên bản 2" in follow
    form.refresh_from_db()
    assert form.current_version.number == 2
    assert "unit" in names_of(form)
    old.refresh_from_db()
    assert old.version.number == 1
    assert "unit" not in [q["name"] for q in old.version.definition["questions"]]

    # Version 2 has no responses yet: the next edit changes it in place.
    add(client, prog, form, "text", name="unit2", label_vi="Phòng ban")
    form.refresh_from_db()
    assert form.current_version.number == 2
    assert FormVersion.objects.filter(form=form).count() == 2
    new, _ = services.response_submit(
        collection=collection, uuid=uuid.uuid4(), answers={**GOOD_LECTURE, "unit": "Sở Nội vụ"}
    )
    assert new.version.number == 2
    assert Response.objects.filter(version__number=1).count() == 1


def test_saving_an_unchanged_question_makes_no_version(client, prog, coordinator, form):
    collection = open_collection(coordinator, form)
    services.response_submit(collection=collection, uuid=uuid.uuid4(), answers=GOOD_LECTURE)
    edit = client.get(url("question_edit", prog, form.pk, "improve"))
    initial = edit.context["form"].initial
    data = {k: v for k, v in initial.items() if v not in (False, None, "")}
    response = client.post(url("question_edit", prog, form.pk, "improve"), data)
    assert response.status_code == 302
    assert FormVersion.objects.filter(form=form).count() == 1


# Query counts --------------------------------------------------------------------------------


def _grow(coordinator, form, n):
    definition = form.current_version.definition
    for i in range(n):
        definition["questions"].append(
            {"name": f"extra_{len(definition['questions'])}_{i}", "type": "text", "label": {"vi": f"Câu {i}"}}
        )
    services.form_update(actor=coordinator, form=form, definition=definition)
    form.refresh_from_db()


def test_question_list_queries_do_not_grow_with_the_questions(client, prog, coordinator, form):
    _grow(coordinator, form, 5)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url("question_list", prog, form.pk)).status_code == 200
    _grow(coordinator, form, 10)
    with CaptureQueriesContext(connection) as many:
        page = client.get(url("question_list", prog, form.pk)).content.decode()
    assert page.count('class="question ') == 5 + 15
    assert len(many) == len(few)


@pytest.mark.parametrize("persona", ["outsider", "other_coordinator"])
def test_no_role_on_the_programme_is_404_and_changes_nothing(request, prog, form, persona):
    before = form.current_version.definition
    client = Client()  # this module's `client` is the coordinator's
    client.force_login(request.getfixturevalue(persona))
    assert client.get(url("question_list", prog, form.pk)).status_code == 404
    assert client.get(url("question_edit", prog, form.pk, "overall")).status_code == 404
    assert client.post(url("question_delete", prog, form.pk, "improve")).status_code == 404
    assert client.post(url("question_move", prog, form.pk, "overall"), {"direction": "up"}).status_code == 404
    form.refresh_from_db()
    assert form.current_version.definition == before and FormVersion.objects.filter(form=form).count() == 1
