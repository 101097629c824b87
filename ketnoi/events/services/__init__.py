"""Every write about workshops: keyword arguments, one transaction, an audit entry (actions.py),
e-mail after commit. workshops.py: a workshop, its programme of the day and its invitations;
registrations.py: the places rule, approval, cancellation, check-in and walk-ins, and linking a
public registration to its person once confirmed (confirmation.py: the signed link e-mailed for
it); organisations.py: the organisation a registrant typed, matched to the directory;
bulk.py: many registrations at once (approve, cancel, move off the waiting list), by the
rules of rules.py that the single-row services use too; invitations.py: many people and whole
organisations invited at once; report.py: once it is held, the draft news report and the delegates' feedback survey.
`upcoming_public` is a read: the public workshops the home page lists."""

from ..access import upcoming_public
from .bulk import (
    BULK_ACTIONS,
    BULK_MAX,
    BulkResult,
    bulk_plan,
    bulk_result_text,
    bulk_rows,
    registrations_approve_many,
    registrations_cancel_many,
    registrations_promote_many,
)
from .checkin_codes import CHECKIN_SALT, checkin_payload, is_signed_payload, normalise_checkin_code
from .confirmation import CONFIRM_MAX_AGE, CONFIRM_SALT, ConfirmationRefused, confirmation_token
from .dates import before_its_day, has_not_started
from .invitations import INVITE_MAX, InvitationsResult, invitations_create_many, invitations_result_text
from .organisations import organisation_matching, organisations_named, registrations_match_organisation
from .registrations import (
    CONSENT_PURPOSE,
    CheckinRefused,
    invitation_for,
    registration_approve,
    registration_cancel,
    registration_check_in,
    registration_confirm,
    registration_send_link,
    registration_submit,
    registration_walk_in,
)
from .report import report_draft, workshop_feedback_open
from .rules import TAKES_A_PLACE, places_taken
from .workshops import (
    MATERIAL_MAX_BYTES,
    MATERIAL_TYPES,
    WORKSHOP_FIELDS,
    agenda_item_add,
    invitations_create,
    invitations_from_import,
    material_add,
    question_add,
    question_update,
    workshop_create,
    workshop_organisations_set,
    workshop_part_delete,
    workshop_update,
)

__all__ = [
    "BULK_ACTIONS",
    "BULK_MAX",
    "INVITE_MAX",
    "BulkResult",
    "InvitationsResult",
    "bulk_plan",
    "bulk_result_text",
    "bulk_rows",
    "invitations_create_many",
    "invitations_result_text",
    "registrations_approve_many",
    "registrations_cancel_many",
    "registrations_promote_many",
    "upcoming_public",
    "CHECKIN_SALT",
    "CONFIRM_MAX_AGE",
    "CONFIRM_SALT",
    "CONSENT_PURPOSE",
    "MATERIAL_MAX_BYTES",
    "MATERIAL_TYPES",
    "TAKES_A_PLACE",
    "WORKSHOP_FIELDS",
    "CheckinRefused",
    "ConfirmationRefused",
    "agenda_item_add",
    "before_its_day",
    "checkin_payload",
    "confirmation_token",
    "invitation_for",
    "invitations_create",
    "has_not_started",
    "invitations_from_import",
    "is_signed_payload",
    "material_add",
    "organisation_matching",
    "organisations_named",
    "normalise_checkin_code",
    "places_taken",
    "question_add",
    "question_update",
    "registration_approve",
    "registration_cancel",
    "registration_check_in",
    "registration_confirm",
    "registration_send_link",
    "registration_submit",
    "registration_walk_in",
    "registrations_match_organisation",
    "report_draft",
    "workshop_create",
    "workshop_feedback_open",
    "workshop_organisations_set",
    "workshop_part_delete",
    "workshop_update",
]
