"""Registrations: the places rule, approval, cancellation, check-in, walk-ins, and the
delegate's e-mail.

The places rule, in one spot: a workshop with a capacity has that many places; a confirmed or
attended registration takes one. A new registration takes a free place, or joins the waiting
list; when the workshop needs approval it first waits for the organiser, and approval then
gives a place or a spot on the waiting list. Whenever a place frees (a cancellation, a larger
capacity), the waiting list moves up in the order people joined it. Decisions about places are
taken with the workshop row locked (SELECT … FOR UPDATE on PostgreSQL, the write lock SQLite's
IMMEDIATE transactions take), so two registrations never get the last place twice.

Who a registration is for, in one spot (registration_submit): a registration is tied to a
directory person — and the person's consent recorded — only when that is known: a personal
invitation, an organiser registering someone, a signed-in account with the person's address on
record, the person following the link e-mailed to their address on record (registration_confirm),
or someone checking them in at the door. Until then it stands alone with what was typed
(`person` None, "chưa xác nhận" on the organisers' lists) and takes its place like any other.
"""

import io

import segno
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from ketnoi.core.audit import audit_record
from ketnoi.core.services import mail_queue
from ketnoi.core.text import fold, normalise, normalise_phone
from ketnoi.core.writes import locked
from ketnoi.directory.models import Organisation, Person, Province, Sex
from ketnoi.directory.services import consent_given_online, person_find_or_add
from ketnoi.programmes.access import can_plan, can_report

from ..models import Invitation, Registration, Workshop
from .actions import EventsAction
from .checkin_codes import checkin_payload, find_by_payload
from .common import _require
from .confirmation import (
    ConfirmationRefused,
    mail_confirmation,
    person_named_by,
    read_token,
    same_address,
)
from .dates import require_check_in_confirmed
from .organisations import organisation_matching
from .rules import TAKES_A_PLACE, Places, approve_refusal, cancel_refusal, cancel_row

Status = Registration.Status
CONSENT_PURPOSE = "Đăng ký và tham dự hội thảo “%(title)s”"
Via = Registration.ConfirmedVia
ORGANISATION_NAME_MAX = Registration._meta.get_field("organisation_name").max_length


# Places ---------------------------------------------------------------------------------------


def _place_or_wait(workshop: Workshop, registration: Registration) -> None:
    Places(workshop).place_or_wait(registration)


def _promote(workshop: Workshop, *, actor) -> list[Registration]:
    """Free places go to the waiting list, first come first served."""
    promoted = []
    places = Places(workshop)
    while places.has_one():
        first = workshop.registrations.filter(status=Status.WAITING).order_by("waiting_since", "id").first()
        if first is None:
            break
        places.take(first)
        first.save(update_fields=["status", "waiting_since", "updated_at"])
        audit_record(actor=actor, action=EventsAction.REGISTRATION_PROMOTE, obj=first, changes={"status": first.status})
        promoted.append(first)
    for registration in promoted:
        _mail_status(registration, actor=actor)
    return promoted


# Registration ---------------------------------------------------------------------------------


def invitation_for(workshop: Workshop, code: str) -> Invitation | None:
    if not code:
        return None
    return Invitation.objects.filter(workshop=workshop, code=code).select_related("person", "organisation").first()


