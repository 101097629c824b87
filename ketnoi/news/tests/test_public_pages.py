import xml.etree.ElementTree as ET

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ketnoi.news import services
from ketnoi.news.models import Comment

from .factories import make_comments, make_post, png

pytestmark = pytest.mark.django_db


@pytest.fixture
def post(coordinator, prog):
    return make_post(
        coordinator,
        prog,
        title="Hội thảo tập huấn vận động chính sách",
        summary="Tóm tắt ngắn.",
        signature="Ban tổ chức",
        tags=["Vận động chính sách"],
        cover=png(),
    )


def detail_url(post, **params):
    url = reverse("news:post_detail", args=[post.slug])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else "")


def test_list_shows_published_posts_newest_first_with_filters(client, coordinator, prog, other_prog, post):
    from ketnoi.programmes.models import ProgrammeRole

    ProgrammeRole.objects.create(user=coordinator, programme=other_prog, role="coordinator")
    newer = make_post(coordinator, other_prog, title="Tin mới hơn")
    make_post(coordinator, prog, title="Bản nháp bí mật", publish=False)
    page = client.get(reverse("news:post_list")).content.decode()
    assert page.index("Tin mới hơn") < page.index("Hội thảo tập huấn")
    assert "Bản nháp bí mật" not in page
    by_tag = client.get(reverse("news:post_list") + "?tag=van-dong-chinh-sach").content.decode()
    assert "Hội thảo tập huấn" in by_tag and newer.title not in by_tag
    by_programme = client.get(reverse("news:post_list") + f"?programme={other_prog.code}").content.decode()
    assert newer.title in by_programme and "Hội thảo tập huấn" not in by_programme
    assert client.get(reverse("news:post_list") + "?tag=khong-co").status_code == 404


def test_list_paginates(client, coordinator, prog):
    for n in range(12):
        make_post(coordinator, prog, title=f"Tin số {n}")
    assert client.get(reverse("news:post_list") + "?page=2").status_code == 200
    assert "Tin số 0" in client.get(reverse("news:post_list") + "?page=2").content.decode()


def test_detail_shows_the_post(client, post):
    page = client.get(detail_url(post)).content.decode()
    assert "<strong>bài</strong>" in page
    assert "Ban tổ chức" in page and "Vận động chính sách" in page
    assert post.published_at.astimezone().strftime("%d/%m/%Y") in page
    assert reverse("news:post_cover", args=[post.slug]) in page
    assert 'name="website"' in page and "visually-hidden" in page
    assert "Tên *" in page and "Thư điện tử *" in page and "Bình luận *" in page


def test_drafts_are_404_for_the_public_and_a_preview_for_coordinators(client, client_for, coordinator, prog, outsider):
    draft = make_post(coordinator, prog, title="Nháp", publish=False, cover=png())
    for url in (detail_url(draft), reverse("news:post_cover", args=[draft.slug])):
        assert client.get(url).status_code == 404
    assert client.post(reverse("news:comment_create", args=[draft.slug]), {"name": "a"}).status_code == 404
    assert client_for(outsider).get(detail_url(draft)).status_code == 404
    assert client_for(coordinator).get(detail_url(draft)).status_code == 200


def test_a_draft_is_404_for_another_programme_s_coordinator(client_for, coordinator, prog, other_coordinator):
    draft = make_post(coordinator, prog, title="Nháp", publish=False, cover=png())
    client = client_for(other_coordinator)
    for url in (detail_url(draft), reverse("news:post_cover", args=[draft.slug])):
        assert client.get(url).status_code == 404


def test_cover_is_served_for_published_posts(client, post):
    response = client.get(reverse("news:post_cover", args=[post.slug]))
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")


XSS_BODY = """
<script>alert('x')</script>
<img src=x onerror="alert(1)">
[bấm vào đây](javascript:alert(1))
<a href="javascript:alert(2)">liên kết</a>
<div style="position:fixed" onclick="alert(3)">khối HTML</div>
<iframe src="https://evil.example"></iframe>
[an toàn](https://example.org)
"""


def test_markdown_body_is_rendered_safely(client, coordinator, prog):
    post = make_post(coordinator, prog, title="XSS", body=XSS_BODY)
    page = client.get(detail_url(post)).content.decode()
    body = page[page.index('id="post-body"') : page.index("</article>")]
    for bad in ("<script", "onerror", "javascript:", "onclick", "<iframe", "style=", "<img", "<div"):
        assert bad not in body.lower(), bad
    assert 'href="https://example.org"' in body and "nofollow" in body


