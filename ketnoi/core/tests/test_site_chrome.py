"""What every page's header carries: links only to the pages the person may open, a labelled
navigation landmark, the icon and the web app manifest."""

import json
import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _header(client, url="/accounts/tokens/") -> str:
    text = client.get(url).content.decode()
    return re.search(r'<header class="site-header">(.*?)</header>', text, re.S).group(1)


def test_an_account_with_no_role_sees_no_directory_nor_programmes(client_for, outsider):
    header = _header(client_for(outsider))
    assert "Danh bạ" not in header and reverse("directory:organisation_list") not in header
    assert reverse("programmes:list") not in header and reverse("my_reviews") not in header
    assert reverse("library_public:search") in header


def test_a_member_sees_programmes_and_the_directory(client_for, viewer):
    header = _header(client_for(viewer))
    assert 'id="nav-programmes"' in header and 'id="nav-directory"' in header
    assert 'id="nav-reviews"' not in header
    assert client_for(viewer).get(reverse("directory:organisation_list")).status_code == 200


def test_a_reviewer_sees_their_reviews(client_for, reviewer):
    header = _header(client_for(reviewer))
    assert 'id="nav-reviews"' in header and reverse("my_reviews") in header


def test_staff_see_programmes_and_the_directory(client_for, staff_admin):
    header = _header(client_for(staff_admin))
    assert 'id="nav-programmes"' in header and 'id="nav-directory"' in header


def test_a_visitor_sees_the_library_and_sign_in(client):
    header = _header(client, "/")
    assert reverse("library_public:search") in header and reverse("login") in header
    assert 'id="nav-programmes"' not in header and 'id="nav-directory"' not in header


def test_the_header_navigation_is_labelled(client):
    header = _header(client, "/")
    assert re.search(r'<nav [^>]*aria-label="Điều hướng chính"', header)
    client.cookies["ketnoi_language"] = "en"
    assert 'aria-label="Main navigation"' in _header(client, "/")


def test_pages_link_the_icon_and_the_manifest(client):
    text = client.get("/").content.decode()
    assert 'href="data:,"' not in text
    assert re.search(r'<link rel="icon" href="/static/core/icons/favicon.svg" type="image/svg\+xml">', text)
    assert '<link rel="manifest" href="/manifest.webmanifest">' in text
    for href in re.findall(r'<link rel="(?:icon|apple-touch-icon)" href="([^"]+)"', text):
        assert client.get(href).status_code == 200, href


def test_web_app_manifest(client):
    response = client.get("/manifest.webmanifest")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    manifest = json.loads(response.content)
    assert manifest["name"] == "Kết Nối" and manifest["short_name"] and manifest["lang"] == "vi"
    assert manifest["start_url"] == "/" and manifest["display"] == "standalone"
    assert manifest["theme_color"].startswith("#")
    sizes = {icon["sizes"] for icon in manifest["icons"]}
    assert {"192x192", "512x512"} <= sizes
    for icon in manifest["icons"]:
        served = client.get(icon["src"])
        assert served.status_code == 200 and served["Content-Type"] == icon["type"], icon


def test_favicon_ico_goes_to_the_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response.url.endswith("favicon-32.png")


def test_manifest_is_open_before_the_second_sign_in_step(client, make_user):
    from django.test import Client

    staff = make_user("staff-owes-step", is_staff=True)
    plain = Client()
    plain.force_login(staff)  # a staff account owes the second step: other pages redirect
    assert plain.get("/accounts/tokens/").status_code == 302
    assert plain.get("/manifest.webmanifest").status_code == 200
