"""The definition's side of the expression language: what a question's rules see where it sits —
its own repeat row first, then the rows around it, the whole repeat from outside as a nodeset,
its position, a choice's columns in a filter, and the choices' labels for jr:choice-name."""

from datetime import date

from django.utils import translation

from ketnoi.surveys import definition_expr
from ketnoi.surveys.definition import check_answers

TODAY = date(2024, 6, 15)

FORM = {
    "title": {"vi": "Hộ gia đình"},
    "questions": [
        {
            "name": "fruit",
            "type": "select_one",
            "label": {"vi": "Quả", "en": "Fruit"},
            "choices": [{"name": "mango", "label": {"vi": "Xoài", "en": "Mango"}}, {"name": "lime", "label": "Chanh"}],
        },
        {"name": "fruit_label", "type": "calculate", "calculation": "jr:choice-name(${fruit}, '${fruit}')"},
        {
            "name": "member",
            "type": "repeat",
            "label": {"vi": "Thành viên"},
            "children": [
                {"name": "age", "type": "integer", "label": {"vi": "Tuổi"}},
                {"name": "row_no", "type": "calculate", "calculation": "position(..)"},
                {"name": "adult", "type": "text", "label": {"vi": "Nghề"}, "relevant": "${age} >= 18"},
            ],
        },
        {"name": "ages", "type": "calculate", "calculation": "sum(${age})"},
        {"name": "first_age", "type": "calculate", "calculation": "${age}"},
    ],
}


def test_rows_see_their_own_values_their_position_and_outside_sees_the_nodeset():
    answers = {"member": [{"age": 40, "adult": "nông dân"}, {"age": 9, "adult": "ignored: not shown"}]}
    cleaned = check_answers(FORM, answers, today=TODAY)
    assert cleaned["member"] == [{"age": 40, "row_no": 1, "adult": "nông dân"}, {"age": 9, "row_no": 2}]
    assert cleaned["ages"] == 49
    assert cleaned["first_age"] == 40  # a nodeset read as one value is its first item


def test_choice_name_gives_the_label_in_the_language_of_the_request():
    with translation.override("vi"):
        assert check_answers(FORM, {"fruit": "mango"}, today=TODAY)["fruit_label"] == "Xoài"
    with translation.override("en"):
        assert check_answers(FORM, {"fruit": "mango"}, today=TODAY)["fruit_label"] == "Mango"
        assert check_answers(FORM, {"fruit": "lime"}, today=TODAY)["fruit_label"] == "Chanh"


def test_choice_columns_are_read_only_in_a_filter_and_unreadable_rules_do_not_raise():
    kwargs = {"resolve": lambda name: "hn", "today": TODAY}
    assert definition_expr.holds("province = ${city}", **kwargs, choice={"province": "hn"})
    assert not definition_expr.holds("province = ${city}", **kwargs, choice={"province": "hcm"})
    assert definition_expr.evaluate("${a}", resolve=lambda name: [4, 5], today=TODAY) == 4
    assert definition_expr.holds("", **kwargs)
    assert definition_expr.evaluate("nonsense(", **kwargs) == ""
    assert definition_expr.choice_columns("province = ${province} and name != 'x'") == {"province", "name"}
    assert definition_expr.references("province = ${province}") == {"province"}
    assert definition_expr.uses_nondeterministic("concat(uuid(), 'x')")
    assert not definition_expr.uses_nondeterministic("${uuid_value} + 1")
