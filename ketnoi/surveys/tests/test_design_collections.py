"""Collections: opening a form for answers (target, context, times typed dd/mm/yyyy HH:MM, cap,
mode), the share page (link, QR code, count, state), changing, closing, and the projector page."""

import uuid
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from ketnoi.programmes.models import Activity
from ketnoi.surveys import services
from ketnoi.surveys.models import Collection

from .factories import GOOD_LECTURE, lecture_form, open_collection

pytestmark = pytest.mark.django_db
HCM = ZoneInfo("Asia/Ho_Chi_Minh")


def url(name, prog, *args):
    return reverse(f"surveys:{name}", args=[prog.code, *args])


@pytest.fixture
def form(coordinator, prog):
    return lecture_form(coordinator, prog)


@pytest.fixture
def activity(prog):
    return Activity.objects.create(programme=prog, number=3, title="Đồng giảng dạy tại Học viện Hành chính")


FULL = {
    "title": "Bài giảng 12/10 – lớp HN01",
    "target_label": "",
    "context_class": "HN01",
    "context_campus": "Hà Nội",
    "context_semester": "HK1 2030–2031",
    "context_lecturer": "TS. Nguyễn Văn A",
    "opens_at_0": "12/10/2030",
    "opens_at_1": "08:00",
    "closes_at_0": "12/10/2030",
    "closes_at_1": "17:30",
    "max_responses": "40",
    "mode": "anonymous",
}


# Opening ------------------------------------------------------------------------------------


def test_open_with_everything(client_for, lecturer, prog, form, activity):
    response = client_for(lecturer).post(url("collection_open", prog, form.pk), {**FULL, "target": activity.pk})
    collection = Collection.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("collection_detail", prog, form.pk, collection.pk)
    assert collection.title == "Bài giảng 12/10 – lớp HN01"
    assert collection.target_label == "3. Đồng giảng dạy tại Học viện Hành chính"
    assert collection.target_id == str(activity.pk)
    assert collection.context == {
        "class": "HN01",
        "campus": "Hà Nội",
        "semester": "HK1 2030–2031",
        "lecturer": "TS. Nguyễn Văn A",
    }
    assert collection.opens_at == datetime(2030, 10, 12, 8, 0, tzinfo=HCM)
    assert collection.closes_at == datetime(2030, 10, 12, 17, 30, tzinfo=HCM)
    assert (collection.max_responses, collection.mode, collection.created_by) == (40, "anonymous", lecturer)


def test_open_now_with_a_free_text_target(client_for, coordinator, prog, form):
    before = timezone.now()
    client_for(coordinator).post(
        url("collection_open", prog, form.pk),
        {"title": "Hội thảo Đà Nẵng", "target_label": "Hội thảo 05/11 tại Đà Nẵng", "mode": "identified"},
    )
    collection = Collection.objects.get()
    assert collection.target_label == "Hội thảo 05/11 tại Đà Nẵng"
    assert collection.target_type is None
    assert collection.opens_at >= before
    assert (collection.closes_at, collection.max_responses, collection.mode) == (None, None, "identified")
    assert collection.context == {}


def test_the_page_offers_only_this_programmes_activities(client_for, coordinator, prog, other_prog, form, activity):
    Activity.objects.create(programme=other_prog, number=1, title="Hoạt động của chương trình khác")
    page = client_for(coordinator).get(url("collection_open", prog, form.pk)).content.decode()
    assert "Đồng giảng dạy tại Học viện Hành chính" in page
    assert "chương trình khác" not in page
    assert 'placeholder="dd/mm/yyyy"' in page and 'placeholder="HH:MM"' in page
    assert 'value="Đánh giá bài giảng"' in page  # the title starts as the form's


