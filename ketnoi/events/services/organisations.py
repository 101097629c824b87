"""Where a registrant works: the organisation name they typed is kept on the registration; it is
linked to a directory organisation when exactly one has that name (`organisation_matching`), or
later by a coordinator from the registrations list, many rows at once, to an organisation of the
directory or to one created there and then with its type (`registrations_match_organisation`).
The participant figures count each registration under the type of that organisation."""

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from ketnoi.core.audit import audit_record
from ketnoi.core.text import fold, normalise
from ketnoi.core.writes import locked
from ketnoi.directory.models import Organisation, OrganisationType
from ketnoi.directory.queries import organisations_for
from ketnoi.directory.services import organisation_create
from ketnoi.programmes.access import can_plan

from ..models import Registration, Workshop
from .actions import EventsAction

# Enough to hold every organisation a typed name could start or end with; the exact comparison
# follows in Python.
MATCH_CANDIDATES = 200
MATCH_MAX = 500  # rows matched in one go: a workshop's whole list, not a table scan by mistake


def organisations_named(name: str, queryset=None) -> list[Organisation]:
    """The directory organisations whose name, short name, or both as the directory writes them
    ("Sở Nội vụ SNV"), fold to what was typed: "hoi lhpn tp.hcm" finds "Hội LHPN TP.HCM"."""
    folded = fold(name)
    if not folded:
        return []
    queryset = Organisation.objects.all() if queryset is None else queryset
    # name_folded is "<name> <short name>" folded: the typed text is all of it, its start or its end.
    candidates = (
        queryset.select_related(None)
        .filter(Q(name_folded=folded) | Q(name_folded__startswith=folded + " ") | Q(name_folded__endswith=" " + folded))
        .only("pk", "name", "short_name", "type", "name_folded")[:MATCH_CANDIDATES]
    )
    return [o for o in candidates if folded in (fold(o.name), fold(o.short_name), o.name_folded)]


def organisation_matching(name: str) -> Organisation | None:
    """The one directory organisation a typed name stands for; None when none or several do (a
    guess would count the person under the wrong type)."""
    found = organisations_named(name)
    return found[0] if len(found) == 1 else None


@transaction.atomic
def registrations_match_organisation(
    *,
    actor,
    workshop: Workshop,
    registrations: Iterable[Registration | int],
    organisation: Organisation | None = None,
    new_organisation_name: str = "",
    new_organisation_type: str = "",
    new_organisation_short_name: str = "",
) -> list[Registration]:
    """Count the chosen registrations of `workshop` under one directory organisation: an
    existing one (`organisation`), or a new one created with its name and type. What each person
    typed stays as typed. Coordinators of the workshop's programme only; a registration of
    another workshop refuses the whole batch, so nothing is half-written. One audit entry per
    registration ({"organisation": [before, after]}), and the directory's for a new organisation."""
    if not can_plan(actor, workshop.programme):
        raise PermissionDenied(_("Chỉ điều phối viên của chương trình mới gắn được tổ chức cho người đăng ký."))
    workshop = locked(workshop)
    ids = sorted({r.pk if isinstance(r, Registration) else r for r in registrations})
    if not ids:
        raise ValidationError({"registrations": _("Hãy đánh dấu ít nhất một người trong danh sách đăng ký.")})
    if len(ids) > MATCH_MAX:
        raise ValidationError(
            {"registrations": _("Mỗi lần gắn được tối đa %(n)s người: hãy chia danh sách ra.") % {"n": MATCH_MAX}}
        )
    rows = list(Registration.objects.select_for_update().filter(pk__in=ids, workshop=workshop).order_by("pk"))
    if len(rows) != len(ids):
        raise ValidationError(
            {
                "registrations": _(
                    "Có người được chọn không thuộc danh sách đăng ký của hội thảo này: hãy tải lại trang."
                )
            }
        )
    new_name = normalise(new_organisation_name)
    if (organisation is None) == (not new_name):
        raise ValidationError(
            {
                "organisation": _(
                    "Hãy chọn một tổ chức có trong danh bạ, hoặc nhập tên và loại hình của tổ chức mới — một trong hai."
                )
            }
        )
    if organisation is not None:
        organisation = organisations_for(actor).filter(pk=organisation.pk).first()
        if organisation is None:
            raise ValidationError({"organisation": _("Không tìm thấy tổ chức này trong danh bạ.")})
    else:
        organisation = _create(actor, new_name, new_organisation_type, new_organisation_short_name)
    for registration in rows:
        before = registration.organisation_id
        if before == organisation.pk:
            continue
        registration.organisation = organisation
        registration.save(update_fields=["organisation", "updated_at"])
        audit_record(
            actor=actor,
            action=EventsAction.REGISTRATION_MATCH_ORGANISATION,
            obj=registration,
            changes={"organisation": [before, organisation.pk], "organisation_name": registration.organisation_name},
        )
    return rows


def _create(actor, name: str, type: str, short_name: str) -> Organisation:
    if type not in OrganisationType.values:
        raise ValidationError({"new_organisation_type": _("Hãy chọn loại hình của tổ chức mới.")})
    same = organisations_named(name)
    if same:
        raise ValidationError(
            {
                "new_organisation_name": _("Danh bạ đã có “%(name)s”: hãy chọn tổ chức đó thay vì tạo tổ chức mới.")
                % {"name": same[0].name}
            }
        )
    try:
        return organisation_create(actor=actor, name=name, type=type, short_name=short_name)
    except ValidationError as error:
        # The directory names its fields; the form here calls them new_organisation_….
        if hasattr(error, "error_dict"):
            raise ValidationError(
                {f"new_organisation_{field}": messages for field, messages in error.error_dict.items()}
            ) from error
        raise
