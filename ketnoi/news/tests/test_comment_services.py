from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from ketnoi.core.models import AuditEntry
from ketnoi.news import privacy, services
from ketnoi.news.models import Comment
from ketnoi.news.services.comments import _retry_after

from .factories import make_post

pytestmark = pytest.mark.django_db


@pytest.fixture
def post(coordinator, prog):
    return make_post(coordinator, prog)


def submit(post, **extra):
    values = {"name": "Lan", "email": "lan@example.org", "body": "Bài hay.", "ip": "203.0.113.5", **extra}
    return services.comment_submit(post=post, **values)


def test_a_comment_waits_for_moderation_and_stores_no_raw_ip(post):
    comment = submit(post, email=" Lan@Example.org ")
    assert comment.status == Comment.Status.PENDING
    assert comment.email == "lan@example.org"
    assert len(comment.ip_hash) == 64 and "203.0.113.5" not in comment.ip_hash
    assert comment.ip_hash == services.ip_hash("203.0.113.5") != services.ip_hash("203.0.113.6")
    entry = AuditEntry.objects.get(action="news.comment_submit")
    assert "Lan" not in entry.object_repr and "lan@" not in str(entry.changes)


@pytest.mark.parametrize(
    ("values", "fields"),
    [
        ({"name": "", "email": "", "body": ""}, {"name", "email", "body"}),
        ({"email": "not-an-address"}, {"email"}),
        ({"name": "x" * 101, "body": "y" * 5001}, {"name", "body"}),
    ],
)
def test_bad_input_names_each_field_and_writes_nothing(post, values, fields):
    with pytest.raises(ValidationError) as caught:
        submit(post, **values)
    assert set(caught.value.message_dict) == fields
    assert all(
        messages[0].startswith(("Hãy", "Địa chỉ", "Tên", "Bình luận"))
        for messages in caught.value.message_dict.values()
    )
    assert not Comment.objects.exists()


def test_drafts_take_no_comments(coordinator, prog):
    draft = make_post(coordinator, prog, publish=False)
    with pytest.raises(ValidationError):
        submit(draft)
    assert not Comment.objects.exists()


def test_a_filled_honeypot_is_kept_as_spam_silently(post):
    comment = submit(post, honeypot="http://spam.example")
    assert comment.pk and comment.status == Comment.Status.SPAM
    # Even with nothing else valid: a robot learns nothing from the answer.
    assert submit(post, name="", email="rác", honeypot="x").status == Comment.Status.SPAM


def test_rate_limit_per_email(post):
    for n in range(3):
        submit(post, ip=f"198.51.100.{n}")
    with pytest.raises(ValidationError) as caught:
        submit(post, ip="198.51.100.9")
    assert "thử lại sau" in caught.value.messages[0]
    assert Comment.objects.count() == 3
    submit(post, email="khac@example.org", ip="198.51.100.9")  # someone else is not held back


def test_rate_limit_per_ip(post):
    for n in range(3):
        submit(post, email=f"nguoi{n}@example.org")
    with pytest.raises(ValidationError) as caught:
        submit(post, email="nguoi9@example.org")
    assert "10 phút" in caught.value.messages[0]
    assert Comment.objects.count() == 3


def test_rate_limit_window_passes(post):
    for _ in range(3):
        submit(post)
    Comment.objects.update(created_at=timezone.now() - timedelta(minutes=11))
    assert submit(post).status == Comment.Status.PENDING


def test_retry_time_is_when_the_oldest_leaves_the_window(post):
    now = timezone.now()
    rows = [("a@x.org", "", now - timedelta(minutes=m)) for m in (9, 5, 1)]
    assert _retry_after(rows, now=now) == now - timedelta(minutes=9) + services.RATE_WINDOW


def test_honeypot_flood_stores_nothing_more(post):
    for _ in range(3):
        submit(post, honeypot="x")
    extra = submit(post, honeypot="x")
    assert extra.pk is None and Comment.objects.count() == 3


@pytest.mark.parametrize("status", [s for s, _label in Comment.Status.choices])
def test_every_moderation_status(coordinator, post, status):
    comment = submit(post)
    comment = services.comment_moderate(actor=coordinator, comment=comment, status=status)
    assert comment.status == status and comment.moderated_by == coordinator and comment.moderated_at
    entry = AuditEntry.objects.get(action="news.comment_moderate")
    assert entry.changes == {"status": ["pending", status]}


def test_an_unknown_status_is_refused(coordinator, post):
    with pytest.raises(ValidationError):
        services.comment_moderate(actor=coordinator, comment=submit(post), status="deleted")


@pytest.mark.parametrize("name", ["lecturer", "viewer", "outsider"])
def test_only_coordinators_moderate(request, post, name):
    comment = submit(post)
    with pytest.raises(PermissionDenied):
        services.comment_moderate(actor=request.getfixturevalue(name), comment=comment, status="approved")
    assert Comment.objects.get(pk=comment.pk).status == Comment.Status.PENDING


def test_personal_data_export_and_erase(post):
    submit(post, email="Lan@Example.org")
    submit(post, email="other@example.org", ip="1.2.3.4")

    class Person:
        email = "lan@example.org"

    exported = privacy.export(Person())
    assert [c["email"] for c in exported["comments"]] == ["lan@example.org"]
    privacy.erase(Person())
    erased = Comment.objects.get(name="")
    assert (erased.email, erased.body, erased.ip_hash, erased.status) == ("", "", "", Comment.Status.REMOVED)
    assert Comment.objects.filter(email="other@example.org").count() == 1


def test_comments_belong_to_their_posts_programme(post, prog, other_coordinator, other_prog):
    tev_post = make_post(other_coordinator, other_prog, title="Tin TEV")
    submit(post, email="lan@example.org")
    submit(tev_post, email="lan@example.org", ip="1.2.3.4")

    class Person:
        email = "lan@example.org"

    assert privacy.holders(Person()) == {prog.pk, other_prog.pk}
    assert [c["post"] for c in privacy.export(Person(), programmes={other_prog.pk})["comments"]] == ["Tin TEV"]
    privacy.erase(Person(), programmes={other_prog.pk})
    assert Comment.objects.get(post=post).email == "lan@example.org"
    assert Comment.objects.get(post=tev_post).email == ""
