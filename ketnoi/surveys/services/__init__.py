"""Every write to surveys, one module per entity: forms.py (forms and their versions),
collections.py (collections, and opening one from a ready form), responses.py (answers, not
audited). Forms, versions and collections are audited (actions.py).

The other apps reach surveys only through this package: the services below, the models they
return (Form, Collection) and the ready forms' definitions.
"""

from ..models import Collection, Form
from ..ready_forms import ready_form
from .collections import (
    COLLECTION_FIELDS,
    CONTEXT_KEYS,
    collection_close,
    collection_for_programme,
    collection_open,
    collection_open_from_ready_form,
    collection_update,
)
from .forms import form_create, form_import, form_update
from .responses import SubmissionRefused, response_submit

__all__ = [
    "COLLECTION_FIELDS",
    "CONTEXT_KEYS",
    "Collection",
    "Form",
    "SubmissionRefused",
    "collection_close",
    "collection_for_programme",
    "collection_open",
    "collection_open_from_ready_form",
    "collection_update",
    "form_create",
    "form_import",
    "form_update",
    "ready_form",
    "response_submit",
]
