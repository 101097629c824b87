"""The form pages: the list (counts, empty state, constant queries), a new form from blank, a
ready form or an XLSForm (its row-numbered refusals shown), the form page (questions, versions,
collections and their state, the results link once it exists), title edits and XLSForm export."""

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from ketnoi.core.models import AuditEntry
from ketnoi.surveys import services, views_forms, xlsform
from ketnoi.surveys.models import Form, FormVersion
from ketnoi.surveys.ready_forms import ready_form

from .factories import GOOD_LECTURE, lecture_form, open_collection

pytestmark = pytest.mark.django_db


def url(name, prog, *args):
    return reverse(f"surveys:{name}", args=[prog.code, *args])


def answer(collection, **extra):
    import uuid

    return services.response_submit(collection=collection, uuid=uuid.uuid4(), answers={**GOOD_LECTURE, **extra})


# The list -------------------------------------------------------------------------------------


def test_empty_list_guides_the_coordinator(client_for, coordinator, prog):
    page = client_for(coordinator).get(url("form_list", prog)).content.decode()
    assert "Chương trình chưa có biểu mẫu khảo sát nào." in page
    assert "mẫu đánh giá bài giảng" in page
    for start in ("blank", "lecture", "workshop", "xlsform"):
        assert f"?start={start}" in page


def test_list_shows_version_collections_and_responses(client_for, coordinator, prog):
    form = lecture_form(coordinator, prog)
    first = open_collection(coordinator, form)
    open_collection(coordinator, form, title="Lớp HN02")
    answer(first)
    answer(first)
    page = client_for(coordinator).get(url("form_list", prog)).content.decode()
    assert "Đánh giá bài giảng" in page
    assert "phiên bản 1" in page
    assert "2 đợt khảo sát" in page
    assert "2 phiếu trả lời" in page


def _make_forms(coordinator, prog, n, start):
    for i in range(start, start + n):
        form = lecture_form(coordinator, prog, title=f"Biểu mẫu {i:03d}")
        collection = open_collection(coordinator, form)
        answer(collection)


def test_list_queries_do_not_grow_with_the_forms(client_for, coordinator, prog):
    client = client_for(coordinator)
    _make_forms(coordinator, prog, 3, 0)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url("form_list", prog)).status_code == 200
    _make_forms(coordinator, prog, 6, 3)
    with CaptureQueriesContext(connection) as many:
        page = client.get(url("form_list", prog)).content.decode()
    assert page.count("survey-card") == 9
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]


def test_list_shows_only_this_programmes_forms(client_for, coordinator, prog, other_prog, staff_admin):
    lecture_form(staff_admin, other_prog, title="Biểu mẫu của chương trình khác")
    page = client_for(coordinator).get(url("form_list", prog)).content.decode()
    assert "chương trình khác" not in page


# Creating -------------------------------------------------------------------------------------


def test_blank_form_starts_with_one_short_text_question_to_edit(client_for, coordinator, prog):
    response = client_for(coordinator).post(url("form_create", prog), {"title": "Khảo sát nhu cầu", "start": "blank"})
    form = Form.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("question_edit", prog, form.pk, "q1")
    questions = form.current_version.definition["questions"]
    assert [(q["name"], q["type"]) for q in questions] == [("q1", "text")]
    assert form.title == "Khảo sát nhu cầu"
    assert form.current_version.definition["title"] == {"vi": "Khảo sát nhu cầu"}


def test_blank_form_needs_a_title(client_for, coordinator, prog):
    response = client_for(coordinator).post(url("form_create", prog), {"title": "  ", "start": "blank"})
    assert response.status_code == 200
    assert "Hãy đặt tiêu đề cho biểu mẫu trống." in response.content.decode()
    assert not Form.objects.exists()


