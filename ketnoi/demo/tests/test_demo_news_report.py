"""The demo news: the TEV training's report, published with its readers' comments (three
approved, one waiting), reads on the public page without e-mail addresses; loading again
changes nothing."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from ketnoi.demo.news import PROGRAMME, load_news
from ketnoi.news.models import Comment, Post
from ketnoi.programmes.models import Programme

pytestmark = pytest.mark.django_db


def test_demo_report_with_its_comments_loads_once(demo_loaded, client):
    post = Post.objects.get()
    assert post.is_published and post.programme.code == PROGRAMME
    assert post.published_at.astimezone().strftime("%d/%m/%Y") == "29/09/2017"
    statuses = sorted(Comment.objects.values_list("status", flat=True))
    assert statuses == ["approved", "approved", "approved", "pending"]
    programme = Programme.objects.get(code=PROGRAMME)
    users = {"hoi-tev": get_user_model().objects.get(username="hoi-tev")}
    assert load_news({PROGRAMME: programme}, users) == post
    assert Post.objects.count() == 1 and Comment.objects.count() == 4
    page = client.get(reverse("news:post_detail", args=[post.slug])).content.decode()
    assert "3 bình luận" in page and "example.org" not in page


def test_a_logged_in_outsider_reads_the_report_but_not_its_management(demo_loaded, client_for, outsider):
    post = Post.objects.get()
    client = client_for(outsider)
    page = client.get(reverse("news:post_detail", args=[post.slug])).content.decode()
    assert "3 bình luận" in page and "example.org" not in page
    assert client.get(reverse("news:manage_posts", args=[PROGRAMME])).status_code == 404
