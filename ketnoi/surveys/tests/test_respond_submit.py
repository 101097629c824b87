"""POST /s/<token>/responses: what the respondent page sends, and every answer the server gives."""

import json
import logging
import uuid
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ketnoi.surveys import services
from ketnoi.surveys.models import Collection, Response
from ketnoi.surveys.ready_forms import ready_form

from .factories import LECTURE_ANSWERS


@pytest.fixture
def open_collection(coordinator, prog):
    def make(key="lecture", **options):
        form = services.form_create(actor=coordinator, programme=prog, definition=ready_form(key))
        options.setdefault("title", "Bài giảng 12/10 – lớp HN01")
        return services.collection_open(actor=coordinator, form=form, **options)

    return make


@pytest.fixture
def lecture(open_collection):
    return open_collection("lecture")


def post(client, collection, payload, **extra):
    body = payload if isinstance(payload, (str, bytes)) else json.dumps(payload)
    return client.post(
        reverse("respond:submit", args=[collection.token]), body, content_type="application/json", **extra
    )


def submission(answers=None, **extra):
    return {"uuid": str(uuid.uuid4()), "answers": dict(LECTURE_ANSWERS if answers is None else answers), **extra}


# Stored once ----------------------------------------------------------------------------------


def test_a_new_response_is_201_and_a_repeat_is_200_with_one_row(client, lecture):
    payload = submission(version=1)
    first = post(client, lecture, payload)
    assert first.status_code == 201 and first.json() == {"status": "created"}
    again = post(client, lecture, payload)
    assert again.status_code == 200 and again.json() == {"status": "duplicate"}
    assert Response.objects.filter(collection=lecture).count() == 1
    stored = Response.objects.get(uuid=payload["uuid"])
    assert stored.answers["overall"] == 5 and stored.answers["topics_useful"] == "advocacy other"
    assert stored.version.number == 1


def test_the_same_uuid_with_other_answers_is_a_409(client, lecture):
    payload = submission()
    assert post(client, lecture, payload).status_code == 201
    changed = {**payload, "answers": {**payload["answers"], "overall": 2}}
    response = post(client, lecture, changed)
    assert response.status_code == 409
    assert "đã được dùng" in response.json()["detail"]
    assert Response.objects.get().answers["overall"] == 5


def test_version_may_be_left_out(client, lecture):
    assert post(client, lecture, submission()).status_code == 201


def test_the_submit_view_reads_the_collection_once(client, lecture, django_assert_num_queries):
    # The collection with its form and version, then the service's insert (with its savepoint
    # inside the test's transaction).
    with django_assert_num_queries(4) as captured:
        assert post(client, lecture, submission()).status_code == 201
    selects = [q["sql"] for q in captured.captured_queries if q["sql"].startswith("SELECT")]
    assert len(selects) == 1 and "surveys_formversion" in selects[0]


# Refused with a reason -------------------------------------------------------------------------


def test_missing_required_answers_are_named(client, lecture):
    answers = dict(LECTURE_ANSWERS)
    del answers["overall"], answers["content_new"]
    response = post(client, lecture, submission(answers))
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert set(errors) == {"overall", "content_new"}
    assert "bắt buộc" in errors["overall"][0] and "Đánh giá chung về bài giảng" in errors["overall"][0]
    assert not Response.objects.exists()


@pytest.mark.parametrize(
    ("change", "key"),
    [
        ({"lecturer_clear": 9}, "lecturer_clear"),
        ({"overall": "tốt"}, "overall"),
        ({"would_recommend": "maybe"}, "would_recommend"),
        ({"topics_useful": "advocacy nonsense"}, "topics_useful"),
        ({"topics_useful_other": ""}, "topics_useful_other"),
        ({"improve": "x" * 1001}, "improve"),
        ({"surprise": "?"}, "surprise"),
    ],
)
def test_a_bad_answer_is_a_400_naming_the_question(client, lecture, change, key):
    response = post(client, lecture, submission({**LECTURE_ANSWERS, **change}))
    assert response.status_code == 400
    assert key in response.json()["errors"]
    assert not Response.objects.exists()


