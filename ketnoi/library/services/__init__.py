"""Every write to the library, one module per concern: documents (their description), files,
physical copies, and curation (collections and their items). Other apps and the API use the
library through the names listed here."""

from .actions import LibraryAction
from .copies import copy_add, copy_remove
from .curation import (
    can_withdraw,
    collection_create,
    collection_update,
    item_decline,
    item_deliver,
    item_propose,
    item_select,
    item_undo_delivery,
    item_withdraw,
    proposers_of,
)
from .curation_bulk import items_propose_many
from .documents import FIELDS as DOCUMENT_FIELDS
from .documents import clean_doi, clean_isbn, document_create, document_delete, document_update
from .files import STALE_PENDING, file_add, file_remove, file_retry, is_retryable
from .imports import document_import_cancel, document_import_confirm, document_import_start

__all__ = [
    "DOCUMENT_FIELDS",
    "STALE_PENDING",
    "LibraryAction",
    "can_withdraw",
    "clean_doi",
    "clean_isbn",
    "collection_create",
    "collection_update",
    "copy_add",
    "copy_remove",
    "document_create",
    "document_delete",
    "document_import_cancel",
    "document_import_confirm",
    "document_import_start",
    "document_update",
    "file_add",
    "file_remove",
    "file_retry",
    "is_retryable",
    "item_decline",
    "item_deliver",
    "item_propose",
    "item_select",
    "item_undo_delivery",
    "item_withdraw",
    "items_propose_many",
    "proposers_of",
]
