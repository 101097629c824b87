"""The respondent page (/s/<token>/), the states that stop it, the service worker script and the
QR codes of the share link."""

import io
import json
import re
import struct
from datetime import timedelta

import pytest
import segno
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from ketnoi.surveys import services, views_respond
from ketnoi.surveys.definition import answer_names, walk
from ketnoi.surveys.models import Collection
from ketnoi.surveys.ready_forms import ready_form

from .factories import ALL_TYPES


@pytest.fixture
def open_collection(coordinator, prog):
    def make(key="lecture", definition=None, **options):
        form = services.form_create(actor=coordinator, programme=prog, definition=definition or ready_form(key))
        options.setdefault("title", "Bài giảng 12/10 – lớp HN01")
        return services.collection_open(actor=coordinator, form=form, **options)

    return make


def page(client, collection):
    return client.get(reverse("respond:form", args=[collection.token]))


# The form ------------------------------------------------------------------------------------


@pytest.mark.parametrize("key", ["lecture", "workshop"])
def test_the_page_draws_every_question_of_a_ready_form(client, open_collection, key):
    collection = open_collection(key)
    response = page(client, collection)
    assert response.status_code == 200
    html = response.content.decode()
    definition = ready_form(key)
    assert definition["title"]["vi"] in html
    for question in walk(definition["questions"]):
        assert question["label"]["vi"] in html
        for name in answer_names(question):
            assert f'name="{name}"' in html, name
    embedded = json.loads(re.search(r'id="survey-definition" type="application/json">(.*?)</script>', html).group(1))
    assert embedded == definition
    assert 'data-version="1"' in html
    assert f'data-submit-url="/s/{collection.token}/responses"' in html


def test_the_page_draws_each_kind_of_widget(client, open_collection):
    html = page(client, open_collection(definition=ALL_TYPES)).content.decode()
    assert "Xin chào" in html  # note
    assert '<input type="text" id="a-name" name="name"' in html
    assert '<textarea id="a-story" name="story"' in html
    assert re.search(r'name="age" value="" inputmode="numeric"', html)
    assert re.search(r'name="hours" value="" inputmode="decimal"', html)
    assert '<input type="date" id="a-day" name="day"' in html
    assert html.count('type="radio" name="city"') == 3  # two choices and "other"
    assert 'name="city_other"' in html and 'data-other-for="city"' in html
    assert html.count('type="checkbox" name="roles"') == 2
    assert html.count('type="radio" name="score"') == 11  # 0..10
    assert "0 = Tệ" in html and "10 = Tuyệt" in html
    assert html.count('type="radio" name="g1"') == 5 and html.count('type="radio" name="g2"') == 5
    assert re.search(
        r'<fieldset class="q q-group" data-q="more" id="q-more" hidden>\s*<legend data-t="label">Thêm</legend>', html
    )
    assert "Không bắt buộc" in html  # a hint


def test_a_question_whose_rule_fails_without_answers_starts_hidden(client, open_collection):
    html = page(client, open_collection("workshop")).content.decode()
    assert 'data-q="partners_count" id="q-partners_count" hidden' in html
    assert 'data-q="useful" id="q-useful">' in html


def test_the_page_is_vietnamese_by_default_and_english_on_request(client, open_collection):
    collection = open_collection("lecture")
    html = page(client, collection).content.decode()
    assert '<html lang="vi">' in html
    assert "Đánh giá chung về bài giảng" in html and "Gửi phiếu" in html
    assert f'action="{reverse("set_language")}"' in html and 'value="en"' in html

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = page(client, collection).content.decode()
    assert '<html lang="en">' in html
    assert "Overall rating of the lecture" in html and "Very good" in html


