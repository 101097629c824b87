"""A learner answers the lecture evaluation on a phone from its share link: the network drops,
the page is reloaded offline (the service worker serves it, the draft and the queued answers are
still there), the network comes back, and the response is stored exactly once. Relevance and
constraints react as the respondent answers."""

import json
import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from ketnoi.programmes.services import programme_create
from ketnoi.surveys import services, views_respond
from ketnoi.surveys.models import Response
from ketnoi.surveys.ready_forms import ready_form

from .conftest import PHONE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def survey(make_user, staff_admin):
    """open(key) -> an open collection of the ready form `key`, made through the services."""
    coordinator = make_user("dieu-phoi")
    programme = programme_create(
        actor=staff_admin, name="Đào tạo cán bộ về TCXH", code="dao-tao", coordinators=[coordinator]
    )

    def open_form(key: str, **options):
        form = services.form_create(actor=coordinator, programme=programme, definition=ready_form(key))
        return services.collection_open(actor=coordinator, form=form, title="Bài giảng 12/10 – lớp HN01", **options)

    open_form.coordinator = coordinator
    return open_form


def _fits_the_screen(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"] + 1, f"the page is {width}px wide on a {PHONE['width']}px screen"


def _point(page, name: str, value: int):
    return page.locator(f'label.point:has(input[name="{name}"][value="{value}"])')


def _stored(key: str, page):
    return page.evaluate(f"JSON.parse(localStorage.getItem({json.dumps(key)}))")


def _queued(page) -> list[dict]:
    """The submissions waiting on the phone (IndexedDB, or the localStorage fallback)."""
    return page.evaluate("window.KetNoiRespond.queued()")


def test_answers_offline_reloads_and_is_stored_once_when_back_online(survey, phone, monkeypatch):
    collection = survey("lecture")
    rendered = []
    form_page = views_respond._form_page

    def counting_form_page(request, collection):
        rendered.append(request.path)
        return form_page(request, collection)

    monkeypatch.setattr(views_respond, "_form_page", counting_form_page)
    # Chromium's offline emulation does not reliably cover a reload of a page that a service
    # worker controls: the new page may send its queued answer before it sees navigator.onLine
    # false. On a real phone nothing leaves it; here the server is unreachable while "offline"
    # too (a 503, which the page retries), and the attempts that still got out are counted.
    network = {"down": False, "attempts_while_down": 0}
    real_submit = views_respond.response_submit

    def submit_unless_down(*args, **kwargs):
        if network["down"]:
            network["attempts_while_down"] += 1
            raise services.SubmissionRefused("offline", status=503)
        return real_submit(*args, **kwargs)

    monkeypatch.setattr(views_respond, "response_submit", submit_unless_down)
    token = collection.token
    phone.goto(f"/s/{token}/")
    expect(phone.get_by_role("heading", level=1)).to_have_text("Đánh giá bài giảng")
    expect(phone.locator("html")).to_have_attribute("lang", "vi")
    # The service worker has taken the page and its files for offline use.
    expect(phone.locator("html")).to_have_attribute("data-offline-ready", "true")
    _fits_the_screen(phone)

    for item, value in [
        ("content_relevant", 5),
        ("content_new", 4),
        ("lecturer_clear", 5),
        ("methods_engaging", 3),
        ("time_enough", 4),
    ]:
        _point(phone, item, value).click()
    _point(phone, "overall", 4).click()
    topics = phone.locator('[data-q="topics_useful"]')
    topics.get_by_text("Vận động chính sách").click()
    expect(phone.get_by_label("Ghi rõ lựa chọn khác")).to_be_hidden()
    topics.get_by_text("Khác", exact=True).click()
    phone.get_by_label("Ghi rõ lựa chọn khác").fill("Luật về hội")
    phone.locator('[data-q="would_recommend"]').get_by_text("Có", exact=True).click()
    phone.get_by_label("Điều gì nên cải thiện cho khoá sau?").fill("Thêm ví dụ thực tế")
    _fits_the_screen(phone)
    draft = _stored(f"ketnoi.surveys.draft.{token}.v1", phone)
    assert draft["answers"]["topics_useful"] == ["advocacy", "other"]

    network["down"] = True
    phone.context.set_offline(True)
    phone.get_by_role("button", name="Gửi phiếu").click()
    pending = phone.locator("#survey-pending")
    expect(pending).to_be_visible()
    expect(pending).to_contain_text("sẽ tự gửi khi có mạng")
    expect(phone.locator("#survey-form")).to_be_hidden()
    queue = _queued(phone)
    assert len(queue) == 1 and queue[0]["files"] == []
    assert len(queue) == 1 and queue[0]["answers"]["overall"] == 4 and queue[0]["version"] == 1
    assert re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}", queue[0]["uuid"])
    assert Response.objects.count() == 0
    assert network["attempts_while_down"] == 0  # the page did not even try while offline

    # Reloading without network: the service worker answers with the kept page.
    served = len(rendered)
    reloaded = phone.reload()
    assert reloaded.from_service_worker
    expect(phone.get_by_role("heading", level=1)).to_have_text("Đánh giá bài giảng")
    assert phone.evaluate("navigator.serviceWorker.controller !== null")
    assert len(rendered) == served, "the server was asked for the page while offline"
    expect(pending).to_be_visible()
    expect(pending).to_contain_text("sẽ tự gửi khi có mạng")
    assert _queued(phone) == queue
    assert _stored(f"ketnoi.surveys.draft.{token}.v1", phone)["answers"]["topics_useful_other"] == "Luật về hội"
    assert Response.objects.count() == 0

    network["down"] = False
    phone.context.set_offline(False)
    thanks = phone.locator("#survey-thanks")
    expect(thanks).to_be_visible()
    expect(thanks).to_contain_text("Cảm ơn anh/chị đã trả lời!")
    expect(thanks.get_by_role("button", name="Trả lời thêm một phiếu")).to_be_visible()
    assert _queued(phone) == []
    assert _stored(f"ketnoi.surveys.draft.{token}.v1", phone) is None

    # Nothing is sent again, however often the page is opened.
    phone.reload()
    expect(phone.locator("#survey-thanks")).to_be_visible()
    stored = Response.objects.get()
    assert str(stored.uuid) == queue[0]["uuid"]
    assert stored.respondent is None
    assert stored.answers == {
        "content_relevant": 5,
        "content_new": 4,
        "lecturer_clear": 5,
        "methods_engaging": 3,
        "time_enough": 4,
        "overall": 4,
        "topics_useful": "advocacy other",
        "topics_useful_other": "Luật về hội",
        "would_recommend": "yes",
        "improve": "Thêm ví dụ thực tế",
    }
    assert Response.objects.count() == 1

    # Anonymous mode: the same phone may answer again with a fresh form.
    phone.get_by_role("button", name="Trả lời thêm một phiếu").click()
    expect(phone.locator("#survey-form")).to_be_visible()
    expect(phone.locator('input[name="overall"]:checked')).to_have_count(0)