def test_an_activity_of_another_programme_is_refused(client_for, coordinator, prog, other_prog, form):
    foreign = Activity.objects.create(programme=other_prog, number=1, title="Khác")
    response = client_for(coordinator).post(url("collection_open", prog, form.pk), {**FULL, "target": foreign.pk})
    assert response.status_code == 200
    assert not Collection.objects.exists()


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"closes_at_0": "12/10/2030", "closes_at_1": "07:00"}, "closes_at", "Thời điểm đóng phải sau thời điểm mở."),
        (
            {"closes_at_0": "01/01/2020", "closes_at_1": "07:00", "opens_at_0": "", "opens_at_1": ""},
            "closes_at",
            "phải sau",
        ),
        ({"max_responses": "-5"}, "max_responses", "Số phiếu tối đa phải từ 1 trở lên"),
        ({"max_responses": "0"}, "max_responses", "Số phiếu tối đa phải từ 1 trở lên"),
        ({"max_responses": "nhiều"}, "max_responses", "errorlist"),
        ({"opens_at_0": "2030/10/12"}, "opens_at", "Hãy nhập ngày dạng dd/mm/yyyy"),
        ({"opens_at_1": "25:99"}, "opens_at", "Hãy nhập giờ dạng HH:MM"),
        ({"opens_at_1": ""}, "opens_at", "Hãy nhập giờ dạng HH:MM"),
        ({"title": "   "}, "title", "errorlist"),
        ({"mode": "secret"}, "mode", "errorlist"),
    ],
)
def test_bad_input_is_shown_and_nothing_is_written(client_for, coordinator, prog, form, change, field, message):
    response = client_for(coordinator).post(url("collection_open", prog, form.pk), {**FULL, **change})
    page = response.content.decode()
    assert response.status_code == 200
    assert message in page
    assert f'id="id_{field}_error"' in page
    assert not Collection.objects.exists()


# The share page -----------------------------------------------------------------------------


def test_share_page_shows_link_qr_count_and_state(client_for, viewer, coordinator, prog, form):
    collection = open_collection(coordinator, form, max_responses=30, context={"class": "HN01", "city": "Hà Nội"})
    services.response_submit(collection=collection, uuid=uuid.uuid4(), answers=GOOD_LECTURE)
    response = client_for(viewer).get(url("collection_detail", prog, form.pk, collection.pk))
    page = response.content.decode()
    link = f"http://testserver/s/{collection.token}/"
    assert f'value="{link}"' in page
    assert f'data-copy="{link}"' in page
    assert f'<img src="/s/{collection.token}/qr.svg"' in page and 'class="qr"' in page  # the respondent pages' QR
    assert f'href="/s/{collection.token}/" target="_blank"' in page
    assert f'href="/programmes/{prog.code}/surveys/{form.pk}/results/"' in page
    assert "1 / tối đa 30" in page
    assert "đang mở" in page
    assert "HN01" in page and "Thành phố" in page
    assert url("collection_project", prog, form.pk, collection.pk) in page
    assert 'id="close-collection"' not in page and 'id="edit-collection"' not in page  # a viewer reads only


def test_share_page_uses_the_respondent_qr(client_for, coordinator, prog, form):
    collection = open_collection(coordinator, form)
    page = client_for(coordinator).get(url("collection_detail", prog, form.pk, collection.pk)).content.decode()
    assert f'<img src="/s/{collection.token}/qr.svg"' in page
    assert f'href="/s/{collection.token}/qr.svg?download=1"' in page
    assert f'href="/s/{collection.token}/qr.png?download=1"' in page
    assert "<svg" not in page


def test_share_page_with_the_real_respondent_pages(client_for, coordinator, prog, form):
    collection = open_collection(coordinator, form)
    qr = f"/s/{collection.token}/qr.svg"
    assert qr == reverse("respond:qr", kwargs={"token": collection.token, "fmt": "svg"})
    client = client_for(coordinator)
    page = client.get(url("collection_detail", prog, form.pk, collection.pk)).content.decode()
    assert f'<img src="{qr}"' in page
    assert f'value="http://testserver/s/{collection.token}/"' in page
    image = client.get(qr)
    assert image.status_code == 200 and image["Content-Type"].startswith("image/svg")
    png = client.get(f"/s/{collection.token}/qr.png")
    assert png.status_code == 200 and png["Content-Type"] == "image/png"
    assert client.get(f"/s/{collection.token}/").status_code == 200  # the respondent's form


def test_a_collection_of_another_form_is_a_404(client_for, coordinator, prog, form):
    other = lecture_form(coordinator, prog, title="Khác")
    collection = open_collection(coordinator, other)
    assert client_for(coordinator).get(url("collection_detail", prog, form.pk, collection.pk)).status_code == 404


def test_projector_page(client_for, coordinator, prog, form):
    collection = open_collection(coordinator, form, title="Bài giảng chiều nay")
    page = client_for(coordinator).get(url("collection_project", prog, form.pk, collection.pk)).content.decode()
    assert "Bài giảng chiều nay" in page
    assert f"http://testserver/s/{collection.token}/" in page
    assert 'class="projector"' in page and f'<img src="/s/{collection.token}/qr.svg"' in page


