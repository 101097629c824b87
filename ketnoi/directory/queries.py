"""Permission-scoped reads of the directory. Views and the API fetch through these helpers, never
with a bare `.get(pk=…)`, so the access rule lives in one place.

The directory is shared by all programmes: whoever may read it (any programme role, or staff)
sees every organisation and person; everyone else sees nothing (404 on a detail page).
"""

from collections import defaultdict
from itertools import combinations

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Value
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404

from ketnoi.core.permissions import can_edit_directory, can_read_directory
from ketnoi.core.text import fold, normalise_phone

from .models import Organisation, Person, PersonImport, PersonImportRow, Province

# How indicators break down people: by sex, organisation type and province, as lookups from a row
# that has a `person`; "province_code" is the annotation `current_province_code("person__province")`.
PERSON_BREAKDOWN = {
    "sex": "person__sex",
    "organisation_type": "person__organisation__type",
    "province": "province_code",
}


def current_province_code(province: str = "province") -> Coalesce:
    """The code of the province at the lookup `province`, a legacy unit counted under the unit
    it merged into."""
    return Coalesce(f"{province}__successor__code", f"{province}__code")


def current_provinces() -> QuerySet[Province]:
    """The 34 units offered for new data."""
    return Province.objects.filter(scheme=Province.Scheme.CURRENT).order_by("name_folded")


def province_choices_for(instance_province: Province | None = None) -> QuerySet[Province]:
    """Current units, plus the legacy unit a record already holds so editing keeps it."""
    condition = Q(scheme=Province.Scheme.CURRENT)
    if instance_province is not None:
        condition |= Q(pk=instance_province.pk)
    return Province.objects.filter(condition).order_by("scheme", "name_folded")


def _folded_terms(q: str) -> list[str]:
    return [term for term in fold(q).split(" ") if term]


def _in_province(province: Province) -> Q:
    # A legacy unit counts under the unit it merged into.
    return Q(province=province) | Q(province__successor=province)


# Organisations -------------------------------------------------------------------------------


def organisations_for(user) -> QuerySet[Organisation]:
    if not can_read_directory(user):
        return Organisation.objects.none()
    return Organisation.objects.select_related("province", "parent")


def get_organisation_for_user(user, pk: int) -> Organisation:
    return get_object_or_404(organisations_for(user), pk=pk)


def search_organisations(
    queryset: QuerySet[Organisation], *, q: str = "", type: str = "", province: Province | None = None
) -> QuerySet[Organisation]:
    for term in _folded_terms(q):
        queryset = queryset.filter(name_folded__contains=term)
    if type:
        queryset = queryset.filter(type=type)
    if province is not None:
        queryset = queryset.filter(_in_province(province))
    return queryset


# People --------------------------------------------------------------------------------------


def people_for(user, *, include_erased: bool = False) -> QuerySet[Person]:
    """People the user may see. Lists leave erased people out; detail pages include them."""
    if not can_read_directory(user):
        return Person.objects.none()
    queryset = Person.objects.select_related("organisation", "province")
    if not include_erased:
        queryset = queryset.filter(erased_at__isnull=True)
    return queryset


def get_person_for_user(user, pk: int) -> Person:
    return get_object_or_404(people_for(user, include_erased=True), pk=pk)


def search_people(
    queryset: QuerySet[Person],
    *,
    q: str = "",
    sex: str = "",
    organisation: Organisation | None = None,
    province: Province | None = None,
) -> QuerySet[Person]:
    q = (q or "").strip()
    if q:
        by_name = Q()
        for term in _folded_terms(q):
            by_name &= Q(name_folded__contains=term)
        condition = by_name | Q(email_normalised__contains=q.lower())
        digits = normalise_phone(q)
        if len(digits) >= 6:
            condition |= Q(phone_normalised__contains=digits)
        queryset = queryset.filter(condition)
    if sex:
        queryset = queryset.filter(sex=sex)
    if organisation is not None:
        queryset = queryset.filter(organisation=organisation)
    if province is not None:
        queryset = queryset.filter(_in_province(province))
    return queryset


