"""The definition rules: what a form may contain, and how answers are checked and stored."""

import copy
from datetime import date

import pytest
from django.core.exceptions import ValidationError

from ketnoi.surveys.definition import check_answers, check_definition
from ketnoi.surveys.ready_forms import READY_FORMS, ready_form

from .factories import GOOD_LECTURE


def _form(*questions, title="Thử"):
    return {"title": {"vi": title, "en": "Try"}, "questions": list(questions)}


def _q(name, type_="text", **extra):
    return {"name": name, "type": type_, "label": {"vi": f"Câu {name}", "en": name}, **extra}


@pytest.mark.parametrize("key", sorted(READY_FORMS))
def test_ready_forms_are_valid(key):
    assert check_definition(ready_form(key))


def test_ready_form_is_a_fresh_copy():
    form = ready_form("lecture")
    form["questions"].clear()
    assert READY_FORMS["lecture"]["questions"]


@pytest.mark.parametrize(
    "definition, fragment",
    [
        (_form(), "ít nhất một câu hỏi"),
        (_form(_q("a"), title=""), "tiêu đề"),
        (_form(_q("1bad")), "tên câu hỏi"),
        (_form(_q("a"), _q("a")), "bị trùng"),
        (_form(_q("a", "slider")), "không được hỗ trợ"),
        (_form(_q("a", label={"en": "only English"})), "tiếng Việt"),
        (_form(_q("a", relevant="${zz} = 1"), _q("b")), "không có trong biểu mẫu"),
        (_form(_q("a", constraint="foo(.)")), "không đọc được"),
        (_form(_q("a", "select_one", choices=[])), "lựa chọn"),
        (_form(_q("a", "select_one", choices=[{"name": "x", "label": "X"}, {"name": "x", "label": "Y"}])), "khác nhau"),
        (_form(_q("a", "rating", scale={"min": 1, "max": 4})), "thang điểm"),
        (_form(_q("m", "matrix", scale={"min": 1, "max": 5}, items=[])), "tiêu chí"),
        (_form(_q("m", "matrix", scale={"min": 1, "max": 5}, items=[{"name": "m", "label": "x"}])), "bị trùng"),
    ],
)
def test_bad_definitions_are_refused_naming_the_problem(definition, fragment):
    with pytest.raises(ValidationError) as error:
        check_definition(definition)
    assert any(fragment in message for message in error.value.messages), error.value.messages


def test_answers_are_normalised_and_irrelevant_ones_dropped():
    definition = ready_form("workshop")
    cleaned = check_answers(
        definition,
        {
            "participant_type": "other",
            "participant_type_other": "  Hội Nông dân ",
            "useful": "4",
            "met_new_partners": "no",
            "partners_count": 7,  # not shown when met_new_partners is "no": dropped
        },
    )
    assert cleaned == {
        "participant_type": "other",
        "participant_type_other": "Hội Nông dân",
        "useful": 4,
        "met_new_partners": "no",
    }


def test_multiple_choice_is_stored_in_choice_order_without_repeats():
    cleaned = check_answers(
        ready_form("lecture"), {**GOOD_LECTURE, "topics_useful": ["advocacy", "cso_role", "advocacy"]}
    )
    assert cleaned["topics_useful"] == "cso_role advocacy"


@pytest.mark.parametrize(
    "changes, key",
    [
        ({"overall": 6}, "overall"),
        ({"overall": "rất tốt"}, "overall"),
        ({"content_new": None}, "content_new"),
        ({"would_recommend": "maybe"}, "would_recommend"),
        ({"topics_useful": "advocacy other"}, "topics_useful_other"),
        ({"improve": "x" * 1001}, "improve"),
        ({"nonsense": 1}, "nonsense"),
    ],
)
def test_bad_answers_are_refused_naming_the_question(changes, key):
    answers = {**GOOD_LECTURE, **changes}
    with pytest.raises(ValidationError) as error:
        check_answers(ready_form("lecture"), answers)
    assert key in error.value.message_dict


def test_constraint_messages_come_from_the_form():
    with pytest.raises(ValidationError) as error:
        check_answers(
            ready_form("workshop"),
            {"participant_type": "cso", "useful": 3, "met_new_partners": "yes", "partners_count": 99},
        )
    assert "Từ 1 đến 50." in error.value.message_dict["partners_count"][0]


def test_types_are_checked():
    definition = _form(_q("n", "integer"), _q("d", "decimal"), _q("day", "date"))
    assert check_answers(definition, {"n": "12", "d": "2,5", "day": "2017-10-12"}) == {
        "n": 12,
        "d": 2.5,
        "day": "2017-10-12",
    }
    for bad in ({"n": "1.5"}, {"n": True}, {"d": "abc"}, {"d": "NaN"}, {"day": "12/10/2017"}):
        with pytest.raises(ValidationError):
            check_answers(definition, bad)


def test_a_group_hidden_by_relevance_hides_its_children():
    definition = _form(
        _q(
            "role",
            "select_one",
            required=True,
            choices=[{"name": "staff", "label": "x"}, {"name": "guest", "label": "y"}],
        ),
        {
            "name": "staff_block",
            "type": "group",
            "label": {"vi": "Cán bộ"},
            "relevant": "${role} = 'staff'",
            "children": [_q("unit", required=True)],
        },
    )
    assert check_answers(definition, {"role": "guest"}) == {"role": "guest"}
    with pytest.raises(ValidationError) as error:
        check_answers(definition, {"role": "staff"})
    assert "unit" in error.value.message_dict


def test_today_is_available_to_rules():
    definition = _form(_q("day", "date", constraint=". <= today()", constraint_message={"vi": "Không ở tương lai."}))
    today = date(2017, 10, 12)
    assert check_answers(definition, {"day": "2017-10-01"}, today=today)
    with pytest.raises(ValidationError):
        check_answers(definition, {"day": "2017-11-01"}, today=today)


def test_definition_is_not_changed_by_checking():
    definition = ready_form("lecture")
    before = copy.deepcopy(definition)
    check_answers(definition, GOOD_LECTURE)
    assert definition == before
