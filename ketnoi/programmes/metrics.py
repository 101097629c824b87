"""The programme's own indicator metrics, registered at start-up (see ProgrammesConfig.ready)."""

from datetime import date

from django.db.models import Count, Q
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from ketnoi.core.registry import register_metric
from ketnoi.directory.models import Organisation

from .models import Agreement


def _signed_between(prefix: str, start: date | None, end: date | None) -> Q:
    condition = Q(**{f"{prefix}signed_on__isnull": False})
    if start is not None:
        condition &= Q(**{f"{prefix}signed_on__gte": start})
    if end is not None:
        condition &= Q(**{f"{prefix}signed_on__lte": end})
    return condition


def agreements_signed(*, programme, start: date | None, end: date | None, disaggregate_by: str | None = None):
    return Agreement.objects.filter(_signed_between("", start, end), programme=programme).count()


def partner_organisations(*, programme, start: date | None, end: date | None, disaggregate_by: str | None = None):
    """Distinct organisations that are party to an agreement of the programme signed in the range."""
    partners = Organisation.objects.filter(
        _signed_between("agreements__", start, end), agreements__programme=programme
    ).distinct()
    if disaggregate_by is None:
        return partners.count()
    if disaggregate_by == "organisation_type":
        field = "type"
    elif disaggregate_by == "province":
        field = "province_code"
    else:
        raise ValueError(disaggregate_by)
    rows = (
        Organisation.objects.filter(pk__in=partners.values("pk"))
        # A legacy unit counts under the unit it merged into.
        .annotate(province_code=Coalesce("province__successor__code", "province__code"))
        .values(field)
        .annotate(n=Count("pk"))
        .order_by(field)
    )
    return {row[field] or "": row["n"] for row in rows}


register_metric(
    "programmes.agreements_signed",
    label=_("Số thỏa thuận hợp tác đã ký"),
    unit=_("thỏa thuận"),
    compute=agreements_signed,
)
register_metric(
    "programmes.partner_organisations",
    label=_("Số tổ chức là bên tham gia thỏa thuận"),
    unit=_("tổ chức"),
    compute=partner_organisations,
    disaggregations=("organisation_type", "province"),
)
