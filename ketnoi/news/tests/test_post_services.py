import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from ketnoi.core.models import AuditEntry
from ketnoi.news import services
from ketnoi.news.models import Post, Tag

from .factories import PNG, WEBP, make_post, png

pytestmark = pytest.mark.django_db


def test_create_makes_a_draft_with_a_folded_unique_slug(coordinator, prog):
    first = services.post_create(actor=coordinator, programme=prog, title="Hội thảo tập huấn", tags=["Trẻ em"])
    second = services.post_create(actor=coordinator, programme=prog, title="Hội thảo  tập huấn")
    assert first.slug == "hoi-thao-tap-huan"
    assert second.slug == "hoi-thao-tap-huan-2"
    assert first.status == Post.Status.DRAFT and first.published_at is None
    assert [t.slug for t in first.tags.all()] == ["tre-em"]
    assert AuditEntry.objects.filter(action="news.post_create", object_id=str(first.pk)).exists()


def test_reserved_addresses_are_never_a_slug(coordinator, prog):
    assert services.post_create(actor=coordinator, programme=prog, title="Feed").slug == "feed-2"


def test_create_with_a_source_links_what_the_post_reports_on(coordinator, prog, other_prog):
    post = services.post_create(actor=coordinator, programme=prog, title="Báo cáo", body="x", source=other_prog)
    assert Post.objects.get(pk=post.pk).source == other_prog


def test_bad_input_names_each_field_and_writes_nothing(coordinator, prog):
    with pytest.raises(ValidationError) as caught:
        services.post_create(actor=coordinator, programme=prog, title="  ", summary="x" * 501, signature="y" * 201)
    assert set(caught.value.message_dict) == {"title", "summary", "signature"}
    assert "Hãy nhập tiêu đề" in caught.value.message_dict["title"][0]
    assert not Post.objects.exists() and not AuditEntry.objects.filter(action__startswith="news.").exists()


@pytest.mark.parametrize("name", ["lecturer", "reviewer", "viewer", "outsider"])
def test_only_coordinators_write(request, prog, name):
    actor = request.getfixturevalue(name)
    with pytest.raises(PermissionDenied):
        services.post_create(actor=actor, programme=prog, title="Tin")


def test_another_programmes_coordinator_cannot_touch_the_post(coordinator, prog, other_prog, make_user):
    from ketnoi.programmes.models import ProgrammeRole

    other = make_user("other-coordinator")
    ProgrammeRole.objects.create(user=other, programme=other_prog, role="coordinator")
    post = make_post(coordinator, prog, publish=False)
    for call in (
        lambda: services.post_update(actor=other, post=post, title="Sửa"),
        lambda: services.post_publish(actor=other, post=post),
    ):
        with pytest.raises(PermissionDenied):
            call()


def test_publish_unpublish_and_publish_again_keeps_the_first_date(coordinator, prog):
    post = make_post(coordinator, prog, publish=False)
    post = services.post_publish(actor=coordinator, post=post)
    first_date = post.published_at
    assert post.status == Post.Status.PUBLISHED and first_date is not None
    with pytest.raises(ValidationError):
        services.post_publish(actor=coordinator, post=post)
    post = services.post_unpublish(actor=coordinator, post=post)
    assert post.status == Post.Status.DRAFT
    with pytest.raises(ValidationError):
        services.post_unpublish(actor=coordinator, post=post)
    post = services.post_publish(actor=coordinator, post=post)
    assert post.published_at == first_date
    actions = list(AuditEntry.objects.filter(object_id=str(post.pk)).order_by("id").values_list("action", flat=True))
    assert actions == ["news.post_create", "news.post_publish", "news.post_unpublish", "news.post_publish"]


def test_an_empty_post_cannot_be_published(coordinator, prog):
    post = services.post_create(actor=coordinator, programme=prog, title="Trống")
    with pytest.raises(ValidationError) as caught:
        services.post_publish(actor=coordinator, post=post)
    assert "body" in caught.value.message_dict


def test_update_changes_fields_and_the_slug_only_before_publication(coordinator, prog):
    post = make_post(coordinator, prog, publish=False, title="Tin cũ")
    post = services.post_update(actor=coordinator, post=post, title="Tin mới", tags=["a", "B"])
    assert post.slug == "tin-moi" and sorted(t.name for t in post.tags.all()) == ["B", "a"]
    post = services.post_publish(actor=coordinator, post=post)
    post = services.post_update(actor=coordinator, post=post, title="Tin đổi tên")
    assert post.slug == "tin-moi" and post.title == "Tin đổi tên"
    entry = AuditEntry.objects.filter(action="news.post_update").first()
    assert entry.changes["title"] == ["Tin mới", "Tin đổi tên"]


def test_cover_is_checked_by_content(coordinator, prog):
    post = services.post_create(actor=coordinator, programme=prog, title="Có ảnh", cover=png())
    assert post.cover.name.endswith(".png")
    webp = services.post_create(
        actor=coordinator, programme=prog, title="WebP", cover=SimpleUploadedFile("a.webp", WEBP)
    )
    assert webp.cover.name.endswith(".webp")
    for bad in (
        SimpleUploadedFile("anh.png", b"MZ\x90\x00 not an image"),
        SimpleUploadedFile("anh.webp", b"RIFF\x00\x00\x00\x00WAVE"),
        SimpleUploadedFile("anh.gif", b"GIF89a"),
        SimpleUploadedFile("lon.png", PNG + b"\x00" * (5 * 1024 * 1024)),
    ):
        with pytest.raises(ValidationError) as caught:
            services.post_create(actor=coordinator, programme=prog, title="Ảnh xấu", cover=bad)
        assert "cover" in caught.value.message_dict
    assert Post.objects.count() == 2


def test_tags_that_fold_alike_are_one(coordinator, prog):
    post = services.post_create(actor=coordinator, programme=prog, title="T", tags=["Trẻ em", "tre em", " "])
    assert post.tags.count() == 1 and Tag.objects.count() == 1