@pytest.mark.parametrize(
    ("start", "title", "names"),
    [("lecture", "Đánh giá bài giảng", "quality"), ("workshop", "Phản hồi sau hội thảo", "participant_type")],
)
def test_ready_form_without_a_title_takes_the_template_title(client_for, coordinator, prog, start, title, names):
    response = client_for(coordinator).post(url("form_create", prog), {"title": "", "start": start})
    form = Form.objects.get()
    assert response["Location"] == url("form_detail", prog, form.pk)
    assert form.title == title
    assert form.current_version.definition["questions"][0]["name"] == names
    assert AuditEntry.objects.filter(action="surveys.form_create").count() == 1


def test_ready_form_with_a_title(client_for, coordinator, prog):
    client_for(coordinator).post(url("form_create", prog), {"title": "Đánh giá bài giảng HK1", "start": "lecture"})
    form = Form.objects.get()
    assert form.title == "Đánh giá bài giảng HK1"
    assert form.current_version.definition["title"]["vi"] == "Đánh giá bài giảng HK1"


def test_the_start_is_preselected_from_the_link(client_for, coordinator, prog):
    page = client_for(coordinator).get(url("form_create", prog) + "?start=lecture").content.decode()
    assert 'value="lecture" id="id_start_1" required checked' in page
    assert 'value="blank" id="id_start_0" required>' in page


def _fake_xlsform(monkeypatch, *, result=None, error=None):
    calls = []

    def import_uploads(uploads):
        calls.extend((name, fileobj.read()) for name, fileobj in uploads)
        if error is not None:
            raise error
        return xlsform.XLSFormImport(*result)

    def definition_from_xlsform(fileobj, *, filename):
        return result

    def xlsform_from_definition(definition, *, title, form_id):
        calls.append(("export", title, form_id))
        return b"PK-fake-xlsx"

    module = SimpleNamespace(
        definition_from_xlsform=definition_from_xlsform, xlsform_from_definition=xlsform_from_definition
    )
    monkeypatch.setattr(views_forms, "xlsform_module", lambda: module)
    monkeypatch.setattr(xlsform, "import_uploads", import_uploads)
    return calls


def _upload(name="bieu-mau.xlsx", content=b"PK\x03\x04 workbook"):
    return SimpleUploadedFile(name, content, content_type="application/vnd.ms-excel")


def test_xlsform_import_creates_the_form(client_for, coordinator, prog, monkeypatch):
    definition = ready_form("workshop")
    calls = _fake_xlsform(monkeypatch, result=(definition, "Phản hồi hội thảo Đà Nẵng"))
    response = client_for(coordinator).post(
        url("form_create", prog), {"title": "", "start": "xlsform", "xlsform": _upload()}
    )
    form = Form.objects.get()
    assert response["Location"] == url("form_detail", prog, form.pk)
    assert calls == [("bieu-mau.xlsx", b"PK\x03\x04 workbook")]
    assert form.title == "Phản hồi hội thảo Đà Nẵng"
    assert form.current_version.definition["questions"] == definition["questions"]


