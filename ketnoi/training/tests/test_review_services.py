"""The review services: materials and versions, review requests, comments, decisions, the
version's state, bad input that writes nothing, and reminders."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone

from ketnoi.core.models import AuditEntry
from ketnoi.training.models import (
    Course,
    Material,
    MaterialVersion,
    ReviewAssignment,
    ReviewComment,
    ReviewRequest,
    Topic,
)
from ketnoi.training.services import review

from .factories import PDF, ask, make_material, pdf

pytestmark = pytest.mark.django_db

DOCX = b"PK\x03\x04" + b"\x00" * 40


@pytest.fixture
def material(lecturer, prog):
    lecturer.email = "lecturer@example.org"
    lecturer.save()
    return make_material(lecturer, prog)


# Materials and versions -----------------------------------------------------------------------


def test_material_create_makes_version_one_with_audit(lecturer, prog):
    course = Course.objects.create(programme=prog, name="Quản trị tổ chức")
    topic = Topic.objects.create(course=course, title="Vận động chính sách")
    material = make_material(lecturer, prog, topic=topic, note="bản đầu")
    assert material.author == lecturer and material.topic == topic
    version = material.versions.get()
    assert version.number == 1 and version.note == "bản đầu" and version.file.read().startswith(b"%PDF")
    assert AuditEntry.objects.filter(action="training.material_create", object_id=str(material.pk)).exists()


def test_material_create_refused_for_viewer_and_outsider(viewer, outsider, prog):
    for user in (viewer, outsider):
        with pytest.raises(PermissionDenied):
            make_material(user, prog)
    assert not Material.objects.exists()


def test_material_create_refuses_a_topic_of_another_programme(lecturer, prog, other_prog):
    topic = Topic.objects.create(course=Course.objects.create(programme=other_prog, name="Khác"), title="Khác")
    with pytest.raises(ValidationError) as error:
        make_material(lecturer, prog, topic=topic)
    assert "topic" in error.value.error_dict and not Material.objects.exists()


@pytest.mark.parametrize(
    "name, content",
    [
        ("virus.pdf", b"MZ\x90\x00 an executable"),
        ("bai.docx", PDF),
        ("anh.png", b"\x89PNG\r\n\x1a\n"),
        ("bai.pdf", b""),
    ],
)
def test_file_checked_by_content_and_nothing_written(lecturer, prog, name, content):
    with pytest.raises(ValidationError) as error:
        review.material_create(actor=lecturer, programme=prog, title="X", kind="slides", file=pdf(name, content))
    assert "file" in error.value.error_dict
    assert not Material.objects.exists() and not MaterialVersion.objects.exists() and not AuditEntry.objects.exists()


def test_docx_accepted(lecturer, prog):
    material = review.material_create(
        actor=lecturer, programme=prog, title="", kind="handout", file=SimpleUploadedFile("de-cuong.docx", DOCX)
    )
    assert material.title == "de-cuong"


def test_version_add_numbers_and_who_may(material, lecturer, coordinator, reviewer, outsider):
    assert review.version_add(actor=lecturer, material=material, file=pdf(), note="sửa slide 5").number == 2
    assert review.version_add(actor=coordinator, material=material, file=pdf(), note="").number == 3
    for user in (reviewer, outsider):
        with pytest.raises(PermissionDenied):
            review.version_add(actor=user, material=material, file=pdf(), note="")
    with pytest.raises(ValidationError):
        review.version_add(actor=lecturer, material=material, file=pdf("x.pdf", b"not a pdf"), note="")
    assert list(material.versions.values_list("number", flat=True)) == [3, 2, 1]


# Requests ---------------------------------------------------------------------------------------


def test_request_creates_assignments_and_mails_reviewers(
    material, lecturer, expert, reviewer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        request = ask(lecturer, material, [expert, reviewer, expert])
    assert sorted(request.assignments.values_list("reviewer__username", flat=True)) == ["expert", "reviewer"]
    assert all(a.decision == ReviewAssignment.Decision.PENDING for a in request.assignments.all())
    assert [m.to for m in mail.outbox] == [["expert@partner.example.org"]]  # the other has no address
    assignment = request.assignments.get(reviewer=expert)
    assert f"/programmes/thu-nghiem/training/materials/review/{assignment.pk}/" in mail.outbox[0].body


@pytest.mark.parametrize(
    "case, field",
    [("no reviewers", "reviewers"), ("author", "reviewers"), ("past", "due_on"), ("old version", "version")],
)
def test_request_bad_input_writes_nothing(material, lecturer, expert, case, field):
    reviewers, days, version = [expert], 3, None
    if case == "no reviewers":
        reviewers = []
    elif case == "author":
        reviewers = [expert, lecturer]
    elif case == "past":
        days = -1
    else:
        version = material.versions.get()
        review.version_add(actor=lecturer, material=material, file=pdf(), note="")
    with pytest.raises(ValidationError) as error:
        ask(lecturer, material, reviewers, days=days, version=version)
    assert field in error.value.error_dict
    assert not ReviewRequest.objects.exists() and not ReviewAssignment.objects.exists()


def test_request_due_today_is_accepted(material, lecturer, expert):
    assert ask(lecturer, material, [expert], days=0).due_on == timezone.localdate()


def test_request_refused_for_reviewer_viewer_and_outsider(material, reviewer, viewer, outsider, expert):
    for user in (reviewer, viewer, outsider, expert):
        with pytest.raises(PermissionDenied):
            ask(user, material, [expert] if user != expert else [reviewer])
    assert not ReviewRequest.objects.exists()


def test_coordinator_may_request(material, coordinator, expert):
    assert ask(coordinator, material, [expert]).requested_by == coordinator


# Comments and decisions -----------------------------------------------------------------------


@pytest.fixture
def assignment(material, lecturer, expert):
    return ask(lecturer, material, [expert]).assignments.get()


def test_comment_general_and_located(assignment, expert):
    review.review_comment(actor=expert, assignment=assignment, body="  Rõ ràng.  ")
    review.review_comment(actor=expert, assignment=assignment, body="Thiếu nguồn số liệu.", location="Slide 5")
    assert list(assignment.comments.values_list("location", "body")) == [
        ("", "Rõ ràng."),
        ("Slide 5", "Thiếu nguồn số liệu."),
    ]


def test_comment_bad_input_and_others_refused(assignment, expert, lecturer, coordinator, reviewer):
    with pytest.raises(ValidationError) as error:
        review.review_comment(actor=expert, assignment=assignment, body="   ", location="Slide 2")
    assert "body" in error.value.error_dict
    with pytest.raises(ValidationError):
        review.review_comment(actor=expert, assignment=assignment, body="x", location="x" * 121)
    for user in (lecturer, coordinator, reviewer):
        with pytest.raises(PermissionDenied):
            review.review_comment(actor=user, assignment=assignment, body="Tôi góp ý thay")
    assert not ReviewComment.objects.exists()


def test_approve_closes_assignment_and_mails_author(assignment, expert, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        decided = review.review_decide(actor=expert, assignment=assignment, decision="approved")
    assert decided.decision == ReviewAssignment.Decision.APPROVED and decided.decided_at is not None
    assert mail.outbox[-1].to == ["lecturer@example.org"] and "Đã duyệt" in mail.outbox[-1].body
    with pytest.raises(ValidationError):
        review.review_comment(actor=expert, assignment=assignment, body="Thêm nữa")
    with pytest.raises(ValidationError):
        review.review_decide(actor=expert, assignment=assignment, decision="changes", comment="Đổi ý")
    assignment.refresh_from_db()
    assert assignment.decision == "approved" and not assignment.comments.exists()


def test_changes_need_a_comment(assignment, expert):
    with pytest.raises(ValidationError) as error:
        review.review_decide(actor=expert, assignment=assignment, decision="changes", comment="  ")
    assert "comment" in error.value.error_dict
    assignment.refresh_from_db()
    assert assignment.decision == "pending" and assignment.decided_at is None
    review.review_decide(actor=expert, assignment=assignment, decision="changes", comment="Sửa slide 5")
    assignment.refresh_from_db()
    assert assignment.decision == "changes" and assignment.comments.get().body == "Sửa slide 5"


def test_changes_with_an_earlier_comment(assignment, expert):
    review.review_comment(actor=expert, assignment=assignment, body="Thiếu ví dụ", location="Trang 3")
    assert review.review_decide(actor=expert, assignment=assignment, decision="changes").decision == "changes"


def test_decide_bad_decision_and_others_refused(assignment, expert, lecturer, coordinator):
    with pytest.raises(ValidationError):
        review.review_decide(actor=expert, assignment=assignment, decision="pending")
    for user in (lecturer, coordinator):
        with pytest.raises(PermissionDenied):
            review.review_decide(actor=user, assignment=assignment, decision="approved")
    assignment.refresh_from_db()
    assert assignment.decision == "pending"


def test_version_approved_only_when_all_approve(material, lecturer, expert, reviewer):
    request = ask(lecturer, material, [expert, reviewer])
    assert review.version_status(list(request.assignments.all())) == "pending"
    review.review_decide(actor=expert, assignment=request.assignments.get(reviewer=expert), decision="approved")
    assert review.version_status(list(request.assignments.all())) == "pending"
    review.review_decide(actor=reviewer, assignment=request.assignments.get(reviewer=reviewer), decision="approved")
    assert review.version_status(list(request.assignments.all())) == "approved"
    assert review.version_status([]) == ""


def test_new_version_and_new_request_keep_history(material, lecturer, expert):
    first = ask(lecturer, material, [expert]).assignments.get()
    review.review_decide(actor=expert, assignment=first, decision="changes", comment="Sửa slide 5")
    version = review.version_add(actor=lecturer, material=material, file=pdf(), note="Đã sửa slide 5")
    second = ask(lecturer, material, [expert], version=version).assignments.get()
    review.review_decide(actor=expert, assignment=second, decision="approved")
    first.refresh_from_db()
    assert first.decision == "changes" and first.comments.get().body == "Sửa slide 5"
    assert first.request.version.number == 1 and second.request.version.number == 2
    assert review.version_status([second]) == "approved" and review.version_status([first]) == "changes"


# Reminders --------------------------------------------------------------------------------------


def test_reminders_due_soon_overdue_once_a_day_not_decided(
    material, lecturer, expert, make_user, django_capture_on_commit_callbacks
):
    today = timezone.localdate()
    other = make_user("other", email="other@example.org")
    late = make_user("late", email="late@example.org")
    done = make_user("done", email="done@example.org")
    soon = ask(lecturer, material, [expert, done], days=2)
    ask(lecturer, material, [other], days=3)  # not yet
    overdue = ask(lecturer, material, [late], days=1)
    ReviewRequest.objects.filter(pk=overdue.pk).update(due_on=today - timedelta(days=4))
    review.review_decide(actor=done, assignment=soon.assignments.get(reviewer=done), decision="approved")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert review.review_reminders_send(today=today) == 2
    assert sorted(m.to[0] for m in mail.outbox) == ["expert@partner.example.org", "late@example.org"]
    assert any("quá hạn" in m.body for m in mail.outbox)
    with django_capture_on_commit_callbacks(execute=True):
        assert review.review_reminders_send(today=today) == 0  # once a day
    assert len(mail.outbox) == 2
    with django_capture_on_commit_callbacks(execute=True):
        assert review.review_reminders_send(today=today + timedelta(days=1)) == 3  # the next day, "other" is due too
    assert ReviewAssignment.objects.get(reviewer=expert).reminded_on == today + timedelta(days=1)


def test_reminder_command(material, lecturer, expert, capsys):
    ask(lecturer, material, [expert], days=1)
    call_command("review_reminders")
    assert "1 reminder(s) sent" in capsys.readouterr().out
    call_command("review_reminders")
    assert "0 reminder(s) sent" in capsys.readouterr().out
