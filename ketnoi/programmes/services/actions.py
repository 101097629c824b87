"""The audit actions of the programmes' services."""

from ketnoi.core.audit import AuditAction


class ProgrammeAction(AuditAction):
    PROGRAMME_CREATE = "programmes.programme_create"
    PROGRAMME_UPDATE = "programmes.programme_update"
    ROLE_GRANT = "programmes.role_grant"
    ROLE_REVOKE = "programmes.role_revoke"
    COMPONENT_CREATE = "programmes.component_create"
    COMPONENT_UPDATE = "programmes.component_update"
    AGREEMENT_CREATE = "programmes.agreement_create"
    AGREEMENT_UPDATE = "programmes.agreement_update"
    OBJECTIVE_CREATE = "programmes.objective_create"
    OBJECTIVE_UPDATE = "programmes.objective_update"
    ACTIVITY_CREATE = "programmes.activity_create"
    ACTIVITY_UPDATE = "programmes.activity_update"
    INDICATOR_CREATE = "programmes.indicator_create"
    INDICATOR_UPDATE = "programmes.indicator_update"
    PERIOD_CREATE = "programmes.period_create"
    PERIOD_UPDATE = "programmes.period_update"
    VALUE_SUBMIT = "programmes.value_submit"
    VALUE_REVIEW = "programmes.value_review"