def test_the_page_is_light(client, open_collection):
    response = page(client, open_collection("lecture"))
    html = response.content.decode()
    scripts = re.findall(r'<script src="([^"]+)"', html)
    styles = re.findall(r'<link rel="stylesheet" href="([^"]+)"', html)
    assert scripts == [f"/static/{name}" for name in views_respond.ASSETS if name.endswith(".js")]
    assert styles == ["/static/surveys/respond.css"]
    assert "pico" not in html and "htmx" not in html
    assert response["Cache-Control"] == "no-cache"
    assert 'name="viewport"' in html


def test_the_page_shows_the_target_and_says_it_is_anonymous(client, open_collection):
    collection = open_collection("lecture", context={"class": "HN01", "lecturer": "TS. Lan"})
    html = page(client, collection).content.decode()
    assert "Bài giảng 12/10 – lớp HN01" in html
    assert "Lớp: HN01" in html and "Giảng viên: TS. Lan" in html
    assert "Phiếu ẩn danh" in html


def test_the_page_reads_the_collection_in_few_queries(client, open_collection, django_assert_max_num_queries):
    collection = open_collection("lecture", max_responses=50)
    with django_assert_max_num_queries(2):  # the collection with its form and version; the count
        assert page(client, collection).status_code == 200


def test_an_unknown_link_is_a_404(client, db):
    assert client.get("/s/no-such-token/").status_code == 404


# The states ------------------------------------------------------------------------------------


def test_not_yet_open(client, open_collection):
    opens = timezone.now() + timedelta(days=2)
    collection = open_collection("lecture", opens_at=opens)
    response = page(client, collection)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Đợt khảo sát chưa mở" in html
    assert timezone.localtime(opens).strftime("%d/%m/%Y") in html
    assert 'id="survey-form"' not in html


def test_closed(client, open_collection, coordinator):
    collection = open_collection("lecture", opens_at=timezone.now() - timedelta(days=2))
    services.collection_close(actor=coordinator, collection=collection)
    html = page(client, collection).content.decode()
    assert "Đợt khảo sát đã đóng" in html and 'id="survey-form"' not in html


def test_full(client, open_collection):
    collection = open_collection("workshop", max_responses=1)
    answers = {"participant_type": "cso", "useful": 4, "met_new_partners": "no"}
    services.response_submit(collection=collection, uuid="0b8f3f4e-0000-4000-8000-000000000001", answers=answers)
    html = page(client, collection).content.decode()
    assert "đã nhận đủ phiếu" in html and "đủ 1 phiếu" in html and 'id="survey-form"' not in html


def test_identified_mode_asks_to_log_in_first(client, open_collection, learner):
    collection = open_collection("lecture", mode=Collection.Mode.IDENTIFIED)
    html = page(client, collection).content.decode()
    assert "Cần đăng nhập để trả lời" in html
    assert f'href="/accounts/login/?next=%2Fs%2F{collection.token}%2F"' in html
    assert 'id="survey-form"' not in html

    client.force_login(learner)
    html = page(client, collection).content.decode()
    assert 'id="survey-form"' in html and "learner" in html and 'data-mode="identified"' in html


def test_a_logged_in_outsider_gets_no_form_where_the_public_gets_none(
    client_for, outsider, open_collection, coordinator
):
    client = client_for(outsider)
    assert client.get("/s/no-such-token/").status_code == 404
    collection = open_collection("lecture", opens_at=timezone.now() - timedelta(days=2))
    services.collection_close(actor=coordinator, collection=collection)
    response = page(client, collection)
    assert response.status_code == 200
    assert "Đợt khảo sát đã đóng" in response.content.decode() and 'id="survey-form"' not in response.content.decode()


def test_a_form_without_a_version_is_explained(client, open_collection):
    collection = open_collection("lecture")
    form = collection.form
    type(form).objects.filter(pk=form.pk).update(current_version=None)
    response = page(client, collection)
    assert response.status_code == 200
    assert "Biểu mẫu chưa sẵn sàng" in response.content.decode()


