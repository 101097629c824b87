"""Shared test fixtures, available to every app's tests and the browser tests.

Programmes:
- prog: "Chương trình thử nghiệm" (code thu-nghiem), the programme the personas work on
- other_prog: "Chương trình khác" (code khac), for checks that one programme's rows and pages
  stay out of another's

People (accounts named after the fixture, password "pw-" + username):
- coordinator, lecturer, reviewer, viewer: that role on `prog` (the coordinator's first name
  is "Điều phối")
- other_coordinator: coordinator of `other_prog` only (username other-coordinator)
- learner: an account with no programme role, standing for a directory person's own account
  (the fixture makes no link: a test that needs one links a person to it)
- outsider: an account with no programme role and no staff rights, the no-access persona
  (as far as the fixtures go the same as learner; client_for logs it in)
- staff_admin: a staff superuser (username admin)
- make_user(username, **fields): any other account

Clients:
- client_for(user): the Django test client logged in as that user (`client.force_login` also
  passes the two-factor step for a user who must use it, e.g. staff_admin)
- api_client_under(prefix)(user): calls to <prefix><path> with the user's bearer token; each
  app's conftest binds its prefix as `api_client`

And three autouse fixtures: every test starts in Vietnamese with an empty cache, and a
transactional test empties the library's full-text index tables after it.
"""

import pytest

from ketnoi.core.roles import Role


@pytest.fixture(autouse=True)
def default_language():
    """Every test starts in Vietnamese: a request made in English (LocaleMiddleware activates the
    language for the thread and leaves it there) must not change the next test's messages."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def empty_cache():
    """Every test starts with an empty cache: the rate-limit counters (login, password reset,
    confirmation e-mail, calendar fetches) of one test must not spend the next one's share."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def make_user(db):
    from ketnoi.core.tests.factories import make_user

    return make_user


@pytest.fixture
def prog(db):
    from ketnoi.programmes.tests.factories import make_programme

    return make_programme("Chương trình thử nghiệm", "thu-nghiem")


@pytest.fixture
def other_prog(db):
    from ketnoi.programmes.tests.factories import make_programme

    return make_programme("Chương trình khác", "khac")


def _grant(user, programme, role):
    from ketnoi.programmes.tests.factories import grant

    return grant(user, programme, role)


@pytest.fixture
def coordinator(make_user, prog):
    return _grant(make_user("coordinator", first_name="Điều phối"), prog, Role.COORDINATOR)


@pytest.fixture
def other_coordinator(make_user, other_prog):
    return _grant(make_user("other-coordinator"), other_prog, Role.COORDINATOR)


@pytest.fixture
def lecturer(make_user, prog):
    return _grant(make_user("lecturer"), prog, Role.LECTURER)


@pytest.fixture
def reviewer(make_user, prog):
    return _grant(make_user("reviewer"), prog, Role.REVIEWER)


@pytest.fixture
def viewer(make_user, prog):
    return _grant(make_user("viewer"), prog, Role.VIEWER)


@pytest.fixture
def learner(make_user):
    return make_user("learner")


@pytest.fixture
def outsider(make_user):
    return make_user("outsider")


@pytest.fixture
def staff_admin(make_user):
    return make_user("admin", is_staff=True, is_superuser=True)


@pytest.fixture
def client(client):
    """pytest-django's test client, whose force_login also passes the second sign-in step for a
    user who must use two-factor sign-in (staff, coordinators of a programme requiring it): the
    tests of other things need not type a code. core/tests/test_two_factor.py tests the step
    itself with a plain django.test.Client."""
    from ketnoi.core.tests.factories import mark_two_factor_verified
    from ketnoi.core.two_factor import must_use_two_factor

    force_login = client.force_login

    def force_login_verified(user, backend=None):
        force_login(user, backend)
        if must_use_two_factor(user):
            mark_two_factor_verified(client, user)

    client.force_login = force_login_verified
    return client


@pytest.fixture
def client_for(client):
    """client_for(user) -> the Django test client logged in as that user."""

    def login(user):
        client.force_login(user)
        return client

    return login


@pytest.fixture
def api_client_under(client):
    """api_client_under(prefix)(user) -> call(method, path, data=None) sending the user's bearer
    token to <prefix><path>. Each app's tests bind their own prefix as `api_client`."""
    from ketnoi.core.tests.factories import api_key

    def under(prefix: str):
        def for_user(user):
            key = api_key(user)

            def call(method: str, path: str, data=None):
                kwargs = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
                if data is not None:
                    kwargs.update(data=data, content_type="application/json")
                return getattr(client, method)(f"{prefix}{path}", **kwargs)

            return call

        return for_user

    return under


@pytest.fixture(autouse=True)
def library_index_emptied(request):
    """A transactional test ends by truncating the model tables; the library's full-text index
    tables are not models, so empty them too, or the next test would rank against leftovers."""
    yield
    marker = request.node.get_closest_marker("django_db")
    if marker is not None and marker.kwargs.get("transaction"):
        from ketnoi.library import search_index

        search_index.clear()
