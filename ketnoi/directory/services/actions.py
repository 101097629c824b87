"""The audit actions of the directory's services."""

from ketnoi.core.audit import AuditAction


class DirectoryAction(AuditAction):
    ORGANISATION_CREATE = "directory.organisation_create"
    ORGANISATION_UPDATE = "directory.organisation_update"
    PERSON_CREATE = "directory.person_create"
    PERSON_UPDATE = "directory.person_update"
    # A person who signed up themselves: blank fields completed, never overwritten.
    PERSON_COMPLETE = "directory.person_complete"
    PERSON_MERGE = "directory.person_merge"
    PERSON_EXPORT = "directory.person_export"
    PERSON_ERASE = "directory.person_erase"
    # An erasure request filed, and one or more programmes' part of it done.
    ERASURE_REQUEST = "directory.erasure_request"
    ERASURE_STEP = "directory.erasure_step"
    CONSENT_RECORD = "directory.consent_record"
    CONSENT_WITHDRAW = "directory.consent_withdraw"
    PEOPLE_IMPORT_PREVIEW = "directory.people_import_preview"
    # An uploaded list read by its background task (counts per status).
    PEOPLE_IMPORT_READ = "directory.people_import_read"
    PEOPLE_IMPORT_CONFIRM = "directory.people_import_confirm"
    PEOPLE_IMPORT_CANCEL = "directory.people_import_cancel"
    PEOPLE_IMPORT_FOLLOWUP = "directory.people_import_followup"
