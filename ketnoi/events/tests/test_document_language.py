"""A workshop's documents come out in the workshop's language, not in the language the person
printing them reads the site in (issue 13); the language is set on the form and shown by the API."""

from io import BytesIO

import openpyxl
import pypdf
import pytest
from django.core.exceptions import ValidationError

from ketnoi.events import services
from ketnoi.events.models import Workshop

from .factories import make_workshop_today, register

pytestmark = pytest.mark.django_db


def url(workshop, suffix=""):
    return f"/programmes/{workshop.programme.code}/events/{workshop.pk}/{suffix}"


def pdf_text(data: bytes) -> tuple[str, str, str]:
    reader = pypdf.PdfReader(BytesIO(data))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return text, str(reader.trailer["/Root"]["/Lang"]), reader.metadata.title


def in_english(client):
    client.cookies["ketnoi_language"] = "en"
    return client


@pytest.fixture
def attended(coordinator, prog):
    def make(language: str) -> Workshop:
        workshop = make_workshop_today(coordinator, prog, title="Hội thảo vận động chính sách", language=language)
        lan, _ = register(workshop, "Nguyễn Thị Lan")
        services.registration_check_in(actor=coordinator, workshop=workshop, registration=lan)
        return workshop

    return make


def test_a_coordinator_reading_english_prints_a_vietnamese_workshop_s_documents_in_vietnamese(
    attended, coordinator, client_for
):
    workshop = attended("vi")
    client = in_english(client_for(coordinator))
    assert '<html lang="en"' in client.get(url(workshop)).content.decode()  # the page itself is English
    text, lang, title = pdf_text(client.get(url(workshop, "documents/signin.pdf")).content)
    assert "DANH SÁCH ĐẠI BIỂU KÝ TÊN THAM DỰ" in text and "Họ và tên" in text and "Điện thoại" in text
    assert "Full name" not in text and lang == "vi" and title.startswith("DANH SÁCH ĐẠI BIỂU")
    text, lang, title = pdf_text(client.get(url(workshop, "documents/certificates.pdf")).content)
    assert "GIẤY CHỨNG NHẬN" in text and "Nguyễn Thị Lan" in text and lang == "vi"
    assert title.startswith("Giấy chứng nhận")
    sheet = openpyxl.load_workbook(BytesIO(client.get(url(workshop, "documents/signin.xlsx")).content)).active
    assert sheet["A1"].value == "DANH SÁCH ĐẠI BIỂU KÝ TÊN THAM DỰ"


def test_an_english_workshop_prints_in_english_for_a_reader_in_vietnamese(attended, coordinator, client_for):
    workshop = attended("en")
    client = client_for(coordinator)
    text, lang, _title = pdf_text(client.get(url(workshop, "documents/signin.pdf")).content)
    assert "DANH SÁCH ĐẠI BIỂU" not in text and "Họ và tên" not in text and lang == "en"
    text, lang, _title = pdf_text(client.get(url(workshop, "documents/certificates.pdf")).content)
    assert "GIẤY CHỨNG NHẬN" not in text and "CERTIFICATE" in text.upper() and lang == "en"
    # The page around it stays in the reader's language.
    assert "Điểm danh" in client.get(url(workshop)).content.decode()


def test_no_one_checked_in_is_said_in_the_reader_s_language(coordinator, prog, client_for):
    workshop = make_workshop_today(coordinator, prog, language="vi")
    page = in_english(client_for(coordinator)).get(url(workshop, "documents/certificates.pdf"), follow=True)
    assert "Chưa có ai điểm danh" not in page.content.decode()


def test_the_form_sets_the_language_and_a_bad_one_is_refused(coordinator, prog, client_for):
    workshop = make_workshop_today(coordinator, prog)
    assert workshop.language == "vi"
    client = client_for(coordinator)
    form = client.get(url(workshop, "edit/")).content.decode()
    assert 'name="language"' in form and "Ngôn ngữ của tài liệu" in form
    fields = {
        "kind": "connecting",
        "title": workshop.title,
        "starts_at_0": "10/12/2037",
        "starts_at_1": "08:00",
        "ends_at_0": "10/12/2037",
        "ends_at_1": "16:30",
        "registration": "public",
    }
    assert client.post(url(workshop, "edit/"), {**fields, "language": "en"}).status_code == 302
    assert Workshop.objects.get(pk=workshop.pk).language == "en"
    refused = client.post(url(workshop, "edit/"), {**fields, "language": "fr"})
    assert refused.status_code == 200 and Workshop.objects.get(pk=workshop.pk).language == "en"
    # A form sent without it keeps the language.
    assert client.post(url(workshop, "edit/"), fields).status_code == 302
    assert Workshop.objects.get(pk=workshop.pk).language == "en"


def test_the_service_refuses_a_language_the_site_does_not_have(coordinator, prog):
    with pytest.raises(ValidationError) as refused:
        make_workshop_today(coordinator, prog, language="fr")
    assert "language" in refused.value.message_dict
    assert not Workshop.objects.exists()


def test_the_api_gives_the_language_and_the_codes(attended, coordinator, api_client_under):
    workshop = attended("en")
    api = api_client_under("/api/v1/events")(coordinator)
    detail = api("get", f"/programmes/{workshop.programme.code}/workshops/{workshop.pk}").json()
    assert detail["language"] == "en"
    rows = api("get", f"/programmes/{workshop.programme.code}/workshops/{workshop.pk}/registrations").json()
    items = rows["items"] if isinstance(rows, dict) else rows
    assert [row["checkin_code"] for row in items] == [workshop.registrations.get().checkin_code]
