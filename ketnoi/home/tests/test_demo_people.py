"""The issue's people in the demo: `khach` (signed in, no role) is not offered the directory;
`chuyengia` sees their reviews in the header; a visitor's home page presents both programmes."""

import re
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_demo_people_see_what_they_may_open(client):
    call_command("demo_load", stdout=StringIO())
    home = client.get("/").content.decode()
    assert "Truyền cảm hứng CSOs" in home and "Kế hoạch hợp tác TEV" in home

    users = get_user_model().objects
    client.force_login(users.get(username="khach"))
    response = client.get("/")
    assert response.status_code == 200  # no programme to land on: the home page, told whom to ask
    header = re.search(r'<header class="site-header">(.*?)</header>', response.content.decode(), re.S).group(1)
    assert "Danh bạ" not in header and "Chương trình" not in header

    client.force_login(users.get(username="chuyengia"))
    header = re.search(
        r'<header class="site-header">(.*?)</header>', client.get(reverse("programmes:list")).content.decode(), re.S
    ).group(1)
    assert 'id="nav-reviews"' in header
    reviews = client.get(reverse("my_reviews"), follow=True)
    assert reviews.redirect_chain[-1][0] == reverse("training:review_mine", args=["msd-vileap"])
    assert client.get("/").url == reverse("todo")  # a reviewer with a review waiting: their inbox lists it