def test_xlsform_refusal_is_shown_with_its_row_numbers(client_for, coordinator, prog, monkeypatch):
    _fake_xlsform(
        monkeypatch,
        error=ValidationError(
            ["Trang survey, dòng 7: loại “repeat” chưa được hỗ trợ.", "Trang survey, dòng 9: thiếu nhãn."]
        ),
    )
    response = client_for(coordinator).post(
        url("form_create", prog), {"title": "", "start": "xlsform", "xlsform": _upload()}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Trang survey, dòng 7: loại “repeat” chưa được hỗ trợ." in page
    assert "Trang survey, dòng 9: thiếu nhãn." in page
    assert not Form.objects.exists()


def test_xlsform_that_breaks_the_reader_gives_a_message_not_a_500(client_for, coordinator, prog, monkeypatch):
    _fake_xlsform(monkeypatch, error=KeyError("sheet"))
    response = client_for(coordinator).post(url("form_create", prog), {"start": "xlsform", "xlsform": _upload()})
    assert response.status_code == 200
    assert "Không đọc được tệp này" in response.content.decode()
    assert not Form.objects.exists()


def test_xlsform_definition_the_platform_refuses_is_shown(client_for, coordinator, prog, monkeypatch):
    bad = {
        "title": {"vi": "X"},
        "questions": [{"name": "a", "type": "text", "label": {"vi": "A"}, "relevant": "${b} = 1"}],
    }
    _fake_xlsform(monkeypatch, result=(bad, "X"))
    response = client_for(coordinator).post(url("form_create", prog), {"start": "xlsform", "xlsform": _upload()})
    assert response.status_code == 200
    assert "không có trong biểu mẫu" in response.content.decode()
    assert not Form.objects.exists()


def test_xlsform_upload_is_required(client_for, coordinator, prog):
    response = client_for(coordinator).post(url("form_create", prog), {"start": "xlsform"})
    assert "Hãy chọn tệp XLSForm (.xlsx) để nhập." in response.content.decode()
    assert not Form.objects.exists()


def test_real_xlsform_round_trip_through_the_pages(client_for, coordinator, prog):
    client = client_for(coordinator)
    form = lecture_form(coordinator, prog)
    exported = client.get(url("form_xlsform", prog, form.pk))
    assert exported.status_code == 200
    assert exported["Content-Disposition"] == f'attachment; filename="{form.code}-v1.xlsx"'
    body = b"".join(exported.streaming_content) if exported.streaming else exported.content
    response = client.post(
        url("form_create", prog), {"title": "Bản nhập lại", "start": "xlsform", "xlsform": _upload("lai.xlsx", body)}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    again = Form.objects.get(title="Bản nhập lại")
    names = [q["name"] for q in again.current_version.definition["questions"]]
    assert names == [q["name"] for q in form.current_version.definition["questions"]]


# The form page ------------------------------------------------------------------------------


def test_form_page_shows_questions_versions_and_collections(client_for, coordinator, prog):
    form = lecture_form(coordinator, prog)
    now = timezone.now()
    running = open_collection(coordinator, form, title="Đang mở HN01")
    open_collection(coordinator, form, title="Sắp tới HCM02", opens_at=now + timedelta(days=2))
    full = open_collection(coordinator, form, title="Đủ phiếu ĐN03", max_responses=1)
    answer(full)
    answer(running)
    finished = open_collection(coordinator, form, title="Đã xong HN00")
    services.collection_close(actor=coordinator, collection=finished)
    definition = form.current_version.definition
    definition["questions"][1]["relevant"] = "${content_new} >= 3"
    services.form_update(actor=coordinator, form=form, definition=definition)  # answered: version 2

    page = client_for(coordinator).get(url("form_detail", prog, form.pk)).content.decode()
    assert "phiên bản 2" in page
    # Labels in both languages, the type, required, rules as text.
    assert "Đánh giá chung về bài giảng" in page and "Overall rating of the lecture" in page
    assert "Bảng đánh giá" in page and "bắt buộc" in page
    assert "${content_new} &gt;= 3" in page
    assert "string-length(.) &lt;= 1000" in page and "Tối đa 1000 ký tự." in page
    assert "Rất không đồng ý" in page
    # Versions with their responses.
    versions = page.split('id="versions"')[1]
    assert versions.index("<td>2") < versions.index("<td>1")
    # Collections and their state.
    for title, state in (
        ("Đang mở HN01", "đang mở"),
        ("Sắp tới HCM02", "chưa mở"),
        ("Đủ phiếu ĐN03", "đủ phiếu"),
        ("Đã xong HN00", "đã đóng"),
    ):
        card = page.split(title)[1].split("</li>")[0]
        assert state in card, (title, card)
    assert "Nhật ký thay đổi" in page
    assert "surveys.form_update" in page


def test_form_page_links_to_its_results(client_for, viewer, coordinator, prog):
    form = lecture_form(coordinator, prog)
    page = client_for(viewer).get(url("form_detail", prog, form.pk)).content.decode()
    results = f"/programmes/{prog.code}/surveys/{form.pk}/results/"
    assert f'<a href="{results}" role="button" class="secondary" id="results-link">' in page
    assert client_for(viewer).get(results).status_code == 200


# Title and export ---------------------------------------------------------------------------


def test_edit_title_and_description(client_for, coordinator, prog):
    form = lecture_form(coordinator, prog)
    page = client_for(coordinator).get(url("form_edit", prog, form.pk)).content.decode()
    assert 'value="Lecture evaluation"' in page
    response = client_for(coordinator).post(
        url("form_edit", prog, form.pk),
        {"title": "Đánh giá bài giảng 2025", "title_en": "Lecture review 2025", "description": "Cho khoá HK1."},
    )
    assert response.status_code == 302
    form.refresh_from_db()
    assert (form.title, form.description) == ("Đánh giá bài giảng 2025", "Cho khoá HK1.")
    # The title respondents see changes with it, in the same version while nobody has answered.
    assert form.current_version.number == 1
    assert form.current_version.definition["title"] == {"vi": "Đánh giá bài giảng 2025", "en": "Lecture review 2025"}


def test_a_new_title_on_an_answered_form_is_version_2_a_new_description_is_not(client_for, coordinator, prog):
    form = lecture_form(coordinator, prog)
    answer(open_collection(coordinator, form))
    client = client_for(coordinator)
    same_title = {"title": form.title, "title_en": "Lecture evaluation", "description": "Cho khoá HK1."}
    client.post(url("form_edit", prog, form.pk), same_title)
    assert FormVersion.objects.count() == 1
    response = client.post(url("form_edit", prog, form.pk), {**same_title, "title": "Đánh giá bài giảng 2025"})
    page = client.get(response["Location"]).content.decode()
    assert "tiêu đề mới được lưu thành phiên bản 2" in page
    form.refresh_from_db()
    assert form.current_version.number == 2
    assert FormVersion.objects.get(number=1).definition["title"]["vi"] == "Đánh giá bài giảng"


def test_edit_with_an_empty_title_writes_nothing(client_for, coordinator, prog):
    form = lecture_form(coordinator, prog)
    response = client_for(coordinator).post(url("form_edit", prog, form.pk), {"title": "  ", "description": ""})
    assert response.status_code == 200
    assert "errorlist" in response.content.decode()
    form.refresh_from_db()
    assert form.title == "Đánh giá bài giảng"


def test_xlsform_export_calls_the_writer(client_for, viewer, coordinator, prog, monkeypatch):
    form = lecture_form(coordinator, prog)
    calls = _fake_xlsform(monkeypatch)
    response = client_for(viewer).get(url("form_xlsform", prog, form.pk))
    assert response.status_code == 200
    assert response.content == b"PK-fake-xlsx"
    assert response["Content-Type"] == views_forms.XLSX_TYPE
    assert calls == [("export", "Đánh giá bài giảng", form.code)]


def test_xlsform_export_while_the_module_is_missing(client_for, coordinator, prog, monkeypatch):
    form = lecture_form(coordinator, prog)
    monkeypatch.setattr(views_forms, "xlsform_module", lambda: None)
    response = client_for(coordinator).get(url("form_xlsform", prog, form.pk), follow=True)
    assert "Chức năng xuất XLSForm chưa sẵn sàng." in response.content.decode()


@pytest.mark.parametrize("persona", ["outsider", "other_coordinator"])
def test_no_role_on_the_programme_is_404_and_writes_nothing(request, client_for, coordinator, prog, persona):
    form = lecture_form(coordinator, prog)
    client = client_for(request.getfixturevalue(persona))
    assert client.get(url("form_list", prog)).status_code == 404
    assert client.get(url("form_detail", prog, form.pk)).status_code == 404
    assert client.get(url("form_xlsform", prog, form.pk)).status_code == 404
    assert client.post(url("form_create", prog), {"title": "Khảo sát lạ", "start": "blank"}).status_code == 404
    assert client.post(url("form_edit", prog, form.pk), {"title": "Đổi tên"}).status_code == 404
    assert list(Form.objects.values_list("pk", "title")) == [(form.pk, form.title)]
