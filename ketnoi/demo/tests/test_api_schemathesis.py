"""The whole API under schemathesis: generated requests to every operation, anonymous and with a
coordinator's token on the demo content, must never get a 5xx, and every answer must match the
OpenAPI document (its status code documented, its body valid against the schema).

Bounded so that it adds about a minute per database: a few examples per operation, no shrinking,
derandomized (the same requests every run, so a failure reproduces). Each example runs in a
savepoint rolled back afterwards, so every request sees the same demo content. The requests go
through Django's WSGI handler in-process; its end-of-request hook would close the test's
connection (and its transaction), so it is unhooked for the test, as Django's test client does.
KETNOI_API_FUZZ=<n> multiplies the number of examples.
"""

import os

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance

pytestmark = pytest.mark.django_db

CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance]
# KETNOI_API_FUZZ=10 runs ten times as many examples, for a deeper look before a release.
SCALE = int(os.environ.get("KETNOI_API_FUZZ", "1"))
EXAMPLES = {"anonymous": 4 * SCALE, "token": 10 * SCALE}


@pytest.fixture
def wsgi_app():
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield get_wsgi_application()
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


def _strategy(operation, api_demo, mode):
    generated = operation.as_strategy()
    known = api_demo.path_parameters(operation.path)
    if mode == "anonymous" or not known:
        return generated
    # Mostly real ids (the requests reach the handlers), sometimes generated ones (404s, overflows).
    return st.one_of(operation.as_strategy(path_parameters=known), generated)


def _failures_of(operation, strategy, headers, examples) -> list[str]:
    failures: dict[str, str] = {}

    @settings(
        max_examples=examples,
        deadline=None,
        derandomize=True,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(strategy)
    def run(case):
        savepoint = transaction.savepoint()
        try:
            case.call_and_validate(headers=headers, checks=CHECKS)
        except (AssertionError, BaseExceptionGroup) as failure:  # one FailureGroup per distinct set
            failures.setdefault(str(failure).splitlines()[0] + str(failure)[-300:], str(failure))
        finally:
            transaction.savepoint_rollback(savepoint)

    run()
    return [f"{operation.method.upper()} {operation.path}\n{text}" for text in failures.values()]


@pytest.mark.parametrize("mode", ["anonymous", "token"])
def test_no_server_error_and_every_answer_matches_the_schema(api_demo, wsgi_app, mode):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", wsgi_app)
    headers = api_demo.headers if mode == "token" else {}
    failures = []
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 50
    for operation in operations:
        strategy = _strategy(operation, api_demo, mode)
        failures += _failures_of(operation, strategy, headers, EXAMPLES[mode])
    assert failures == [], "\n\n".join(failures)
