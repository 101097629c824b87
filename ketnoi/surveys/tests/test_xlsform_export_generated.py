"""Generated definitions of the format v2 (forms-spec §1: new types, repeats, languages, lists
with filters, files and images, settings) all become workbooks pyxform converts, and a few of
them XForms ODK Validate accepts: the export never writes a form KoboToolbox or ODK refuses."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pyxform.xls2xform import convert

from ketnoi.surveys.xlsform_export import xlsform_from_definition

from .test_xlsform_export_features import HARMLESS_WARNINGS

LANGUAGES = ["vi", "en", "km", "fr", "tay"]
PLAIN = ["text", "long_text", "integer", "decimal", "date", "time", "datetime", "geopoint", "note"]
PLAIN += ["acknowledge", "trigger", "image", "audio", "file", "range", "hidden", "calculate"]
SELECTS = ["select_one", "select_multiple", "rank"]
APPEARANCES = ["", "minimal", "w2", "horizontal-compact", "quick", "likert", "multiline"]
GROUP_APPEARANCES = ["", "field-list", "table-list", "table-list w4"]
words = (
    st.text(alphabet="abcdeghiklmnoprstuvxyđăâêôơưáàạ “”'&<>= ", min_size=1, max_size=20).map(str.strip).filter(bool)
)


@st.composite
def definitions(draw) -> dict:
    languages = draw(st.lists(st.sampled_from(LANGUAGES), min_size=1, max_size=5, unique=True))
    default = languages[0]
    counter = iter(range(10_000))
    earlier: list[str] = []  # top-level answered names, for relevance and calculations

    def text(always: bool = False) -> dict:
        chosen = [code for code in languages if code == default or draw(st.booleans())]
        return {code: draw(words) for code in chosen} if always or draw(st.booleans()) else {}

    def name(prefix: str = "q") -> str:
        return f"{prefix}{next(counter)}"

    def keys(question: dict, kind: str) -> None:
        for key in ("hint", "guidance_hint"):
            if draw(st.integers(0, 3)) == 0:
                question[key] = text(always=True)
        if kind not in ("note", "calculate", "hidden", "group", "repeat") and draw(st.booleans()):
            question["required"] = True
            if draw(st.booleans()):
                question["required_message"] = text(always=True)
        if earlier and draw(st.integers(0, 3)) == 0:
            question["relevant"] = f"${{{draw(st.sampled_from(earlier))}}} != ''"
        if kind in ("integer", "decimal") and draw(st.booleans()):
            question["constraint"] = ". >= 0"
            question["constraint_message"] = text(always=True)
        if kind in ("text", "integer", "hidden") and draw(st.integers(0, 3)) == 0:
            question["default"] = "1"
        if kind in ("integer", "text") and draw(st.integers(0, 4)) == 0:
            question["calculation"] = "1 + 1"
            question["read_only"] = True
        if kind not in ("group", "repeat", "calculate", "hidden") and draw(st.integers(0, 3)) == 0:
            question["appearance"] = draw(st.sampled_from(APPEARANCES)) or "w1"
        if kind not in ("group", "repeat", "calculate", "hidden") and draw(st.integers(0, 5)) == 0:
            question["media"] = {"image": {default: "picture.png"}}

    def choices() -> list[dict]:
        result = []
        for index in range(draw(st.integers(1, 4))):
            choice: dict = {"name": f"c{index}"}
            label = text(always=draw(st.integers(0, 5)) > 0)
            if label:
                choice["label"] = label
            else:
                choice["media"] = {"image": {default: f"c{index}.png"}}
            if draw(st.booleans()):
                choice["data"] = {"kind": draw(st.sampled_from(["a", "b"]))}
            result.append(choice)
        return result

    def question(depth: int, in_repeat: bool) -> dict:
        kinds = PLAIN + SELECTS + ["rating", "matrix"] + (["group", "repeat"] if depth < 2 else [])
        kind = draw(st.sampled_from(kinds))
        q: dict = {"name": name(), "type": kind}
        if kind not in ("calculate", "hidden") and draw(st.integers(0, 6)) > 0:
            q["label"] = text(always=True)
        if kind == "calculate":
            q["calculation"] = "today()"
        if kind == "range":
            q["parameters"] = draw(
                st.sampled_from([{}, {"start": 0, "end": 10, "step": 2}, {"start": 5, "end": 1, "step": 1}])
            )
        if kind == "image" and draw(st.booleans()):
            q["parameters"] = {"max-pixels": 640}
        if kind in SELECTS:
            q["choices"] = choices()
            if draw(st.booleans()):
                q["or_other"] = True
            if all(c.get("data") for c in q["choices"]) and draw(st.booleans()):
                q["choice_filter"] = "kind = 'a'"
            if draw(st.integers(0, 3)) == 0:
                q["from_file"] = "list.csv"
        if kind in ("rating", "matrix"):
            q["scale"] = draw(
                st.sampled_from([{"min": 1, "max": 5}, {"min": 0, "max": 10, "min_label": text(always=True)}])
            )
        if kind == "matrix":
            q["items"] = [{"name": name("item"), "label": text(always=True)} for _ in range(draw(st.integers(1, 3)))]
        keys(q, kind)
        if kind in ("group", "repeat"):
            if kind == "group":
                q["appearance"] = draw(st.sampled_from(GROUP_APPEARANCES))
            else:
                q["label"] = text(always=True)
                if draw(st.booleans()):
                    q["repeat_count"] = draw(st.sampled_from([2, "1 + 1"]))
            q["children"] = [question(depth + 1, in_repeat or kind == "repeat") for _ in range(draw(st.integers(1, 3)))]
        elif kind in ("text", "integer", "select_one") and not in_repeat:
            earlier.append(q["name"])
        return q

    definition: dict = {
        "title": text(always=True),
        "questions": [question(0, False) for _ in range(draw(st.integers(1, 6)))],
    }
    if len(languages) > 1 or draw(st.booleans()):
        definition["languages"] = languages
    if "km" in languages and draw(st.booleans()):
        definition["language_names"] = {"km": "Khmer"}
    definition["settings"] = {
        "default_language": default,
        **draw(st.sampled_from([{}, {"version": "3", "form_id": "x"}])),
    }
    return definition


def converted(definition: dict, *, validate: bool) -> str:
    data = xlsform_from_definition(definition, title="Tạo ra", form_id="generated")
    result = convert(data, file_type=".xlsx", validate=validate, pretty_print=False)
    assert [w for w in result.warnings if not any(h in w for h in HARMLESS_WARNINGS)] == []
    return result.xform


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(definition=definitions())
def test_pyxform_converts_every_generated_definition(definition):
    form = converted(definition, validate=False)
    for question in definition["questions"]:
        assert f'nodeset="/data/{question["name"]}"' in form or f'ref="/data/{question["name"]}"' in form


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(definition=definitions())
def test_odk_validate_accepts_generated_definitions(definition):
    converted(definition, validate=True)
