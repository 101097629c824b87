"""The header search among news posts: published posts for everyone signed in (they are public),
drafts only for those who manage the programme's news."""

import pytest

from ketnoi.core.tests.search_helpers import found, hit_urls, search_queries
from ketnoi.news import services
from ketnoi.news.tests.factories import make_post

pytestmark = pytest.mark.django_db


def test_published_post_found_by_anyone_signed_in(coordinator, outsider, other_coordinator, prog):
    post = make_post(coordinator, prog, title="Tập huấn ở Đắk Lắk")
    for user in (coordinator, outsider, other_coordinator):
        assert found(user, "dak lak", "news.posts") == ["Tập huấn ở Đắk Lắk"]
    assert hit_urls(outsider, "tap huan", "news.posts") == [f"/news/{post.slug}/"]


def test_draft_found_only_by_those_who_manage_the_news(
    coordinator, lecturer, other_coordinator, outsider, staff_admin, prog
):
    draft = make_post(coordinator, prog, title="Bản tin Điện Biên", publish=False)
    assert found(coordinator, "dien bien", "news.posts") == ["Bản tin Điện Biên"]
    assert found(staff_admin, "dien bien", "news.posts") == ["Bản tin Điện Biên"]
    assert hit_urls(coordinator, "dien bien", "news.posts") == [f"/news/programmes/{prog.code}/{draft.pk}/edit/"]
    for user in (lecturer, other_coordinator, outsider):
        assert found(user, "dien bien", "news.posts") == []


def test_unpublished_post_is_no_longer_public(coordinator, outsider, prog):
    post = make_post(coordinator, prog, title="Tin Sóc Trăng")
    services.post_unpublish(actor=coordinator, post=post)
    assert found(outsider, "soc trang", "news.posts") == []


def test_query_count_does_not_grow_with_rows(client_for, coordinator, prog):
    client = client_for(coordinator)
    for i in range(3):
        make_post(coordinator, prog, title=f"Tin Nguyễn {i}", publish=i % 2 == 0)
    few = search_queries(client, "nguyen")
    for i in range(3, 30):
        make_post(coordinator, prog, title=f"Tin Nguyễn {i}", publish=i % 2 == 0)
    assert search_queries(client, "nguyen") == few
