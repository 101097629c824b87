"""Every write to a library document's description (Dublin Core), its creators and subjects.
Only the programme's library staff (coordinators, curators, staff admins) write here; files are
in files.py, physical copies in copies.py.

Each function takes keyword arguments, runs in one transaction, writes an audit entry on the
document and keeps the search index in step in that same transaction: a description saved is
a description found. Stored files are removed from storage only after the commit, so a rolled
back deletion never loses a file.
"""

import re
from collections.abc import Iterable
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ketnoi.core.audit import audit_record, diff, snapshot
from ketnoi.core.text import fold, normalise
from ketnoi.core.writes import after_commit, apply_fields, as_given, locked
from ketnoi.directory.models import Organisation, Person
from ketnoi.programmes.models import Programme

from .. import search_index
from ..models import TITLE_MAX, Access, CollectionItem, Creator, Document, Subject, WithdrawnRecord
from ._base import delete_stored, require_staff
from .actions import LibraryAction

MIN_YEAR = 1900
ORGANISATION_PREFIX = "to chuc:"  # folded "Tổ chức:"
NAME_MAX = 255
SUBJECT_MAX = 120
FIELDS = [
    "title",
    "type",
    "language",
    "year",
    "issued",
    "publisher",
    "abstract",
    "rights",
    "isbn",
    "doi",
    "url",
    "source",
    "access",
    "embargo_until",
]
_DOI = re.compile(r"^10\.\d{4,9}/\S+$")
_DOI_PREFIXES = ("https://doi.org/", "http://doi.org/", "https://dx.doi.org/", "http://dx.doi.org/", "doi:")


# Checking the description -------------------------------------------------------------------


def clean_isbn(value: str) -> str:
    """The ISBN without hyphens or spaces, or a ValidationError when its check digit is wrong."""
    compact = re.sub(r"[\s-]", "", value or "").upper()
    if not compact:
        return ""
    wrong = ValidationError(
        {"isbn": _("ISBN “%(isbn)s” không đúng: hãy chép lại 10 hoặc 13 chữ số in trên sách.") % {"isbn": value}}
    )
    if len(compact) == 10 and re.fullmatch(r"[0-9]{9}[0-9X]", compact):
        digits = [10 if ch == "X" else int(ch) for ch in compact]
        if sum((10 - i) * d for i, d in enumerate(digits)) % 11 == 0:
            return compact
    elif (
        len(compact) == 13
        and re.fullmatch(r"[0-9]{13}", compact)
        and sum(int(ch) * (1 if i % 2 == 0 else 3) for i, ch in enumerate(compact)) % 10 == 0
    ):
        return compact
    raise wrong


def clean_doi(value: str) -> str:
    """A DOI as "10.xxxx/…", accepting it written as a doi.org link or with "doi:"."""
    doi = (value or "").strip()
    for prefix in _DOI_PREFIXES:
        if doi.lower().startswith(prefix):
            doi = doi[len(prefix) :].strip()
            break
    if doi and not _DOI.match(doi):
        raise ValidationError(
            {"doi": _("DOI “%(doi)s” không đúng dạng: DOI bắt đầu bằng “10.”, ví dụ 10.1234/abc-5.") % {"doi": value}}
        )
    return doi


def _check_year(year) -> None:
    if year is None:
        return
    last = timezone.localdate().year + 1
    if not MIN_YEAR <= year <= last:
        raise ValidationError({"year": _("Năm phải từ %(first)s đến %(last)s.") % {"first": MIN_YEAR, "last": last}})


def _clean(document: Document, *, creating: bool, embargo_changed: bool) -> None:
    document.title = normalise(document.title)[:TITLE_MAX] if document.title else ""
    if not document.title:
        raise ValidationError({"title": _("Hãy nhập nhan đề của tài liệu.")})
    for name in ("publisher", "abstract", "rights", "source", "url"):
        setattr(document, name, (getattr(document, name) or "").strip())
    if document.year is None and document.issued:
        document.year = document.issued.year
    _check_year(document.year)
    document.isbn = clean_isbn(document.isbn)
    document.doi = clean_doi(document.doi)
    if document.embargo_until and embargo_changed and creating and document.embargo_until <= timezone.localdate():
        raise ValidationError(
            {"embargo_until": _("Ngày hạn chế phải sau hôm nay; tài liệu đọc được ngay thì để trống ô này.")}
        )
    document.full_clean(exclude=["programme", "subjects"])


