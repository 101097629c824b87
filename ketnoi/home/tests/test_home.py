"""The public home page (what a visitor sees, that every link of the public pages opens without
an account, its query count) and where a signed-in person lands."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from ketnoi.core.roles import Role
from ketnoi.programmes.tests.factories import grant, make_programme

from .builders import post, public_document, registration, review_asked, workshop

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(coordinator, prog):
    prog.is_public = True
    prog.description = "Nâng cao năng lực vận động chính sách của tổ chức xã hội."
    prog.save()
    make_programme("Chương trình nội bộ", "noi-bo", description="Không công khai")
    news = post(coordinator, prog, "Tập huấn vận động chính sách", summary="Tóm tắt bài")
    post(coordinator, prog, "Bản nháp chưa đăng", publish=False)
    open_workshop = workshop(coordinator, prog, "Hội thảo kết nối Cần Thơ")
    workshop(coordinator, prog, "Hội thảo chỉ mời", registration="invitation")
    workshop(coordinator, prog, "Hội thảo đã qua", starts_at=timezone.now() - timedelta(days=3))
    return {"post": news, "workshop": open_workshop}


def test_visitor_sees_news_workshops_library_search_and_public_programmes(client, published, prog):
    response = client.get("/")
    assert response.status_code == 200
    text = response.content.decode()
    assert "Tập huấn vận động chính sách" in text and "Bản nháp chưa đăng" not in text
    assert reverse("news:post_detail", args=[published["post"].slug]) in text
    assert "Hội thảo kết nối Cần Thơ" in text
    assert reverse("events_public:register", args=[published["workshop"].pk]) in text
    assert "Hội thảo chỉ mời" not in text and "Hội thảo đã qua" not in text
    assert f'action="{reverse("library_public:search")}"' in text and 'name="q"' in text
    assert prog.name in text and "Nâng cao năng lực vận động chính sách" in text
    assert "Chương trình nội bộ" not in text and "Không công khai" not in text


def test_home_in_english(client, published):
    client.cookies["ketnoi_language"] = "en"
    text = client.get("/").content.decode()
    assert "Upcoming workshops" in text and "Latest news" in text


def test_home_query_count_does_not_grow_with_rows(client, coordinator, prog, django_assert_num_queries):
    prog.is_public = True
    prog.save()
    for i in range(4):
        make_programme(f"Chương trình {i}", f"ct-{i}", is_public=True)
        post(coordinator, prog, f"Tin {i}")
        workshop(coordinator, prog, f"Hội thảo {i}")
    client.get("/")
    with django_assert_num_queries(3):  # news, workshops, programmes
        assert client.get("/").status_code == 200


LOGIN = reverse("login")


def _links(html: str) -> set[str]:
    return {
        href.split("#")[0]
        for href in re.findall(r'href="([^"]+)"', html)
        if href.startswith("/") and not href.startswith(("//", "/static/")) and href.split("#")[0]
    }


def test_public_pages_never_link_to_a_page_that_needs_a_login(client, published, coordinator, prog):
    """From every public page, each link a visitor sees opens without an account (the sign-in
    link itself aside): followed one step, nothing sends them to the login page."""
    ticket = registration(published["workshop"], "Nguyễn Văn An")
    document = public_document(coordinator, prog)
    starts = [
        "/",
        reverse("news:post_list"),
        reverse("news:post_detail", args=[published["post"].slug]),
        reverse("library_public:search"),
        reverse("library_public:search") + "?q=to+chuc",
        reverse("library_public:document", args=[document.pk]),
        reverse("events_public:register", args=[published["workshop"].pk]),
        reverse("events_public:ticket", args=[ticket.code]),
    ]
    seen, refused = set(), []
    for start in starts:
        page = client.get(start)
        assert page.status_code == 200, start
        for link in _links(page.content.decode()) - seen:
            seen.add(link)
            if link.startswith(LOGIN):
                continue
            response = client.get(link)
            if response.status_code in (301, 302) and response.url.startswith(LOGIN):
                refused.append(f"{start} → {link}")
            elif response.status_code >= 400:
                refused.append(f"{start} → {link} ({response.status_code})")
    assert refused == []
    # The crawl reached the pages it is about: home, sign-in, a registration, news, a document.
    assert {"/", LOGIN, reverse("news:post_list"), reverse("library_public:document", args=[document.pk])} <= seen
    assert reverse("events_public:register", args=[published["workshop"].pk]) in seen


# Where a signed-in person lands ---------------------------------------------------------------


def test_a_member_lands_on_their_to_do_inbox(client_for, coordinator, viewer):
    for user in (coordinator, viewer):
        response = client_for(user).get("/")
        assert response.status_code == 302 and response.url == reverse("todo"), user


def test_a_staff_admin_with_no_role_lands_on_the_programmes(client_for, staff_admin):
    response = client_for(staff_admin).get("/")
    assert response.status_code == 302 and response.url == reverse("programmes:list")


def test_an_account_with_no_role_stays_on_the_home_page_told_whom_to_ask(client_for, outsider):
    response = client_for(outsider).get("/")
    assert response.status_code == 200
    assert 'id="no-role-notice"' in response.content.decode()


@pytest.fixture
def asked(lecturer, coordinator, prog, make_user):
    """An outside expert (no role) and the programme's reviewer, both asked to review a material."""
    expert = make_user("chuyen-gia")
    review_asked(lecturer, coordinator, prog, [expert])
    return expert


def test_an_expert_reviewer_lands_on_their_inbox_with_the_review_to_give(client, asked, prog):
    response = client.post(LOGIN, {"username": "chuyen-gia", "password": "pw-chuyen-gia"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("todo")
    assert response.status_code == 200
    text = response.content.decode()
    assert "Bài giảng về xã hội dân sự" in text
    assignment = asked.review_assignments.get()
    assert reverse("training:review_assignment", args=[prog.code, assignment.pk]) in text


def test_a_reviewer_by_role_lands_on_the_inbox_which_lists_reviews_when_some_wait(
    client_for, reviewer, lecturer, coordinator, prog
):
    client = client_for(reviewer)
    assert client.get("/").url == reverse("todo")
    assert 'id="todo-empty"' in client.get(reverse("todo")).content.decode()  # nothing to review yet
    review_asked(lecturer, coordinator, prog, [reviewer])
    assert client.get("/").url == reverse("todo")
    assert 'id="todo-training-reviews"' in client.get(reverse("todo")).content.decode()


def test_reviews_in_several_programmes_are_listed(client_for, asked, lecturer, coordinator, other_prog, prog):
    grant(coordinator, other_prog, Role.COORDINATOR)
    grant(lecturer, other_prog, Role.LECTURER)
    review_asked(lecturer, coordinator, other_prog, [asked], title="Tài liệu khác")
    response = client_for(asked).get(reverse("my_reviews"))
    assert response.status_code == 200
    text = response.content.decode()
    assert reverse("training:review_mine", args=[prog.code]) in text
    assert reverse("training:review_mine", args=[other_prog.code]) in text


def test_a_lecturer_who_also_reviews_lands_on_the_inbox_listing_the_review(
    client_for, lecturer, coordinator, prog, make_user
):
    author = grant(make_user("tac-gia"), prog, Role.LECTURER)
    review_asked(author, coordinator, prog, [lecturer])
    client = client_for(lecturer)
    assert client.get("/").url == reverse("todo")
    assert "Bài giảng về xã hội dân sự" in client.get(reverse("todo")).content.decode()


def test_my_reviews_needs_a_login(client):
    response = client.get(reverse("my_reviews"))
    assert response.status_code == 302 and response.url.startswith(LOGIN)
