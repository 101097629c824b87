"""Reads the workshop pages share: the list with its counts, the participant breakdown, and the
rows of the printable documents — each a fixed number of queries, whatever the size."""

from collections import Counter
from dataclasses import dataclass

from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce
from django.db.models.lookups import IsNull
from django.utils import timezone
from django.utils.translation import gettext as _

from ketnoi.core.text import fold
from ketnoi.directory.models import OrganisationType, Sex

from . import documents
from .models import Registration, Workshop, organisation_type_of

Status = Registration.Status


def with_counts(workshops: QuerySet[Workshop]) -> QuerySet[Workshop]:
    return workshops.annotate(
        registered=Count("registrations", filter=~Q(registrations__status=Status.CANCELLED)),
        confirmed=Count("registrations", filter=Q(registrations__status__in=[Status.CONFIRMED, Status.ATTENDED])),
        waiting=Count("registrations", filter=Q(registrations__status=Status.WAITING)),
        pending=Count("registrations", filter=Q(registrations__status=Status.PENDING)),
        attended=Count("registrations", filter=Q(registrations__checked_in_at__isnull=False)),
        # People holding a place whose organisation type is not known yet (none, or unmatched).
        unknown_type=Count(
            "registrations",
            filter=Q(
                IsNull(organisation_type_of("registrations__"), True),
                registrations__status__in=[Status.CONFIRMED, Status.ATTENDED],
            ),
        ),
    )


def registration_counts(workshop: Workshop) -> dict:
    """The figures above a workshop's registrations list, for the whole workshop whatever page of
    the list is shown: one aggregate over its registrations (no join, no grouping)."""
    by_status = {value: Count("pk", filter=Q(status=value)) for value in Status.values}
    figures = workshop.registrations.aggregate(
        attended=Count("pk", filter=Q(checked_in_at__isnull=False)),
        **{f"status_{value}": count for value, count in by_status.items()},
    )
    counts = {value: figures[f"status_{value}"] for value in Status.values}
    return {
        "by_status": counts,
        "registered": sum(n for value, n in counts.items() if value != Status.CANCELLED),
        "confirmed": counts[Status.CONFIRMED] + counts[Status.ATTENDED],
        "waiting": counts[Status.WAITING],
        "pending": counts[Status.PENDING],
        "attended": figures["attended"],
    }


def registrations_listed(
    workshop: Workshop, *, status: str = "", unknown_only: bool = False, first=()
) -> QuerySet[Registration]:
    """The workshop's registrations list, filtered by status and to unknown organisation types;
    the rows ticked for matching (`first`: ids) come first, so a group chosen to be matched is
    on the first page."""
    rows = workshop.registrations.select_related("person", "person__organisation", "organisation")
    if status:
        rows = rows.filter(status=status)
    if unknown_only:
        rows = unknown_type(rows)
    order = ["status", "waiting_since", Coalesce("person__name_folded", "name_folded"), "pk"]
    if first:
        ticked = Case(When(pk__in=list(first), then=Value(0)), default=Value(1), output_field=IntegerField())
        order.insert(0, ticked)
    return rows.order_by(*order)


@dataclass
class Share:
    label: str
    count: int
    percent: float


@dataclass
class Breakdown:
    basis: str  # who is counted: those who came, or (before the day) those registered
    total: int
    by_organisation_type: list[Share]
    by_sex: list[Share]
    by_province: list[Share]
    state_cso: tuple[int, int] | None  # state agencies and CSOs, for a connecting workshop
    unknown_type: int  # people counted whose organisation type is not known yet (none, or unmatched)


def _shares(rows: list[tuple], labels: dict, total: int) -> list[Share]:
    shares = [Share(labels.get(key, key) or _("Chưa rõ"), n, n * 100 / total if total else 0) for key, n in rows]
    return sorted(shares, key=lambda s: -s.count)