def test_a_closed_collection_says_so(client_for, coordinator, prog, form):
    collection = open_collection(coordinator, form)
    services.collection_close(actor=coordinator, collection=collection)
    client = client_for(coordinator)
    page = client.get(url("collection_detail", prog, form.pk, collection.pk)).content.decode()
    assert "đã đóng" in page and 'id="close-collection"' not in page
    project = client.get(url("collection_project", prog, form.pk, collection.pk)).content.decode()
    assert "đã đóng" in project


# Changing and closing -----------------------------------------------------------------------


def test_edit_keeps_the_link_and_context_this_page_does_not_show(client_for, coordinator, prog, form):
    collection = open_collection(coordinator, form, context={"class": "HN01", "city": "Hà Nội"})
    token = collection.token
    client = client_for(coordinator)
    page = client.get(url("collection_edit", prog, form.pk, collection.pk)).content.decode()
    assert 'name="target"' not in page  # the target is chosen when opening
    opened = timezone.localtime(collection.opens_at)
    response = client.post(
        url("collection_edit", prog, form.pk, collection.pk),
        {
            "title": "Lớp HN01 – đổi tên",
            "context_class": "HN01",
            "context_semester": "HK2",
            "opens_at_0": opened.strftime("%d/%m/%Y"),
            "opens_at_1": opened.strftime("%H:%M"),
            "max_responses": "25",
            "mode": "anonymous",
        },
    )
    assert response.status_code == 302
    collection.refresh_from_db()
    assert collection.token == token
    assert collection.title == "Lớp HN01 – đổi tên"
    assert collection.context == {"city": "Hà Nội", "class": "HN01", "semester": "HK2"}
    assert collection.max_responses == 25


def test_edit_shows_dates_as_dd_mm_yyyy(client_for, coordinator, prog, form):
    collection = open_collection(coordinator, form, opens_at=datetime(2030, 3, 9, 7, 5, tzinfo=HCM))
    page = client_for(coordinator).get(url("collection_edit", prog, form.pk, collection.pk)).content.decode()
    assert 'value="09/03/2030"' in page and 'value="07:05"' in page


def test_mode_cannot_change_once_answered(client_for, coordinator, prog, form):
    collection = open_collection(coordinator, form)
    services.response_submit(collection=collection, uuid=uuid.uuid4(), answers=GOOD_LECTURE)
    response = client_for(coordinator).post(
        url("collection_edit", prog, form.pk, collection.pk), {"title": collection.title, "mode": "identified"}
    )
    assert response.status_code == 200
    assert "không đổi được chế độ ẩn danh" in response.content.decode()
    collection.refresh_from_db()
    assert collection.mode == "anonymous"


def test_close_now(client_for, lecturer, coordinator, prog, form):
    collection = open_collection(coordinator, form)
    response = client_for(lecturer).post(url("collection_close", prog, form.pk, collection.pk), follow=True)
    assert "Đã đóng đợt khảo sát" in response.content.decode()
    collection.refresh_from_db()
    assert collection.closes_at is not None and collection.closes_at <= timezone.now() + timedelta(seconds=2)
    assert not collection.is_open(timezone.now() + timedelta(seconds=2))


def test_close_only_by_post(client_for, coordinator, prog, form):
    collection = open_collection(coordinator, form)
    assert client_for(coordinator).get(url("collection_close", prog, form.pk, collection.pk)).status_code == 405
    collection.refresh_from_db()
    assert collection.closes_at is None


@pytest.mark.parametrize("persona", ["outsider", "other_coordinator"])
def test_no_role_on_the_programme_is_404_and_the_collection_stays_open(
    request, client_for, coordinator, prog, form, persona
):
    collection = open_collection(coordinator, form)
    client = client_for(request.getfixturevalue(persona))
    for name in ("collection_detail", "collection_edit", "collection_project"):
        assert client.get(url(name, prog, form.pk, collection.pk)).status_code == 404, name
    assert client.get(url("collection_open", prog, form.pk)).status_code == 404
    assert client.post(url("collection_close", prog, form.pk, collection.pk)).status_code == 404
    collection.refresh_from_db()
    assert collection.is_open() and Collection.objects.count() == 1
