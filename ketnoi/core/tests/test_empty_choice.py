"""One empty choice label: a select in a form that records something shows EMPTY_CHOICE_LABEL for
"nothing chosen yet", whether the field is required or may stay empty. A filter's empty choice
means "all" and names it ("Mọi tỉnh/thành", "Tất cả"), never Django's "---------".

Two checks, because a form's choices are set in two places: the fields as declared (read from
the form classes, where most empty labels live) and choices built in a form's __init__ (read from
the source: every ("", label) pair written in a form module)."""

import ast
import importlib
import inspect
import pkgutil
from pathlib import Path

from django import forms

import ketnoi
from ketnoi.core.forms import EMPTY_CHOICE_LABEL

DJANGO_DASH = "---------"


def _form_modules():
    for info in pkgutil.walk_packages(ketnoi.__path__, "ketnoi."):
        last = info.name.rsplit(".", 1)[-1]
        if ".tests" in info.name or ".migrations" in info.name or not ("forms" in last or "filters" in last):
            continue
        yield importlib.import_module(info.name)


def _is_filter(cls: type) -> bool:
    return cls.__name__.endswith("FilterForm") or cls.__module__.endswith("filters")


def _form_classes():
    seen = set()
    for module in _form_modules():
        for _name, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, forms.BaseForm) and cls.__module__ == module.__name__ and cls not in seen:
                seen.add(cls)
                yield cls


def _shown_selects(cls):
    for name, field in cls.base_fields.items():
        if isinstance(field, forms.ChoiceField) and isinstance(field.widget, forms.Select):
            yield name, field


def _declared_blank_label(field):
    if isinstance(field, forms.ModelChoiceField):
        return field.empty_label
    for value, label in field.choices:
        if value == "":
            return label
    return None


def test_every_declared_select_uses_the_one_empty_label():
    wrong, filters, checked = [], [], 0
    for cls in _form_classes():
        for name, field in _shown_selects(cls):
            label = _declared_blank_label(field)
            if label is None:
                continue
            checked += 1
            where = f"{cls.__module__}.{cls.__name__}.{name}: {label!r}"
            if _is_filter(cls):
                if str(label) in (DJANGO_DASH, str(EMPTY_CHOICE_LABEL)):
                    filters.append(where)
            elif label != EMPTY_CHOICE_LABEL:
                wrong.append(where)
    assert checked > 20  # the forms were found
    assert wrong == [], "empty choices not labelled EMPTY_CHOICE_LABEL:\n" + "\n".join(wrong)
    assert filters == [], "filters whose empty choice does not say 'all':\n" + "\n".join(filters)


def test_choices_built_in_a_form_use_the_one_empty_label():
    """A ("", label) pair written in a non-filter form class names EMPTY_CHOICE_LABEL."""
    wrong = []
    for module in _form_modules():
        tree = ast.parse(Path(module.__file__).read_text(encoding="utf-8"))
        for cls in (n for n in ast.walk(tree) if isinstance(n, ast.ClassDef)):
            if cls.name.endswith("FilterForm") or module.__name__.endswith("filters"):
                continue
            for node in ast.walk(cls):
                blank_pair = (
                    isinstance(node, ast.Tuple)
                    and len(node.elts) == 2
                    and isinstance(node.elts[0], ast.Constant)
                    and node.elts[0].value == ""
                )
                if blank_pair and not (isinstance(node.elts[1], ast.Name) and node.elts[1].id == "EMPTY_CHOICE_LABEL"):
                    wrong.append(f"{module.__name__}.{cls.name}:{node.lineno}")
                if isinstance(node, ast.keyword) and node.arg == "empty_label":
                    named = isinstance(node.value, ast.Name) and node.value.id == "EMPTY_CHOICE_LABEL"
                    if not named and not (isinstance(node.value, ast.Constant) and node.value.value is None):
                        wrong.append(f"{module.__name__}.{cls.name}:{node.lineno} empty_label")
    assert wrong == [], "empty choices not labelled EMPTY_CHOICE_LABEL:\n" + "\n".join(wrong)
