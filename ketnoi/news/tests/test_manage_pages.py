import pytest
from django.urls import reverse

from ketnoi.news import services
from ketnoi.news.models import Comment, Post

from .factories import make_post, png

pytestmark = pytest.mark.django_db


@pytest.fixture
def post(coordinator, prog):
    return make_post(coordinator, prog, title="Tin đã đăng")


@pytest.fixture
def comment(post):
    return services.comment_submit(post=post, name="Lan", email="lan@example.org", body="Hay", ip="1.1.1.1")


def manage_urls(prog, post, comment):
    return [
        ("get", reverse("news:manage_posts", args=[prog.code])),
        ("get", reverse("news:post_create", args=[prog.code])),
        ("get", reverse("news:post_edit", args=[prog.code, post.pk])),
        ("post", reverse("news:post_publish", args=[prog.code, post.pk])),
        ("post", reverse("news:post_unpublish", args=[prog.code, post.pk])),
        ("get", reverse("news:comment_queue", args=[prog.code])),
        ("post", reverse("news:comment_moderate", args=[prog.code, comment.pk])),
    ]


@pytest.mark.parametrize("name", ["outsider", "learner", "lecturer", "reviewer", "viewer", "other_coordinator"])
def test_everyone_but_coordinators_gets_404(request, client_for, prog, post, comment, name):
    client = client_for(request.getfixturevalue(name))
    for method, url in manage_urls(prog, post, comment):
        response = getattr(client, method)(url, {"action": "approve"} if method == "post" else None)
        assert response.status_code == 404, url
    assert Post.objects.get(pk=post.pk).status == Post.Status.PUBLISHED
    assert Comment.objects.get(pk=comment.pk).status == Comment.Status.PENDING


def test_anonymous_goes_to_the_login_page(client, prog, post, comment):
    for method, url in manage_urls(prog, post, comment):
        response = getattr(client, method)(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url


def test_a_programme_that_does_not_exist_is_404(client_for, coordinator):
    assert client_for(coordinator).get(reverse("news:manage_posts", args=["khong-co"])).status_code == 404


def test_coordinator_lists_drafts_and_published(client_for, coordinator, prog, post):
    make_post(coordinator, prog, title="Bản nháp", publish=False)
    page = client_for(coordinator).get(reverse("news:manage_posts", args=[prog.code])).content.decode()
    assert "Bản nháp" in page and "Tin đã đăng" in page


def test_staff_admin_manages_too(client_for, staff_admin, prog, post):
    assert client_for(staff_admin).get(reverse("news:manage_posts", args=[prog.code])).status_code == 200


def test_create_edit_publish_unpublish_through_the_pages(client_for, coordinator, prog):
    client = client_for(coordinator)
    data = {
        "title": "Hội thảo tập huấn",
        "summary": "Tóm tắt",
        "body": "## Mục\n\nNội dung",
        "signature": "Ban tổ chức",
        "tags": "trẻ em, vận động chính sách",
        "cover": png(),
    }
    response = client.post(reverse("news:post_create", args=[prog.code]), data)
    post = Post.objects.get()
    assert response.status_code == 302 and post.status == Post.Status.DRAFT and post.slug == "hoi-thao-tap-huan"
    assert sorted(post.tags.values_list("name", flat=True)) == ["trẻ em", "vận động chính sách"]
    edit = reverse("news:post_edit", args=[prog.code, post.pk])
    page = client.get(edit).content.decode()
    assert "trẻ em, vận động chính sách" in page and "Markdown" in page
    client.post(edit, {**data, "cover": "", "title": "Tên mới", "tags": "trẻ em"})
    post.refresh_from_db()
    assert post.title == "Tên mới" and post.cover and list(post.tags.values_list("name", flat=True)) == ["trẻ em"]
    client.post(reverse("news:post_publish", args=[prog.code, post.pk]))
    assert Post.objects.get().status == Post.Status.PUBLISHED
    client.post(reverse("news:post_unpublish", args=[prog.code, post.pk]))
    assert Post.objects.get().status == Post.Status.DRAFT


def test_bad_post_input_gives_messages_and_writes_nothing(client_for, coordinator, prog):
    client = client_for(coordinator)
    response = client.post(reverse("news:post_create", args=[prog.code]), {"title": "", "cover": png()})
    assert response.status_code == 400
    assert "Hãy nhập tiêu đề tin bài" in response.content.decode()
    response = client.post(
        reverse("news:post_create", args=[prog.code]), {"title": "Có", "cover": png("bia.png", b"not a picture")}
    )
    assert response.status_code == 400 and "PNG, JPEG, WebP" in response.content.decode()
    response = client.post(reverse("news:post_create", args=[prog.code]), {"title": "T", "summary": "x" * 600})
    assert response.status_code == 400 and "Tóm tắt dài quá" in response.content.decode()
    assert not Post.objects.exists()


def test_publishing_an_empty_post_says_why(client_for, coordinator, prog):
    post = services.post_create(actor=coordinator, programme=prog, title="Trống")
    response = client_for(coordinator).post(reverse("news:post_publish", args=[prog.code, post.pk]), follow=True)
    assert "Hãy viết nội dung" in response.content.decode()
    assert Post.objects.get().status == Post.Status.DRAFT


def test_moderation_queue_filters_and_one_click_actions(client_for, coordinator, prog, post, comment):
    client = client_for(coordinator)
    queue = reverse("news:comment_queue", args=[prog.code])
    page = client.get(queue).content.decode()
    assert "lan@example.org" in page and "Hay" in page  # moderators see the address
    moderate = reverse("news:comment_moderate", args=[prog.code, comment.pk])
    for action, status in (("approve", "approved"), ("spam", "spam"), ("remove", "removed"), ("pending", "pending")):
        assert client.post(moderate, {"action": action}).status_code == 302
        assert Comment.objects.get(pk=comment.pk).status == status
    client.post(moderate, {"action": "approve"})
    assert "lan@example.org" not in client.get(queue).content.decode()  # pending by default
    assert "lan@example.org" in client.get(queue + "?status=approved").content.decode()
    assert "lan@example.org" in client.get(queue + "?status=").content.decode()
    assert client.get(queue + "?status=bogus").status_code == 200


def test_moderation_refuses_an_unknown_action_and_get(client_for, coordinator, prog, comment):
    client = client_for(coordinator)
    moderate = reverse("news:comment_moderate", args=[prog.code, comment.pk])
    assert client.get(moderate).status_code == 405
    response = client.post(moderate, {"action": "delete"}, follow=True)
    assert "không hợp lệ" in response.content.decode()
    assert Comment.objects.get().status == Comment.Status.PENDING


def test_a_comment_of_another_programme_is_404(client_for, coordinator, other_coordinator, other_prog, comment):
    url = reverse("news:comment_moderate", args=[other_prog.code, comment.pk])
    assert client_for(other_coordinator).post(url, {"action": "approve"}).status_code == 404


def test_moderation_requires_csrf(coordinator, prog, comment):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(coordinator)
    url = reverse("news:comment_moderate", args=[prog.code, comment.pk])
    assert client.post(url, {"action": "approve"}).status_code == 403
    assert Comment.objects.get().status == Comment.Status.PENDING
