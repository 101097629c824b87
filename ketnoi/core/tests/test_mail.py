"""Outgoing e-mail: rendered from templates in the recipient's language, queued with the write
that causes it, tried again when the server fails, and — when it never gets through — shown to
the person who caused it and to staff, not to anyone else."""

import smtplib

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.db import transaction
from django.urls import reverse

from ketnoi.core import tasks
from ketnoi.core.models import OutgoingEmail
from ketnoi.core.services import mail_queue, render_email

FAILING = "ketnoi.core.tests.test_mail.RefusingBackend"
FLAKY = "ketnoi.core.tests.test_mail.FlakyBackend"


class RefusingBackend(EmailBackend):
    def send_messages(self, messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


class FlakyBackend(EmailBackend):
    """Refuses the first two messages, then delivers."""

    refused = 0

    def send_messages(self, messages):
        if FlakyBackend.refused < 2:
            FlakyBackend.refused += 1
            raise ConnectionRefusedError(111, "Connection refused")
        return super().send_messages(messages)


def _queue(actor, **extra):
    return mail_queue(
        to=["nguoinhan@example.org"],
        template="training/email/review_decision",
        context={"reviewer": "Chuyên gia", "title": "Giáo trình", "number": 2, "decision": "Duyệt", "link": "x"},
        language="vi",
        caused_by=actor,
        about_label="Giáo trình",
        about_url="/programmes/p/training/materials/1/",
        **extra,
    )


@pytest.fixture
def immediate_commit(django_capture_on_commit_callbacks):
    """Run the queue's after-commit sending as the test's writes 'commit'."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def test_a_queued_mail_is_sent_after_commit(coordinator, immediate_commit):
    with immediate_commit():
        email = _queue(coordinator)
        assert mail.outbox == []  # nothing leaves before the write commits
    email.refresh_from_db()
    assert (email.status, email.attempts, email.last_error) == (OutgoingEmail.Status.SENT, 1, "")
    assert email.sent_at is not None
    (sent,) = mail.outbox
    assert sent.to == ["nguoinhan@example.org"]
    assert "Chuyên gia đã kết luận về “Giáo trình” (bản 2): Duyệt." in sent.body


def test_a_rolled_back_write_sends_nothing(coordinator, immediate_commit):
    with immediate_commit(), pytest.raises(RuntimeError), transaction.atomic():
        _queue(coordinator)
        raise RuntimeError("the write failed")
    assert mail.outbox == [] and not OutgoingEmail.objects.exists()


def test_no_address_queues_nothing(coordinator):
    assert mail_queue(to=["", "  "], template="training/email/review_decision", context={}) is None


def test_a_refused_send_is_retried_then_sent(coordinator, immediate_commit, settings):
    settings.EMAIL_BACKEND = FLAKY
    FlakyBackend.refused = 0
    with immediate_commit():
        email = _queue(coordinator)
    email.refresh_from_db()
    assert (email.status, email.attempts) == (OutgoingEmail.Status.SENT, 3)
    assert len(mail.outbox) == 1


def test_a_mail_that_never_gets_through_is_failed_and_shown_to_its_causer_and_staff(
    coordinator, other_coordinator, outsider, staff_admin, client_for, immediate_commit, settings
):
    settings.EMAIL_BACKEND = FAILING
    with immediate_commit():
        email = _queue(coordinator)
    email.refresh_from_db()
    assert email.status == OutgoingEmail.Status.FAILED
    assert email.attempts == tasks.EMAIL_ATTEMPTS
    assert "Connection unexpectedly closed" in email.last_error
    coordinator.refresh_from_db()
    assert coordinator.undelivered_mail_unseen == 1

    client = client_for(coordinator)
    home = client.get(reverse("api_tokens")).content.decode()
    assert 'id="undelivered-mail-count"' in home and reverse("mail_undelivered") in home
    page = client.get(reverse("mail_undelivered")).content.decode()
    assert "nguoinhan@example.org" in page and "Connection unexpectedly closed" in page
    assert f"đã thử {tasks.EMAIL_ATTEMPTS} lần" in page
    coordinator.refresh_from_db()
    assert coordinator.undelivered_mail_unseen == 0  # seen: the menu's notice goes away
    assert 'id="undelivered-mail-count"' not in client.get(reverse("api_tokens")).content.decode()

    for user in (other_coordinator, outsider):
        page = client_for(user).get(reverse("mail_undelivered")).content.decode()
        assert "nguoinhan@example.org" not in page
        assert 'id="undelivered-mail-count"' not in page
    staff_page = client_for(staff_admin).get(reverse("mail_undelivered")).content.decode()
    assert "nguoinhan@example.org" in staff_page and 'id="failed-tasks-link"' in staff_page
    client.logout()
    assert client.get(reverse("mail_undelivered")).status_code == 302


def test_the_failed_tasks_admin_is_read_only(staff_admin, client_for, db):
    from django_tasks_db.admin import DBTaskResultAdmin
    from django_tasks_db.models import DBTaskResult

    from ketnoi.core.admin import OutgoingEmailAdmin

    client = client_for(staff_admin)
    url = reverse("admin:django_tasks_database_dbtaskresult_changelist") + "?status__exact=FAILED"
    assert client.get(url).status_code == 200
    assert client.get(reverse("admin:core_outgoingemail_changelist")).status_code == 200
    for admin_class, model in ((DBTaskResultAdmin, DBTaskResult), (OutgoingEmailAdmin, OutgoingEmail)):
        admin = admin_class(model, None)
        assert not admin.has_add_permission(None)
        assert not admin.has_change_permission(None)
        assert not admin.has_delete_permission(None)


def test_a_sensitive_mail_forgets_its_text_once_sent(coordinator, immediate_commit):
    with immediate_commit():
        email = _queue(coordinator, sensitive=True)
    email.refresh_from_db()
    assert email.status == OutgoingEmail.Status.SENT and email.body == ""
    assert "Duyệt" in mail.outbox[0].body


def test_an_attachment_is_sent_and_then_not_kept(coordinator, immediate_commit):
    with immediate_commit():
        email = _queue(coordinator, attachments=[("ma-diem-danh.png", b"\x89PNG-qr", "image/png")])
    email.refresh_from_db()
    assert email.status == OutgoingEmail.Status.SENT and email.attachments == []
    assert mail.outbox[0].attachments[0][0] == "ma-diem-danh.png"


def test_old_sent_and_failed_mail_is_purged_and_waiting_mail_kept(coordinator):
    from datetime import timedelta

    from django.core.management import call_command
    from django.utils import timezone

    old = timezone.now() - timedelta(days=91)
    sent_long_ago, failed_long_ago, waiting_long_ago, sent_lately = (_queue(coordinator) for _ in range(4))
    OutgoingEmail.objects.filter(pk=sent_long_ago.pk).update(status=OutgoingEmail.Status.SENT, updated_at=old)
    OutgoingEmail.objects.filter(pk=failed_long_ago.pk).update(status=OutgoingEmail.Status.FAILED, updated_at=old)
    OutgoingEmail.objects.filter(pk=waiting_long_ago.pk).update(status=OutgoingEmail.Status.QUEUED, updated_at=old)
    OutgoingEmail.objects.filter(pk=sent_lately.pk).update(status=OutgoingEmail.Status.SENT)

    call_command("mail_purge", days=90)
    assert set(OutgoingEmail.objects.values_list("pk", flat=True)) == {waiting_long_ago.pk, sent_lately.pk}


def test_with_the_database_queue_the_task_row_commits_with_the_mail(coordinator, settings):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    with pytest.raises(RuntimeError), transaction.atomic():
        _queue(coordinator)
        raise RuntimeError("rolled back")
    assert not DBTaskResult.objects.exists()
    email = _queue(coordinator)
    (row,) = DBTaskResult.objects.all()
    assert row.args_kwargs["args"] == [email.pk] and row.task_path.endswith("send_outgoing_email")
    assert mail.outbox == []


TEMPLATES = {
    "training/email/review_request": (
        {"author": "A", "title": "T", "number": 1, "due": "01/02/2026", "message": "M", "link": "L"},
        "mời bạn góp ý",
        "asks you to review",
    ),
    "training/email/review_decision": (
        {"reviewer": "R", "title": "T", "number": 1, "decision": "D", "link": "L"},
        "đã kết luận về",
        "Review decision",
    ),
    "training/email/review_reminder": (
        {"overdue": True, "title": "T", "number": 1, "due": "01/02/2026", "link": "L"},
        "đã quá hạn",
        "was due on",
    ),
    "events/email/registration_status": (
        {"name": "N", "title": "T", "when": "W", "venue": "V", "status": "S", "link": "L"},
        "Kính gửi N",
        "Dear N",
    ),
    "programmes/email/value_submitted": (
        {"code": "C", "user": "U", "value": 3, "unit": "u", "name": "N", "period": "P"},
        "chờ phê duyệt",
        "C",
    ),
    "programmes/email/value_reviewed": (
        {"code": "C", "value": 3, "period": "P", "status": "S", "note": "x & y"},
        "cho kỳ P",
        "for period P",
    ),
    "core/email/password_reset": (
        {"user": "U", "protocol": "https", "domain": "d", "uid": "MQ", "token": "t-1"},
        "Xin chào U",
        "Hello U",
    ),
}


@pytest.mark.parametrize("template", sorted(TEMPLATES))
def test_every_template_renders_in_vietnamese_and_english(template):
    context, vietnamese, english = TEMPLATES[template]
    subject_vi, body_vi, _html = render_email(template, context, "vi")
    subject_en, body_en, _html = render_email(template, context, "en")
    assert vietnamese in subject_vi + body_vi
    assert english in subject_en + body_en
    assert body_vi != body_en
    for text in (subject_vi, body_vi, subject_en, body_en):
        assert "{%" not in text and "{{" not in text and "&amp;" not in text