def people_count_by_province(queryset: QuerySet[Person]) -> list[dict]:
    """[{"province": Province | None, "count": n}] with legacy units counted under their successor,
    most people first. Grouped by the person's own province (from the index
    `person_listed_by_province` when unfiltered, no join); the legacy units are folded into their
    successors here, from the small table of provinces. The counts add up to the list's count."""
    # Grouped by an expression, not the column: SQLite then reads a searched list's rows once
    # instead of one by one through the province index (an unfiltered list reads the index).
    unit = Coalesce("province_id", Value(0))
    rows = queryset.order_by().annotate(unit=unit).values_list("unit").annotate(count=Count("pk")).order_by()
    counts: dict[int | None, int] = defaultdict(int)
    rows = list(rows)
    provinces = Province.objects.in_bulk() if any(pk for pk, _n in rows) else {}
    for pk, count in rows:
        province = provinces.get(pk)
        counts[(province.successor_id or province.pk) if province else None] += count
    found = [{"province": provinces.get(pk) if pk else None, "count": n} for pk, n in counts.items()]
    return sorted(found, key=lambda row: (-row["count"], row["province"] is None, getattr(row["province"], "name", "")))


def person_find_duplicates(
    *, full_name: str, email: str = "", phone: str = "", exclude_pk: int | None = None
) -> QuerySet[Person]:
    """People with the same folded name and the same e-mail or normalised phone.

    "Nguyễn Thị Lan, +84 912 345 678" finds "nguyen thi lan, 0912345678". Erased people are
    never candidates: nothing about them is left to compare.
    """
    email_key = (email or "").strip().lower()
    phone_key = normalise_phone(phone)
    if not (email_key or phone_key) or not fold(full_name):
        return Person.objects.none()
    contact = Q()
    if email_key:
        contact |= Q(email_normalised=email_key)
    if phone_key:
        contact |= Q(phone_normalised=phone_key)
    queryset = Person.objects.filter(contact, name_folded=fold(full_name), erased_at__isnull=True)
    if exclude_pk is not None:
        queryset = queryset.exclude(pk=exclude_pk)
    return queryset.select_related("organisation", "province")


def duplicate_pairs(user, *, limit: int = 500) -> list[dict]:
    """Candidate duplicate pairs across the directory, found in SQL.

    A correlated EXISTS (a self-join the database plans with the name index) picks the people
    who share their folded name and e-mail or phone with someone else; only those few rows reach
    Python, where each small group is paired up.
    """
    people = people_for(user)
    others = Person.objects.filter(name_folded=OuterRef("name_folded"), erased_at__isnull=True).exclude(
        pk=OuterRef("pk")
    )
    same_email = others.filter(email_normalised=OuterRef("email_normalised"))
    same_phone = others.filter(phone_normalised=OuterRef("phone_normalised"))
    candidates = people.filter(
        (~Q(email_normalised="") & Exists(same_email)) | (~Q(phone_normalised="") & Exists(same_phone))
    ).order_by("name_folded", "id")

    groups: dict[tuple[str, str, str], list[Person]] = defaultdict(list)
    for person in candidates[: limit * 4]:
        if person.email_normalised:
            groups[("email", person.name_folded, person.email_normalised)].append(person)
        if person.phone_normalised:
            groups[("phone", person.name_folded, person.phone_normalised)].append(person)

    pairs: dict[tuple[int, int], dict] = {}
    for (reason, _name, _value), members in groups.items():
        for first, second in combinations(members, 2):
            pair = pairs.setdefault((first.pk, second.pk), {"first": first, "second": second, "reasons": []})
            pair["reasons"].append(reason)
    ordered = sorted(pairs.values(), key=lambda p: (p["first"].name_folded, p["first"].pk, p["second"].pk))
    return ordered[:limit]


# Imports -------------------------------------------------------------------------------------


def imports_for(user) -> QuerySet[PersonImport]:
    """An upload holds personal data: its author sees it, and staff."""
    if not can_edit_directory(user):
        return PersonImport.objects.none()
    queryset = PersonImport.objects.select_related("created_by")
    if not user.is_staff:
        queryset = queryset.filter(created_by=user)
    return queryset


def get_import_for_user(user, pk: int) -> PersonImport:
    return get_object_or_404(imports_for(user), pk=pk)


def import_rows(person_import: PersonImport, *, problems: bool = False, refused: bool = False):
    """A list's rows in file order (index on import, status, line): those with problems
    (refused, or matched and so left out) or only the refused ones when asked."""
    rows = person_import.import_rows.select_related(None).order_by("line")
    if refused:
        return rows.filter(status=PersonImportRow.Status.ERROR)
    if problems:
        return rows.filter(status__in=PersonImportRow.PROBLEMS)
    return rows


def import_row_counts(person_import: PersonImport) -> dict[str, int]:
    from ketnoi.core.imports import counts_by_status

    return counts_by_status(person_import.import_rows.all())
