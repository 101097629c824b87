from ketnoi.core.models import ApiToken, AuditEntry
from ketnoi.core.services import api_token_create, api_token_revoke


def test_token_is_stored_hashed_and_shown_once(db, coordinator):
    token, key = api_token_create(actor=coordinator, name="Bảng tính")
    assert key.startswith("kn_")
    assert key not in token.key_hash
    assert ApiToken.objects.get().key_hash == ApiToken.hash_key(key)
    assert AuditEntry.objects.filter(action="core.api_token_create").count() == 1


def test_bearer_token_authenticates_and_revoked_token_does_not(client, coordinator):
    token, key = api_token_create(actor=coordinator, name="t")
    ok = client.get("/api/v1/programmes/", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert ok.status_code == 200
    assert api_token_revoke(actor=coordinator, token_id=str(token.pk))
    assert client.get("/api/v1/programmes/", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 401


def test_wrong_token_and_no_token_get_401(client, db):
    assert client.get("/api/v1/programmes/", HTTP_AUTHORIZATION="Bearer kn_nope").status_code == 401
    assert client.get("/api/v1/programmes/").status_code == 401


def test_user_cannot_revoke_someone_elses_token(db, coordinator, outsider):
    token, _key = api_token_create(actor=coordinator, name="t")
    assert not api_token_revoke(actor=outsider, token_id=str(token.pk))
    token.refresh_from_db()
    assert token.revoked_at is None


def test_tokens_page_creates_and_lists_tokens(client_for, outsider):
    client = client_for(outsider)
    response = client.post("/accounts/tokens/", {"name": "Máy chủ báo cáo"})
    assert response.status_code == 200
    assert "kn_" in response.content.decode()
    assert outsider.api_tokens.count() == 1
    empty_name = client.post("/accounts/tokens/", {"name": "  "})
    assert "Hãy đặt tên" in empty_name.content.decode()
    assert outsider.api_tokens.count() == 1


def test_tokens_page_needs_login(client, db):
    response = client.get("/accounts/tokens/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_a_token_id_in_another_script_revokes_nothing(db, coordinator):
    """`"³".isdigit()` is true and Django's int() of it fails: revoking "³" was a 500."""
    token, _key = api_token_create(actor=coordinator, name="a")
    for odd in ("³", "٣", "9" * 30):
        assert not api_token_revoke(actor=coordinator, token_id=odd)
    token.refresh_from_db()
    assert token.revoked_at is None