def test_every_state_page_is_light_and_never_caches_a_stale_form(client, open_collection):
    collection = open_collection("lecture", opens_at=timezone.now() + timedelta(hours=1))
    response = page(client, collection)
    assert response["Cache-Control"] == "no-cache"
    assert re.findall(r'<script src="([^"]+)"', response.content.decode()) == [
        "/static/surveys/respond_queue.js",
        "/static/surveys/respond_page.js",
    ]


# The service worker ------------------------------------------------------------------------------


def test_the_service_worker_is_served_under_s_with_its_scope(client, db):
    response = client.get(reverse("respond:sw"))
    assert reverse("respond:sw") == "/s/sw.js"
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Service-Worker-Allowed"] == "/s/"
    assert response["Cache-Control"] == "no-cache"
    body = response.content.decode()
    config = json.loads(re.match(r"self\.KETNOI_RESPOND = (\{.*?\});\n", body).group(1))
    assert config["scope"] == "/s/"
    assert config["assets"] == [
        "/static/surveys/respond.css",
        "/static/surveys/expressions.js",
        "/static/surveys/answers.js",  # the engine's checker, kept for offline use too
        "/static/surveys/respond.js",
        "/static/surveys/respond_form.js",
        "/static/surveys/respond_widgets.js",
        "/static/surveys/respond_queue.js",
        "/static/surveys/respond_page.js",
    ]
    assert re.fullmatch(r"[0-9a-f]{16}", config["version"])
    assert 'addEventListener("fetch"' in body


# QR codes ------------------------------------------------------------------------------------------


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def qr_url(collection, fmt, **params):
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return reverse("respond:qr", args=[collection.token, fmt]) + (f"?{query}" if query else "")


def test_the_png_is_big_enough_to_project_and_encodes_the_share_link(client, open_collection):
    collection = open_collection("lecture")
    response = client.get(qr_url(collection, "png"))
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    width, height = _png_size(response.content)
    assert width == height and width >= 1000
    # The same code segno makes for the absolute link, pixel for pixel.
    link = f"http://testserver/s/{collection.token}/"
    expected = segno.make_qr(link, error="m")
    scale = width // expected.symbol_size(scale=1, border=4)[0]
    buffer = io.BytesIO()
    expected.save(buffer, kind="png", scale=scale, border=4)
    assert response.content == buffer.getvalue()


def test_the_svg_names_the_link(client, open_collection):
    collection = open_collection("lecture")
    response = client.get(qr_url(collection, "svg"))
    assert response.status_code == 200 and response["Content-Type"] == "image/svg+xml"
    svg = response.content.decode()
    assert svg.startswith("<svg") and f"http://testserver/s/{collection.token}/" in svg


def test_size_and_scale_change_the_png(client, open_collection):
    collection = open_collection("lecture")
    small = _png_size(client.get(qr_url(collection, "png", size=300)).content)[0]
    large = _png_size(client.get(qr_url(collection, "png", size=3000)).content)[0]
    assert 300 <= small < 400 and 3000 <= large < 3200
    modules = _png_size(client.get(qr_url(collection, "png", scale=1)).content)[0]
    assert _png_size(client.get(qr_url(collection, "png", scale=20)).content)[0] == modules * 20


def test_download_names_the_file(client, open_collection):
    collection = open_collection("lecture")
    response = client.get(qr_url(collection, "svg", download=1))
    assert response["Content-Disposition"] == f'attachment; filename="khao-sat-{collection.token}.svg"'


@pytest.mark.parametrize("params", [{"size": "big"}, {"size": 5}, {"size": 99999}, {"scale": 0}, {"scale": "x"}])
def test_bad_qr_parameters_get_a_clear_400(client, open_collection, params):
    response = client.get(qr_url(open_collection("lecture"), "png", **params))
    assert response.status_code == 400
    assert "phải là số nguyên" in response.content.decode()


def test_qr_of_an_unknown_link_or_format_is_a_404(client, open_collection):
    collection = open_collection("lecture")
    assert client.get(reverse("respond:qr", args=["nope", "png"])).status_code == 404
    assert client.get(reverse("respond:qr", args=[collection.token, "gif"])).status_code == 404