def _creator_rows(document: Document, names: Iterable[str]) -> list[Creator]:
    """One Creator a line. "Tổ chức: …" or a name that folds like a directory organisation's is an
    organisation; a name that folds like exactly one directory person links that person."""
    rows = []
    for position, line in enumerate(line for line in (normalise(n) for n in names) if line):
        name = line
        is_organisation = fold(line).startswith(ORGANISATION_PREFIX)
        if is_organisation:
            name = normalise(line.split(":", 1)[1])
            if not name:
                continue
        if len(name) > NAME_MAX:
            raise ValidationError(
                {
                    "creators": _("Tên tác giả dài quá %(max)s ký tự: “%(name)s…”.")
                    % {"max": NAME_MAX, "name": name[:40]}
                }
            )
        folded = fold(name)
        organisations = [
            o for o in Organisation.objects.filter(name_folded__startswith=folded)[:20] if fold(o.name) == folded
        ]
        organisation = organisations[0] if len(organisations) == 1 else None
        person = None
        if not is_organisation and organisation is None:
            people = list(Person.objects.filter(name_folded=folded)[:2])
            person = people[0] if len(people) == 1 else None
        rows.append(
            Creator(
                document=document,
                position=position,
                name=name,
                is_organisation=is_organisation or organisation is not None,
                organisation=organisation,
                person=person,
            )
        )
    return rows


def _subjects(names: Iterable[str]) -> list[Subject]:
    """Subjects found by folded name, made when new; names that fold alike are one subject."""
    found: dict[str, Subject] = {}
    for raw in names:
        name = normalise(raw)
        if not name:
            continue
        if len(name) > SUBJECT_MAX:
            raise ValidationError(
                {"subjects": _("Chủ đề dài quá %(max)s ký tự: “%(name)s…”.") % {"max": SUBJECT_MAX, "name": name[:40]}}
            )
        folded = fold(name)
        if folded not in found:
            found[folded], _created = Subject.objects.get_or_create(folded=folded, defaults={"name": name})
    return list(found.values())


def _save_people_and_subjects(document: Document, creators, subjects) -> dict:
    """Replace creators and/or subjects (None leaves them), then reindex the description."""
    changes = {}
    if creators is not None:
        rows = _creator_rows(document, creators)
        old = list(document.creators.order_by("position", "id").values_list("name", flat=True))
        document.creators.all().delete()
        Creator.objects.bulk_create(rows)
        if old != [r.name for r in rows]:
            changes["creators"] = [old, [r.name for r in rows]]
    if subjects is not None:
        chosen = _subjects(subjects)
        old = sorted(document.subjects.values_list("name", flat=True))
        document.subjects.set(chosen)
        if old != sorted(s.name for s in chosen):
            changes["subjects"] = [old, sorted(s.name for s in chosen)]
    # A caller may hold prefetched creators or subjects: the index must read what was saved.
    getattr(document, "_prefetched_objects_cache", {}).clear()
    search_index.index_metadata(document)
    return changes


# Documents ------------------------------------------------------------------------------------


@transaction.atomic
def document_create(
    *,
    actor,
    programme: Programme,
    title: str,
    type: str,
    language: str = "vi",
    year: int | None = None,
    issued: date | None = None,
    publisher: str = "",
    abstract: str = "",
    rights: str = "",
    isbn: str = "",
    doi: str = "",
    url: str = "",
    source: str = "",
    access: str = "partners",
    embargo_until: date | None = None,
    creators: Iterable[str] = (),
    subjects: Iterable[str] = (),
) -> Document:
    require_staff(actor, programme)
    document = Document(
        programme=programme,
        title=title,
        type=type,
        language=language,
        year=year,
        issued=issued,
        publisher=publisher,
        abstract=abstract,
        rights=rights,
        isbn=isbn,
        doi=doi,
        url=url,
        source=source,
        access=access,
        embargo_until=embargo_until,
    )
    _clean(document, creating=True, embargo_changed=True)
    creators, subjects = list(creators or ()), list(subjects or ())
    document.save()
    people = _save_people_and_subjects(document, creators, subjects)
    audit_record(
        actor=actor,
        action=LibraryAction.DOCUMENT_CREATE,
        obj=document,
        changes={**snapshot(document, FIELDS), **{k: new for k, (_old, new) in people.items()}},
    )
    return document


