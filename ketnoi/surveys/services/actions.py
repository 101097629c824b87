"""The audit actions of the surveys services (responses are not audited: see responses.py)."""

from ketnoi.core.audit import AuditAction


class SurveysAction(AuditAction):
    FORM_CREATE = "surveys.form_create"
    FORM_UPDATE = "surveys.form_update"
    COLLECTION_OPEN = "surveys.collection_open"
    COLLECTION_UPDATE = "surveys.collection_update"