def test_comments_are_shown_as_text_with_line_breaks(client, coordinator, post):
    comment = services.comment_submit(
        post=post,
        name="<b>Kẻ xấu</b>",
        email="xau@example.org",
        body="<script>alert(1)</script>\nDòng hai <img src=x onerror=alert(1)>",
        ip="1.1.1.1",
    )
    services.comment_moderate(actor=coordinator, comment=comment, status=Comment.Status.APPROVED)
    page = client.get(detail_url(post)).content.decode()
    assert "<script>alert(1)" not in page and "<img src=x" not in page and "<b>Kẻ xấu" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;<br>Dòng hai &lt;img src=x onerror=alert(1)&gt;" in page
    assert "&lt;b&gt;Kẻ xấu&lt;/b&gt;" in page


def test_only_approved_comments_are_shown(client, coordinator, post):
    for status in Comment.Status.values:
        make_comments(post, 1, status=status, start=len(status))
        Comment.objects.filter(name=f"Người đọc {len(status)}").update(body=f"văn bản {status}")
    page = client.get(detail_url(post)).content.decode()
    assert "văn bản approved" in page
    assert not any(f"văn bản {s}" in page for s in ("pending", "spam", "removed"))


def test_the_email_never_appears_in_public(client, coordinator, post):
    comment = services.comment_submit(post=post, name="Lan", email="bimat@example.org", body="Chào", ip="1.1.1.1")
    services.comment_moderate(actor=coordinator, comment=comment, status=Comment.Status.APPROVED)
    for url in (
        reverse("news:post_list"),
        detail_url(post),
        reverse("news:feed_rss"),
        reverse("news:feed_atom"),
    ):
        assert b"bimat" not in client.get(url).content, url
    assert "Lan" in client.get(detail_url(post)).content.decode()


def test_submitting_a_comment(client, post):
    url = reverse("news:comment_create", args=[post.slug])
    response = client.post(url, {"name": "Lan", "email": "lan@example.org", "body": "Hay", "website": ""}, follow=True)
    assert response.status_code == 200
    assert "đang chờ kiểm duyệt" in response.content.decode()
    assert Comment.objects.get().status == Comment.Status.PENDING


def test_a_robot_sees_the_same_answer(client, post):
    url = reverse("news:comment_create", args=[post.slug])
    data = {"name": "Bot", "email": "bot@example.org", "body": "Mua ngay", "website": "http://spam"}
    response = client.post(url, data, follow=True)
    assert "đang chờ kiểm duyệt" in response.content.decode()
    assert Comment.objects.get().status == Comment.Status.SPAM


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({}, ["Hãy nhập tên của bạn.", "Hãy nhập địa chỉ thư điện tử", "Hãy viết nội dung bình luận."]),
        ({"name": "A", "email": "sai", "body": "x"}, ["Địa chỉ thư điện tử chưa đúng"]),
        ({"name": "A" * 300, "email": "a@b.org", "body": "x" * 6000}, ["Tên dài quá", "quá giới hạn"]),
        ({"name": ["a", "b"], "email": "a\x00@b.org", "body": "x\x00y"}, ["Hãy viết nội dung bình luận."]),
    ],
)
def test_bad_comments_get_messages_not_errors(client, post, data, expected):
    response = client.post(reverse("news:comment_create", args=[post.slug]), data)
    assert response.status_code == 400
    page = response.content.decode()
    for message in expected:
        assert message in page
    assert not Comment.objects.exists()


def test_rate_limited_visitor_is_told_when_to_try_again(client, post):
    url = reverse("news:comment_create", args=[post.slug])
    for n in range(3):
        client.post(url, {"name": "Lan", "email": f"lan{n}@example.org", "body": "Hay"})
    response = client.post(url, {"name": "Lan", "email": "lan9@example.org", "body": "Hay"})
    assert response.status_code == 400 and "Hãy thử lại sau" in response.content.decode()
    assert Comment.objects.count() == 3


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_post_page_query_count_does_not_grow_with_comments(client, coordinator, prog):
    few = make_post(coordinator, prog, title="Ít bình luận")
    many = make_post(coordinator, prog, title="Nhiều bình luận")
    make_comments(few, 5)
    make_comments(many, 200)
    assert _queries(client, detail_url(few)) == _queries(client, detail_url(many))
    assert _queries(client, detail_url(many, page=2)) == _queries(client, detail_url(few))
    page = client.get(detail_url(many, page=4)).content.decode()
    assert "Bình luận số 199" in page and "Bình luận số 149" not in page


def test_feeds_parse(client, post, coordinator, prog):
    make_post(coordinator, prog, title="Nháp không vào nguồn tin", publish=False)
    rss = ET.fromstring(client.get(reverse("news:feed_rss")).content)  # noqa: S314 (our own output)
    items = rss.findall("./channel/item")
    assert [i.findtext("title") for i in items] == [post.title]
    assert items[0].findtext("link").endswith(reverse("news:post_detail", args=[post.slug]))
    atom = ET.fromstring(client.get(reverse("news:feed_atom")).content)  # noqa: S314
    ns = {"a": "http://www.w3.org/2005/Atom"}
    assert [e.findtext("a:title", namespaces=ns) for e in atom.findall("a:entry", ns)] == [post.title]
