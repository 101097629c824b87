"""The audit actions of the events services. Two values keep the names the services had when
they were first written (stored rows use them): check-in is "events.checkin", a walk-in
"events.walkin_register"; a removed part of the day is "events.<model name>_delete"."""

from ketnoi.core.audit import AuditAction


class EventsAction(AuditAction):
    WORKSHOP_CREATE = "events.workshop_create"
    WORKSHOP_UPDATE = "events.workshop_update"
    WORKSHOP_EARLY_CONFIRM = "events.workshop_early_confirm"  # held or report before the workshop, confirmed
    WORKSHOP_ORGANISATIONS_SET = "events.workshop_organisations_set"
    AGENDA_ITEM_ADD = "events.agenda_item_add"
    AGENDA_ITEM_DELETE = "events.agendaitem_delete"
    QUESTION_ADD = "events.question_add"
    QUESTION_UPDATE = "events.question_update"
    QUESTION_DELETE = "events.discussionquestion_delete"
    MATERIAL_ADD = "events.material_add"
    MATERIAL_DELETE = "events.material_delete"
    INVITATION_CREATE = "events.invitation_create"
    REGISTRATION_SUBMIT = "events.registration_submit"
    REGISTRATION_CONFIRM = "events.registration_confirm"
    REGISTRATION_APPROVE = "events.registration_approve"
    REGISTRATION_CANCEL = "events.registration_cancel"
    REGISTRATION_PROMOTE = "events.registration_promote"
    REGISTRATION_CHECK_IN = "events.checkin"
    REGISTRATION_WALK_IN = "events.walkin_register"
    REGISTRATION_MATCH_ORGANISATION = "events.registration_match_organisation"
