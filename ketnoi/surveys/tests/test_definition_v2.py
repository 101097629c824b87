"""The definition format v2 (forms-spec §1): the new types and keys, names unique across the
whole form, repeats, calculations and their cycles, choice filters, forms in other languages,
and crafted definitions of every wrong shape, each refused with a Vietnamese message naming
the problem and never another exception."""

import copy

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from ketnoi.surveys import definition as d
from ketnoi.surveys.definition import check_definition, label

from .answer_cases import FORMS


def _form(*questions, **top):
    return {"title": {"vi": "Thử"}, "questions": list(questions), **top}


def _q(name, type_="text", **extra):
    return {"name": name, "type": type_, "label": {"vi": f"Câu {name}"}, **extra}


def _repeat(name, *children, **extra):
    return {"name": name, "type": "repeat", "label": {"vi": name}, "children": list(children), **extra}


CHOICES = [{"name": "a", "label": {"vi": "A"}}, {"name": "b", "label": {"vi": "B"}}]


def _messages(definition) -> list[str]:
    with pytest.raises(ValidationError) as error:
        check_definition(definition)
    return error.value.messages


def _refused(definition, fragment: str) -> None:
    messages = _messages(definition)
    assert any(fragment in m for m in messages), messages


@pytest.mark.parametrize(
    "question",
    [
        _q("t", "time"),
        _q("dt", "datetime"),
        _q("r", "range", parameters={"start": 0, "end": 100, "step": 5}),
        _q("r", "range", parameters={"start": 10, "end": 0, "step": 0.5}),
        _q("r", "range"),
        _q("rk", "rank", choices=CHOICES),
        _q("ok", "acknowledge"),
        _q("go", "trigger"),
        {"name": "h", "type": "hidden", "default": "x"},
        {"name": "c", "type": "calculate", "calculation": "1 + 1"},
        _q("gp", "geopoint"),
        _q("img", "image", parameters={"max-pixels": 1024}),
        _q("au", "audio"),
        _q("f", "file"),
        _q("s", "select_one", choices=[{"name": "a", "media": {"image": {"vi": "a.png"}}}]),
        _q("s", "select_multiple", choices=CHOICES, or_other=True, appearance="minimal", from_file="list.csv"),
        _q("x", "integer", read_only=True, default="3", guidance_hint={"vi": "…"}, required_message={"vi": "Cần"}),
        {"name": "pic", "type": "note", "media": {"image": {"vi": "pic.png"}}},
        _repeat("rows", _q("inside"), repeat_count=3),
        _repeat("rows", _repeat("inner", {"name": "g", "type": "group", "children": [_q("deep")]})),
    ],
)
def test_every_new_type_and_key_is_accepted(question):
    assert check_definition(_form(question))


def test_the_case_forms_and_the_spec_example_are_valid():
    household = FORMS["household"]
    assert check_definition(household)
    full = _form(
        _q("name"),
        _q("village"),
        languages=["vi", "en", "km"],
        language_names={"km": "Khmer"},
        settings={"version": "2024031501", "instance_name": "${name}", "default_language": "vi", "form_id": "hh"},
        attachments=["communes.csv", "logo.png"],
    )
    assert check_definition(full)


def test_names_are_unique_across_the_whole_form_including_repeats():
    _refused(_form(_q("a"), _repeat("r", _q("a"))), "bị trùng")
    _refused(_form(_repeat("r", _q("x")), _repeat("s", _q("x"))), "bị trùng")
    _refused(_form(_q("r"), _repeat("r", _q("x"))), "bị trùng")
    _refused(_form(_q("s", "select_one", choices=CHOICES, or_other=True), _repeat("r", _q("s_other"))), "bị trùng")


def test_rules_may_use_later_questions_but_not_unknown_ones():
    assert check_definition(_form(_q("a", relevant="${b} = 1"), _q("b", "integer")))
    assert check_definition(_form(_q("a", constraint=". > ${m_age}"), _repeat("m", _q("m_age", "integer"))))
    _refused(_form(_q("a", relevant="${nobody} = 1")), "không có trong biểu mẫu: nobody")
    _refused(_form(_repeat("m", _q("x"), repeat_count="${missing}")), "không có trong biểu mẫu")
    _refused(_form(_q("a"), settings={"instance_name": "${ghost}"}), "ghost")


def test_bare_names_are_only_choice_columns():
    _refused(_form(_q("a"), _q("b", relevant="a = 'x'")), "tên trần")


def test_calculations_need_a_calculation_and_may_not_use_themselves():
    _refused(_form({"name": "c", "type": "calculate"}), "phép tính")
    _refused(_form({"name": "c", "type": "calculate", "calculation": "${c} + 1"}), "vòng: c → c")
    cycle = _form(
        {"name": "a", "type": "calculate", "calculation": "${c} + 1"},
        {"name": "b", "type": "calculate", "calculation": "${a} * 2"},
        {"name": "c", "type": "calculate", "calculation": "${b} - 1"},
    )
    _refused(cycle, "a → c → b → a")
    # a calculation may use a later one, and a question typed in may use a calculation
    chain = _form(
        {"name": "x", "type": "calculate", "calculation": "${y} + 1"},
        {"name": "y", "type": "calculate", "calculation": "${z} * 2"},
        _q("z", "integer", constraint=". != ${x}"),
    )
    assert check_definition(chain)