def test_relevance_shows_and_hides_live_and_constraints_explain_themselves(survey, phone):
    collection = survey("workshop")
    phone.goto(f"/s/{collection.token}/")
    partners = phone.locator('[data-q="partners_count"]')
    met = phone.locator('[data-q="met_new_partners"]')
    expect(partners).to_be_hidden()
    met.get_by_text("Có", exact=True).click()
    expect(partners).to_be_visible()
    met.get_by_text("Không", exact=True).click()
    expect(partners).to_be_hidden()
    met.get_by_text("Có", exact=True).click()
    expect(partners).to_be_visible()

    # A bad number explains itself as soon as the respondent leaves the field.
    count = phone.get_by_label("Bao nhiêu đối tác mới?")
    count.fill("99")
    count.press("Tab")
    expect(partners.locator(".q-error")).to_have_text("Từ 1 đến 50.")
    expect(phone.locator('[data-error-for="useful"]')).to_be_hidden()  # not yet asked for

    # Sending shows every problem, and nothing leaves the phone.
    phone.get_by_role("button", name="Gửi phiếu").click()
    expect(phone.locator("#survey-status")).to_contain_text("cần sửa")
    expect(phone.locator('[data-error-for="useful"]')).to_have_text("Câu này bắt buộc.")
    expect(phone.locator('[data-error-for="participant_type"]')).to_have_text("Câu này bắt buộc.")
    expect(partners.locator(".q-error")).to_have_text("Từ 1 đến 50.")
    _fits_the_screen(phone)
    assert Response.objects.count() == 0

    # Typing a letter where a number is wanted says so too.
    count.fill("ba")
    expect(partners.locator(".q-error")).to_have_text(re.compile("số nguyên"))
    count.fill("5")
    expect(partners.locator(".q-error")).to_be_hidden()

    # The draft survives a reload.
    phone.reload()
    expect(count).to_have_value("5")
    expect(partners).to_be_visible()

    phone.locator('[data-q="participant_type"]').get_by_text("Tổ chức xã hội").click()
    _point(phone, "useful", 5).click()
    phone.get_by_role("button", name="Gửi phiếu").click()
    expect(phone.locator("#survey-thanks")).to_be_visible()
    assert Response.objects.get().answers == {
        "participant_type": "cso",
        "useful": 5,
        "met_new_partners": "yes",
        "partners_count": 5,
    }


