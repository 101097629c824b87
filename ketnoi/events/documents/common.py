"""What both formats of the workshop documents share: the data the caller hands in, and the
texts and times drawn from it that the PDF and the XLSX put in the same places. Times are shown
in Asia/Ho_Chi_Minh as dd/mm/yyyy HH:MM; a naive datetime is refused. The underscored helpers
are the package's own, for pdf.py and xlsx.py."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _

LOCAL_TZ = ZoneInfo("Asia/Ho_Chi_Minh")


@dataclass(frozen=True)
class WorkshopInfo:
    title: str
    kind_label: str
    organisers: str
    venue: str
    city: str
    starts_at: datetime
    ends_at: datetime


@dataclass(frozen=True)
class Attendee:
    number: int
    full_name: str
    organisation: str
    position: str
    sex_label: str
    province: str
    email: str
    phone: str
    checked_in_at: datetime | None
    checkin_code: str = ""  # as printed on the ticket ("K7Q-M4X"); "" for a row without one


@dataclass(frozen=True)
class CertificateRecipient:
    """What differs from one certificate to the next; the workshop, the date of issue and the
    signer are the same for the whole batch (see `certificates_pdf`)."""

    full_name: str
    organisation: str
    certificate_no: str


# Texts and times ---------------------------------------------------------------------------------

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b\u2028\u2029\ufeff]")
_SPACES = re.compile(r"\s+")


def _clean(text: object) -> str:
    """NFC, one line, no control characters: what goes into a cell or a line of the PDF."""
    text = unicodedata.normalize("NFC", str(text or ""))
    return _SPACES.sub(" ", _CONTROL.sub(" ", text)).strip()


def _local(moment: datetime) -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"workshop documents need aware datetimes (USE_TZ); got a naive one: {moment!r}")
    return moment.astimezone(LOCAL_TZ)


def format_datetime(moment: datetime | None) -> str:
    """dd/mm/yyyy HH:MM in Vietnam's time, or "" for None."""
    return _local(moment).strftime("%d/%m/%Y %H:%M") if moment else ""


def _when(workshop: WorkshopInfo) -> str:
    return _("%(start)s – %(end)s") % {
        "start": format_datetime(workshop.starts_at),
        "end": format_datetime(workshop.ends_at),
    }


def _place(workshop: WorkshopInfo) -> str:
    return ", ".join(part for part in (_clean(workshop.venue), _clean(workshop.city)) if part)


def _mid_sentence(label: str) -> str:
    """The kind in lower case inside a sentence ("Hội thảo" → "hội thảo"); an acronym such as
    "ToT" or "HIV" stays as it is."""
    label = _clean(label)
    if len(label) > 1 and label[1].isupper():
        return label
    return label[:1].lower() + label[1:]


def _signin_headings() -> list[str]:
    return [
        _("STT"),
        _("Họ và tên"),
        _("Cơ quan/tổ chức"),
        _("Chức vụ"),
        _("Điện thoại"),
        _("Mã điểm danh"),
        _("Chữ ký"),
    ]


def _signin_cells(attendee: Attendee) -> list[str]:
    return [
        str(attendee.number),
        _clean(attendee.full_name),
        _clean(attendee.organisation),
        _clean(attendee.position),
        _clean(attendee.phone),
        _clean(attendee.checkin_code),
        "",
    ]


def _blank_numbers(attendees: Sequence[Attendee], blank_rows: int) -> range:
    last = max((a.number for a in attendees), default=0)
    return range(last + 1, last + 1 + max(blank_rows, 0))
