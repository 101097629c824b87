"""The respondent page runs the forms of definition v2 (forms-spec §1) as KoboCollect would, on a
phone: repeats with rows added and removed, a cascading select, a calculation shown in a label,
a photo and a location, answered offline and sent once back online, with the photo."""

import json
import time

import pytest
from playwright.sync_api import expect

from ketnoi.programmes.services import programme_create
from ketnoi.surveys import services, views_respond
from ketnoi.surveys.models import Response
from ketnoi.surveys.ready_forms import ready_form
from ketnoi.surveys.tests.respond_forms import EVERY_NEW_TYPE, HOUSEHOLD, small_jpeg, with_definition

from .conftest import PHONE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

HANOI = {"latitude": 21.0285, "longitude": 105.8542, "accuracy": 12}


@pytest.fixture
def survey(make_user, staff_admin):
    """open(definition) -> an open collection whose form has that definition."""
    coordinator = make_user("dieu-phoi")
    programme = programme_create(actor=staff_admin, name="Khảo sát hộ", code="khao-sat-ho", coordinators=[coordinator])

    def open_form(definition: dict):
        form = services.form_create(actor=coordinator, programme=programme, definition=ready_form("workshop"))
        with_definition(form, definition)
        return services.collection_open(actor=coordinator, form=form, title="Thôn Đông")

    return open_form


def _phone(browser, live_server, **options):
    context = browser.new_context(
        viewport=PHONE, is_mobile=True, has_touch=True, locale="vi-VN", base_url=live_server.url, **options
    )
    context.set_default_timeout(15_000)
    return context, context.new_page()


def _open(page, collection):
    page.goto(f"/s/{collection.token}/")
    expect(page.locator("#survey")).to_have_attribute("data-ready", "true")


def _queued(page) -> list[dict]:
    return page.evaluate("window.KetNoiRespond.queued()")


