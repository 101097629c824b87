import pytest


@pytest.fixture
def api_client(api_client_under):
    """api_client(user) -> call(method, path, data=None) against /api/v1/programmes<path>."""
    return api_client_under("/api/v1/programmes")
