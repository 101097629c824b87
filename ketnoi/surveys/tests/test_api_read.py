"""GET /api/v1/surveys/programmes/{code}/forms…: every read endpoint tried by every persona
(any programme role reads; a learner — who answers through share links — an outsider and
another programme's coordinator get 404; no token 401), what the endpoints return, the
results computed in the database, and their query counts."""

import uuid

import pytest

from ketnoi.surveys import services
from ketnoi.surveys.models import Response
from ketnoi.surveys.ready_forms import ready_form

from .factories import ANSWERS

pytestmark = pytest.mark.django_db


@pytest.fixture
def api_client(api_client_under):
    return api_client_under("/api/v1/surveys")


@pytest.fixture
def form(coordinator, prog):
    return services.form_create(actor=coordinator, programme=prog, definition=ready_form("lecture"))


@pytest.fixture
def collection(coordinator, form):
    return services.collection_open(
        actor=coordinator, form=form, title="Bài giảng 12/10", context={"class": "HN01", "campus": "Hà Nội"}
    )


def _answer(collection, **changes):
    return services.response_submit(collection=collection, uuid=uuid.uuid4(), answers={**ANSWERS, **changes})[0]


READS = ["/forms", "/forms/{form}", "/forms/{form}/collections", "/forms/{form}/results"]
PERSONAS = {
    "coordinator": 200,
    "lecturer": 200,
    "reviewer": 200,
    "viewer": 200,
    "staff_admin": 200,
    "learner": 404,
    "outsider": 404,
    "other_coordinator": 404,
    "anonymous": 401,
}


@pytest.mark.parametrize(("persona", "expected"), PERSONAS.items())
@pytest.mark.parametrize("path", READS)
def test_read_access_matrix(request, client, api_client, prog, collection, persona, expected, path):
    _answer(collection)
    url = f"/programmes/{prog.code}" + path.format(form=collection.form_id)
    if persona == "anonymous":
        response = client.get(f"/api/v1/surveys{url}")
    else:
        response = api_client(request.getfixturevalue(persona))("get", url)
    assert response.status_code == expected, response.content
    if expected != 200:
        assert "detail" in response.json()
        assert "HN01" not in response.content.decode() and collection.token not in response.content.decode()


def test_learner_submits_but_never_reads(client, api_client, prog, collection, learner):
    call = api_client(learner)
    body = {"uuid": str(uuid.uuid4()), "answers": ANSWERS}
    assert call("post", f"/{collection.token}/responses", body).status_code == 201
    for path in READS:
        assert call("get", f"/programmes/{prog.code}" + path.format(form=collection.form_id)).status_code == 404


def test_form_of_another_programme_is_404(api_client, coordinator, other_coordinator, prog, other_prog, form):
    theirs = services.form_create(actor=other_coordinator, programme=other_prog, definition=ready_form("workshop"))
    call = api_client(coordinator)
    for path in READS[1:]:
        assert call("get", f"/programmes/{prog.code}" + path.format(form=theirs.pk)).status_code == 404
    # Through their own programme's code it is still out of sight.
    assert call("get", f"/programmes/{other_prog.code}/forms/{theirs.pk}").status_code == 404


def test_unknown_programme_and_form_are_404(api_client, coordinator, prog, form):
    call = api_client(coordinator)
    assert call("get", "/programmes/khong-co/forms").status_code == 404
    assert call("get", f"/programmes/{prog.code}/forms/999999").status_code == 404


def test_form_list(api_client, coordinator, prog, form, collection):
    services.form_create(actor=coordinator, programme=prog, definition=ready_form("workshop"))
    body = api_client(coordinator)("get", f"/programmes/{prog.code}/forms").json()
    assert body["count"] == 2
    lecture = next(f for f in body["items"] if f["id"] == form.pk)
    assert lecture["code"] == form.code and lecture["current_version"] == 1 and lecture["collections"] == 1


def test_form_list_is_paginated_with_constant_queries(api_client, coordinator, prog, django_assert_num_queries):
    for _ in range(3):
        services.form_create(actor=coordinator, programme=prog, definition=ready_form("lecture"))
    call = api_client(coordinator)
    call("get", "/programmes/khong-co/forms")  # the token's first use is recorded once
    # token, programme, count, page
    with django_assert_num_queries(4):
        few = call("get", f"/programmes/{prog.code}/forms").json()
    for _ in range(5):
        services.form_create(actor=coordinator, programme=prog, definition=ready_form("workshop"))
    with django_assert_num_queries(4):
        page = call("get", f"/programmes/{prog.code}/forms?limit=5&offset=5").json()
    assert few["count"] == 3 and page["count"] == 8 and len(page["items"]) == 3


def test_form_detail_has_the_definition_and_every_version(api_client, coordinator, prog, form, collection):
    _answer(collection)
    definition = ready_form("lecture")
    definition["questions"] = definition["questions"][:2]
    services.form_update(actor=coordinator, form=form, definition=definition)
    body = api_client(coordinator)("get", f"/programmes/{prog.code}/forms/{form.pk}").json()
    assert body["current_version"] == 2
    assert [q["name"] for q in body["definition"]["questions"]] == ["quality", "overall"]
    assert [(v["number"], v["responses"]) for v in body["versions"]] == [(2, 0), (1, 1)]