@transaction.atomic
def registration_submit(
    *,
    actor,
    workshop: Workshop,
    full_name: str,
    email: str = "",
    phone: str = "",
    position: str = "",
    organisation: Organisation | None = None,
    organisation_name: str = "",
    sex: str = Sex.UNKNOWN,
    province: Province | None = None,
    consent: bool = False,
    invitation_code: str = "",
) -> tuple[Registration, bool]:
    """A person registers (themselves, or an organiser for them). Returns the registration and
    whether it is new; registering twice returns the first registration, unchanged — unless it
    was cancelled, then it is taken up again.

    Who the registration is for is trusted only when it is known: a personal invitation's
    person, an organiser registering someone, or a signed-in user whose account has the
    address on record of the person the details name. Anything else typed on the public page
    stands alone — no directory person, no consent on anyone — until the person confirms from
    the address on record (registration_confirm) or is seen at the door (check-in). It takes a
    place or joins the waiting list all the same, so the places rule does not change.

    `organisation_name` is kept as typed; it gives the registration its organisation when
    exactly one in the directory has that name (else a coordinator matches it later)."""
    workshop = locked(workshop)
    invitation = invitation_for(workshop, invitation_code)
    organiser = can_plan(actor, workshop.programme)
    errors = {}
    if workshop.registration == Workshop.Registration.CLOSED and not organiser:
        raise ValidationError(_("Hội thảo này đã đóng đăng ký. Hãy liên hệ ban tổ chức nếu anh/chị muốn tham dự."))
    if workshop.registration == Workshop.Registration.INVITATION and invitation is None and not organiser:
        raise ValidationError(
            _("Hội thảo này chỉ dành cho người được mời. Hãy mở đường dẫn trong thư mời của anh/chị.")
        )
    full_name = " ".join((full_name or "").split())
    email, phone = (email or "").strip(), (phone or "").strip()
    invited = invitation.person if invitation is not None and invitation.person_id else None
    full_name = full_name or (invited.full_name if invited else "")
    if not full_name:
        errors["full_name"] = _("Hãy nhập họ và tên.")
    if not (email or phone or invited):
        errors["email"] = _("Hãy nhập thư điện tử hoặc số điện thoại để ban tổ chức gửi xác nhận.")
    elif email:
        try:
            validate_email(email)
        except ValidationError:
            errors["email"] = _("Địa chỉ thư điện tử này chưa đúng, ví dụ đúng: ten@example.org.")
    if not consent:
        errors["consent"] = _(
            "Hãy đánh dấu đồng ý để ban tổ chức lưu thông tin của anh/chị cho việc đăng ký và tham dự hội thảo."
        )
    if errors:
        raise ValidationError(errors)
    organisation_name = normalise(organisation_name)[:ORGANISATION_NAME_MAX]
    if organisation is None and organisation_name:
        organisation = organisation_matching(organisation_name)
    if invitation is not None and invitation.organisation_id and organisation is None and not organisation_name:
        organisation = invitation.organisation
    details = {
        "full_name": full_name,
        "email": email,
        "phone": phone,
        "position": position,
        "organisation": organisation,
        "sex": sex or Sex.UNKNOWN,
        "province": province,
    }
    signed_in = actor if getattr(actor, "is_authenticated", False) else None
    person, via = None, ""
    if invited is not None:
        person, via = invited, Via.INVITATION
    elif organiser:
        person, _created = person_find_or_add(actor=signed_in, **details)
        via = Via.ORGANISER
    else:
        match = person_named_by(full_name=full_name, email=email, phone=phone)
        if match is not None and signed_in is not None and same_address(signed_in.email, match.email):
            person, via = match, Via.ACCOUNT
        elif match is not None:
            # The details name someone already in the directory: if they hold a registration,
            # that one is "the first registration" (the page sends its link to their address).
            mine = Registration.objects.select_for_update().filter(workshop=workshop, person=match).first()
            if mine is not None and mine.status != Status.CANCELLED:
                return mine, False
    if person is not None:
        existing = Registration.objects.select_for_update().filter(workshop=workshop, person=person).first()
        if existing is not None and existing.status != Status.CANCELLED:
            return existing, False
        registration = existing or Registration(workshop=workshop, person=person, created_by=signed_in)
        registration.confirmed_at, registration.confirmed_via = timezone.now(), via
        registration.organisation, registration.organisation_name = organisation, organisation_name
    else:
        same = _standing_alone(workshop, full_name=full_name, email=email, phone=phone)
        if same is not None:
            return same, False
        registration = Registration(
            workshop=workshop, created_by=signed_in, organisation_name=organisation_name, **details
        )
    registration.invitation = invitation or registration.invitation
    registration.approved = organiser or not workshop.needs_approval
    if registration.approved:
        _place_or_wait(workshop, registration)
    else:
        registration.status, registration.waiting_since = Status.PENDING, None
    registration.save()
    if person is not None:
        consent_given_online(actor=actor, person=person, purpose=CONSENT_PURPOSE % {"title": workshop.title})
    audit_record(
        actor=actor,
        action=EventsAction.REGISTRATION_SUBMIT,
        obj=registration,
        changes={
            "status": registration.status,
            "invitation": invitation.pk if invitation else None,
            "awaiting_confirmation": person is None,
        },
    )
    if person is not None:
        _mail_status(registration, actor=actor)
    else:
        mail_confirmation(registration, actor=actor)
    return registration, True


