"""Generated definitions of the format v2 (forms-spec §1: new types, repeats, languages, lists
with filters, files and images, settings) all become workbooks pyxform converts, and a few of
them XForms ODK Validate accepts: the export never writes a form KoboToolbox or ODK refuses."""

import io

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pyxform.xls2xform import convert

from ketnoi.surveys import xlsform
from ketnoi.surveys.xlsform_export import xlsform_from_definition, xlsform_package
from ketnoi.surveys.xlsform_export_rows import language_codes

from .test_xlsform_export_features import HARMLESS_WARNINGS
from .xlsform_export_support import PNG, as_read_back

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
def definitions(draw, *, faithful: bool = False) -> dict:
    """Definitions of the format v2. `faithful` ones leave out what the export must change for
    KoboToolbox to take it (a shown question without a label, "other" with a filter or over a
    file, a table-list pyxform refuses) and what the import reads as something else (a
    table-list of a scale is a matrix, a multiline text a long_text); Vietnamese comes first,
    as forms in Vietnamese need it on every label."""
    languages = draw(st.lists(st.sampled_from(LANGUAGES), min_size=1, max_size=5, unique=True))
    if faithful:
        languages = ["vi", *(code for code in languages if code != "vi")]
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
            question["appearance"] = draw(st.sampled_from(APPEARANCES[:-2] if faithful else APPEARANCES)) or "w1"
        if kind not in ("group", "repeat", "calculate", "hidden") and draw(st.integers(0, 5)) == 0:
            question["media"] = {"image": {default: "picture.png"}}

    def choices() -> list[dict]:
        result = []
        for index in range(draw(st.integers(1, 4))):
            choice: dict = {"name": f"c{index}"}
            label = text(always=faithful or draw(st.integers(0, 5)) > 0)
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
        if kind not in ("calculate", "hidden") and (faithful or draw(st.integers(0, 6)) > 0):
            q["label"] = text(always=True)
        if kind == "calculate":
            q["calculation"] = "today()"
        if kind == "range":
            grids = [{"start": 0, "end": 10, "step": 2}, {"start": 5, "end": 1, "step": 1}]
            parameters = draw(st.sampled_from(grids if faithful else [{}, *grids]))  # the import fills the defaults
            if parameters:
                q["parameters"] = parameters
        if kind == "image" and draw(st.booleans()):
            q["parameters"] = {"max-pixels": "640"}
        if kind in SELECTS:
            q["choices"] = choices()
            if draw(st.booleans()):
                q["or_other"] = True
            if (
                all(c.get("data") for c in q["choices"])
                and draw(st.booleans())
                and not (faithful and q.get("or_other"))
            ):
                q["choice_filter"] = "kind = 'a'"
            if not faithful and draw(st.integers(0, 3)) == 0:
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
                appearance = draw(st.sampled_from(GROUP_APPEARANCES[:2] if faithful else GROUP_APPEARANCES))
                if appearance:
                    q["appearance"] = appearance
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
    if faithful:
        # A language is one the form writes in: the sheet has no place for one that has no text
        # (and the title's other languages are kept in settings the import has its own say on).
        used = language_codes({"questions": definition["questions"]})
        languages = [code for code in languages if code in used]
        definition["title"] = {code: t for code, t in definition["title"].items() if code in ("vi", "en")}
    # ["vi"] and ["vi", "en"] say nothing more than the platform's own order: the import leaves
    # them unsaid, so a faithful form does too.
    plain = languages in (["vi"], ["vi", "en"])
    if (len(languages) > 1 and not (faithful and plain)) or (not faithful and draw(st.booleans())):
        definition["languages"] = languages
    if "km" in languages and draw(st.booleans()):
        definition["language_names"] = {"km": "Khmer"}
    # Vietnamese is the default a form need not state (the import leaves it unsaid too).
    definition["settings"] = {} if default == "vi" else {"default_language": default}
    definition["settings"] |= draw(st.sampled_from([{}, {"version": "3", "form_id": "x"}]))
    if not definition["settings"]:
        del definition["settings"]
    files = sorted(set(_media_files(definition["questions"])))
    if files:
        definition["attachments"] = files
    return definition


def _media_files(questions: list[dict]):
    for question in questions:
        for entry in [question, *(question.get("choices") or [])]:
            for by_language in (entry.get("media") or {}).values():
                yield from by_language.values()
        yield from _media_files(question.get("children") or [])


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


# Needs the import of forms-spec §1 and §4 (written in parallel): the coordinator runs it after merge.
NEEDS_NEW_IMPORT = ["test_generated_definitions_come_back_as_they_were"]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(definition=definitions(faithful=True))
def test_generated_definitions_come_back_as_they_were(definition):
    data = xlsform_from_definition(definition, title=definition["title"]["vi"], form_id="generated")
    files = dict.fromkeys(definition.get("attachments") or [], PNG)
    package = xlsform_package(data, files, xlsx_name="generated.xlsx")
    back = xlsform.import_uploads([("generated.zip", io.BytesIO(package))]).definition
    assert as_read_back(definition, back, form_id="generated") == definition