def test_the_page_switches_to_english(survey, phone):
    collection = survey("lecture")
    phone.goto(f"/s/{collection.token}/")
    phone.get_by_role("button", name="EN").click()
    expect(phone.locator("html")).to_have_attribute("lang", "en")
    expect(phone.get_by_role("heading", level=1)).to_have_text("Lecture evaluation")
    expect(phone.get_by_text("Overall rating of the lecture")).to_be_visible()
    _fits_the_screen(phone)


def _fill_workshop(page) -> None:
    page.locator('[data-q="participant_type"]').get_by_text("Cơ quan nhà nước").click()
    _point(page, "useful", 4).click()
    page.locator('[data-q="met_new_partners"]').get_by_text("Không", exact=True).click()


def test_a_server_error_and_a_lost_acknowledgement_are_retried_and_stored_once(survey, phone):
    collection = survey("workshop")
    seen = []

    def flaky_network(route):
        seen.append(route.request.post_data_json["uuid"])
        if len(seen) == 1:
            route.fulfill(status=503, body="Service Unavailable")  # a proxy in trouble
        elif len(seen) == 2:
            stored = route.fetch()  # the server stores it, but the answer never arrives
            assert stored.status == 201
            route.abort("connectionreset")
        else:
            route.continue_()

    phone.route("**/responses", flaky_network)
    phone.goto(f"/s/{collection.token}/")
    _fill_workshop(phone)
    phone.get_by_role("button", name="Gửi phiếu").click()
    expect(phone.locator("#survey-thanks")).to_be_visible(timeout=15_000)
    assert len(seen) == 3 and len(set(seen)) == 1  # the same UUID each time
    assert Response.objects.count() == 1
    assert str(Response.objects.get().uuid) == seen[0]


def test_a_refusal_is_shown_and_not_retried(survey, phone):
    collection = survey("workshop", opens_at=timezone.now() - timedelta(hours=1))
    phone.goto(f"/s/{collection.token}/")
    _fill_workshop(phone)
    services.collection_close(actor=survey.coordinator, collection=collection)
    posts = []
    phone.on("request", lambda request: posts.append(request.url) if request.method == "POST" else None)
    phone.get_by_role("button", name="Gửi phiếu").click()
    refused = phone.locator("#survey-refused")
    expect(refused).to_be_visible()
    expect(refused).to_contain_text("Đợt khảo sát đã đóng, không nhận thêm phiếu.")
    expect(phone.locator("#survey-form")).to_be_hidden()
    phone.wait_for_timeout(2500)  # longer than the first pause before a retry
    assert len(posts) == 1
    assert _queued(phone) == []
    assert Response.objects.count() == 0


def test_without_indexeddb_the_queue_falls_back_to_localstorage(survey, phone):
    collection = survey("workshop")
    # Some private modes and old WebViews refuse IndexedDB: a text-only answer still waits.
    phone.add_init_script("Object.defineProperty(window, 'indexedDB', { value: undefined });")
    phone.goto(f"/s/{collection.token}/")
    _fill_workshop(phone)
    phone.context.set_offline(True)
    phone.get_by_role("button", name="Gửi phiếu").click()
    expect(phone.locator("#survey-pending")).to_contain_text("sẽ tự gửi khi có mạng")
    [kept] = _stored(f"ketnoi.surveys.queue.{collection.token}", phone)
    assert kept["answers"]["useful"] == 4 and _queued(phone)[0]["uuid"] == kept["uuid"]
    phone.context.set_offline(False)
    expect(phone.locator("#survey-thanks")).to_be_visible()
    assert _stored(f"ketnoi.surveys.queue.{collection.token}", phone) is None
    assert str(Response.objects.get().uuid) == kept["uuid"]


def test_the_closed_page_still_sends_what_was_queued_and_says_what_came_of_it(survey, phone):
    collection = survey("workshop", opens_at=timezone.now() - timedelta(hours=1))
    phone.goto(f"/s/{collection.token}/")
    _fill_workshop(phone)
    phone.context.set_offline(True)
    phone.get_by_role("button", name="Gửi phiếu").click()
    expect(phone.locator("#survey-pending")).to_contain_text("sẽ tự gửi khi có mạng")
    [queued] = _queued(phone)
    # The phone leaves the page before the network comes back; the link is opened again later.
    context = phone.context
    phone.close()
    # Closed before the network returns: a page still closing must not get its answer through.
    services.collection_close(actor=survey.coordinator, collection=collection)
    context.set_offline(False)
    later = context.new_page()
    later.goto(f"/s/{collection.token}/")
    expect(later.get_by_role("heading", level=2)).to_have_text("Đợt khảo sát đã đóng")
    expect(later.locator("#survey-status")).to_contain_text("Đợt khảo sát đã đóng, không nhận thêm phiếu.")
    assert _queued(later) == [] and Response.objects.count() == 0
    assert queued["answers"]["useful"] == 4
