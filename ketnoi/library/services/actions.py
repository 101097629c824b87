"""The audit actions of the library's services (and of its extraction task)."""

from ketnoi.core.audit import AuditAction


class LibraryAction(AuditAction):
    DOCUMENT_CREATE = "library.document_create"
    DOCUMENT_UPDATE = "library.document_update"
    DOCUMENT_DELETE = "library.document_delete"
    # A catalogue uploaded, read by its task, confirmed (documents made) or cancelled.
    DOCUMENT_IMPORT_START = "library.document_import_start"
    DOCUMENT_IMPORT_READ = "library.document_import_read"
    DOCUMENT_IMPORT_CONFIRM = "library.document_import_confirm"
    DOCUMENT_IMPORT_CANCEL = "library.document_import_cancel"
    FILE_ADD = "library.file_add"
    FILE_REMOVE = "library.file_remove"
    FILE_RETRY = "library.file_retry"
    # Written by the extraction task (ketnoi.library.tasks), with no actor.
    FILE_EXTRACTED = "library.file_extracted"
    FILE_FAILED = "library.file_failed"
    COPY_ADD = "library.copy_add"
    COPY_REMOVE = "library.copy_remove"
    COLLECTION_CREATE = "library.collection_create"
    COLLECTION_UPDATE = "library.collection_update"
    ITEM_PROPOSE = "library.item_propose"
    ITEM_SELECT = "library.item_select"
    ITEM_DECLINE = "library.item_decline"
    ITEM_DELIVER = "library.item_deliver"
    ITEM_UNDO_DELIVERY = "library.item_undo_delivery"
    ITEM_WITHDRAW = "library.item_withdraw"