def _standing_alone(workshop: Workshop, *, full_name: str, email: str, phone: str) -> Registration | None:
    """A registration already waiting for confirmation with these details (the same folded
    name and e-mail or phone): registering twice before confirming gives the first one."""
    candidates = Registration.objects.select_for_update().filter(
        workshop=workshop, person__isnull=True, name_folded=fold(full_name)
    )
    candidates = candidates.exclude(status=Status.CANCELLED)
    for candidate in candidates.order_by("pk"):
        if same_address(candidate.email, email) or (phone and candidate.phone_normalised == normalise_phone(phone)):
            return candidate
    return None


# Confirming a registration that stands alone ------------------------------------------------


@transaction.atomic
def registration_confirm(*, token: str) -> Registration:
    """The confirmation link followed: the registration is linked to the person the link was
    sent for (or a new directory person from its details), their consent recorded, and their
    ticket e-mailed. A link works once: a used, expired or altered one is refused with a
    message saying what to do."""
    payload = read_token(token)
    registration = Registration.objects.select_related("workshop").filter(pk=payload.get("r")).first()
    if registration is None:
        raise ConfirmationRefused(_("Đăng ký này không còn. Hãy đăng ký lại trên trang hội thảo."))
    workshop = locked(registration.workshop)
    registration = locked(registration)
    if not registration.awaiting_confirmation:
        raise ConfirmationRefused(
            _("Đăng ký này đã được xác nhận rồi: đường dẫn xác nhận chỉ dùng được một lần."), registration
        )
    if registration.status == Status.CANCELLED:
        raise ConfirmationRefused(_("Đăng ký này đã huỷ. Nếu muốn tham dự, hãy đăng ký lại trên trang hội thảo."))
    if workshop.ends_at < timezone.now():
        raise ConfirmationRefused(_("Hội thảo này đã diễn ra: không cần xác nhận đăng ký nữa."))
    if payload.get("p") is not None:
        person = Person.objects.filter(pk=payload["p"], erased_at__isnull=True).first()
        if person is None or not same_address(person.email, payload.get("e", "")):
            raise ConfirmationRefused(
                _("Thông tin liên hệ trong danh bạ đã thay đổi từ khi gửi thư này. Hãy liên hệ ban tổ chức.")
            )
    else:
        if not same_address(registration.email, payload.get("e", "")):
            raise ConfirmationRefused(_("Đường dẫn này không còn khớp với đăng ký. Hãy đăng ký lại."))
        # Someone the details name may have been added since the link went out: the typed
        # address proves nothing about them unless it is the address on their record.
        named = person_named_by(full_name=registration.full_name, email=registration.email, phone=registration.phone)
        if named is not None and not same_address(named.email, payload.get("e", "")):
            raise ConfirmationRefused(
                _("Thông tin liên hệ trong danh bạ đã thay đổi từ khi gửi thư này. Hãy liên hệ ban tổ chức.")
            )
        person, _created = person_find_or_add(actor=None, **_typed(registration))
    linked = _link(registration, person=person, via=Via.EMAIL, actor=None)
    if linked.pk == registration.pk:
        _mail_status(linked)
    return linked


