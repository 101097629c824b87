"""Check-in at the door on a phone: a lecturer opens the check-in page, types a delegate's code
(what the ticket's QR code holds, as a hand-held scanner would type it) and sees the green
panel, types it again and sees when the delegate came, then finds another delegate by a name
typed without diacritics and checks them in from the list. Then the camera itself: Chromium's
fake camera shows a ticket's QR code, the page decodes it, checks the delegate in once and
never sends the same code twice within three seconds."""

import re
import time

import pytest
import segno
from playwright.sync_api import expect

from ketnoi.events import services
from ketnoi.events.models import Registration
from ketnoi.events.tests.factories import make_workshop_today, register
from ketnoi.programmes.models import Programme, ProgrammeRole

from .conftest import CHROMIUM, CHROMIUM_ARGS, PHONE, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def door(make_user):
    coordinator = make_user("hoi-dieu-phoi")
    lecturer = make_user("giang-vien")
    programme = Programme.objects.create(name="Kế hoạch hợp tác về vận động chính sách", code="van-dong")
    ProgrammeRole.objects.create(user=coordinator, programme=programme, role="coordinator")
    ProgrammeRole.objects.create(user=lecturer, programme=programme, role="lecturer")
    workshop = make_workshop_today(
        coordinator, programme, title="Hội thảo kết nối tại Đà Nẵng", venue="Khách sạn Sông Hàn"
    )
    lan, _ = register(workshop, "Nguyễn Thị Lan")
    duc, _ = register(workshop, "Trần Văn Đức")
    register(workshop, "Phạm Minh Châu")
    return {"workshop": workshop, "lan": lan, "duc": duc, "url": f"/programmes/van-dong/events/{workshop.pk}/checkin/"}


