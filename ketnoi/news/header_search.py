"""What the header search finds among news posts: every published post (they are public), and
the drafts of the programmes whose news the user manages (coordinators, staff admins)."""

from django.db.models import Q
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext, pgettext_lazy

from ketnoi.core.registry import SearchHit, register_search
from ketnoi.core.roles import PLANNERS
from ketnoi.core.search import matching, word_start_first
from ketnoi.programmes.models import ProgrammeRole

from .access import published_posts
from .models import Post


def _readable(user) -> Q:
    published = Q(pk__in=published_posts().values("pk"))
    if user.is_active and user.is_staff:
        return published | Q(status=Post.Status.DRAFT)
    managed = ProgrammeRole.objects.filter(user=user, role__in=PLANNERS).values("programme_id")
    return published | Q(status=Post.Status.DRAFT, programme_id__in=managed)


def find_posts(user, terms: list[str], limit: int) -> list[SearchHit]:
    posts = (
        Post.objects.filter(_readable(user))
        .filter(matching(terms, "title_folded"))
        .select_related("programme")
        .order_by(word_start_first("title_folded", terms), "-published_at", "-id")[:limit]
    )
    hits = []
    for post in posts:
        if post.is_published:
            url = reverse("news:post_detail", args=[post.slug])
            when = formats.date_format(timezone.localtime(post.published_at), "SHORT_DATE_FORMAT")
        else:
            url = reverse("news:post_edit", kwargs={"code": post.programme.code, "pk": post.pk})
            when = gettext("Bản nháp")
        hits.append(SearchHit(title=post.title, url=url, subtitle=" · ".join([when, post.programme.name])))
    return hits


register_search("news.posts", label=pgettext_lazy("search", "Tin bài"), provider=find_posts, order=70)
