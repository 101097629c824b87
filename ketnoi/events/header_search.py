"""What the header search finds among workshops: those of the programmes the user may see."""

from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import pgettext_lazy

from ketnoi.core.registry import SearchHit, register_search
from ketnoi.core.search import matching, word_start_first

from .access import workshops_for


def find_workshops(user, terms: list[str], limit: int) -> list[SearchHit]:
    workshops = (
        workshops_for(user)
        .select_related(None)
        .select_related("programme")
        .filter(matching(terms, "title_folded"))
        .order_by(word_start_first("title_folded", terms), "-starts_at", "-id")[:limit]
    )
    return [
        SearchHit(
            title=workshop.title,
            url=reverse("events:detail", kwargs={"code": workshop.programme.code, "pk": workshop.pk}),
            subtitle=" · ".join(
                [
                    formats.date_format(timezone.localtime(workshop.starts_at), "SHORT_DATE_FORMAT"),
                    workshop.programme.name,
                ]
            ),
        )
        for workshop in workshops
    ]


register_search("events.workshops", label=pgettext_lazy("search", "Hội thảo"), provider=find_workshops, order=30)