def _fits_the_screen(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"] + 1, f"the page is {width}px wide on a {PHONE['width']}px screen"


def _big_enough(locator) -> None:
    box = locator.bounding_box()
    assert box and box["height"] >= 44, f"a touch target {box} is smaller than 44px"


def test_lecturer_checks_in_by_code_twice_then_by_name(door, phone):
    log_in(phone, "giang-vien", "pw-giang-vien")
    phone.goto(door["url"])
    expect(phone.get_by_role("heading", level=1)).to_have_text("Điểm danh")
    expect(phone.locator(".checkin-workshop")).to_contain_text("Hội thảo kết nối tại Đà Nẵng")
    counter = phone.locator("#checkin-counter")
    expect(counter).to_have_text("đã điểm danh 0 / 3 đã xác nhận")
    _fits_the_screen(phone)
    # Headless Chromium on localhost has no camera to offer, but the button to ask is there.
    expect(phone.locator("#camera-start")).to_be_visible()

    code_box = phone.get_by_label("Hoặc nhập mã trên vé")
    _big_enough(code_box)
    payload = services.checkin_payload(door["lan"])
    code_box.fill(payload)
    code_box.press("Enter")
    panel = phone.locator("#checkin-result")
    expect(panel).to_have_text("Đã điểm danh: Nguyễn Thị Lan")
    expect(panel).to_have_class(re.compile(r"\bcheckin-result-checked_in\b"))
    expect(counter).to_have_text("đã điểm danh 1 / 3 đã xác nhận")
    expect(code_box).to_have_value("")  # ready for the next one
    expect(code_box).to_be_focused()

    code_box.fill(payload)
    phone.locator("#code-form").get_by_role("button", name="Điểm danh").click()
    expect(panel).to_contain_text("Nguyễn Thị Lan đã điểm danh lúc")
    expect(panel).to_have_class(re.compile(r"\bcheckin-result-already\b"))
    expect(counter).to_have_text("đã điểm danh 1 / 3 đã xác nhận")

    code_box.fill(payload[:-3] + "xyz")
    code_box.press("Enter")
    expect(panel).to_have_class(re.compile(r"\bcheckin-result-refused\b"))
    expect(panel).to_contain_text("không phải vé của hội thảo này")

    search = phone.get_by_role("searchbox")
    search.fill("tran van duc")
    search.press("Enter")
    row = phone.locator(f"#registration-{door['duc'].pk}")
    expect(row).to_contain_text("Trần Văn Đức")
    expect(phone.locator(".checkin-row")).to_have_count(1)
    expect(counter).to_have_text("đã điểm danh 1 / 3 đã xác nhận")
    _fits_the_screen(phone)
    button = row.get_by_role("button", name="Điểm danh")
    _big_enough(button)
    button.click()
    expect(panel).to_have_text("Đã điểm danh: Trần Văn Đức")
    expect(panel).to_have_class(re.compile(r"\bcheckin-result-checked_in\b"))
    expect(row.locator("[data-status]")).to_have_text("Đã tham dự")
    expect(row).to_contain_text("điểm danh lúc")
    expect(row.get_by_role("button")).to_have_count(0)
    expect(counter).to_have_text("đã điểm danh 2 / 3 đã xác nhận")
    _fits_the_screen(phone)

    checked = dict(Registration.objects.filter(workshop=door["workshop"]).values_list("person__full_name", "status"))
    assert checked == {"Nguyễn Thị Lan": "attended", "Trần Văn Đức": "attended", "Phạm Minh Châu": "confirmed"}


def _qr_video(path, payload: str, size: int = 480) -> None:
    """A still Y4M video of the payload's QR code, for Chromium's fake camera: black modules on
    white, grey chroma (Y4M 4:2:0: a luma plane, then two quarter-size chroma planes)."""
    matrix = [list(row) for row in segno.make(payload, error="m").matrix]
    modules = len(matrix) + 8  # the quiet zone
    scale = size // modules
    offset = (size - scale * len(matrix)) // 2
    luma = bytearray(b"\xff" * size * size)
    for y, row in enumerate(matrix):
        for x, dark in enumerate(row):
            if dark:
                for dy in range(scale):
                    start = (offset + y * scale + dy) * size + offset + x * scale
                    luma[start : start + scale] = b"\x00" * scale
    chroma = b"\x80" * (size // 2) * (size // 2)
    frame = b"FRAME\n" + bytes(luma) + chroma + chroma
    with open(path, "wb") as video:
        video.write(f"YUV4MPEG2 W{size} H{size} F10:1 Ip A1:1 C420jpeg\n".encode())
        for _ in range(10):
            video.write(frame)


def test_the_camera_reads_a_ticket_and_sends_it_once_within_three_seconds(door, browser, live_server, tmp_path):
    video = tmp_path / "ticket.y4m"
    _qr_video(video, services.checkin_payload(door["lan"]))
    camera_args = [
        "--use-fake-device-for-media-stream",
        "--use-fake-ui-for-media-stream",
        f"--use-file-for-fake-video-capture={video}",
    ]
    # A browser of its own (same Playwright), since the camera is chosen at launch.
    with_camera = browser.browser_type.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS + camera_args)
    try:
        context = with_camera.new_context(
            viewport=PHONE, is_mobile=True, has_touch=True, locale="vi-VN", base_url=live_server.url
        )
        context.set_default_timeout(15_000)
        context.grant_permissions(["camera"], origin=live_server.url)
        page = context.new_page()
        scans = []

        def on_request(request) -> None:
            if request.method == "POST" and request.url.endswith("/scan/"):
                scans.append(time.monotonic())

        page.on("request", on_request)
        log_in(page, "giang-vien", "pw-giang-vien")
        page.goto(door["url"])
        page.get_by_role("button", name="Bật camera để quét").click()
        expect(page.locator("#checkin-camera")).to_be_visible()
        panel = page.locator("#checkin-result")
        expect(panel).to_have_text("Đã điểm danh: Nguyễn Thị Lan")
        expect(page.locator("#checkin-counter")).to_have_text("đã điểm danh 1 / 3 đã xác nhận")
        # The ticket stays in front of the camera: the next send is 3 s later or more, and it
        # answers with the time of the first.
        expect(panel).to_contain_text("đã điểm danh lúc", timeout=10_000)
        assert len(scans) >= 2 and scans[1] - scans[0] >= 3.0, scans
        page.get_by_role("button", name="Tắt camera").click()
        expect(page.locator("#checkin-camera")).to_be_hidden()
    finally:
        with_camera.close()
    assert Registration.objects.get(pk=door["lan"].pk).status == "attended"
