import pytest


@pytest.fixture
def api_demo(db):
    """The demo content (both programmes, every app) with a bearer token for its coordinator and
    an id of each kind the API's paths take: what the whole-API checks call the API with."""
    from .api_demo import load_api_demo

    return load_api_demo()
