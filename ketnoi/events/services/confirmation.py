"""Confirming a registration typed on the public page: the signed, timed link e-mailed to the
address on record of the person the typed details name (or to the typed address when the
directory knows nobody by them), and reading it back. The registration services link the
registration once the link is followed (registrations.registration_confirm).

The confirmation e-mail goes through core's mail queue (templates events/email/registration_confirm.*),
like the ticket e-mail."""

from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from ketnoi.core.ratelimit import cache_key_part, take
from ketnoi.core.services import mail_queue
from ketnoi.directory.models import Person
from ketnoi.directory.services import person_find_duplicates

from ..models import Registration

CONFIRM_SALT = "ketnoi.events.registration_confirm"
CONFIRM_MAX_AGE = timedelta(days=7)
# Anyone may type anyone's details: at most this many confirmation e-mails a day go to one
# address, so the public page cannot be used to flood someone's inbox.
CONFIRM_MAILS_PER_ADDRESS_PER_DAY = 3


def same_address(one: str, other: str) -> bool:
    return bool(one) and bool(other) and one.strip().casefold() == other.strip().casefold()


def person_named_by(*, full_name: str, email: str, phone: str) -> Person | None:
    """The directory person these typed details name, by the directory's own rule (same folded
    name and the same e-mail or phone)."""
    if not full_name or not (email or phone):
        return None
    return person_find_duplicates(full_name=full_name, email=email, phone=phone).order_by("pk").first()


class ConfirmationRefused(Exception):
    """A confirmation link that cannot confirm: forged, expired, used, or its registration
    gone. `registration` is set when the link was genuine (a used link: the page points to it)."""

    def __init__(self, message: str, registration: Registration | None = None):
        super().__init__(message)
        self.message, self.registration = message, registration


def confirmation_token(registration: Registration, *, person: Person | None, address: str) -> str:
    """Signed and timed (django.core.signing): which registration, which directory person it
    will be linked to (None: a new one from the details), and the address the link went to."""
    payload = {"r": registration.pk, "p": person.pk if person else None, "e": address}
    return signing.dumps(payload, salt=CONFIRM_SALT, compress=True)


def read_token(token: str) -> dict:
    """What a confirmation link carries, or ConfirmationRefused saying what to do."""
    try:
        payload = signing.loads(token or "", salt=CONFIRM_SALT, max_age=CONFIRM_MAX_AGE)
    except signing.SignatureExpired:
        raise ConfirmationRefused(
            _(
                "Đường dẫn xác nhận này đã hết hạn (sau %(days)s ngày). Hãy đăng ký lại trên trang hội thảo, "
                "hoặc liên hệ ban tổ chức."
            )
            % {"days": CONFIRM_MAX_AGE.days}
        ) from None
    except signing.BadSignature:
        raise ConfirmationRefused(
            _(
                "Đường dẫn xác nhận này không đúng. Hãy mở lại đúng đường dẫn đầy đủ trong thư, "
                "hoặc đăng ký lại trên trang hội thảo."
            )
        ) from None
    return payload


def mail_confirmation(registration: Registration, *, actor=None) -> bool:
    """Ask the person the typed details name to confirm, at their address on record; when the
    directory knows nobody by them, at the typed address (the directory gets the person only
    once that address answers). Nothing goes when there is no such address: the registration
    is then confirmed at the door. Returns whether an e-mail goes."""
    person = person_named_by(full_name=registration.full_name, email=registration.email, phone=registration.phone)
    address = person.email if person is not None else registration.email
    if not address:
        return False
    if not take(
        f"events:confirm-mail:{cache_key_part(address.strip().lower())}",
        limit=CONFIRM_MAILS_PER_ADDRESS_PER_DAY,
        window_seconds=24 * 3600,
    ):
        return False
    token = confirmation_token(registration, person=person, address=address)
    link = settings.SITE_URL.rstrip("/") + reverse("events_public:confirm", args=[token])
    workshop = registration.workshop
    mail_queue(
        to=address,
        template="events/email/registration_confirm",
        context={
            "name": person.full_name if person is not None else registration.full_name,
            "title": workshop.title,
            "when": date_format(timezone.localtime(workshop.starts_at), "d/m/Y H:i"),
            "days": CONFIRM_MAX_AGE.days,
            "link": link,
        },
        caused_by=actor,
        about_label=workshop.title,
        about_url=reverse("events:detail", kwargs={"code": workshop.programme.code, "pk": workshop.pk}),
    )
    return True