def breakdown(workshop: Workshop) -> Breakdown:
    """Who took part, by organisation type, sex and province: three grouped queries."""
    came = workshop.registrations.filter(checked_in_at__isnull=False)
    basis = _("người đã điểm danh")
    if not came.exists():
        came = workshop.registrations.filter(status__in=[Status.CONFIRMED, Status.ATTENDED])
        basis = _("người đã được xác nhận (chưa có ai điểm danh)")

    def grouped(field: str) -> list[tuple]:
        return list(came.values_list(field).annotate(n=Count("pk")).order_by(field))

    # The registration's own organisation (typed and matched) before the person's record.
    came = came.annotate(organisation_type=organisation_type_of())
    by_type = grouped("organisation_type")
    total = sum(n for _k, n in by_type)
    types = dict(OrganisationType.choices)
    provinces = dict(
        came.exclude(person__province__isnull=True).values_list("person__province__code", "person__province__name")
    )
    mix = None
    if workshop.kind == Workshop.Kind.CONNECTING:
        counts = dict(by_type)
        mix = (counts.get(OrganisationType.STATE_AGENCY, 0), counts.get(OrganisationType.CSO, 0))
    return Breakdown(
        basis=basis,
        total=total,
        by_organisation_type=_shares(by_type, types, total),
        by_sex=_shares(grouped("person__sex"), dict(Sex.choices), total),
        by_province=_shares(grouped("person__province__code"), provinces, total),
        state_cso=mix,
        unknown_type=dict(by_type).get(None, 0),
    )


# Organisations to match ----------------------------------------------------------------------


def unknown_type(registrations: QuerySet[Registration]) -> QuerySet[Registration]:
    """The registrations no organisation type is known for: nothing typed and none on the
    person's record, or a typed name not matched to the directory yet."""
    return registrations.alias(organisation_type=organisation_type_of()).filter(organisation_type__isnull=True)


@dataclass
class TypedGroup:
    """Registrations whose typed organisation names fold to the same text: matched together."""

    name: str  # the spelling most of them typed
    ids: list[int]


def typed_groups(workshop: Workshop) -> list[TypedGroup]:
    """The workshop's unmatched typed names, grouped by their folded form ("Hội Luật gia Việt
    Nam" and "hoi luat gia viet nam" are one), largest group first; one query."""
    rows = (
        workshop.registrations.exclude(status=Status.CANCELLED)
        .filter(organisation__isnull=True)
        .exclude(organisation_name="")
        .values_list("pk", "organisation_name")
        .order_by("pk")
    )
    groups: dict[str, dict] = {}
    for pk, name in rows:
        group = groups.setdefault(fold(name), {"ids": [], "spellings": Counter()})
        group["ids"].append(pk)
        group["spellings"][name] += 1
    found = [TypedGroup(g["spellings"].most_common(1)[0][0], g["ids"]) for g in groups.values()]
    return sorted(found, key=lambda g: (-len(g.ids), fold(g.name)))


# Printable documents --------------------------------------------------------------------------


def document_workshop(workshop: Workshop) -> documents.WorkshopInfo:
    organisers = ", ".join(workshop.organisations.filter(role="organiser").values_list("organisation__name", flat=True))
    return documents.WorkshopInfo(
        title=workshop.title,
        kind_label=workshop.get_kind_display(),
        organisers=organisers,
        venue=workshop.venue,
        city=workshop.province.name if workshop.province_id else "",
        starts_at=workshop.starts_at,
        ends_at=workshop.ends_at,
    )


def document_attendees(workshop: Workshop, *, attended_only: bool = False) -> list[documents.Attendee]:
    """Confirmed and attended delegates (or only those who came), by name."""
    statuses = [Status.ATTENDED] if attended_only else [Status.CONFIRMED, Status.ATTENDED]
    rows = (
        workshop.registrations.filter(status__in=statuses)
        .select_related("person", "person__organisation", "person__province", "organisation", "province")
        .order_by(Coalesce("person__name_folded", "name_folded"), "pk")
    )
    sexes = dict(Sex.choices)
    return [
        documents.Attendee(
            number=number,
            full_name=r.delegate.full_name,
            organisation=r.organisation_shown,
            position=r.delegate.position,
            sex_label=str(sexes.get(r.delegate.sex, "")),
            province=r.delegate.province.name if r.delegate.province_id else "",
            email=r.delegate.email,
            phone=r.delegate.phone,
            checked_in_at=timezone.localtime(r.checked_in_at) if r.checked_in_at else None,
            checkin_code=r.checkin_code_display,
        )
        for number, r in enumerate(rows, start=1)
    ]
