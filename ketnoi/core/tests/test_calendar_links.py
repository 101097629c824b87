"""The private calendar link mechanism, with a feed registered by this test: the registry,
the fetch limit, the list of all one's links, a builder's refusal, and the key kept only hashed."""

import pytest
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.test import Client

from ketnoi.core import services
from ketnoi.core.models import CalendarFeedToken
from ketnoi.core.registry import CalendarFeed, calendar_feed_builder, register_calendar_feed
from ketnoi.core.views_calendar import FETCHES_PER_WINDOW

pytestmark = pytest.mark.django_db
SCOPE = "tests.echo"


def echo_feed(user, object_id: str) -> CalendarFeed:
    """Object "1" for anyone, "2" refused with PermissionDenied, anything else missing."""
    if object_id == "2":
        raise PermissionDenied
    if object_id != "1":
        raise Http404
    content = b"BEGIN:VCALENDAR\r\nX-USER:" + user.username.encode() + b"\r\nEND:VCALENDAR\r\n"
    return CalendarFeed(name="Thử", content=content)


register_calendar_feed(SCOPE, echo_feed)


@pytest.fixture(autouse=True)
def fresh_counters():
    cache.clear()


def test_a_scope_is_registered_once():
    assert calendar_feed_builder(SCOPE) is echo_feed
    register_calendar_feed(SCOPE, echo_feed)  # the same function again: harmless
    with pytest.raises(ValueError, match="twice"):
        register_calendar_feed(SCOPE, lambda user, object_id: None)
    with pytest.raises(ValueError, match="colon"):
        register_calendar_feed("a:b", echo_feed)


def test_the_key_is_stored_hashed_and_the_feed_served_as_its_owner(make_user):
    owner = make_user("owner")
    token, key = services.calendar_link_create(actor=owner, scope=SCOPE, object_id="1")
    assert key.startswith("kc_") and len(key) > 40
    assert CalendarFeedToken.objects.filter(key_hash=CalendarFeedToken.hash_key(key)).get() == token
    assert not CalendarFeedToken.objects.filter(key_hash=key).exists()
    response = Client().get(f"/cal/{key}.ics")
    assert response.status_code == 200 and b"X-USER:owner" in response.content


@pytest.mark.parametrize("object_id", ["2", "3"])
def test_a_refused_or_missing_feed_cannot_be_linked(make_user, object_id):
    with pytest.raises(Http404):
        services.calendar_link_create(actor=make_user("someone"), scope=SCOPE, object_id=object_id)
    with pytest.raises(Http404):
        services.calendar_link_create(actor=make_user("other"), scope="tests.unknown", object_id="1")
    assert not CalendarFeedToken.objects.exists()


def test_too_many_fetches_are_told_to_wait(make_user):
    _token, key = services.calendar_link_create(actor=make_user("owner"), scope=SCOPE, object_id="1")
    app = Client()
    for _fetch in range(FETCHES_PER_WINDOW):
        assert app.get(f"/cal/{key}.ics").status_code == 200
    response = app.get(f"/cal/{key}.ics")
    assert response.status_code == 429 and int(response["Retry-After"]) > 0


def test_links_per_feed_are_capped_with_a_message(client_for, make_user):
    client = client_for(make_user("owner"))
    for _n in range(services.calendar_links.MAX_ACTIVE_LINKS_PER_FEED):
        assert "kc_" in client.post(f"/cal/subscribe/?feed={SCOPE}:1", {"create": "1"}).content.decode()
    page = client.post(f"/cal/subscribe/?feed={SCOPE}:1", {"create": "1"}).content.decode()
    assert "Hãy thu hồi một liên kết" in page
    assert CalendarFeedToken.objects.count() == services.calendar_links.MAX_ACTIVE_LINKS_PER_FEED


def test_all_my_links_can_be_listed_and_revoked_even_without_access(client_for, make_user):
    owner = make_user("owner")
    token, key = services.calendar_link_create(actor=owner, scope=SCOPE, object_id="1")
    client = client_for(owner)
    page = client.get("/cal/subscribe/").content.decode()
    # Each link is named by its calendar's title, not the machine name "tests.echo:1".
    assert f"kc_{token.prefix}" in page and ">Thử</a>" in page and key not in page
    assert client.post("/cal/subscribe/", {"revoke": token.pk}).status_code == 302
    assert Client().get(f"/cal/{key}.ics").status_code == 410
    for garbage in ("x", "³", "99999999999999999999999"):
        assert client.post("/cal/subscribe/", {"revoke": garbage}).status_code == 404
    assert client.post("/cal/subscribe/", {"create": "1"}).status_code == 404


def test_the_subscribe_page_and_the_feed_send_no_referrer_to_other_sites(client_for, make_user):
    """The key is in the page once (and in the feed's address): no link on either page may
    carry it to another site, whatever the site-wide policy says."""
    owner = make_user("owner")
    client = client_for(owner)
    page = client.post(f"/cal/subscribe/?feed={SCOPE}:1", {"create": "1"})
    assert page.status_code == 200 and page["Referrer-Policy"] == "same-origin"
    assert client.get("/cal/subscribe/")["Referrer-Policy"] == "same-origin"
    _token, key = services.calendar_link_create(actor=owner, scope=SCOPE, object_id="1")
    assert Client().get(f"/cal/{key}.ics")["Referrer-Policy"] == "no-referrer"


def test_a_link_whose_owner_left_or_whose_calendar_is_gone_is_a_404(make_user):
    owner = make_user("owner")
    _token, key = services.calendar_link_create(actor=owner, scope=SCOPE, object_id="1")
    owner.is_active = False
    owner.save()
    assert Client().get(f"/cal/{key}.ics").status_code == 404
    CalendarFeedToken.objects.update(object_id="3")  # the object deleted since
    owner.is_active = True
    owner.save()
    assert Client().get(f"/cal/{key}.ics").status_code == 404
