"""What the header search finds in the library: documents by title, among those whose
description the user may see (access.visible_documents: public ones for everyone). The
library's own search, which reads creators, subjects and full text, is the "xem thêm"."""

from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import pgettext_lazy

from ketnoi.core.registry import SearchHit, register_search
from ketnoi.core.search import matching, shortlist, starts_a_word

from .access import visible_documents


def find_documents(user, terms: list[str], limit: int) -> list[SearchHit]:
    documents = visible_documents(user).filter(matching(terms, "title_folded")).select_related("programme")
    # Titles with a word beginning with the first term first, then the newest, by title.
    documents = shortlist(
        documents,
        limit,
        fields=("title_folded", "year"),
        key=lambda title, year: (not starts_a_word(title, terms[0]), -(year or 0), title),
    )
    return [
        SearchHit(
            title=document.title,
            url=reverse("library_public:document", args=[document.pk]),
            subtitle=" · ".join(filter(None, [str(document.year or ""), document.get_type_display()])),
        )
        for document in documents
    ]


def _library_search_url(query: str) -> str:
    return f"{reverse('library_public:search')}?{urlencode({'q': query})}"


register_search(
    "library.documents",
    label=pgettext_lazy("search", "Tài liệu thư viện"),
    provider=find_documents,
    order=80,
    more_url=_library_search_url,
)
