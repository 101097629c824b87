"""What the whole API promises, checked across every router on the demo content: the OpenAPI
document is unambiguous (one definition per component name, times with an offset), every paged
list bounds ?offset and ?limit, a caller without credentials gets 401 for writes too, and a body
nested too deep is a 400 with a message — never a 500."""

import json
import re

import pytest
from django.test import Client

from ketnoi.api import api
from ketnoi.core.tests.factories import api_key

pytestmark = pytest.mark.django_db

RFC3339_TIME = re.compile(r"[0-2][0-9]:[0-5][0-9]:[0-6][0-9](\.[0-9]+)?(Z|[+-][0-2][0-9]:[0-5][0-9])")


def _operations():
    for router in api._get_bound_routers():
        for path_view in router.path_operations.values():
            yield from path_view.operations


def _models(operation):
    for model in [*operation.models, *(operation.response_models or {}).values()]:
        if isinstance(model, type) and hasattr(model, "model_json_schema"):
            yield model


def test_each_component_name_has_one_definition():
    """Two schemas with one name (OrganisationRef, CollectionOut) made the document describe one
    of them under both: a client validating the other's responses failed."""
    clashing: set[str] = set()
    for mode in ("validation", "serialization"):
        definitions: dict[str, set[str]] = {}
        for operation in _operations():
            for model in _models(operation):
                generated = model.model_json_schema(ref_template="#/components/schemas/{model}", mode=mode)
                # The top model is django-ninja's wrapper (BodyParams…); its $defs become components.
                for name, schema in generated.get("$defs", {}).items():
                    definitions.setdefault(name, set()).add(json.dumps(schema, sort_keys=True))
        clashing |= {name for name, schemas in definitions.items() if len(schemas) > 1}
    assert clashing == set()
    for name in ("OrganisationRef", "WorkshopOrganisationRef", "LibraryCollectionOut", "SurveyCollectionOut"):
        assert name in api.get_openapi_schema()["components"]["schemas"]


def test_times_carry_an_offset(api_demo, client):
    """format "time" is RFC 3339's full-time, with an offset: the values must have one."""
    schema = api.get_openapi_schema()
    assert '"format": "time"' in json.dumps(schema)
    headers = {"HTTP_AUTHORIZATION": f"Bearer {api_demo.key}"}
    sessions = client.get(
        f"/api/v1/training/programmes/{api_demo.code}/classes/{api_demo.ids['class_id']}/sessions", **headers
    ).json()["items"]
    workshop = client.get(
        f"/api/v1/events/programmes/{api_demo.code}/workshops/{api_demo.ids['workshop_id']}", **headers
    ).json()
    times = [s[key] for s in sessions for key in ("starts_at", "ends_at")]
    times += [item["starts_at"] for item in workshop["agenda"]]
    assert times
    assert [t for t in times if not RFC3339_TIME.fullmatch(t)] == []
    assert all(t.endswith("+07:00") for t in times)


def _paged_paths(api_demo) -> list[str]:
    schema = api.get_openapi_schema()
    paths = []
    for path, methods in schema["paths"].items():
        parameters = methods.get("get", {}).get("parameters", [])
        if any(p["name"] == "offset" and p["in"] == "query" for p in parameters):
            paths.append(path.format(**api_demo.path_parameters(path)))
    return paths


BAD_PAGING = [
    (f"offset={2**63}", 422),
    (f"offset={2**64 + 5}", 422),
    (f"offset={10**30}", 422),
    (f"offset={2**63 - 1}", 422),
    ("offset=-1", 422),
    ("limit=-5", 422),
    ("limit=0", 422),
    (f"limit={10**30}", 200),
    ("offset=1000000000", 200),
]


