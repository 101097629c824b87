"""What a ticket carries for the door: the QR code's signed text, and the short code printed
under it (models.CHECKIN_ALPHABET) that people read aloud and type, in any case, with or without
spaces and hyphens."""

import re
import unicodedata

from django.core import signing

from ..models import CHECKIN_ALPHABET, CHECKIN_CODE_LENGTH, Registration, Workshop

CHECKIN_SALT = "ketnoi.events.checkin"


def checkin_payload(registration: Registration) -> str:
    """What the delegate's QR code holds: the registration's code, signed, so a scanned code made
    up is refused before any lookup. The unsigned code (the ticket link's token, 128 bits) is
    accepted too: whoever holds it holds the ticket."""
    return signing.Signer(salt=CHECKIN_SALT).sign(registration.code)


def _code_from(payload: str) -> str | None:
    try:
        return signing.Signer(salt=CHECKIN_SALT).unsign((payload or "").strip())
    except signing.BadSignature:
        return None


def is_signed_payload(payload: str) -> bool:
    """Whether `payload` is a QR code's text signed by this site: such a code cannot be guessed,
    so the limit on wrong typed codes does not apply to it."""
    return _code_from(payload) is not None


# The personal link's token, alone or at the end of the ticket's address (…/e/ve/<token>/).
_TICKET_TOKEN = re.compile(r"(?:^|/ve/)([A-Za-z0-9_-]{20,32})/?$")


def normalise_checkin_code(text: str) -> str:
    """What was typed for the short code, as stored: capitals, without spaces or hyphens
    ("k7q m4x", "K7Q-M4X" → "K7QM4X"). NFKC first: the full-width signs of a phone keyboard in a
    CJK mode are the same letters and digits; any dash and any invisible format character (a
    zero-width space in a pasted code) go with the spaces."""
    text = unicodedata.normalize("NFKC", text or "").upper()
    return "".join(
        ch for ch in text if not ch.isspace() and ch not in "_." and unicodedata.category(ch) not in ("Pd", "Cf")
    )


def find_by_payload(workshop: Workshop, payload: str) -> Registration | None:
    """The workshop's registration a scanned or typed payload names: the QR code's signed text,
    the ticket's address or its token, or the short code printed on the ticket."""
    registrations = Registration.objects.filter(workshop=workshop).select_related("person")
    signed = _code_from(payload)
    if signed:
        return registrations.filter(code=signed).first()
    token = _TICKET_TOKEN.search((payload or "").strip())
    if token:
        found = registrations.filter(code=token.group(1)).first()
        if found is not None:
            return found
    code = normalise_checkin_code(payload)
    if len(code) == CHECKIN_CODE_LENGTH and set(code) <= set(CHECKIN_ALPHABET):
        return registrations.filter(checkin_code=code).first()
    return None
