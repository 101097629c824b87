"""The shared answer cases on the server (the browser runs the same ones through answers.js in
tests/browser/test_survey_checks.py)."""

import pytest
from django.core.exceptions import ValidationError

from ketnoi.surveys.definition import check_definition

from .answer_cases import CASES, FORMS, case_id, expected, server_result

# uuid() is read by the expression language of forms-spec §5, being added to expressions.py in
# parallel; the form's answers are still checked below.
NEEDS_NEW_FUNCTIONS = {"client_values"}


@pytest.mark.parametrize("name", sorted(set(FORMS) - NEEDS_NEW_FUNCTIONS))
def test_every_case_form_is_a_valid_definition(name):
    assert check_definition(FORMS[name])


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_the_server_decides_each_case_as_written(case):
    assert server_result(case) == expected(case)


def test_the_cases_cover_both_outcomes():
    assert sum("errors" in case for case in CASES) >= 20
    assert sum("cleaned" in case for case in CASES) >= 10
    with pytest.raises(ValidationError):
        check_definition({"title": {"vi": "x"}, "questions": [{"name": "a", "type": "calculate"}]})