@transaction.atomic
def document_update(*, actor, document: Document, **fields) -> Document:
    """Change any of the description's fields; `creators` and `subjects`, when given, replace
    the old lists. An embargo date in the past is allowed here: it lifts the embargo."""
    require_staff(actor, document.programme)
    unknown = set(fields) - set(FIELDS) - {"creators", "subjects"}
    if unknown:
        raise TypeError(f"document_update got unknown fields: {sorted(unknown)}")
    creators = fields.pop("creators", None)
    subjects = fields.pop("subjects", None)
    current = locked(document)
    before = snapshot(current, FIELDS)
    was_public = current.access == Access.PUBLIC
    apply_fields(current, FIELDS, fields, clean_text=as_given)  # _clean below normalises the text
    _clean(current, creating=False, embargo_changed="embargo_until" in fields)
    current.save()
    people = _save_people_and_subjects(
        current,
        None if creators is None else list(creators),
        None if subjects is None else list(subjects),
    )
    _record_harvest_change(current, was_public=was_public, public=current.access == Access.PUBLIC)
    audit_record(
        actor=actor, action=LibraryAction.DOCUMENT_UPDATE, obj=current, changes={**diff(before, current), **people}
    )
    for name in FIELDS + ["updated_at"]:
        setattr(document, name, getattr(current, name))
    getattr(document, "_prefetched_objects_cache", {}).clear()
    return document


@transaction.atomic
def document_delete(*, actor, document: Document) -> None:
    """Delete a document with its files, copies and index entries. A document delivered to a
    partner stays: the delivery register must keep showing what was provided."""
    require_staff(actor, document.programme)
    delivered = (
        CollectionItem.objects.filter(document=document, status=CollectionItem.Status.DELIVERED)
        .select_related("collection")
        .first()
    )
    if delivered is not None:
        raise ValidationError(
            _(
                "Không xoá được: tài liệu đã bàn giao trong bộ sưu tập “%(collection)s”, sổ bàn giao "
                "phải giữ lại. Nếu không muốn ai đọc nữa, hãy đổi quyền xem thành “Chỉ cán bộ thư viện”."
            )
            % {"collection": delivered.collection.name}
        )
    _record_harvest_change(document, was_public=document.access == Access.PUBLIC, public=False)
    search_index.drop_document(document)
    stored = [(f.file.storage, f.file.name) for f in document.files.all() if f.file.name]
    audit_record(
        actor=actor,
        action=LibraryAction.DOCUMENT_DELETE,
        obj=document,
        changes={**snapshot(document, ["title", "type", "access"]), "files": [name for _s, name in stored]},
    )
    document.delete()
    after_commit(lambda: delete_stored(stored))


def _record_harvest_change(document: Document, *, was_public: bool, public: bool) -> None:
    """Keep OAI-PMH's withdrawn records in step: a document that stops being public (or is
    deleted) leaves one, with the sets it was in; one that becomes public again takes it back."""
    if public:
        WithdrawnRecord.objects.filter(document_id=document.pk).delete()
        return
    if not was_public:
        return
    in_sets = CollectionItem.objects.filter(document=document, status__in=CollectionItem.IN_SET)
    specs = sorted({f"collection-{pk}" for pk in in_sets.values_list("collection_id", flat=True)})
    WithdrawnRecord.objects.update_or_create(
        document_id=document.pk,
        defaults={"withdrawn_at": timezone.now(), "set_specs": f" {' '.join(specs)} " if specs else ""},
    )
