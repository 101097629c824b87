"""RSS and Atom feeds of the published posts: title, summary (plain text), date and signature.
Comments are not in the feeds, and nothing a commenter typed ever is.

A feed reader may show any field as HTML (RSS says nothing; Django's own default escapes titles),
so nothing a post's author typed goes out live: the description (HTML in RSS, `type="html"` in
Atom) is the plain-text summary or excerpt *escaped*, and the one-line fields — title, signature,
programme — are `feed_text`, plain text with no markup left that reads the same as text or HTML."""

from django.contrib.syndication.views import Feed
from django.urls import reverse, reverse_lazy
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.translation import gettext_lazy as _

from . import access
from .models import Post
from .rendering import feed_text, plain_text

FEED_ITEMS = 30
EXCERPT_CHARS = 500


class LatestPostsRss(Feed):
    title = _("Kết Nối – tin bài mới")
    link = reverse_lazy("news:post_list")
    description = _("Tin bài mới của các chương trình hợp tác trên Kết Nối.")

    def items(self):
        return access.published_posts().select_related("programme").order_by("-published_at", "-id")[:FEED_ITEMS]

    def item_title(self, item: Post) -> str:
        return feed_text(item.title)

    def item_description(self, item: Post) -> str:
        # HTML by the feeds' rules: the plain text escaped, so "<script>" reads as those characters.
        return escape(item.summary or plain_text(item.body)[:EXCERPT_CHARS])

    def item_link(self, item: Post) -> str:
        return reverse("news:post_detail", args=[item.slug])

    def item_pubdate(self, item: Post):
        return item.published_at

    def item_updateddate(self, item: Post):
        return item.updated_at

    def item_author_name(self, item: Post) -> str:
        return feed_text(item.signature or item.programme.name)

    def item_categories(self, item: Post):
        return [feed_text(item.programme.name)]


class LatestPostsAtom(LatestPostsRss):
    feed_type = Atom1Feed
    subtitle = LatestPostsRss.description
