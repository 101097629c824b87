"""The RSS and Atom feeds carry nothing live: whatever markup a post's fields hold (a script, an
image with an event handler, a javascript: link), a feed reader that shows the decoded text as
HTML runs none of it."""

import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from .factories import make_post

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
DC = "{http://purl.org/dc/elements/1.1/}"

SCRIPT = "<script>alert('x')</script>"
IMG = '<img src="x" onerror="alert(1)">'
SVG = "<svg onload=alert(2)>"
JS_LINK = '<a href="javascript:alert(3)">bấm</a>'
# The same, written as entities or in a code span: text in Markdown, markup once "decoded" wrongly.
ENTITIES = "&lt;img src=x onerror=alert(4)&gt; `<img src=y onerror=alert(5)>`"
EVERYTHING = " ".join([SCRIPT, IMG, SVG, JS_LINK, ENTITIES, "[liên kết](javascript:alert(6))"])


class LiveMarkup(HTMLParser):
    """What a browser would run or load from an HTML fragment."""

    DANGEROUS_TAGS = {"script", "img", "svg", "iframe", "object", "embed", "style", "link", "meta", "math"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in self.DANGEROUS_TAGS:
            self.found.append(tag)
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"{tag}[{name}]")
            if value and value.strip().lower().replace("\x00", "").startswith(("javascript:", "data:", "vbscript:")):
                self.found.append(f"{tag}[{name}={value}]")

    handle_startendtag = handle_starttag


def live(fragment: str | None) -> list[str]:
    parser = LiveMarkup()
    parser.feed(fragment or "")
    parser.close()
    return parser.found


@pytest.fixture
def hostile_posts(coordinator, prog):
    prog.name = f"Chương trình {IMG}"
    prog.save(update_fields=["name"])
    with_summary = make_post(
        coordinator, prog, title=f"Tin {SCRIPT} {IMG}", summary=EVERYTHING[:300], body=EVERYTHING, signature=IMG
    )
    without_summary = make_post(coordinator, prog, title=f"Tin hai {SVG}", body=EVERYTHING, signature=JS_LINK)
    return [with_summary, without_summary]


def _texts(element, names):
    return {name: [e.text for e in element.iter(name)] for name in names}


def test_rss_carries_no_live_markup(client, hostile_posts):
    rss = ET.fromstring(client.get(reverse("news:feed_rss")).content)  # noqa: S314 (our own output)
    items = rss.findall("./channel/item")
    assert len(items) == 2
    for item in items:
        fields = _texts(item, ["title", "description", "author", f"{DC}creator", "category", "link", "guid"])
        assert fields["description"] and all(fields["description"])
        for name, values in fields.items():
            for value in values:
                assert live(value) == [], (name, value)


def test_atom_carries_no_live_markup(client, hostile_posts):
    atom = ET.fromstring(client.get(reverse("news:feed_atom")).content)  # noqa: S314 (our own output)
    entries = atom.findall(f"{ATOM}entry")
    assert len(entries) == 2
    for entry in entries:
        fields = _texts(entry, [f"{ATOM}title", f"{ATOM}summary", f"{ATOM}content", f"{ATOM}name", f"{ATOM}id"])
        assert fields[f"{ATOM}summary"]
        for name, values in fields.items():
            for value in values:
                assert live(value) == [], (name, value)
        for element in entry.iter():
            for attribute, value in element.attrib.items():
                assert live(f'<a {attribute.split("}")[-1]}="{value}">') == [], (element.tag, attribute, value)
        for category in entry.iter(f"{ATOM}category"):
            assert live(category.get("term")) == []


def test_plain_text_stays_readable(client, coordinator, prog):
    """Escaping does not eat ordinary text: "&" and "<" in a sentence come through."""
    make_post(coordinator, prog, title="Nam & Nữ: 5 < 7", summary="Tom & Jerry < 3 tuổi")
    rss = ET.fromstring(client.get(reverse("news:feed_rss")).content)  # noqa: S314
    item = rss.find("./channel/item")
    assert item.findtext("title") == "Nam & Nữ: 5 < 7"
    assert item.findtext("description") == "Tom &amp; Jerry &lt; 3 tuổi"
