"""What the header search finds in the directory: people and organisations, for whoever may read
the directory (as its own pages decide); each kind's "xem thêm" is its list filtered by the query."""

from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import pgettext_lazy

from ketnoi.core.registry import SearchHit, register_search
from ketnoi.core.search import matching, shortlist, starts_a_word

from . import queries


def _by_name(terms: list[str]):
    """Names with a word beginning with the first term first, then alphabetically."""
    return lambda name: (not starts_a_word(name, terms[0]), name)


def find_people(user, terms: list[str], limit: int) -> list[SearchHit]:
    people = (
        queries.people_for(user)
        .select_related(None)
        .select_related("organisation")
        .filter(matching(terms, "name_folded", "email_normalised"))
    )
    people = shortlist(people, limit, fields=("name_folded",), key=_by_name(terms))
    return [
        SearchHit(
            title=person.full_name,
            url=reverse("directory:person_detail", args=[person.pk]),
            subtitle=" · ".join(filter(None, [person.position, person.organisation and person.organisation.name])),
        )
        for person in people
    ]


def find_organisations(user, terms: list[str], limit: int) -> list[SearchHit]:
    organisations = (
        queries.organisations_for(user)
        .select_related(None)
        .select_related("province")
        .filter(matching(terms, "name_folded"))
    )
    organisations = shortlist(organisations, limit, fields=("name_folded",), key=_by_name(terms))
    return [
        SearchHit(
            title=str(organisation),
            url=reverse("directory:organisation_detail", args=[organisation.pk]),
            subtitle=" · ".join(filter(None, [organisation.get_type_display(), str(organisation.province or "")])),
        )
        for organisation in organisations
    ]


def _list_url(name: str):
    return lambda query: f"{reverse(name)}?{urlencode({'q': query})}"


register_search(
    "directory.people",
    label=pgettext_lazy("search", "Cá nhân"),
    provider=find_people,
    order=10,
    more_url=_list_url("directory:person_list"),
)
register_search(
    "directory.organisations",
    label=pgettext_lazy("search", "Tổ chức"),
    provider=find_organisations,
    order=20,
    more_url=_list_url("directory:organisation_list"),
)
