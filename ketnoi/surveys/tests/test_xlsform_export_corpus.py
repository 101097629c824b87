"""Every workbook of the import's corpus (tests/xlsform_corpus/, KoboToolbox-shaped forms of
every feature) read, written back by the export, run through ODK Validate, and read again: the
same definition, the same attached files.

The corpus and `xlsform.read_xlsform` come with the import of forms-spec §1, written in
parallel: this whole module runs once it is merged (the corpus is imported inside the tests so
that the module itself still loads before)."""

import importlib
import inspect
import io

import pytest
from pyxform.xls2xform import convert

from ketnoi.surveys import xlsform
from ketnoi.surveys.xlsform_export import xlsform_from_definition, xlsform_package

from .test_xlsform_export_features import HARMLESS_WARNINGS
from .xlsform_export_support import as_read_back

# The builders of tests/xlsform_corpus/features.py and the household survey, by name.
CORPUS = [
    "calculations",
    "cascading",
    "every_new_type",
    "forward_reference",
    "from_csv_and_xml",
    "many_languages",
    "metadata_rows",
    "no_vietnamese",
    "or_other_both_spellings",
    "repeats",
    "settings_kept",
    "table_list_groups",
    "texts_and_media",
    "household",
]
# pyxform's advice on a corpus written in a language name that is no code, as some are.
CORPUS_WARNINGS = (*HARMLESS_WARNINGS, "do not contain valid machine-readable codes")


def built(name: str) -> tuple[bytes, dict[str, bytes]]:
    if name == "household":
        household = importlib.import_module("ketnoi.surveys.tests.xlsform_corpus.household")
        return household.household(), household.FILES
    features = importlib.import_module("ketnoi.surveys.tests.xlsform_corpus.features")
    return getattr(features, name)()


def test_every_feature_of_the_corpus_is_listed():
    features = importlib.import_module("ketnoi.surveys.tests.xlsform_corpus.features")
    builders = {
        name for name, f in inspect.getmembers(features, inspect.isfunction) if f.__module__ == features.__name__
    }
    assert builders == set(CORPUS) - {"household"}


@pytest.mark.parametrize("name", CORPUS)
def test_the_corpus_survives_export_validate_and_import(name):
    data, files = built(name)
    first = xlsform.read_xlsform(io.BytesIO(data), filename=f"{name}.xlsx", files=files)
    exported = xlsform_from_definition(first.definition, title=first.title, form_id="corpus")
    result = convert(exported, file_type=".xlsx", validate=True, pretty_print=False)
    assert [w for w in result.warnings if not any(h in w for h in CORPUS_WARNINGS)] == []

    package = xlsform_package(exported, first.files, xlsx_name="corpus.xlsx")
    again = xlsform.import_uploads([("corpus.zip", io.BytesIO(package))])
    assert as_read_back(first.definition, again.definition, form_id="corpus") == first.definition
    assert again.files == first.files