@pytest.mark.parametrize(
    "parameters, fragment",
    [
        ({"step": 0}, "step"),
        ({"step": -1}, "step"),
        ({"start": "0"}, "là số"),
        ({"end": True}, "là số"),
        ({"end": float("nan")}, "là số"),
        ({"end": float("inf")}, "là số"),
        ({"end": 1e12}, "là số"),
        ({"start": 0, "end": 10**8, "step": 1}, "nấc"),
        ([1, 10, 1], "start, end, step"),
    ],
)
def test_range_parameters_are_numbers_on_a_sensible_grid(parameters, fragment):
    _refused(_form(_q("r", "range", parameters=parameters)), fragment)


def test_choice_filters_use_columns_of_the_list():
    cascade = FORMS["cascade"]
    assert check_definition(cascade)
    broken = copy.deepcopy(cascade)
    broken["questions"][1]["choice_filter"] = "region = ${province}"
    _refused(broken, "cột không có trong danh sách: region")
    broken["questions"][1]["choice_filter"] = "province = ${nowhere}"
    _refused(broken, "nowhere")
    broken["questions"][1]["choice_filter"] = "province = ("
    _refused(broken, "không đọc được")
    labelled = copy.deepcopy(cascade)
    labelled["questions"][1]["choice_filter"] = "label != '' and name != 'hk'"
    assert check_definition(labelled)


def test_a_form_without_vietnamese_needs_its_own_language_everywhere():
    assert check_definition(FORMS["khmer"])
    khmer = copy.deepcopy(FORMS["khmer"])
    khmer["questions"][0]["label"] = {"en": "Age"}
    _refused(khmer, "“km”")
    english = _form(_q("a", label={"en": "A"}), title={"en": "English only"}, languages=["en"])
    assert check_definition(english)
    _refused(_form(_q("a", label={"en": "A"}), title={"fr": "Titre"}, languages=["en"]), "tiêu đề")
    # one Vietnamese label makes Vietnamese required everywhere
    _refused(_form(_q("a", label={"en": "A"}), _q("b"), title={"en": "Mixed"}), "tiếng Việt")


def test_label_falls_back_to_the_default_language_then_vietnamese():
    text = {"km": "ខ្មែរ", "vi": "Việt", "en": "English"}
    assert label(text, "en") == "English"
    assert label(text, "fr", "km") == "ខ្មែរ"
    assert label(text, "fr") == "Việt"
    assert label({"fr": "", "de": "Deutsch"}, "fr") == "Deutsch"
    assert label({"en": "English"}, "en-us") == "English"
    with translation.override("en"):
        assert label(text) == "English"
    assert label(None) == "" and label(["x"]) == "" and label({"vi": 5, "en": "E"}, "vi") == "E"


def _deep(levels: int) -> dict:
    question = _q("leaf")
    for level in range(levels):
        question = {"name": f"g{level}", "type": "group", "label": {"vi": "g"}, "children": [question]}
    return _form(question)