def _typed(registration: Registration) -> dict:
    return {
        "full_name": registration.full_name,
        "email": registration.email,
        "phone": registration.phone,
        "position": registration.position,
        "organisation": registration.organisation,
        "sex": registration.sex or Sex.UNKNOWN,
        "province": registration.province,
    }


def _link(registration: Registration, *, person: Person, via: str, actor) -> Registration:
    """Tie a registration that stood alone to its person: consent recorded on the person, the
    typed copy of the details blanked (the person holds them now), an audit entry. When the
    person already holds a live registration for the workshop, that one stays and this one is
    cancelled (its place goes to the waiting list); a cancelled one of theirs gives way."""
    workshop = registration.workshop
    theirs = Registration.objects.select_for_update().filter(workshop=workshop, person=person).first()
    replaced = None
    if theirs is not None and theirs.status != Status.CANCELLED:
        freed = registration.takes_a_place
        registration.status, registration.waiting_since = Status.CANCELLED, None
        registration.note = _("Trùng với đăng ký đã có của người này.")
        registration.save()
        audit_record(
            actor=actor,
            action=EventsAction.REGISTRATION_CANCEL,
            obj=registration,
            changes={"note": registration.note, "kept": theirs.pk},
        )
        if freed:
            _promote(workshop, actor=actor)
        return theirs
    if theirs is not None:
        # Their cancelled registration is taken up again (its history stays with it), with the
        # place or waiting spot this one holds; this one goes.
        kept = ("status", "waiting_since", "approved", "walk_in", "checked_in_at", "checked_in_by")
        for name in (*kept, "organisation", "organisation_name"):
            setattr(theirs, name, getattr(registration, name))
        theirs.invitation = registration.invitation or theirs.invitation
        theirs.note = ""
        replaced = registration.pk
        registration.delete()
        registration = theirs
    now = timezone.now()
    registration.person, registration.confirmed_at, registration.confirmed_via = person, now, via
    registration.full_name = registration.email = registration.phone = ""
    registration.position, registration.sex, registration.province = "", "", None
    # The organisation stays, typed and matched: it is what this registration counts under.
    registration.save()
    consent_given_online(actor=actor, person=person, purpose=CONSENT_PURPOSE % {"title": workshop.title})
    audit_record(
        actor=actor,
        action=EventsAction.REGISTRATION_CONFIRM,
        obj=registration,
        changes={"person": person.pk, "via": via, "confirmed_at": now, "replaced": replaced},
    )
    return registration


@transaction.atomic
def registration_approve(*, actor, registration: Registration) -> Registration:
    workshop = locked(registration.workshop)
    _require(can_plan(actor, workshop.programme))
    registration = locked(registration)
    refusal = approve_refusal(registration)
    if refusal:
        raise ValidationError(refusal)
    registration.approved = True
    _place_or_wait(workshop, registration)
    registration.save()
    audit_record(
        actor=actor, action=EventsAction.REGISTRATION_APPROVE, obj=registration, changes={"status": registration.status}
    )
    _mail_status(registration, actor=actor)
    return registration


@transaction.atomic
def registration_cancel(*, actor, registration: Registration, note: str = "") -> Registration:
    """The delegate (through their personal link, `actor` None) or an organiser cancels; a
    place that frees goes to the first person waiting."""
    workshop = locked(registration.workshop)
    registration = locked(registration)
    if actor is not None and getattr(actor, "is_authenticated", False):
        _require(can_plan(actor, workshop.programme))
    if registration.status == Status.CANCELLED:
        return registration
    refusal = cancel_refusal(registration)
    if refusal:
        raise ValidationError(refusal)
    freed = cancel_row(registration, note)
    registration.save()
    audit_record(
        actor=actor, action=EventsAction.REGISTRATION_CANCEL, obj=registration, changes={"note": registration.note}
    )
    if freed:
        _promote(workshop, actor=actor)
    return registration


