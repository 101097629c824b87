"""Random JSON, shaped like a definition or like answers but wrong anywhere: check_definition and
check_answers either accept it or raise a ValidationError, never another exception (a crafted
request must get a clear 400, never a 500)."""

import math

from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ketnoi.surveys.definition import TYPES, check_answers, check_definition

from .answer_cases import FORMS

KEYS = [
    "name",
    "type",
    "label",
    "hint",
    "required",
    "relevant",
    "constraint",
    "constraint_message",
    "required_message",
    "read_only",
    "default",
    "calculation",
    "appearance",
    "media",
    "choices",
    "choice_filter",
    "or_other",
    "parameters",
    "scale",
    "items",
    "children",
    "repeat_count",
    "data",
    "start",
    "end",
    "step",
    "min",
    "max",
    "vi",
    "image",
]
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([*TYPES, "a", "b", "r", "${a}", "${a} + 1", ". > 1", "province = ${a}", "x y", "OK", "1"]),
    st.text(max_size=20),
)
JSON = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.sampled_from(KEYS), inner, max_size=6),
    max_leaves=40,
)
QUESTION = st.fixed_dictionaries(
    {"name": st.sampled_from(["a", "b", "r", "c"]), "type": st.sampled_from(TYPES)},
    optional=dict.fromkeys(KEYS[2:24], JSON),
)
DEFINITION = st.fixed_dictionaries(
    {"title": st.one_of(JSON, st.just({"vi": "Thử"})), "questions": st.lists(QUESTION | JSON, max_size=5)},
    optional={"languages": JSON, "settings": JSON, "attachments": JSON},
)
ANSWER_KEYS = sorted({"a", "b", "head", "n", "member", "m_name", "m_age", "visit", "v_date", "t", "r", "rk", "gp"})
ANSWERS = st.dictionaries(
    st.sampled_from(ANSWER_KEYS),
    st.recursive(
        SCALARS, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(ANSWER_KEYS), inner)
    ),
)


def _accepts_or_refuses(check, *args) -> None:
    try:
        check(*args)
    except ValidationError as error:
        assert all(isinstance(m, str) and m for m in error.messages)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(definition=DEFINITION, answers=ANSWERS)
def test_random_definitions_and_answers_never_raise_anything_else(definition, answers):
    try:
        check_definition(definition)
    except ValidationError as error:
        assert all(isinstance(m, str) and m for m in error.messages)
        return
    _accepts_or_refuses(check_answers, definition, answers)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(form=st.sampled_from(sorted(FORMS)), answers=ANSWERS)
def test_random_answers_to_real_forms_never_raise_anything_else(form, answers):
    _accepts_or_refuses(check_answers, FORMS[form], answers)


def test_floats_that_are_not_numbers_are_handled():
    assert math.isnan(float("nan"))  # the strategies above include NaN and infinities
    _accepts_or_refuses(check_answers, FORMS["types"], {"r": float("nan"), "gp": float("inf"), "ack": "OK"})
