"""A NUL character in the address or the query string is a 400 with a message: PostgreSQL stores
no NUL, so ?q=%00 reaching a text filter was a 500 there (found by the API's schemathesis run)."""

import pytest


@pytest.mark.parametrize(
    "url",
    ["/library/?q=a%00b", "/library/?year%00=1", "/api/v1/library/documents?q=%00", "/api/v1/programmes/a%00b"],
)
def test_a_nul_in_the_address_is_a_400_with_a_message(client, db, url):
    response = client.get(url)
    assert response.status_code == 400
    text = response.json()["detail"] if url.startswith("/api/") else response.content.decode()
    assert "NUL" in text


def test_a_nul_in_a_json_body_is_a_400_with_a_message(client, db):
    response = client.post("/api/v1/surveys/nope/responses", '{"uuid": "a\\u0000b"}', content_type="application/json")
    assert response.status_code == 400
    assert "NUL" in response.json()["detail"]