# Check-in -------------------------------------------------------------------------------------


class CheckinRefused(Exception):
    def __init__(self, message: str, registration: Registration | None = None):
        super().__init__(message)
        self.message, self.registration = message, registration


@transaction.atomic
def registration_check_in(
    *,
    actor,
    workshop: Workshop,
    payload: str = "",
    registration: Registration | None = None,
    confirm_early: bool = False,
) -> tuple[Registration, bool]:
    """Mark a delegate present, from the QR payload, the short code typed, or a registration
    found by name. Returns the registration and whether this call checked them in; a second
    scan changes nothing and says when the first one was. Before the workshop's day, only with
    `confirm_early` (dates.py)."""
    _require(can_report(actor, workshop.programme))
    early = require_check_in_confirmed(workshop=workshop, confirm_early=confirm_early)
    if registration is None:
        found = find_by_payload(workshop, payload)
        if found is None:
            raise CheckinRefused(
                _(
                    "Mã này không phải vé của hội thảo này. Hãy đọc lại mã điểm danh in trên vé (6 ký tự, ví dụ "
                    "K7Q-M4X), hoặc tìm người tham dự theo tên."
                )
            )
        registration = found
    elif registration.workshop_id != workshop.pk:
        raise CheckinRefused(_("Người này không đăng ký hội thảo này."))
    if registration.status not in (Status.CONFIRMED, Status.ATTENDED):
        raise CheckinRefused(
            _("Đăng ký của %(name)s đang ở trạng thái “%(status)s”: chưa điểm danh được.")
            % {"name": registration.delegate.full_name, "status": registration.get_status_display()},
            registration,
        )
    if registration.awaiting_confirmation:
        # Seen at the door: whoever checks in looks at the delegate (the lists mark the
        # registration "chưa xác nhận" so they ask for an identity paper), as for a walk-in.
        registration = _link_at_door(registration, actor=actor)
    now = timezone.now()
    updated = Registration.objects.filter(pk=registration.pk, checked_in_at__isnull=True).update(
        status=Status.ATTENDED, checked_in_at=now, checked_in_by=actor, updated_at=now
    )
    registration.refresh_from_db(fields=["status", "checked_in_at", "checked_in_by", "updated_at"])
    if updated:
        changes = {"checked_in_at": now, **({"early": True} if early else {})}
        audit_record(actor=actor, action=EventsAction.REGISTRATION_CHECK_IN, obj=registration, changes=changes)
    return registration, bool(updated)


def _link_at_door(registration: Registration, *, actor) -> Registration:
    registration = locked(registration)
    if not registration.awaiting_confirmation:
        return registration
    person, _created = person_find_or_add(actor=actor, **_typed(registration))
    linked = _link(registration, person=person, via=Via.DOOR, actor=actor)
    if linked.status not in (Status.CONFIRMED, Status.ATTENDED):
        raise CheckinRefused(
            _("Đăng ký của %(name)s đang ở trạng thái “%(status)s”: chưa điểm danh được.")
            % {"name": person.full_name, "status": linked.get_status_display()},
            linked,
        )
    return linked