def _fits_the_screen(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"] + 1, f"the page is {width}px wide on a {PHONE['width']}px screen"


def test_a_household_is_answered_offline_and_stored_once_with_its_photo(survey, browser, live_server, monkeypatch):
    collection = survey(HOUSEHOLD)
    # While "offline" the server is unreachable too (see test_survey_respond.py for why).
    network = {"down": False}
    arrived = []
    real_submit = views_respond.response_submit

    def submit_unless_down(**kwargs):
        if network["down"]:
            raise services.SubmissionRefused("offline", status=503)
        files = kwargs.get("files") or {}
        arrived.append({"answers": kwargs["answers"], "files": {name: f.read() for name, f in files.items()}})
        for upload in files.values():
            upload.seek(0)
        return real_submit(**kwargs)  # forms-spec §3: the media service's `files=` keyword

    monkeypatch.setattr(views_respond, "response_submit", submit_unless_down)
    context, page = _phone(browser, live_server, permissions=["geolocation"], geolocation=HANOI)
    _open(page, collection)

    page.get_by_label("Tên chủ hộ").fill("Lan")
    expect(page.locator('[data-q="greeting"]')).to_have_text("Xin chào Lan!")

    # Cascading select: the districts follow the province; a district of another one is cleared.
    district = page.get_by_label("Quận/huyện")
    page.locator('[data-q="province"]').get_by_text("Hà Nội").click()
    expect(page.locator('[data-q="province"] img')).to_have_attribute("src", f"/s/{collection.token}/media/hanoi.png")
    expect(district.locator('option[value="quan_1"]')).to_be_disabled()
    district.select_option("hoan_kiem")
    page.locator('[data-q="province"]').get_by_text("TP. Hồ Chí Minh").click()
    expect(district).to_have_value("")
    expect(district.locator('option[value="hoan_kiem"]')).to_be_disabled()
    district.select_option("quan_1")

    # A calculation shown in a label, live.
    page.get_by_label("Số phòng").fill("3")
    expect(page.locator('[data-q="beds_note"]')).to_have_text("Cần 6 giường.")

    # A repeat: two rows added, the labels in each row speak of that row's member.
    add = page.get_by_role("button", name="Thêm Thành viên")
    add.click()
    add.click()
    rows = page.locator('[data-rows-for="member"] > [data-row]')
    expect(rows).to_have_count(2)
    expect(rows.nth(1).locator(".row-number")).to_have_text("Dòng 2")
    page.locator('input[name="member[0].m_name"]').fill("Lan")
    page.locator('input[name="member[0].m_age"]').fill("40")
    page.locator('input[name="member[1].m_name"]').fill("Minh")
    page.locator('input[name="member[1].m_age"]').fill("12")
    expect(page.get_by_label("Tuổi của Minh")).to_have_value("12")

    # A photo: a preview and the file's name.
    photo = small_jpeg()
    page.locator('[data-q="photo"] input[type="file"]').set_input_files(
        {"name": "nha.jpg", "mimeType": "image/jpeg", "buffer": photo}
    )
    expect(page.locator('[data-q="photo"] [data-file-status]')).to_have_text("Đã chọn: nha.jpg")
    expect(page.locator('[data-q="photo"] img.file-preview')).to_be_visible()
    photo_name = page.locator('input[name="photo"]').input_value()
    assert photo_name.endswith(".jpg")

    # A location from the phone's GPS.
    page.get_by_role("button", name="Lấy vị trí").click()
    expect(page.locator('[data-q="where"] [data-geo-status]')).to_have_text(
        "Vĩ độ 21.0285, kinh độ 105.8542, sai số 12 m"
    )
    _fits_the_screen(page)

    network["down"] = True
    context.set_offline(True)
    page.get_by_role("button", name="Gửi phiếu").click()
    expect(page.locator("#survey-pending")).to_contain_text("sẽ tự gửi khi có mạng")
    [queued] = _queued(page)
    assert queued["files"] == [photo_name]
    assert queued["answers"]["member"] == [{"m_name": "Lan", "m_age": 40}, {"m_name": "Minh", "m_age": 12}]
    assert Response.objects.count() == 0

    network["down"] = False
    context.set_offline(False)
    for _ in range(150):  # the page resends on its own when the network is back
        if arrived:
            break
        page.wait_for_timeout(100)
    [sent] = arrived
    assert sent["files"] == {photo_name: photo}
    assert sent["answers"]["where"] == "21.0285 105.8542 0 12"
    assert sent["answers"]["district"] == "quan_1"
    expect(page.locator("#survey-thanks")).to_be_visible()
    assert _queued(page) == []

    stored = Response.objects.get()
    assert str(stored.uuid) == queued["uuid"]
    assert stored.answers["member"] == [{"m_name": "Lan", "m_age": 40}, {"m_name": "Minh", "m_age": 12}]
    assert stored.answers["beds"] == 6 and stored.answers["photo"] == photo_name
    [attachment] = stored.attachments.all()
    assert attachment.name == photo_name and attachment.size == len(photo)
    page.reload()
    expect(page.locator("#survey-thanks")).to_be_visible()
    time.sleep(0.5)
    assert Response.objects.count() == 1
    context.close()


def test_a_refused_location_falls_back_to_typed_coordinates(survey, browser, live_server):
    collection = survey(HOUSEHOLD)
    context, page = _phone(browser, live_server)  # no permission: the browser refuses
    _open(page, collection)
    where = page.locator('[data-q="where"]')
    where.get_by_role("button", name="Lấy vị trí").click()
    expect(where.locator("[data-geo-status]")).to_contain_text("Hãy nhập vĩ độ và kinh độ")
    expect(where.get_by_label("Vĩ độ (từ -90 đến 90)")).to_be_visible()
    where.get_by_label("Vĩ độ (từ -90 đến 90)").fill("21,5")
    where.get_by_label("Kinh độ (từ -180 đến 180)").fill("105.8")
    expect(page.locator('input[name="where"]')).to_have_value("21.5 105.8 0 0")
    expect(where.locator("[data-geo-status]")).to_have_text("Vĩ độ 21.5, kinh độ 105.8, sai số 0 m")
    where.get_by_label("Kinh độ (từ -180 đến 180)").fill("205")
    page.get_by_role("button", name="Gửi phiếu").click()
    expect(where.locator(".q-error")).to_be_visible()
    assert Response.objects.count() == 0
    context.close()


def test_too_big_a_photo_is_refused_on_the_phone(survey, browser, live_server):
    collection = survey(HOUSEHOLD)
    context, page = _phone(browser, live_server)
    _open(page, collection)
    page.locator('[data-q="photo"] input[type="file"]').set_input_files(
        {"name": "to.jpg", "mimeType": "image/jpeg", "buffer": b"\xff\xd8" + b"0" * (10 * 1024 * 1024)}
    )
    expect(page.locator('[data-q="photo"] [data-file-status]')).to_contain_text("quá giới hạn 10 MB")
    expect(page.locator('input[name="photo"]')).to_have_value("")
    page.reload()
    expect(page.locator('[data-q="photo"] [data-file-status]')).to_have_text("")
    context.close()


def test_the_form_language_switches_every_text_and_is_remembered(survey, browser, live_server):
    collection = survey(HOUSEHOLD)
    context, page = _phone(browser, live_server)
    _open(page, collection)
    page.get_by_label("Tên chủ hộ").fill("Lan")
    page.get_by_role("button", name="Thêm Thành viên").click()
    page.get_by_label("Ngôn ngữ của phiếu").select_option("en")
    expect(page.get_by_label("Head of household")).to_have_value("Lan")
    expect(page.get_by_role("heading", level=1)).to_have_text("Household survey")
    expect(page.locator('[data-q="greeting"]')).to_have_text("Hello Lan!")
    expect(page.locator('[data-q="province"]').get_by_text("Hanoi")).to_be_visible()
    expect(page.get_by_role("button", name="Thêm Member")).to_be_visible()
    page.locator('input[name="member[0].m_age"]').fill("130")
    page.locator('input[name="member[0].m_age"]').press("Tab")
    expect(page.locator('[data-error-for="member[0].m_age"]')).to_have_text("An age from 0 to 120.")
    page.reload()
    expect(page.locator('[data-q="greeting"]')).to_have_text("Hello Lan!")
    expect(page.locator('input[name="member[0].m_age"]')).to_have_value("130")
    context.close()


def test_a_row_removed_moves_the_rows_below_up_and_server_errors_find_their_row(survey, browser, live_server):
    collection = survey(HOUSEHOLD)
    context, page = _phone(browser, live_server)
    _open(page, collection)
    page.get_by_label("Tên chủ hộ").fill("Lan")
    add = page.get_by_role("button", name="Thêm Thành viên")
    for name in ("An", "Bình", "Chi"):
        add.click()
        page.locator('[data-rows-for="member"] > [data-row]').last.locator('input[name$=".m_name"]').fill(name)
    page.locator('[data-rows-for="member"] > [data-row]').nth(0).get_by_role("button", name="Xoá dòng").click()
    rows = page.locator('[data-rows-for="member"] > [data-row]')
    expect(rows).to_have_count(2)
    expect(page.locator('input[name="member[0].m_name"]')).to_have_value("Bình")
    expect(page.locator('input[name="member[1].m_name"]')).to_have_value("Chi")
    expect(rows.nth(1).locator(".row-number")).to_have_text("Dòng 2")

    page.route(
        "**/responses",
        lambda route: route.fulfill(
            status=400,
            content_type="application/json",
            body=json.dumps({"errors": {"member[1].m_age": ["Tuổi của Chi chưa đúng."]}}),
        ),
    )
    page.get_by_role("button", name="Gửi phiếu").click()
    expect(page.locator('[data-error-for="member[1].m_age"]')).to_have_text("Tuổi của Chi chưa đúng.")
    expect(page.locator('input[name="member[1].m_age"]')).to_have_attribute("aria-invalid", "true")
    context.close()


def test_every_new_kind_of_question_works_on_a_phone(survey, browser, live_server):
    collection = survey(EVERY_NEW_TYPE)
    context, page = _phone(browser, live_server)
    _open(page, collection)
    # repeat_count: the rows follow the count, nobody adds or removes them.
    households = page.locator('[data-rows-for="household"] > [data-row]')
    expect(households).to_have_count(2)
    expect(page.get_by_role("button", name="Thêm Hộ")).to_have_count(0)
    expect(households.first.get_by_role("button", name="Xoá dòng")).to_have_count(0)
    households.nth(1).get_by_role("button", name="Thêm Lần thăm").click()
    expect(page.locator('input[name="household[1].visits[0].v_day"]')).to_be_visible()

    expect(page.get_by_label("Xã")).to_have_value("Tân Lập")
    expect(page.locator('[data-q="town"] details summary')).to_have_text("Hướng dẫn")
    expect(page.locator('[data-q="likes"] input[value="y"]')).to_be_checked()
    page.get_by_label("Giờ bắt đầu").fill("07:30")
    page.get_by_label("Mức đau").fill("4")
    expect(page.locator('[data-q="pain"] output')).to_have_text("4")
    ranked = page.locator('[data-q="priorities"] li')
    ranked.nth(1).get_by_role("button", name="Đưa lên").click()
    expect(page.locator('input[name="priorities"]')).to_have_value("school water")
    page.get_by_role("button", name="Gửi phiếu").click()
    expect(page.locator('[data-error-for="consent"]')).to_have_text("Cần có sự đồng ý.")
    page.locator('[data-q="consent"]').get_by_text("Tôi xác nhận").click()
    expect(page.locator('[data-error-for="consent"]')).to_be_hidden()
    answers = page.evaluate(
        "window.KetNoiRespond.check(JSON.parse(document.getElementById('survey-definition').textContent),"
        " {start_time: '07:30', pain: '4', priorities: 'school water', consent: 'OK', secret: 'abc'}).cleaned"
    )
    assert answers["pain"] == 4 and answers["consent"] == "OK" and answers["secret"] == "abc" and answers["sum"] == 2
    _fits_the_screen(page)
    context.close()


def test_a_photo_survives_a_reload_with_the_draft(survey, browser, live_server):
    # Android often drops the tab while the camera is open: the photo must come back with it.
    collection = survey(HOUSEHOLD)
    context, page = _phone(browser, live_server)
    _open(page, collection)
    page.locator('[data-q="photo"] input[type="file"]').set_input_files(
        {"name": "nha.jpg", "mimeType": "image/jpeg", "buffer": small_jpeg()}
    )
    photo_name = page.locator('input[name="photo"]').input_value()
    page.reload()
    expect(page.locator('[data-q="photo"] [data-file-status]')).to_have_text("Đã chọn: nha.jpg")
    expect(page.locator('[data-q="photo"] img.file-preview')).to_be_visible()
    expect(page.locator('input[name="photo"]')).to_have_value(photo_name)
    # Choosing no file takes the answer (and the copy kept with the draft) away.
    page.locator('[data-q="photo"] input[type="file"]').set_input_files([])
    expect(page.locator('input[name="photo"]')).to_have_value("")
    page.reload()
    expect(page.locator('[data-q="photo"] [data-file-status]')).to_have_text("")
    context.close()
