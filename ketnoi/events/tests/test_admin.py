"""The back office lists workshops and registrations; a registration's status is not edited there."""

import pytest

from .factories import make_workshop, register

pytestmark = pytest.mark.django_db


def test_admin_pages_open_and_registrations_are_read_only(client_for, staff_admin, coordinator, prog):
    workshop = make_workshop(coordinator, prog)
    registration, _ = register(workshop, "An")
    client = client_for(staff_admin)
    for path in ("workshop/", f"workshop/{workshop.pk}/change/", "registration/", "invitation/", "material/"):
        assert client.get(f"/admin/events/{path}").status_code == 200, path
    page = client.get(f"/admin/events/registration/{registration.pk}/change/")
    assert page.status_code == 200 and 'name="status"' not in page.content.decode()
    assert client.get("/admin/events/registration/add/").status_code == 403


def test_outsider_is_sent_to_the_back_office_login(client_for, outsider, coordinator, prog):
    workshop = make_workshop(coordinator, prog)
    client = client_for(outsider)
    for path in ("workshop/", f"workshop/{workshop.pk}/change/", "registration/", "invitation/", "material/"):
        response = client.get(f"/admin/events/{path}")
        assert response.status_code == 302 and response["Location"].startswith("/admin/login/"), path