@transaction.atomic
def registration_walk_in(
    *,
    actor,
    workshop: Workshop,
    full_name: str,
    email: str = "",
    phone: str = "",
    position: str = "",
    organisation: Organisation | None = None,
    organisation_name: str = "",
    sex: str = Sex.UNKNOWN,
    province: Province | None = None,
    consent: bool = False,
    confirm_early: bool = False,
) -> Registration:
    """Someone who came without registering: registered on the spot and checked in. The door
    may let in more people than the planned places; the organiser decides there. The
    organisation they name is kept as typed, and matched as in registration_submit. Before the
    workshop's day, only with `confirm_early` (dates.py)."""
    _require(can_report(actor, workshop.programme))
    workshop = locked(workshop)
    early = require_check_in_confirmed(workshop=workshop, confirm_early=confirm_early)
    errors = {}
    if not " ".join((full_name or "").split()):
        errors["full_name"] = _("Hãy nhập họ và tên.")
    if not consent:
        errors["consent"] = _("Hãy hỏi và đánh dấu sự đồng ý của người tham dự trước khi lưu thông tin.")
    if errors:
        raise ValidationError(errors)
    organisation_name = normalise(organisation_name)[:ORGANISATION_NAME_MAX]
    if organisation is None and organisation_name:
        organisation = organisation_matching(organisation_name)
    person, _created = person_find_or_add(
        actor=actor,
        full_name=" ".join(full_name.split()),
        email=(email or "").strip(),
        phone=(phone or "").strip(),
        position=position,
        organisation=organisation,
        sex=sex,
        province=province,
    )
    now = timezone.now()
    registration = Registration.objects.select_for_update().filter(workshop=workshop, person=person).first()
    if registration is not None and registration.checked_in_at:
        raise CheckinRefused(
            _("%(name)s đã điểm danh lúc %(time)s.")
            % {"name": person.full_name, "time": date_format(timezone.localtime(registration.checked_in_at), "H:i")},
            registration,
        )
    registration = registration or Registration(workshop=workshop, person=person)
    registration.status, registration.waiting_since, registration.approved = Status.ATTENDED, None, True
    registration.walk_in = registration.pk is None or registration.walk_in
    registration.checked_in_at, registration.checked_in_by = now, actor
    if organisation is not None or organisation_name:
        registration.organisation, registration.organisation_name = organisation, organisation_name
    registration.save()
    consent_given_online(actor=actor, person=person, purpose=CONSENT_PURPOSE % {"title": workshop.title})
    changes = {"checked_in_at": now, **({"early": True} if early else {})}
    audit_record(actor=actor, action=EventsAction.REGISTRATION_WALK_IN, obj=registration, changes=changes)
    return registration


# E-mail ---------------------------------------------------------------------------------------


def _mail_status(registration: Registration, *, actor=None) -> None:
    """Tell the delegate where they stand, with their personal link and, once they have a
    place, their check-in QR code as an image. Undeliverable: shown to `actor` (the organiser
    who approved or promoted) and to staff."""
    if registration.awaiting_confirmation:
        return  # no address is known to be theirs yet: the confirmation e-mail goes instead
    email = registration.person.email
    if not email:
        return

    workshop = registration.workshop
    link = settings.SITE_URL.rstrip("/") + reverse("events_public:ticket", args=[registration.code])
    attachments = []
    if registration.status in TAKES_A_PLACE:
        # The check-in code itself, for a phone that opens the e-mail at the door without network.
        image = io.BytesIO()
        segno.make(checkin_payload(registration), error="m").save(image, kind="png", scale=8, border=2)
        attachments.append((f"ma-diem-danh-{registration.pk}.png", image.getvalue(), "image/png"))
    mail_queue(
        to=email,
        template="events/email/registration_status",
        context={
            "name": registration.person.full_name,
            "title": workshop.title,
            "when": date_format(timezone.localtime(workshop.starts_at), "d/m/Y H:i"),
            "venue": workshop.venue or "—",
            "status": registration.get_status_display(),
            "link": link,
            "checkin_code": registration.checkin_code_display if registration.status in TAKES_A_PLACE else "",
        },
        caused_by=actor,
        about_label=f"{workshop.title}: {registration.person.full_name}",
        about_url=reverse("events:detail", kwargs={"code": workshop.programme.code, "pk": workshop.pk}),
        attachments=attachments,
    )


def registration_send_link(registration: Registration) -> bool:
    """The personal link again, to the address on record (someone registering a second time);
    for a registration still waiting for confirmation, the confirmation link. Returns whether
    an e-mail goes."""
    if registration.awaiting_confirmation:
        return mail_confirmation(registration)
    _mail_status(registration)
    return bool(registration.person.email)