@pytest.mark.parametrize(
    ("body_answers", "key"),
    [
        ('{"participant_type": "cso", "useful": "inf", "met_new_partners": "no"}', "useful"),
        ('{"participant_type": "cso", "useful": 1e999, "met_new_partners": "no"}', "useful"),
        ('{"participant_type": "cso", "useful": ' + "9" * 400 + ', "met_new_partners": "no"}', "useful"),
        (
            '{"participant_type": "cso", "useful": 4, "met_new_partners": "yes", "partners_count": ' + "9" * 400 + "}",
            "partners_count",
        ),
        (
            '{"participant_type": "cso", "useful": 4, "met_new_partners": "yes", "partners_count": 1e300}',
            "partners_count",
        ),
        (
            '{"participant_type": "cso", "useful": 4, "met_new_partners": "yes", "partners_count": NaN}',
            "partners_count",
        ),
    ],
)
def test_numbers_beyond_any_float_are_a_400_not_a_crash(client, open_collection, body_answers, key):
    workshop = open_collection("workshop")
    body = f'{{"uuid": "{uuid.uuid4()}", "answers": {body_answers}}}'
    response = post(client, workshop, body)
    assert response.status_code == 400
    assert key in response.json()["errors"]
    assert not Response.objects.exists()


def test_the_constraint_message_comes_back(client, open_collection):
    workshop = open_collection("workshop")
    answers = {"participant_type": "cso", "useful": 4, "met_new_partners": "yes", "partners_count": 99}
    response = post(client, workshop, submission(answers))
    assert response.status_code == 400
    assert "Từ 1 đến 50." in response.json()["errors"]["partners_count"][0]


def test_answers_to_questions_not_shown_are_dropped(client, open_collection):
    workshop = open_collection("workshop")
    answers = {"participant_type": "cso", "useful": 4, "met_new_partners": "no", "partners_count": 3}
    assert post(client, workshop, submission(answers)).status_code == 201
    assert "partners_count" not in Response.objects.get().answers


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ("{not json", None),
        (b"\xff\xfe", None),
        ("[1, 2]", None),
        ('"text"', None),
        ({"answers": LECTURE_ANSWERS}, "uuid"),
        ({"uuid": "not-a-uuid", "answers": LECTURE_ANSWERS}, "uuid"),
        ({"uuid": str(uuid.uuid4())}, "answers"),
        ({"uuid": str(uuid.uuid4()), "answers": [1]}, "answers"),
        ({"uuid": str(uuid.uuid4()), "answers": LECTURE_ANSWERS, "version": "abc"}, "version"),
        ({"uuid": str(uuid.uuid4()), "answers": LECTURE_ANSWERS, "version": 2**40}, "version"),
        ({"uuid": str(uuid.uuid4()), "answers": LECTURE_ANSWERS, "version": True}, "version"),
        ({"uuid": str(uuid.uuid4()), "answers": LECTURE_ANSWERS, "version": 7}, "version"),
    ],
)
def test_a_malformed_payload_is_a_400_with_a_message(client, lecture, body, field):
    response = post(client, lecture, body)
    assert response.status_code == 400
    data = response.json()
    if field is None:
        assert data["detail"]
    else:
        assert data["errors"][field][0]
    assert not Response.objects.exists()


def test_an_unknown_link_is_a_404(client, db):
    response = client.post("/s/nope/responses", json.dumps(submission()), content_type="application/json")
    assert response.status_code == 404 and response.json()["detail"]


def test_only_post_is_accepted(client, lecture):
    assert client.get(reverse("respond:submit", args=[lecture.token])).status_code == 405


def test_a_closed_collection_is_a_410_but_a_repeat_still_succeeds(client, lecture, coordinator):
    earlier = submission()
    assert post(client, lecture, earlier).status_code == 201
    Collection.objects.filter(pk=lecture.pk).update(opens_at=timezone.now() - timedelta(days=1))
    lecture.refresh_from_db()
    services.collection_close(actor=coordinator, collection=lecture)
    response = post(client, lecture, submission())
    assert response.status_code == 410 and "đã đóng" in response.json()["detail"]
    assert post(client, lecture, earlier).status_code == 200  # its acknowledgement was lost
    assert Response.objects.count() == 1


