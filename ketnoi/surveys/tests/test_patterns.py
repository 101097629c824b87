"""regex() in form rules: matched by RE2 (a catastrophic pattern cannot hold the server), and a
pattern the phone and the server would read differently refused when the form is saved, on the
question editor, the definition check and the XLSForm upload."""

import io

import pytest
import re2
from django.core.exceptions import ValidationError
from django.urls import reverse

from ketnoi.surveys import expressions, patterns
from ketnoi.surveys.definition import check_definition
from ketnoi.surveys.models import FormVersion
from ketnoi.surveys.xlsform import definition_from_xlsform

from .factories import lecture_form
from .xlsform_builders import rows, xlsx

CATASTROPHIC = "regex(., '^(a+)+$')"


def test_a_catastrophic_pattern_answers_at_once_and_correctly():
    # With Python's re this answer alone took minutes (the time doubles per extra "a").
    assert expressions.holds(CATASTROPHIC, {}, current="a" * 60 + "!") is False
    assert expressions.holds(CATASTROPHIC, {}, current="a" * 60) is True
    assert expressions.holds("regex(., '(x+x+)+y')", {}, current="x" * 5000) is False


def test_re2_is_the_engine():
    assert isinstance(patterns._compiled("(a+)+"), re2._Regexp)


def test_a_huge_answer_or_pattern_never_matches():
    assert patterns.full_match(".*", "a" * (patterns.MAX_TEXT_CHARS + 1)) is False
    assert patterns.full_match("a*" + "b?" * patterns.MAX_PATTERN_CHARS, "a") is False
    assert patterns.full_match(".*", "a" * patterns.MAX_TEXT_CHARS) is True


def test_a_pattern_taken_from_an_answer_is_matched_by_re2_too():
    source = "regex(${code}, ${pattern})"
    assert expressions.evaluate(source, {"code": "a" * 40 + "!", "pattern": "(a|aa)+"}) is False
    assert expressions.evaluate(source, {"code": "ab", "pattern": "(a)\\1"}) is False  # refused: never matches


UNSHARED = [
    ("([0-9]{3})-\\1", "tham chiếu ngược"),
    ("([a-z])\\k<x>", "tham chiếu ngược"),
    ("(?=.*[0-9]).{8,}", "nhìn trước hay nhìn sau"),
    ("(?!0+$)[0-9]{6}", "nhìn trước hay nhìn sau"),
    ("(?<=a)b", "nhìn trước hay nhìn sau"),
    ("(?<!a)b", "nhìn trước hay nhìn sau"),
    ("(?>a+)b", "nhóm nguyên tử"),
    ("a++b", "lượng từ chiếm hữu"),
    ("[0-9]{3}+", "lượng từ chiếm hữu"),
    ("(?i)abc", "(?i)"),
    ("(?P<year>[0-9]{4})", "(?i)"),
    ("\\Aabc\\z", "ký hiệu \\A"),
    ("\\p{L}+", "ký hiệu \\p"),
    ("\\x{41}", "ký hiệu \\x"),
    ("a{1001}", "tối đa {1000}"),
    ("(ab", "dấu ngoặc"),
]


@pytest.mark.parametrize(("pattern", "words"), UNSHARED)
def test_the_definition_check_refuses_what_the_engines_read_differently(pattern, words):
    definition = {
        "title": {"vi": "Thử"},
        "questions": [{"name": "code", "type": "text", "label": {"vi": "Mã"}, "constraint": f"regex(., '{pattern}')"}],
    }
    with pytest.raises(ValidationError) as caught:
        check_definition(definition)
    message = " ".join(caught.value.messages)
    assert "Câu “code”" in message and "mẫu regex" in message and words in message, message
    assert "hãy" in message  # says what to write instead
    assert patterns.full_match(pattern, "abc") is False  # and it never matches on the server


@pytest.mark.parametrize(
    "pattern",
    [
        "0[0-9]{9}",
        "[^@ ]+@[^@ ]+\\.[a-z]{2,}",
        "(?:a|b)+",
        "\\d{2,4}",
        "[\\s\\-]*",
        "\\x41+",
        "a+?b",
        "[]a]+",
        "\\.\\(\\+",
    ],
)
def test_patterns_every_engine_reads_alike_are_accepted(pattern):
    assert patterns.pattern_problem(pattern) is None


def test_the_question_editor_refuses_a_lookahead_next_to_the_constraint(client_for, coordinator, prog):
    form = lecture_form(coordinator, prog)
    before = form.current_version.definition
    response = client_for(coordinator).post(
        reverse("surveys:question_create", args=[prog.code, form.pk]) + "?type=text",
        {"name": "password", "label_vi": "Mật khẩu", "constraint": "regex(., '(?=.*[0-9]).{8,}')"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_constraint_error"' in page and "nhìn trước hay nhìn sau" in page
    form.refresh_from_db()
    assert form.current_version.definition == before and FormVersion.objects.filter(form=form).count() == 1


def test_an_xlsform_with_a_backreference_is_refused_naming_the_row():
    data = xlsx(
        rows(["type", "name", "label", "constraint"], ["text", "a", "A"], ["text", "b", "B", "regex(., '(a)\\1')"])
    )
    with pytest.raises(ValidationError) as caught:
        definition_from_xlsform(io.BytesIO(data), filename="form.xlsx")
    message = " ".join(caught.value.messages)
    assert "dòng 3:" in message and "tham chiếu ngược" in message, message