CRAFTED = [
    ([], "danh sách câu hỏi"),
    ({"questions": {"a": 1}}, "danh sách câu hỏi"),
    (_form("text"), "đối tượng"),
    (_form(None), "đối tượng"),
    (_form({"name": ["a"], "type": "text"}), "tên câu hỏi"),
    (_form({"name": "a", "type": ["text"]}), "không được hỗ trợ"),
    (_form(_q("a", label=["x"])), "mã ngôn ngữ"),
    (_form(_q("a", label={"vi": 5})), "mã ngôn ngữ"),
    (_form(_q("a", label={"vi": "x" * 20_000})), "mã ngôn ngữ"),
    (_form(_q("a", label={"v i": "x"})), "mã ngôn ngữ"),
    (_form(_q("a", hint={"vi": {"deep": "x"}})), "mã ngôn ngữ"),
    (_form(_q("a", required="yes")), "true hoặc false"),
    (_form(_q("a", read_only=1)), "true hoặc false"),
    (_form(_q("a", relevant=["${a}"])), "biểu thức"),
    (_form(_q("a", relevant="(" * 100 + "1" + ")" * 100)), "không đọc được"),
    (_form(_q("a", constraint="x" * 5000)), "không đọc được"),
    (_form(_q("a", default=True)), "default"),
    (_form(_q("a", default={"x": 1})), "default"),
    (_form(_q("a", appearance=["minimal"])), "appearance"),
    (_form(_q("a", media="a.png")), "media"),
    (_form(_q("s", "select_one", choices={"a": "A"})), "lựa chọn"),
    (_form(_q("s", "select_one", choices=["a"])), "lựa chọn"),
    (_form(_q("s", "select_one", choices=[{"name": 1}])), "mã lựa chọn"),
    (_form(_q("s", "select_one", choices=[{"name": "a b"}])), "mã lựa chọn"),
    (_form(_q("s", "select_one", choices=[{"name": "a", "data": ["x"]}])), "data"),
    (_form(_q("s", "select_one", choices=[{"name": "a", "data": {"p": 1}}])), "data"),
    (_form(_q("s", "select_one", choices=[{"name": "a"}], choice_filter=5)), "biểu thức"),
    (_form(_q("s", "select_one", choices=[{"name": f"c{i}"} for i in range(20_001)])), "quá nhiều"),
    (_form(_q("m", "matrix", scale={"min": 1, "max": 5}, items={"a": 1})), "tiêu chí"),
    (_form(_q("m", "matrix", scale={"min": 1, "max": 5}, items=[{"name": "1x"}])), "tiêu chí"),
    (_form(_q("m", "rating", scale={"min": True, "max": 5})), "thang điểm"),
    (_form(_q("m", "rating", scale=[1, 5])), "thang điểm"),
    (_form({"name": "g", "type": "group", "children": {"a": 1}}), "câu hỏi con"),
    (_form(_repeat("r")), "câu hỏi con"),
    (_form(_repeat("r", _q("x"), repeat_count=-1)), "số lần lặp"),
    (_form(_repeat("r", _q("x"), repeat_count=10**6)), "số lần lặp"),
    (_form(_repeat("r", _q("x"), repeat_count=2.5)), "số lần lặp"),
    (_form(_repeat("r", _q("x"), repeat_count=True)), "số lần lặp"),
    (_form(_repeat("r", _q("x"), repeat_count=["${n}"])), "số lần lặp"),
    (_form(_q("a"), languages="vi"), "languages"),
    (_form(_q("a"), languages=[1]), "languages"),
    (_form(_q("a"), settings=["x"]), "settings"),
    (_form(_q("a"), settings={"version": 3}), "settings.version"),
    (_form(_q("a"), settings={"default_language": "v i"}), "mã ngôn ngữ"),
    (_form(_q("a"), attachments="a.png"), "attachments"),
    (_form(_q("a"), attachments=["../x"]), "attachments"),
    (_form(_q("a"), attachments=["a.png", "a.png"]), "attachments"),
    (_form(_q("a"), attachments=[".."]), "attachments"),
    (_form(*[_q(f"q{i}") for i in range(d.MAX_QUESTIONS + 1)]), "quá"),
    (_deep(d.MAX_NESTING + 1), "tầng"),
    (_deep(5000), "tầng"),
]


@pytest.mark.parametrize("definition, fragment", CRAFTED, ids=[f"crafted{i}" for i in range(len(CRAFTED))])
def test_crafted_definitions_are_refused_with_a_clear_message(definition, fragment):
    _refused(definition, fragment)


def test_a_huge_form_is_refused_without_visiting_every_question():
    huge = _form(*[_q(f"q{i}") for i in range(200_000)])
    messages = _messages(huge)
    assert any("quá" in m for m in messages) and len(messages) < 5


def test_walk_with_path_names_the_repeats_around_each_question():
    form = FORMS["household"]
    paths = {q["name"]: path for q, path in d.walk_with_path(form["questions"])}
    assert paths["head"] == () and paths["member"] == ()
    assert paths["m_name"] == ("member",) and paths["visit"] == ("member",)
    assert paths["v_date"] == ("member", "visit")
    assert [q["name"] for q in d.walk(form["questions"], into_repeats=False)] == [
        "head",
        "n",
        "member",
        "double_n",
        "early",
        "late",
        "ages",
    ]
    assert "v_date" in [q["name"] for q in d.walk(form["questions"])]


def test_repeats_answer_names_and_media_names():
    form = FORMS["household"]
    assert [(r["name"], p and p["name"]) for r, p in d.repeats(form)] == [("member", None), ("visit", "member")]
    member = form["questions"][2]
    assert d.answer_names(member) == ["member"]
    media_form = _form(_q("photo", "image"), _repeat("r", _q("clip", "audio"), _repeat("rr", _q("doc", "file"))))
    answers = {"photo": "a.jpg", "r": [{"clip": "b.m4a", "rr": [{"doc": "c.pdf"}, {}]}, {"clip": "d.ogg"}]}
    assert d.media_names(media_form, answers) == ["a.jpg", "b.m4a", "c.pdf", "d.ogg"]
    assert d.media_names(media_form, {"r": "not rows"}) == []


def test_the_old_names_are_still_importable():
    for name in ("TYPES", "ANSWERED_TYPES", "NAME", "OTHER", "SCALES", "MAX_TEXT", "GROUP", "MATRIX", "walk"):
        assert hasattr(d, name)
    assert d.check_answers and d.regex_problems and d.choice_names