def test_a_collection_not_yet_open_is_a_403(client, open_collection):
    later = open_collection("lecture", opens_at=timezone.now() + timedelta(hours=2))
    response = post(client, later, submission())
    assert response.status_code == 403 and "chưa mở" in response.json()["detail"]


def test_the_response_after_the_cap_is_refused(client, open_collection):
    capped = open_collection("lecture", max_responses=3)
    accepted = [submission() for _ in range(3)]
    assert [post(client, capped, p).status_code for p in accepted] == [201, 201, 201]
    response = post(client, capped, submission())
    assert response.status_code == 410 and "đủ số phiếu" in response.json()["detail"]
    assert post(client, capped, accepted[0]).status_code == 200
    assert Response.objects.filter(collection=capped).count() == 3


# Who answered ------------------------------------------------------------------------------------


def test_an_anonymous_response_keeps_no_account_even_when_logged_in(client_for, lecture, coordinator):
    client = client_for(coordinator)
    assert post(client, lecture, submission()).status_code == 201
    assert Response.objects.get().respondent is None


def test_an_anonymous_collection_needs_no_csrf_token(lecture):
    client = Client(enforce_csrf_checks=True)
    assert post(client, lecture, submission()).status_code == 201


def test_no_address_is_logged(client, lecture, caplog):
    address = "203.0.113.77"
    with caplog.at_level(logging.DEBUG):
        post(client, lecture, submission(), REMOTE_ADDR=address)
        post(client, lecture, {"uuid": "x"}, REMOTE_ADDR=address)
        post(client, lecture, "{bad", REMOTE_ADDR=address)
    assert address not in caplog.text


def test_identified_mode_stores_the_user(client_for, open_collection, learner):
    identified = open_collection("lecture", mode=Collection.Mode.IDENTIFIED)
    assert post(client_for(learner), identified, submission()).status_code == 201
    assert Response.objects.get().respondent == learner


def test_identified_mode_refuses_a_visitor_who_is_not_logged_in(client, open_collection):
    identified = open_collection("lecture", mode=Collection.Mode.IDENTIFIED)
    response = post(client, identified, submission())
    assert response.status_code == 403 and "đăng nhập" in response.json()["detail"]
    assert not Response.objects.exists()


def test_identified_mode_needs_the_csrf_token(open_collection, learner):
    identified = open_collection("lecture", mode=Collection.Mode.IDENTIFIED)
    client = Client(enforce_csrf_checks=True)
    client.force_login(learner)
    refused = post(client, identified, submission())
    assert refused.status_code == 403 and "tải lại trang" in refused.json()["detail"]
    assert not Response.objects.exists()

    page = client.get(reverse("respond:form", args=[identified.token])).content.decode()
    token = page.split('data-csrf="', 1)[1].split('"', 1)[0]
    assert post(client, identified, submission(), HTTP_X_CSRFTOKEN=token).status_code == 201
    assert Response.objects.get().respondent == learner


@pytest.mark.parametrize("persona", ["learner", "outsider"])
def test_someone_without_a_role_can_answer_but_not_open_the_programme(client_for, lecture, prog, request, persona):
    client = client_for(request.getfixturevalue(persona))
    assert client.get(reverse("respond:form", args=[lecture.token])).status_code == 200
    assert post(client, lecture, submission()).status_code == 201
    assert client.get(reverse("programmes:detail", args=[prog.code])).status_code == 404


@pytest.mark.parametrize("depth", [100_000, 900, 33])
def test_a_body_nested_too_deep_is_a_400_with_a_message(client, lecture, depth):
    body = f'{{"uuid": "{uuid.uuid4()}", "answers": {{"q": ' + "[" * depth + "]" * depth + "}}"
    response = post(client, lecture, body)
    assert response.status_code == 400
    assert "quá sâu" in response.json()["detail"]
    assert not Response.objects.exists()
