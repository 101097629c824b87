"""What the registrations list on a workshop's page needs to match organisations (coordinators
only): the filter of rows with no known organisation type, the rows ticked, the groups of one
typed name, the directory organisation picker (directory/picking.py). The POST is views_registrations.py's."""

from django.http import HttpRequest, QueryDict
from django.urls import reverse
from django.utils.http import urlencode

from ketnoi.core.parsing import whole_number
from ketnoi.directory.models import OrganisationType
from ketnoi.programmes.models import Programme

from . import queries
from .forms import OrganisationMatchForm
from .models import Workshop
from .services.organisations import MATCH_MAX

UNKNOWN = "unknown"  # ?organisation=unknown: the rows no organisation type is known for
# The largest groups of one typed name offered above the list; the others are in the filtered list
# (?organisation=unknown), a page at a time, as many as a workshop of hundreds may have.
GROUPS_SHOWN = 20


def list_url(
    workshop: Workshop, *, ids=(), name: str = "", pick: str = "", anchor: str = "registrations", page: str = ""
) -> str:
    """The registrations list filtered to unknown organisation types, with `ids` ticked and the
    new organisation's name filled in. At most MATCH_MAX ids (more are refused anyway), so that a
    crafted POST of a thousand long ids cannot make the redirect too long to send."""
    ids = sorted(set(ids))[:MATCH_MAX]
    query = urlencode(
        [
            ("organisation", UNKNOWN),
            *(("r", pk) for pk in ids),
            *((("name", name),) if name else ()),
            *((("pick", pick[:100]),) if pick else ()),  # a search of the picker without JavaScript
        ]
    )
    page = page or reverse("events:detail", args=[workshop.programme.code, workshop.pk])
    return f"{page}?{query}#{anchor}"


def match_context(request: HttpRequest, programme: Programme, workshop: Workshop) -> dict:
    """What the workshop's page needs to match organisations (coordinators only: `{}` else)."""
    ticked = {n for n in (whole_number(v) for v in request.GET.getlist("r")) if n is not None}
    found = queries.typed_groups(workshop)
    page = reverse("events:detail", args=[programme.code, workshop.pk])
    groups = [
        {
            "name": group.name,
            "count": len(group.ids),
            "url": list_url(workshop, ids=group.ids, name=group.name, anchor="organisation-match", page=page),
        }
        for group in found[:GROUPS_SHOWN]
    ]
    searched = QueryDict(mutable=True)
    searched["organisation__q"] = (request.GET.get("pick") or "")[:100]
    return {
        "match_url": reverse("events:registrations_organisation", args=[programme.code, workshop.pk]),
        "unknown_url": list_url(workshop),
        "ticked": ticked,
        "typed_groups": groups,
        "typed_groups_more": len(found) - len(groups),
        "new_organisation_name": (request.GET.get("name") or "").strip()[:255],
        "organisation_types": OrganisationType.choices,
        "match_form": OrganisationMatchForm(searched, auto_id="match_%s"),
    }


def ticked_elsewhere(ticked, shown) -> list[int]:
    """The ticked rows not on the page of the list shown (a group larger than a page, or the
    reader went on to the next page): sent with the form as hidden fields, so that matching or a
    bulk action still takes every row ticked."""
    if not ticked:
        return []
    here = {r.pk for r in shown}
    return sorted(pk for pk in ticked if pk not in here)[:MATCH_MAX]


def without(query_string: str, *names: str) -> str:
    """`query_string` (as core.web.paginate gives it) without the parameters `names`."""
    params = QueryDict(query_string, mutable=True)
    for name in names:
        params.pop(name, None)
    return params.urlencode()
