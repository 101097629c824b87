"""POST /api/v1/surveys/{token}/responses: every answer the endpoint can give (201, 200, 409,
400 naming the question, 410, 403, 404), what it stores (once per UUID; an anonymous response
keeps no account even when a token is sent) and that it stays lean."""

import uuid
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from django.utils.crypto import get_random_string

from ketnoi.core.services import api_token_create
from ketnoi.surveys import services
from ketnoi.surveys.models import Collection, Response
from ketnoi.surveys.ready_forms import ready_form

from .factories import ANSWERS

pytestmark = pytest.mark.django_db


@pytest.fixture
def form(coordinator, prog):
    return services.form_create(actor=coordinator, programme=prog, definition=ready_form("lecture"))


@pytest.fixture
def open_collection(coordinator, form):
    def make(**options):
        return services.collection_open(actor=coordinator, form=form, title="Bài giảng 12/10 – lớp HN01", **options)

    return make


@pytest.fixture
def collection(open_collection):
    return open_collection()


@pytest.fixture
def submit(client):
    """submit(token, body, bearer=None) -> the response to a POST of `body` as JSON."""

    def post(token: str, body, *, bearer: str | None = None, raw: bytes | None = None):
        headers = {"HTTP_AUTHORIZATION": f"Bearer {bearer}"} if bearer else {}
        data = raw if raw is not None else body
        return client.post(f"/api/v1/surveys/{token}/responses", data, content_type="application/json", **headers)

    return post


def _token(user) -> str:
    return api_token_create(actor=user, name="test")[1]


def test_new_response_is_201_and_stored(submit, collection):
    key = str(uuid.uuid4())
    response = submit(collection.token, {"uuid": key, "answers": ANSWERS})
    assert response.status_code == 201, response.content
    assert response.json() == {"status": "created", "uuid": key}
    stored = Response.objects.get(uuid=key)
    assert stored.collection == collection and stored.version == collection.form.current_version
    assert stored.answers["topics_useful"] == "advocacy other" and stored.respondent is None


def test_same_uuid_same_answers_is_200_without_a_second_row(submit, collection):
    body = {"uuid": str(uuid.uuid4()), "answers": ANSWERS}
    assert submit(collection.token, body).status_code == 201
    again = submit(collection.token, body)
    assert again.status_code == 200 and again.json()["status"] == "duplicate"
    assert Response.objects.count() == 1


def test_a_list_for_a_multiple_choice_is_the_same_answer_as_its_names(submit, collection):
    key = str(uuid.uuid4())
    assert submit(collection.token, {"uuid": key, "answers": ANSWERS}).status_code == 201
    as_list = {**ANSWERS, "topics_useful": ["other", "advocacy"]}
    assert submit(collection.token, {"uuid": key, "answers": as_list}).status_code == 200


def test_same_uuid_other_answers_is_409(submit, collection):
    key = str(uuid.uuid4())
    assert submit(collection.token, {"uuid": key, "answers": ANSWERS}).status_code == 201
    response = submit(collection.token, {"uuid": key, "answers": {**ANSWERS, "overall": 1}})
    assert response.status_code == 409 and "detail" in response.json()
    assert Response.objects.get(uuid=key).answers["overall"] == 4


def test_same_uuid_in_another_collection_is_409(submit, open_collection):
    first, second = open_collection(), open_collection()
    key = str(uuid.uuid4())
    assert submit(first.token, {"uuid": key, "answers": ANSWERS}).status_code == 201
    assert submit(second.token, {"uuid": key, "answers": ANSWERS}).status_code == 409
    assert Response.objects.count() == 1


@pytest.mark.parametrize(
    ("answers", "named"),
    [
        ({**ANSWERS, "overall": 9}, "overall"),
        ({**ANSWERS, "content_new": "rất tốt"}, "content_new"),
        ({k: v for k, v in ANSWERS.items() if k != "would_recommend"}, "would_recommend"),
        ({**ANSWERS, "would_recommend": "maybe"}, "would_recommend"),
        ({**ANSWERS, "topics_useful": "advocacy sport"}, "topics_useful"),
        ({**ANSWERS, "topics_useful_other": ""}, "topics_useful_other"),
        ({**ANSWERS, "improve": "x" * 1001}, "improve"),
        ({**ANSWERS, "favourite_colour": "xanh"}, "favourite_colour"),  # not a question of the form
    ],
    ids=[
        "out of scale",
        "not a number",
        "required",
        "not a choice",
        "not a choice (multiple)",
        "other",
        "constraint",
        "unknown",
    ],
)
def test_bad_answer_is_400_naming_the_question(submit, collection, answers, named):
    response = submit(collection.token, {"uuid": str(uuid.uuid4()), "answers": answers})
    assert response.status_code == 400, response.content
    body = response.json()
    assert named in body["errors"] and body["errors"][named][0] and body["detail"]
    assert not Response.objects.exists()


