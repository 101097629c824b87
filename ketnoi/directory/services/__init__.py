"""Every write to the directory: one transaction each, an audit entry, the object returned.

Rules are enforced here (not only in forms) so the web pages, the API and the importer agree.
One module per entity: organisations, people (and people who sign up themselves), consents,
merging duplicates, personal data (export, erasure) and imported lists of people.
"""

from ..queries import person_find_duplicates
from .actions import DirectoryAction
from .consents import CONSENT_AGE, consent_given_online, consent_record, consent_withdraw
from .imports import people_import_cancel, people_import_confirm, people_import_preview, people_import_resolve
from .merge import person_merge
from .organisations import ORGANISATION_FIELDS, organisation_create, organisation_update
from .people import MIN_BIRTH_YEAR, PERSON_FIELDS, person_create, person_find_or_add, person_update
from .personal_data import (
    ERASE_CONFIRMATIONS,
    erase_confirmation_matches,
    erasure_complete,
    person_erase,
    person_export,
)

__all__ = [
    "CONSENT_AGE",
    "ERASE_CONFIRMATIONS",
    "MIN_BIRTH_YEAR",
    "ORGANISATION_FIELDS",
    "PERSON_FIELDS",
    "DirectoryAction",
    "consent_given_online",
    "consent_record",
    "consent_withdraw",
    "erase_confirmation_matches",
    "erasure_complete",
    "organisation_create",
    "organisation_update",
    "people_import_cancel",
    "people_import_confirm",
    "people_import_preview",
    "people_import_resolve",
    "person_create",
    "person_erase",
    "person_export",
    "person_find_duplicates",
    "person_find_or_add",
    "person_merge",
    "person_update",
]
