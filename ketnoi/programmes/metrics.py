"""The programme's own indicator metrics, registered at start-up (see ProgrammesConfig.ready)."""

from datetime import date

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ketnoi.core.metrics import counts_by, in_period
from ketnoi.core.registry import register_metric
from ketnoi.directory.models import Organisation
from ketnoi.directory.queries import current_province_code

from .models import Agreement


def _signed_between(prefix: str, start: date | None, end: date | None) -> Q:
    return Q(**{f"{prefix}signed_on__isnull": False}) & in_period(f"{prefix}signed_on", start, end)


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
    organisations = Organisation.objects.filter(pk__in=partners.values("pk"))
    return counts_by(organisations.annotate(province_code=current_province_code()), field)


register_metric(
    "programmes.agreements_signed",
    label=_("Số thoả thuận hợp tác đã ký"),
    unit=_("thoả thuận"),
    compute=agreements_signed,
)
register_metric(
    "programmes.partner_organisations",
    label=_("Số tổ chức là bên tham gia thoả thuận"),
    unit=_("tổ chức"),
    compute=partner_organisations,
    disaggregations=("organisation_type", "province"),
)
