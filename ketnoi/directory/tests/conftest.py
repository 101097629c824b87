import pytest

from ketnoi.core.services import api_token_create


@pytest.fixture
def api_client(client):
    """api_client(user) -> a callable (method, path, **kwargs) that sends the user's bearer token."""

    def for_user(user):
        _token, key = api_token_create(actor=user, name="test")

        def call(method: str, path: str, data=None):
            kwargs = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
            if data is not None:
                kwargs.update(data=data, content_type="application/json")
            return getattr(client, method)(f"/api/v1/directory{path}", **kwargs)

        return call

    return for_user