@pytest.mark.parametrize(
    ("body", "named"),
    [
        ({"answers": ANSWERS}, "uuid"),
        ({"uuid": "not-a-uuid", "answers": ANSWERS}, "uuid"),
        ({"uuid": str(uuid.uuid4())}, "answers"),
        ({"uuid": str(uuid.uuid4()), "answers": ["a"]}, "answers"),
        ({"uuid": str(uuid.uuid4()), "answers": ANSWERS, "version": "one"}, "version"),
        ({"uuid": str(uuid.uuid4()), "answers": ANSWERS, "version": 7}, "version"),
        ([1, 2], "__all__"),
    ],
    ids=[
        "no uuid",
        "bad uuid",
        "no answers",
        "answers not an object",
        "version not a number",
        "no such version",
        "list",
    ],
)
def test_bad_body_is_400_naming_the_field(submit, collection, body, named):
    response = submit(collection.token, body)
    assert response.status_code == 400, response.content
    assert named in response.json()["errors"]
    assert not Response.objects.exists()


@pytest.mark.parametrize("raw", [b"", b"{not json", b"\xff\xfe", b"null"])
def test_unreadable_body_is_400(submit, collection, raw):
    response = submit(collection.token, None, raw=raw)
    assert response.status_code == 400 and response.json()["errors"]["__all__"]


def test_older_version_is_taken_when_named(submit, coordinator, form, collection):
    assert submit(collection.token, {"uuid": str(uuid.uuid4()), "answers": ANSWERS}).status_code == 201
    definition = ready_form("lecture")
    definition["questions"] = [q for q in definition["questions"] if q["name"] != "would_recommend"]
    services.form_update(actor=coordinator, form=form, definition=definition)
    key = str(uuid.uuid4())
    response = submit(collection.token, {"uuid": key, "answers": ANSWERS, "version": 1})
    assert response.status_code == 201, response.content
    assert Response.objects.get(uuid=key).version.number == 1
    # The current version (2) no longer has the question.
    current = submit(collection.token, {"uuid": str(uuid.uuid4()), "answers": ANSWERS})
    assert current.status_code == 400 and "would_recommend" in current.json()["errors"]


def test_closed_collection_is_410(submit, coordinator, collection):
    key = str(uuid.uuid4())
    assert submit(collection.token, {"uuid": key, "answers": ANSWERS}).status_code == 201
    services.collection_close(actor=coordinator, collection=collection)
    response = submit(collection.token, {"uuid": str(uuid.uuid4()), "answers": ANSWERS})
    assert response.status_code == 410 and response.json()["detail"]
    # A retry of what was stored before closing still succeeds.
    assert submit(collection.token, {"uuid": key, "answers": ANSWERS}).status_code == 200
    assert Response.objects.count() == 1


def test_full_collection_is_410(submit, open_collection):
    collection = open_collection(max_responses=2)
    keys = [str(uuid.uuid4()) for _ in range(3)]
    assert [submit(collection.token, {"uuid": k, "answers": ANSWERS}).status_code for k in keys] == [201, 201, 410]
    assert submit(collection.token, {"uuid": keys[0], "answers": ANSWERS}).status_code == 200
    assert Response.objects.count() == 2


def test_not_yet_open_is_403(submit, open_collection):
    collection = open_collection(opens_at=timezone.now() + timedelta(days=1))
    response = submit(collection.token, {"uuid": str(uuid.uuid4()), "answers": ANSWERS})
    assert response.status_code == 403 and response.json()["detail"]
    assert not Response.objects.exists()


@pytest.mark.parametrize("token", ["khongcoday12", "x" * 200])
def test_unknown_token_is_404(submit, collection, token):
    response = submit(token, {"uuid": str(uuid.uuid4()), "answers": ANSWERS})
    assert response.status_code == 404 and response.json()["detail"]


def test_anonymous_collection_stores_no_account_even_with_a_token(submit, collection, learner):
    key = str(uuid.uuid4())
    assert submit(collection.token, {"uuid": key, "answers": ANSWERS}, bearer=_token(learner)).status_code == 201
    assert Response.objects.get(uuid=key).respondent is None


def test_anonymous_collection_ignores_a_bad_token(submit, collection):
    response = submit(collection.token, {"uuid": str(uuid.uuid4()), "answers": ANSWERS}, bearer="no-such-token")
    assert response.status_code == 201


