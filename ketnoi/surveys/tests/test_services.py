"""Survey services: who may design and collect, versions, collections, and storing a response
exactly once."""

import uuid
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from ketnoi.core.models import AuditEntry
from ketnoi.programmes import services as programme_services
from ketnoi.surveys import services
from ketnoi.surveys.models import Collection, Form, FormVersion, Response
from ketnoi.surveys.ready_forms import ready_form

from .factories import GOOD_LECTURE, lecture_form, open_collection

pytestmark = pytest.mark.django_db


# Forms and versions ---------------------------------------------------------------------------


def test_coordinators_design_forms_and_others_may_not(coordinator, lecturer, viewer, outsider, prog):
    form = lecture_form(coordinator, prog)
    assert (form.code, form.title, form.current_version.number) == ("danh-gia-bai-giang", "Đánh giá bài giảng", 1)
    assert AuditEntry.objects.filter(action="surveys.form_create", object_id=str(form.pk)).exists()
    for user in (lecturer, viewer, outsider):
        with pytest.raises(PermissionDenied):
            lecture_form(user, prog)
    assert Form.objects.count() == 1


def test_form_codes_stay_unique_within_a_programme(coordinator, prog):
    first, second = lecture_form(coordinator, prog), lecture_form(coordinator, prog)
    assert second.code == f"{first.code}-2"


def test_an_invalid_definition_writes_nothing(coordinator, prog):
    broken = ready_form("lecture")
    broken["questions"][1]["relevant"] = "${later} = 1"
    with pytest.raises(ValidationError):
        services.form_create(actor=coordinator, programme=prog, definition=broken)
    assert not Form.objects.exists() and not FormVersion.objects.exists()


def test_editing_an_unanswered_form_changes_its_version_in_place(coordinator, prog):
    form = lecture_form(coordinator, prog)
    changed = ready_form("lecture")
    changed["questions"][1]["label"]["vi"] = "Đánh giá chung"
    services.form_update(actor=coordinator, form=form, definition=changed)
    form.refresh_from_db()
    assert form.versions.count() == 1
    assert form.current_version.definition["questions"][1]["label"]["vi"] == "Đánh giá chung"


def test_editing_an_answered_form_makes_a_new_version_and_old_answers_keep_theirs(coordinator, prog):
    form = lecture_form(coordinator, prog)
    collection = open_collection(coordinator, form)
    response, _created = services.response_submit(collection=collection, uuid=uuid.uuid4(), answers=GOOD_LECTURE)
    changed = ready_form("lecture")
    changed["questions"].append({"name": "extra", "type": "text", "label": {"vi": "Thêm"}})
    services.form_update(actor=coordinator, form=form, definition=changed)
    form.refresh_from_db()
    assert form.current_version.number == 2
    response.refresh_from_db()
    assert response.version.number == 1
    # A page loaded before the change may still send version 1.
    old, created = services.response_submit(collection=collection, uuid=uuid.uuid4(), answers=GOOD_LECTURE, version=1)
    assert created and old.version.number == 1
    entry = AuditEntry.objects.filter(action="surveys.form_update").last()
    assert entry.changes["version"] == [1, 2]


# Collections ------------------------------------------------------------------------------


def test_lecturers_open_collections_viewers_do_not(coordinator, lecturer, viewer, prog):
    form = lecture_form(coordinator, prog)
    collection = open_collection(lecturer, form, context={"class": "HN01", "campus": "Hà Nội", "semester": "HK1"})
    assert collection.context == {"class": "HN01", "campus": "Hà Nội", "semester": "HK1"}
    assert len(collection.token) >= 12
    with pytest.raises(PermissionDenied):
        open_collection(viewer, form)


def test_a_collection_can_target_a_programme_activity(coordinator, prog):
    activity = programme_services.activity_create(actor=coordinator, programme=prog, title="Đồng giảng dạy")
    collection = open_collection(coordinator, lecture_form(coordinator, prog), target=activity)
    assert collection.target_label == str(activity)
    assert collection.target_id == str(activity.pk)


@pytest.mark.parametrize(
    "extra, field",
    [
        ({"title": " "}, "title"),
        ({"closes_at": timezone.now() - timedelta(days=1)}, "closes_at"),
        ({"max_responses": 0}, "max_responses"),
        ({"context": {"colour": "blue"}}, "context"),
    ],
)
def test_bad_collections_are_refused(coordinator, prog, extra, field):
    form = lecture_form(coordinator, prog)
    with pytest.raises(ValidationError) as error:
        open_collection(coordinator, form, **extra)
    assert field in error.value.message_dict
    assert not Collection.objects.exists()


