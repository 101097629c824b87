"""The header search page and dropdown (core/views_search.py), with a provider of its own: how a
query is read, what the page and the fragment show, bad input. Each app's tests check what its
provider finds and for whom (<app>/tests/test_header_search.py)."""

import pytest
from django.urls import reverse

from ketnoi.core import registry
from ketnoi.core.registry import SearchHit
from ketnoi.core.search import query_terms
from ketnoi.core.text import keep_folded

pytestmark = pytest.mark.django_db

URL = reverse("search")
HX = {"HTTP_HX_REQUEST": "true"}
asked = []


def _fake_provider(user, terms, limit):
    asked.append((terms, limit))
    names = ["Đặng Thị Hoà", "Đặng Văn Nam", "<script>alert(1)</script> Đặng"]
    return [SearchHit(title=n, url=f"/x/{i}/", subtitle="Phụ đề") for i, n in enumerate(names) if "dang" in terms][
        :limit
    ]


@pytest.fixture(autouse=True)
def fake_kind(monkeypatch):
    kinds = dict(registry._search_kinds)
    kinds["test.fake"] = registry.SearchKind("test.fake", "Thử nghiệm", _fake_provider, order=0)
    monkeypatch.setattr(registry, "_search_kinds", kinds)
    asked.clear()


def test_query_terms_fold_split_and_bound():
    assert query_terms("  Đặng   HOÀ ") == ["dang", "hoa"]
    assert query_terms("đ") == []  # one character: too short
    assert query_terms("a b") == ["a", "b"]  # two characters across words
    assert len(query_terms(" ".join(f"w{i}" for i in range(20)))) == 5
    assert query_terms("x" * 2000) == ["x" * 100]
    assert query_terms("ab\x00cd\x07") == ["ab", "cd"]


def test_signed_out_goes_to_login_and_the_dropdown_stays_shut(client):
    response = client.get(URL, {"q": "dang"})
    assert response.status_code == 302 and reverse("login") in response["Location"]
    assert client.get(URL, {"q": "dang"}, **HX).status_code == 204


def test_page_without_javascript_groups_hits_and_escapes(client_for, outsider):
    response = client_for(outsider).get(URL, {"q": "dang"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "<h1>" in body and 'id="search-group-testfake"' in body
    assert 'href="/x/0/"' in body and "Đặng Thị Hoà" in body
    assert "<script>alert(1)</script>" not in body and "&lt;script&gt;" in body
    assert asked == [(["dang"], 21)]  # one more than the page shows, to know there are more


def test_fragment_is_the_dropdown_options(client_for, outsider):
    response = client_for(outsider).get(URL, {"q": "Đặng"}, **HX)
    body = response.content.decode()
    assert "<html" not in body and "<h1>" not in body
    assert body.count('role="option"') == 4  # three hits and "see all results"
    assert 'role="group"' in body and 'hx-swap-oob="innerHTML"' in body
    assert asked == [(["dang"], 6)]
    assert "/search/?q=%C4%90%E1%BA%B7ng" in body


@pytest.mark.parametrize("q", ["d", " ", "đ"])
def test_too_short_says_how_long(client_for, outsider, q):
    for extra in ({}, HX):
        body = client_for(outsider).get(URL, {"q": q}, **extra).content.decode()
        assert "Gõ ít nhất 2 ký tự để tìm." in body or q.strip() == ""
    assert asked == []


def test_nothing_found_guides(client_for, outsider):
    body = client_for(outsider).get(URL, {"q": "khong co gi"}).content.decode()
    assert "Không tìm thấy “khong co gi”. Thử bỏ dấu hoặc từ ngắn hơn." in body
    fragment = client_for(outsider).get(URL, {"q": "khong co gi"}, **HX).content.decode()
    assert "Thử bỏ dấu hoặc từ ngắn hơn" in fragment and 'role="option"' not in fragment


@pytest.mark.parametrize("q", ["x" * 2000, "<script>alert(1)</script>", "%' OR 1=1 --", "_%_", "\u202e\ufeff"])
def test_bad_input_is_never_an_error(client_for, outsider, q):
    for extra in ({}, HX):
        response = client_for(outsider).get(URL, {"q": q}, **extra)
        assert response.status_code == 200
        assert "<script>alert(1)</script>" not in response.content.decode()


def test_nul_is_refused_with_a_message(client_for, outsider):
    response = client_for(outsider).get(URL, {"q": "ab\x00"})
    assert response.status_code == 400 and "NUL" in response.content.decode()


def test_header_box_shows_to_signed_in_people_only(client, client_for, outsider):
    home = reverse("home")
    assert 'id="header-search-input"' not in client.get(home).content.decode()
    body = client_for(outsider).get(home).content.decode()
    assert 'role="combobox"' in body and 'aria-controls="header-search-listbox"' in body
    assert 'action="/search/"' in body


def test_every_app_registers_its_kinds():
    kinds = {kind.kind for kind in registry.search_kinds()}
    assert {
        "directory.people",
        "directory.organisations",
        "events.workshops",
        "training.classes",
        "training.sessions",
        "surveys.forms",
        "news.posts",
        "library.documents",
    } <= kinds


def test_keep_folded_fills_the_column_and_saves_it_with_its_source():
    class Row:
        title = "Đà Lạt"
        title_folded = ""

    row, kwargs = Row(), {"update_fields": ["title", "updated_at"]}
    keep_folded(row, kwargs, title_folded="title")
    assert row.title_folded == "da lat" and set(kwargs["update_fields"]) == {"title", "updated_at", "title_folded"}
    kwargs = {"update_fields": ["status"]}
    keep_folded(row, kwargs, title_folded="title")
    assert kwargs == {"update_fields": ["status"]}  # a save that leaves the title alone writes no more