def test_every_paged_list_bounds_offset_and_limit(api_demo, client):
    """An offset past 2^63 − 1 reached the database (OverflowError, "datatype mismatch"): 500."""
    paths = _paged_paths(api_demo)
    assert len(paths) >= 15
    for query, status in BAD_PAGING:
        answers = {path: client.get(f"{path}?{query}", HTTP_AUTHORIZATION=f"Bearer {api_demo.key}") for path in paths}
        assert {path: r.status_code for path, r in answers.items() if r.status_code != status} == {}, query
        if status == 422:
            assert all(r.json()["detail"] for r in answers.values())


WRITES = [
    ("post", "/api/v1/directory/organisations"),
    ("patch", "/api/v1/directory/people/{person_id}"),
    ("post", "/api/v1/programmes/{code}/agreements"),
    ("patch", "/api/v1/programmes/{code}/agreements/{agreement_id}"),
    ("post", "/api/v1/programmes/{code}/values/{value_id}/review"),
    ("post", "/api/v1/training/programmes/{code}/classes/{class_id}/sessions"),
]


def test_an_anonymous_write_is_401_not_a_csrf_403(api_demo):
    """A script without a token learns to send one: 401 with WWW-Authenticate, as for reads
    (django-ninja's session auth answered a write without a CSRF cookie 403 "CSRF check Failed")."""
    browser_like = Client(enforce_csrf_checks=True)
    for method, path in WRITES:
        url = path.format(**api_demo.path_parameters(path))
        response = getattr(browser_like, method)(url, data={}, content_type="application/json")
        assert response.status_code == 401, (method, path, response.content)
        assert response["WWW-Authenticate"].startswith("Bearer")
        assert "Bearer" in response.json()["detail"]


def test_a_signed_in_session_still_needs_its_csrf_token(api_demo, make_user):
    from ketnoi.core.models import User
    from ketnoi.demo.tests.api_demo import COORDINATOR

    browser = Client(enforce_csrf_checks=True)
    browser.force_login(User.objects.get(username=COORDINATOR))
    response = browser.post("/api/v1/directory/organisations", data={}, content_type="application/json")
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
    # The same account's token needs no CSRF token.
    with_token = Client(enforce_csrf_checks=True).post(
        "/api/v1/directory/organisations",
        data={"name": "Tổ chức mới", "type": "cso"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {api_demo.key}",
    )
    assert with_token.status_code == 201


@pytest.mark.parametrize("depth", [100_000, 1_000, 40])
def test_a_body_nested_too_deep_is_a_400_with_a_message(coordinator, client, depth):
    body = '{"name": ' + "[" * depth + "]" * depth + ', "type": "cso"}'
    response = client.post(
        "/api/v1/directory/organisations",
        data=body,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {api_key(coordinator)}",
    )
    assert response.status_code == 400
    assert "sâu" in response.json()["detail"]


def test_every_operation_documents_its_error_answers():
    for path, methods in api.get_openapi_schema()["paths"].items():
        for method, operation in methods.items():
            documented = {str(status) for status in operation["responses"]}
            assert {"400", "403", "404", "422"} <= documented, (method, path)
            if operation.get("security"):
                assert "401" in documented, (method, path)


def test_every_paged_list_is_read_in_a_stated_order(api_demo, client):
    """A page is a LIMIT/OFFSET of a query: without ORDER BY, PostgreSQL may return the rows in
    any order, so pages overlap or skip rows. Django drops a model's Meta.ordering from any query
    with GROUP BY (an annotated count), so each list must say its order itself."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    unordered = {}
    for path in _paged_paths(api_demo):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"{path}?limit=7", HTTP_AUTHORIZATION=f"Bearer {api_demo.key}").status_code == 200
        # The page's own query: LIMIT 7 (a .get() elsewhere in the request says LIMIT 21).
        pages = [q["sql"] for q in queries.captured_queries if " LIMIT 7" in q["sql"].upper()]
        missing = [sql for sql in pages if "ORDER BY" not in sql.upper()]
        if missing:
            unordered[path] = missing[0][:160]
    assert unordered == {}