def test_identified_collection_stores_the_token_user(submit, open_collection, learner):
    collection = open_collection(mode=Collection.Mode.IDENTIFIED)
    key = str(uuid.uuid4())
    response = submit(collection.token, {"uuid": key, "answers": ANSWERS}, bearer=_token(learner))
    assert response.status_code == 201, response.content
    assert Response.objects.get(uuid=key).respondent == learner


@pytest.mark.parametrize("bearer", [None, "no-such-token"])
def test_identified_collection_without_an_account_is_403(submit, open_collection, bearer):
    collection = open_collection(mode=Collection.Mode.IDENTIFIED)
    response = submit(collection.token, {"uuid": str(uuid.uuid4()), "answers": ANSWERS}, bearer=bearer)
    assert response.status_code == 403 and response.json()["detail"]
    assert not Response.objects.exists()


def test_an_outsider_s_token_opens_nothing_more(submit, open_collection, collection, outsider):
    bearer = _token(outsider)
    key = str(uuid.uuid4())
    assert submit(collection.token, {"uuid": key, "answers": ANSWERS}).status_code == 201
    stored = Response.objects.get(uuid=key).answers
    # Someone else's UUID cannot be overwritten, a collection not yet open stays shut.
    response = submit(collection.token, {"uuid": key, "answers": {**ANSWERS, "overall": 1}}, bearer=bearer)
    assert response.status_code == 409
    later = open_collection(opens_at=timezone.now() + timedelta(days=1))
    assert submit(later.token, {"uuid": str(uuid.uuid4()), "answers": ANSWERS}, bearer=bearer).status_code == 403
    assert Response.objects.count() == 1 and Response.objects.get(uuid=key).answers == stored


def test_identified_collection_takes_the_session_with_its_csrf_token(open_collection, learner):
    collection = open_collection(mode=Collection.Mode.IDENTIFIED)
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(learner)
    url = f"/api/v1/surveys/{collection.token}/responses"
    body = {"uuid": str(uuid.uuid4()), "answers": ANSWERS}
    # Without the CSRF token a logged-in browser could be made to answer by another site.
    assert browser.post(url, body, content_type="application/json").status_code == 403
    secret = get_random_string(32)  # what a page's {% csrf_token %} cookie holds
    browser.cookies["csrftoken"] = secret
    response = browser.post(url, body, content_type="application/json", HTTP_X_CSRFTOKEN=secret)
    assert response.status_code == 201, response.content
    assert Response.objects.get().respondent == learner


def test_submission_is_lean(submit, collection, django_assert_max_num_queries):
    """One read of the collection with its form and version, then the INSERT (in a savepoint
    here, as the test runs inside a transaction); a repeat adds the read of the stored one."""
    body = {"uuid": str(uuid.uuid4()), "answers": ANSWERS}
    with django_assert_max_num_queries(4):
        assert submit(collection.token, body).status_code == 201
    with django_assert_max_num_queries(6):
        assert submit(collection.token, body).status_code == 200


def test_openapi_lists_the_survey_paths(client):
    schema = client.get("/api/v1/openapi.json").json()
    paths = schema["paths"]
    for path in [
        "/api/v1/surveys/{token}/responses",
        "/api/v1/surveys/programmes/{code}/forms",
        "/api/v1/surveys/programmes/{code}/forms/{form_id}",
        "/api/v1/surveys/programmes/{code}/forms/{form_id}/collections",
        "/api/v1/surveys/programmes/{code}/forms/{form_id}/results",
    ]:
        assert path in paths, path
    submit_operation = paths["/api/v1/surveys/{token}/responses"]["post"]
    assert "security" not in submit_operation or not submit_operation["security"]
    assert "share token" in submit_operation["description"]
    body = submit_operation["requestBody"]["content"]["application/json"]["schema"]
    assert {"uuid", "answers"} <= set(body["required"])
    assert {"201", "200", "400", "409", "410"} <= set(submit_operation["responses"])


@pytest.mark.parametrize("depth", [100_000, 900, 33])
def test_a_body_nested_too_deep_is_400_with_a_message(submit, collection, depth):
    """json.loads raised RecursionError (a 500) at 100,000 levels; a few hundred parse but
    exhaust the stack later. Anything deeper than the bound is refused before the service."""
    raw = (f'{{"uuid": "{uuid.uuid4()}", "answers": {{"q": ' + "[" * depth + "]" * depth + "}}").encode()
    response = submit(collection.token, None, raw=raw)
    assert response.status_code == 400
    assert "quá sâu" in response.json()["errors"]["__all__"][0]
    assert not Response.objects.exists()
