"""Markdown to HTML that is safe to put in a public page.

Markdown passes raw HTML through, so its output is cleaned by nh3 (an allow-list sanitiser):
only formatting tags survive, event handlers and style go, and links keep only http(s) and
mailto URLs (javascript: and data: are dropped). Links get rel="nofollow noopener noreferrer".
"""

import html as html_module

import markdown
import nh3
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = {
    "p",
    "br",
    "hr",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "strong",
    "em",
    "b",
    "i",
    "code",
    "pre",
    "blockquote",
    "ul",
    "ol",
    "li",
    "a",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"align"}, "td": {"align"}}
URL_SCHEMES = {"http", "https", "mailto"}


def render_markdown(text: str | None) -> SafeString:
    """The Markdown `text` as cleaned HTML (h1 is kept for the page's own title: # becomes h2)."""
    html = markdown.markdown(text or "", extensions=["extra", "sane_lists"], output_format="html")
    html = html.replace("<h1>", "<h2>").replace("</h1>", "</h2>")
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="nofollow noopener noreferrer",
    )
    return mark_safe(cleaned)  # noqa: S308 - cleaned by nh3 against an allow-list just above


def plain_text(text: str | None) -> str:
    """The Markdown `text` without any markup, for feeds' summaries and page descriptions."""
    rendered = markdown.markdown(text or "", extensions=["extra"], output_format="html")
    return " ".join(html_module.unescape(nh3.clean(rendered, tags=set())).split())


FEED_TEXT_PASSES = 8


def feed_text(text: str | None) -> str:
    """`text` as one line of plain text that holds no markup, so it reads the same whether a feed
    reader shows it as text or as HTML: tags are removed (a script with its content), and so is
    markup that only appears once entities are decoded ("&lt;img onerror=…&gt;"), until nothing
    changes; a lone "<" or "&" in a sentence stays."""
    current = " ".join((text or "").split())
    for _pass in range(FEED_TEXT_PASSES):
        cleaned = " ".join(html_module.unescape(nh3.clean(current, tags=set())).split())
        if cleaned == current:
            return current
        current = cleaned
    # Still changing after many passes: a crafted nest of entities; keep no angle bracket at all.
    return current.replace("<", "").replace(">", "")
