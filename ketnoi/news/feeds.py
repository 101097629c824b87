"""RSS and Atom feeds of the published posts: title, summary (plain text), date and signature.
Comments are not in the feeds, and nothing a commenter typed ever is."""

from django.contrib.syndication.views import Feed
from django.urls import reverse, reverse_lazy
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from . import access
from .models import Post
from .rendering import plain_text

FEED_ITEMS = 30


class LatestPostsRss(Feed):
    title = _("Kết Nối – tin bài mới")
    link = reverse_lazy("news:post_list")
    description = _("Tin bài mới của các chương trình hợp tác trên Kết Nối.")

    def items(self):
        return access.published_posts().select_related("programme").order_by("-published_at", "-id")[:FEED_ITEMS]

    def item_title(self, item: Post) -> str:
        return item.title

    def item_description(self, item: Post) -> str:
        return item.summary or plain_text(item.body)[:500]

    def item_link(self, item: Post) -> str:
        return reverse("news:post_detail", args=[item.slug])

    def item_pubdate(self, item: Post):
        return item.published_at

    def item_updateddate(self, item: Post):
        return item.updated_at

    def item_author_name(self, item: Post) -> str:
        return item.signature or item.programme.name

    def item_categories(self, item: Post):
        return [item.programme.name]


class LatestPostsAtom(LatestPostsRss):
    feed_type = Atom1Feed
    subtitle = LatestPostsRss.description
