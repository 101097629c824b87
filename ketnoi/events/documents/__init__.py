"""Printable documents for a workshop: the sign-in sheet (PDF and XLSX), the attendance list
(XLSX) and certificates of attendance (PDF), as bytes.

Independent of the models on purpose: the caller builds a `WorkshopInfo` and a list of
`Attendee` (or `CertificateRecipient`) from whatever it has, and sends the bytes back with
`PDF_TYPE` or `XLSX_TYPE`. Every label goes through gettext, so the documents come out in the
active language.

Its parts, each with its own notes:
- common.py: the dataclasses, and the texts and times both formats put in the same places;
- pdf.py: the sign-in sheet and the certificates, drawn by fpdf2 with the vendored DejaVu fonts;
- xlsx.py: the sign-in sheet and the attendance list, written by XlsxWriter.
Import from the package: it names what the rest of the platform uses.
"""

from .common import LOCAL_TZ, Attendee, CertificateRecipient, WorkshopInfo, format_datetime
from .pdf import FONT, FONTS_DIR, PDF_TYPE, certificate_pdf, certificates_pdf, signin_sheet_pdf
from .xlsx import XLSX_TYPE, attendance_xlsx, signin_sheet_xlsx

__all__ = [
    "FONT",
    "FONTS_DIR",
    "LOCAL_TZ",
    "PDF_TYPE",
    "XLSX_TYPE",
    "Attendee",
    "CertificateRecipient",
    "WorkshopInfo",
    "attendance_xlsx",
    "certificate_pdf",
    "certificates_pdf",
    "format_datetime",
    "signin_sheet_pdf",
    "signin_sheet_xlsx",
]
