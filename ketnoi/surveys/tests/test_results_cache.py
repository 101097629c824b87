"""The results page keeps its figures, texts and rendered questions in the cache under the
exact responses they count (results_tally.state): a page seen before is read from the cache,
and a response added or removed, a question changed or another page of texts shows at once."""

import re
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ketnoi.surveys import services
from ketnoi.surveys.models import Response

from .results_builders import build_lecture, bulk_responses, lecture_answers, lecture_v2_definition

pytestmark = pytest.mark.django_db


@pytest.fixture
def lecture(coordinator, prog):
    return build_lecture(coordinator, prog)


def _page(client, prog, form, query="") -> str:
    url = reverse("surveys:results", args=[prog.code, form.pk]) + (f"?{query}" if query else "")
    response = client.get(url)
    assert response.status_code == 200
    # The CSRF tokens are the only part made anew each time.
    return re.sub(r'("X-CSRFToken": "|name="csrfmiddlewaretoken" value=")[^"]*"', "", response.content.decode())


def _responses_read(queries) -> list[str]:
    """The statements that read the responses' answers (the figures or a page of texts)."""
    return [q["sql"] for q in queries if "surveys_response" in q["sql"] and '"answers"' in q["sql"]]


def test_a_new_response_changes_the_page_seen_before(client_for, coordinator, prog, lecture):
    form, _hn01, hcm01 = lecture
    client = client_for(coordinator)
    _page(client, prog, form)  # counts the responses into the tallies
    first = _page(client, prog, form)  # keeps the figures and the rendered questions
    assert re.search(r"<strong>7</strong> phiếu trả lời", first) and "3,57" in first
    with CaptureQueriesContext(connection) as again:
        assert _page(client, prog, form) == first
    assert not _responses_read(again.captured_queries)  # figures, texts and charts from the cache

    services.response_submit(
        collection=hcm01,
        uuid=uuid.uuid4(),
        answers=lecture_answers(1, "advocacy", "no", [1] * 5, {"improve": "Một ý kiến vừa gửi"}),
    )
    after = _page(client, prog, form)
    assert re.search(r"<strong>8</strong> phiếu trả lời", after)
    assert "3,25" in after  # the overall mean: (25 + 1) / 8
    assert "Một ý kiến vừa gửi" in after  # the newest text first
    assert _page(client, prog, form) == after  # and kept again


def test_a_removed_response_changes_the_page(client_for, coordinator, prog, lecture):
    form, hn01, _hcm01 = lecture
    client = client_for(coordinator)
    _page(client, prog, form)
    assert "Thêm ví dụ thực tế" in _page(client, prog, form)
    Response.objects.filter(collection=hn01, answers__improve="Thêm ví dụ thực tế").delete()
    after = _page(client, prog, form)
    assert re.search(r"<strong>6</strong> phiếu trả lời", after)
    assert "Thêm ví dụ thực tế" not in after


def test_a_changed_question_shows_although_the_responses_are_the_same(client_for, coordinator, prog, lecture):
    form, _hn01, _hcm01 = lecture
    client = client_for(coordinator)
    _page(client, prog, form)
    _page(client, prog, form)
    definition = lecture_v2_definition()
    overall = next(q for q in definition["questions"] if q["name"] == "overall")
    overall["label"] = {"vi": "Cảm nhận chung sau buổi học"}
    services.form_update(actor=coordinator, form=form, definition=definition)
    assert "Cảm nhận chung sau buổi học" in _page(client, prog, form)


def test_each_page_of_texts_and_each_filter_is_its_own(client_for, coordinator, prog, lecture):
    form, _hn01, hcm01 = lecture
    bulk_responses(hcm01, [{"overall": 3, "improve": f"Góp ý số {i}"} for i in range(12)])
    client = client_for(coordinator)
    first, second = _page(client, prog, form), _page(client, prog, form, "page_improve=2")
    assert "Trang 1/2" in first and "Trang 2/2" in second and first != second
    assert _page(client, prog, form) == first and _page(client, prog, form, "page_improve=2") == second
    hn01_only = _page(client, prog, form, "class=HN01")
    assert re.search(r"<strong>4</strong> phiếu trả lời", hn01_only) and "Góp ý số" not in hn01_only


@pytest.mark.parametrize("more", [3, 30])
def test_a_page_seen_before_costs_the_same_queries_however_many_responses(
    client_for, coordinator, prog, lecture, django_assert_num_queries, more
):
    form, _hn01, hcm01 = lecture
    bulk_responses(hcm01, [{"overall": 4, "improve": f"Ý kiến {i}"} for i in range(more)])
    client = client_for(coordinator)
    _page(client, prog, form)
    _page(client, prog, form)
    with django_assert_num_queries(10):
        _page(client, prog, form)
