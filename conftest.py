"""Shared test personas. Every app's tests use these five people:

- coordinator: coordinator of the demo programme `prog`
- lecturer, reviewer: the named role on `prog`
- learner: an account linked to a directory person, with no programme role
- outsider: a logged-in account with no access to anything
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


@pytest.fixture
def make_user(db, django_user_model):
    def make(username: str, **extra):
        return django_user_model.objects.create_user(username=username, password="pw-" + username, **extra)

    return make


@pytest.fixture
def prog(db):
    from ketnoi.programmes.models import Programme

    return Programme.objects.create(name="Chương trình thử nghiệm", code="thu-nghiem")


@pytest.fixture
def other_prog(db):
    from ketnoi.programmes.models import Programme

    return Programme.objects.create(name="Chương trình khác", code="khac")


def _grant(user, programme, role):
    from ketnoi.programmes.models import ProgrammeRole

    ProgrammeRole.objects.create(user=user, programme=programme, role=role)
    return user


@pytest.fixture
def coordinator(make_user, prog):
    return _grant(make_user("coordinator", first_name="Điều phối"), prog, Role.COORDINATOR)


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
    from ketnoi.core.services import api_token_create

    def under(prefix: str):
        def for_user(user):
            _token, key = api_token_create(actor=user, name="test")

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
