"""What the header search finds among survey forms: those of the programmes the user may see."""

from django.urls import reverse
from django.utils.translation import pgettext_lazy

from ketnoi.core.registry import SearchHit, register_search
from ketnoi.core.search import matching, word_start_first

from .access import forms_for


def find_forms(user, terms: list[str], limit: int) -> list[SearchHit]:
    forms = (
        forms_for(user)
        .select_related(None)
        .select_related("programme")
        .filter(matching(terms, "title_folded", "code__icontains"))
        .order_by(word_start_first("title_folded", terms), "title_folded", "id")[:limit]
    )
    return [
        SearchHit(
            title=form.title,
            url=reverse("surveys:form_detail", kwargs={"code": form.programme.code, "pk": form.pk}),
            subtitle=form.programme.name,
        )
        for form in forms
    ]


register_search("surveys.forms", label=pgettext_lazy("search", "Biểu mẫu khảo sát"), provider=find_forms, order=60)