def test_collections(api_client, coordinator, prog, form, collection, django_assert_max_num_queries):
    _answer(collection)
    _answer(collection)
    services.collection_open(actor=coordinator, form=form, title="Đợt 2", max_responses=30, mode="identified")
    call = api_client(coordinator)
    call("get", "/programmes/khong-co/forms")  # the token's first use is recorded once
    # token, programme, form, count, page
    with django_assert_max_num_queries(5):
        body = call("get", f"/programmes/{prog.code}/forms/{form.pk}/collections").json()
    assert body["count"] == 2
    first = next(c for c in body["items"] if c["id"] == collection.pk)
    assert first["token"] == collection.token and first["share_url"].endswith(f"/s/{collection.token}/")
    assert first["responses"] == 2 and first["is_open"] and first["context"] == {"class": "HN01", "campus": "Hà Nội"}
    second = next(c for c in body["items"] if c["id"] != collection.pk)
    assert second["responses"] == 0 and second["mode"] == "identified" and second["max_responses"] == 30


def test_results_counts_and_means(api_client, coordinator, prog, form, collection, django_assert_max_num_queries):
    _answer(collection)  # overall 4, content_new 5, topics advocacy + other, yes
    _answer(collection, overall=2, content_new=3, topics_useful="cso_role advocacy", would_recommend="no")
    _answer(collection, overall=5, topics_useful="", topics_useful_other="", improve="")
    call = api_client(coordinator)
    call("get", "/programmes/khong-co/forms")  # the token's first use is recorded once
    # token, programme, form, its versions' questions, its collections, then the tallies
    # (results_tally): the responses' count and last id per collection, the tallies' states, the
    # tallies kept, and on the first reading the new answers, the versions' kinds and the tallies' save.
    with django_assert_max_num_queries(13):
        first = call("get", f"/programmes/{prog.code}/forms/{form.pk}/results").json()
    # The second reading keeps the figures in the cache (reading the tallies once more), the
    # next ones read them from it.
    with django_assert_max_num_queries(8):
        assert call("get", f"/programmes/{prog.code}/forms/{form.pk}/results").json() == first
    with django_assert_max_num_queries(7):
        body = call("get", f"/programmes/{prog.code}/forms/{form.pk}/results").json()
    assert body == first
    assert body["responses"] == 3 and body["version"] == 1
    questions = {q["name"]: q for q in body["questions"]}
    overall = questions["overall"]
    assert overall["answered"] == 3 and overall["mean"] == pytest.approx(11 / 3, abs=0.001)
    assert overall["counts"] == {"1": 0, "2": 1, "3": 0, "4": 1, "5": 1} and overall["min"] == 2
    assert overall["median"] == 4 and overall["max"] == 5
    assert [bar["percent"] for bar in overall["bars"]] == [
        0,
        pytest.approx(33.333),
        0,
        pytest.approx(33.333),
        pytest.approx(33.333),
    ]
    items = {i["name"]: i for i in questions["quality"]["items"]}
    assert items["content_new"]["mean"] == pytest.approx(13 / 3, abs=0.001) and items["content_new"]["answered"] == 3
    assert questions["would_recommend"]["counts"] == {"yes": 2, "no": 1}
    assert questions["topics_useful"]["answered"] == 2
    assert questions["topics_useful"]["counts"] == {
        "cso_role": 1,
        "advocacy": 2,
        "enabling_env": 0,
        "cooperation": 0,
        "other": 1,
    }
    assert questions["topics_useful"]["other_texts"] == 1
    assert questions["improve"]["answered"] == 2


def test_results_keep_a_question_only_an_older_version_asked(api_client, coordinator, prog, form, collection):
    _answer(collection, would_recommend="no")
    definition = ready_form("lecture")
    definition["questions"] = [q for q in definition["questions"] if q["name"] != "would_recommend"]
    services.form_update(actor=coordinator, form=form, definition=definition)
    body = api_client(coordinator)("get", f"/programmes/{prog.code}/forms/{form.pk}/results").json()
    assert body["version"] == 2
    older = next(q for q in body["questions"] if q["name"] == "would_recommend")
    assert older["current"] is False and older["counts"] == {"yes": 0, "no": 1}


def test_results_filters(api_client, coordinator, prog, form, collection):
    other = services.collection_open(actor=coordinator, form=form, title="Lớp HCM", context={"class": "HCM02"})
    _answer(collection, overall=5)
    _answer(other, overall=1)
    _answer(other, overall=3)
    call = api_client(coordinator)
    base = f"/programmes/{prog.code}/forms/{form.pk}/results"

    def overall(query: str = ""):
        body = call("get", base + query).json()
        entry = next(q for q in body["questions"] if q["name"] == "overall")
        return body["responses"], entry["mean"]

    assert overall() == (3, pytest.approx(3.0))
    assert overall(f"?collection={other.pk}") == (2, pytest.approx(2.0))
    assert overall("?class=HN01") == (1, pytest.approx(5.0))
    assert overall("?campus=Hà Nội") == (1, pytest.approx(5.0))
    assert overall("?until=2000-01-01") == (0, None)
    assert call("get", base + "?since=not-a-date").status_code in (400, 422)


def test_results_of_an_empty_form(api_client, coordinator, prog, form):
    body = api_client(coordinator)("get", f"/programmes/{prog.code}/forms/{form.pk}/results").json()
    assert body["responses"] == 0
    assert all(q.get("answered", 0) == 0 for q in body["questions"] if "answered" in q)
    assert not Response.objects.exists()
