"""The delegate's ticket page, reached by the personal link: status, QR code, cancel."""

import pytest

from ketnoi.events.models import Registration

from .factories import make_workshop, register

pytestmark = pytest.mark.django_db


def test_the_ticket_shows_the_status_and_the_qr_code_and_cancels(client, coordinator, prog):
    workshop = make_workshop(coordinator, prog, capacity=1)
    first, _ = register(workshop, "Nguyễn Thị Hường")
    waiting, _ = register(workshop, "Đặng Quốc Việt")
    page = client.get(f"/e/ve/{first.code}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Nguyễn Thị Hường" in html and "Đã xác nhận" in html and "<svg" in html
    waiting_page = client.get(f"/e/ve/{waiting.code}/").content.decode()
    assert "Danh sách chờ" in waiting_page and "<svg" not in waiting_page
    response = client.post(f"/e/ve/{first.code}/", {"action": "cancel"})
    assert response.status_code == 302
    assert Registration.objects.get(pk=first.pk).status == "cancelled"
    assert Registration.objects.get(pk=waiting.pk).status == "confirmed"
    assert "Đã huỷ đăng ký" in client.get(f"/e/ve/{first.code}/").content.decode()


def test_an_unknown_code_is_not_found(client):
    assert client.get("/e/ve/khong-co-ma-nay/").status_code == 404


def test_a_logged_in_outsider_without_the_personal_link_gets_404(client_for, outsider, coordinator, prog):
    workshop = make_workshop(coordinator, prog)
    registration, _ = register(workshop, "Nguyễn Thị Hường")
    client = client_for(outsider)
    assert client.get("/e/ve/khong-co-ma-nay/").status_code == 404
    assert client.post("/e/ve/khong-co-ma-nay/", {"action": "cancel"}).status_code == 404
    assert Registration.objects.get(pk=registration.pk).status == "confirmed"
