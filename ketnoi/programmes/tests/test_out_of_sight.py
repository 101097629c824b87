"""A signed-in person who opens a programme they hold no role in is told so and whom to ask; a
private programme is not named (the same page as a code that does not exist), a public one is,
with its coordinators. A role that does not allow a page names the coordinators too."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def production(settings):
    settings.DEBUG = False


def _reason(text: str) -> str:
    return re.search(r'<p id="out-of-sight-reason">(.*?)</p>', text, re.S).group(1)


def test_no_role_private_programme_is_a_404_that_names_nothing(client_for, outsider, coordinator, prog):
    response = client_for(outsider).get(reverse("programmes:detail", args=[prog.code]))
    assert response.status_code == 404
    text = response.content.decode()
    assert "Không mở được chương trình" in text and "Not Found" not in text
    assert "nhờ điều phối viên" in text
    assert prog.name not in text and "Điều phối" not in re.sub(r"điều phối viên", "", text, flags=re.I)
    assert 'id="error-home"' in text
    # The same words as for a programme that does not exist: a private programme's existence does not leak.
    missing = client_for(outsider).get(reverse("programmes:detail", args=["khong-co"]))
    assert missing.status_code == 404 and _reason(missing.content.decode()) == _reason(text)


def test_no_role_public_programme_names_it_and_its_coordinators(client_for, outsider, coordinator, prog):
    prog.is_public = True
    prog.save()
    response = client_for(outsider).get(reverse("programmes:detail", args=[prog.code]))
    assert response.status_code == 404
    text = response.content.decode()
    assert prog.name in text
    assert re.search(r'id="out-of-sight-ask">.*<strong>Điều phối</strong>', text, re.S)


def test_coordinator_of_another_programme_is_told_and_sent_to_their_programmes(
    client_for, other_coordinator, coordinator, prog
):
    response = client_for(other_coordinator).get(reverse("programmes:members", args=[prog.code]))
    assert response.status_code == 404
    text = response.content.decode()
    assert "Không mở được chương trình" in text
    assert f'href="{reverse("programmes:list")}"' in text
    assert prog.name not in text


def test_anonymous_goes_to_login(client, prog):
    response = client.get(reverse("programmes:detail", args=[prog.code]))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_a_page_of_another_app_refuses_the_same_way(client_for, outsider, prog):
    """Pages that fetch the programme without `programme_view` (news management here) raise the
    same refusal, which the site's 404 handler renders."""
    client = client_for(outsider)
    client.raise_request_exception = False
    response = client.get(reverse("news:manage_posts", args=[prog.code]))
    assert response.status_code == 404
    assert "Không mở được chương trình" in response.content.decode()


def test_refusal_in_english(client_for, outsider, prog):
    client = client_for(outsider)
    client.cookies["ketnoi_language"] = "en"
    text = client.get(reverse("programmes:detail", args=[prog.code])).content.decode()
    assert "Cannot open this programme" in text


def test_forbidden_page_names_the_coordinators(client_for, viewer, coordinator, prog):
    response = client_for(viewer).get(reverse("programmes:edit", args=[prog.code]))
    assert response.status_code == 403
    assert re.search(r'id="forbidden-ask">.*<strong>Điều phối</strong>', response.content.decode(), re.S)