def test_mode_cannot_change_once_answered_and_closing_stops_answers(coordinator, prog):
    collection = open_collection(coordinator, lecture_form(coordinator, prog))
    services.response_submit(collection=collection, uuid=uuid.uuid4(), answers=GOOD_LECTURE)
    with pytest.raises(ValidationError):
        services.collection_update(actor=coordinator, collection=collection, mode=Collection.Mode.IDENTIFIED)
    closed = services.collection_close(actor=coordinator, collection=collection)
    assert not closed.is_open()
    with pytest.raises(services.SubmissionRefused) as refused:
        services.response_submit(collection=closed, uuid=uuid.uuid4(), answers=GOOD_LECTURE)
    assert refused.value.status == 410


# Responses --------------------------------------------------------------------------------


def test_the_same_uuid_is_stored_once_and_a_different_answer_is_a_conflict(coordinator, prog):
    collection = open_collection(coordinator, lecture_form(coordinator, prog))
    key = uuid.uuid4()
    first, created = services.response_submit(collection=collection, uuid=key, answers=GOOD_LECTURE)
    again, created_again = services.response_submit(collection=collection, uuid=str(key), answers=dict(GOOD_LECTURE))
    assert (created, created_again, again.pk) == (True, False, first.pk)
    with pytest.raises(services.SubmissionRefused) as refused:
        services.response_submit(collection=collection, uuid=key, answers={**GOOD_LECTURE, "overall": 1})
    assert refused.value.status == 409
    assert Response.objects.count() == 1


def test_a_uuid_used_in_another_collection_is_a_conflict(coordinator, prog):
    form = lecture_form(coordinator, prog)
    one, two = open_collection(coordinator, form), open_collection(coordinator, form, title="Lớp khác")
    key = uuid.uuid4()
    services.response_submit(collection=one, uuid=key, answers=GOOD_LECTURE)
    with pytest.raises(services.SubmissionRefused):
        services.response_submit(collection=two, uuid=key, answers=GOOD_LECTURE)


def test_a_repeat_after_closing_is_still_a_success(coordinator, prog):
    collection = open_collection(coordinator, lecture_form(coordinator, prog))
    key = uuid.uuid4()
    services.response_submit(collection=collection, uuid=key, answers=GOOD_LECTURE)
    collection = services.collection_close(actor=coordinator, collection=collection)
    _response, created = services.response_submit(collection=collection, uuid=key, answers=GOOD_LECTURE)
    assert created is False


def test_cap_and_opening_time_are_enforced(coordinator, prog):
    form = lecture_form(coordinator, prog)
    capped = open_collection(coordinator, form, max_responses=2)
    for _ in range(2):
        services.response_submit(collection=capped, uuid=uuid.uuid4(), answers=GOOD_LECTURE)
    with pytest.raises(services.SubmissionRefused) as refused:
        services.response_submit(collection=capped, uuid=uuid.uuid4(), answers=GOOD_LECTURE)
    assert refused.value.status == 410
    later = open_collection(coordinator, form, opens_at=timezone.now() + timedelta(hours=1))
    with pytest.raises(services.SubmissionRefused) as refused:
        services.response_submit(collection=later, uuid=uuid.uuid4(), answers=GOOD_LECTURE)
    assert refused.value.status == 403
    assert Response.objects.count() == 2


def test_bad_payloads_name_the_question_and_write_nothing(coordinator, prog):
    collection = open_collection(coordinator, lecture_form(coordinator, prog))
    for uuid_value, answers, key in [
        ("not-a-uuid", GOOD_LECTURE, "uuid"),
        (uuid.uuid4(), {**GOOD_LECTURE, "overall": 9}, "overall"),
        (uuid.uuid4(), [1, 2], "answers"),
    ]:
        with pytest.raises(ValidationError) as error:
            services.response_submit(collection=collection, uuid=uuid_value, answers=answers)
        assert key in error.value.message_dict
    with pytest.raises(ValidationError):
        services.response_submit(collection=collection, uuid=uuid.uuid4(), answers=GOOD_LECTURE, version=7)
    assert not Response.objects.exists()


def test_anonymous_mode_keeps_no_account_identified_mode_needs_one(coordinator, prog, learner):
    form = lecture_form(coordinator, prog)
    anonymous = open_collection(coordinator, form)
    response, _ = services.response_submit(collection=anonymous, uuid=uuid.uuid4(), answers=GOOD_LECTURE, user=learner)
    assert response.respondent is None
    identified = open_collection(coordinator, form, mode=Collection.Mode.IDENTIFIED, title="Có danh tính")
    with pytest.raises(services.SubmissionRefused) as refused:
        services.response_submit(collection=identified, uuid=uuid.uuid4(), answers=GOOD_LECTURE)
    assert refused.value.status == 403
    response, _ = services.response_submit(collection=identified, uuid=uuid.uuid4(), answers=GOOD_LECTURE, user=learner)
    assert response.respondent == learner
