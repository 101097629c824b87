"""The library on a phone: a curator describes a report, uploads its PDF and sees the text
extracted; anyone searching the public library without diacritics ("dao tao can bo") finds it,
with the page number and the words highlighted as written ("Đào tạo cán bộ"); the curator then
proposes the report for a partner's knowledge corner, selects it, records the delivery and finds
it in the delivery register. An anonymous visitor searching a staff-only document's words finds
nothing and never sees its title."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from ketnoi.directory import services as directory
from ketnoi.directory.models import OrganisationType
from ketnoi.library import search_index
from ketnoi.library.models import CollectionItem, Document, DocumentFile
from ketnoi.library.services import curation
from ketnoi.library.tests.samples import report_pdf
from ketnoi.programmes.models import Programme, ProgrammeRole

from .conftest import PHONE, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

TITLE = "Khảo sát năng lực tổ chức cộng đồng Quảng Trị"
PARTNER = "Viện Nghiên cứu Phát triển Xã hội"
CORNER = "Góc tri thức của Viện"
SECRET_TITLE = "Hồ sơ nhân sự nội bộ"


@pytest.fixture
def setting(make_user):
    programme = Programme.objects.create(name="Kết nối nhà nước và tổ chức xã hội", code="ket-noi")
    coordinator = make_user("dieu-phoi", first_name="Điều phối")
    curator = make_user("thu-thu", first_name="Thủ thư")
    ProgrammeRole.objects.create(user=coordinator, programme=programme, role="coordinator")
    ProgrammeRole.objects.create(user=curator, programme=programme, role="curator")
    partner = directory.organisation_create(actor=coordinator, name=PARTNER, type=OrganisationType.ACADEMIC)
    collection = curation.collection_create(actor=curator, programme=programme, name=CORNER, partner=partner)
    return programme, collection


def _fits(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"] + 1, f"{page.url} is {width}px wide on a {PHONE['width']}px screen"


def _search(page, words: str) -> None:
    page.goto("/library/")
    page.get_by_label("Tìm tài liệu").fill(words)
    page.locator("#library-search").get_by_role("button", name="Tìm").click()
    page.wait_for_load_state("networkidle")


def test_upload_search_without_diacritics_and_deliver(setting, phone, tmp_path):
    programme, collection = setting
    page = phone
    log_in(page, "thu-thu", "pw-thu-thu")

    # 1. The programme's library: describe the report, then upload its PDF.
    page.goto(f"/programmes/{programme.code}/")
    page.locator(".programme-nav").get_by_role("link", name="Thư viện").click()
    expect(page.get_by_role("heading", name="Thư viện của chương trình")).to_be_visible()
    _fits(page)
    page.get_by_role("button", name="Thêm tài liệu").click()
    page.get_by_label("Nhan đề").fill(TITLE)
    page.get_by_label("Loại tài liệu").select_option(label="Báo cáo nghiên cứu")
    page.get_by_label("Quyền xem").select_option(label="Công khai")
    page.locator("#document-form").get_by_role("button", name="Lưu").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.locator(".messages")).to_contain_text("Đã thêm tài liệu")
    _fits(page)

    pdf = tmp_path / "khao-sat-quang-tri.pdf"
    pdf.write_bytes(report_pdf())
    page.locator("#file-form").get_by_label("Tệp").set_input_files(str(pdf))
    page.locator("#file-form").get_by_role("button", name="Tải lên").click()
    expect(page.locator(".messages")).to_contain_text("khao-sat-quang-tri.pdf")
    uploaded = page.locator("#files li").filter(has_text="khao-sat-quang-tri.pdf")
    expect(uploaded).to_contain_text("Đã trích văn bản")
    expect(uploaded).to_contain_text("3 trang")
    expect(uploaded.locator(".badge-ok")).to_be_visible()
    _fits(page)
    document = Document.objects.get(title=TITLE)
    assert document.access == "public"
    file = DocumentFile.objects.get(document=document)
    assert (file.status, file.page_count) == (DocumentFile.Status.READY, 3)

    # 2. The public library, typed without diacritics, finds the words on page 2 as written.
    _search(page, "dao tao can bo")
    result = page.locator("#results .library-list > li").filter(has_text=TITLE)
    expect(result).to_have_count(1)
    snippet = result.locator(".library-snippet")
    expect(snippet).to_contain_text("Trang 2")
    expect(snippet.locator("mark").first).to_have_text("Đào tạo cán bộ")
    expect(snippet).to_contain_text("tổ chức xã hội")
    _fits(page)

    # 3. The partner's corner: propose, select, deliver today with a note, see it in the register.
    page.goto(f"/programmes/{programme.code}/library/")
    page.get_by_role("link", name="Bộ sưu tập và đề xuất").click()
    _fits(page)
    page.get_by_role("link", name=CORNER).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(CORNER)
    expect(page.get_by_text(PARTNER).first).to_be_visible()
    expect(page.locator("#no-items")).to_be_visible()
    _fits(page)
    page.get_by_role("button", name="Đề xuất tài liệu").click()
    page.get_by_label("Nhan đề").fill("khao sat quang tri")
    page.locator("#propose-search").get_by_role("button", name="Tìm").click()
    candidate = page.locator("#candidates li").filter(has_text=TITLE)
    candidate.get_by_label("Lý do đề xuất").fill("Số liệu khảo sát mới cho góc tri thức.")
    candidate.get_by_role("button", name="Gửi đề xuất").click()
    expect(page.locator(".messages")).to_contain_text("Đã đề xuất")
    _fits(page)

    proposed = page.locator("#proposed li").filter(has_text=TITLE)
    expect(proposed).to_contain_text("Số liệu khảo sát mới cho góc tri thức.")
    proposed.get_by_role("button", name="Chọn", exact=True).click()
    expect(page.locator(".messages")).to_contain_text("Đã chọn")
    _fits(page)

    today = timezone.localdate().strftime("%d/%m/%Y")
    deliver = page.locator("#deliver-form")
    deliver.get_by_role("checkbox", name=TITLE).check()
    deliver.get_by_label("Ngày bàn giao").fill(today)
    deliver.get_by_label("Ghi chú bàn giao").fill("Bản in và tệp PDF, chị Lan nhận.")
    deliver.get_by_role("button", name="Ghi bàn giao").click()
    expect(page.locator(".messages")).to_contain_text(f"Đã ghi bàn giao 1 tài liệu cho {PARTNER}")
    delivered = page.locator("#delivered li").filter(has_text=TITLE)
    expect(delivered).to_contain_text(today)
    _fits(page)
    item = CollectionItem.objects.get(collection=collection)
    assert (item.status, item.delivered_on) == (CollectionItem.Status.DELIVERED, timezone.localdate())

    page.get_by_role("button", name="Sổ bàn giao").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sổ bàn giao")
    row = page.locator("#register tbody tr").filter(has_text=TITLE)
    expect(row).to_have_count(1)
    expect(row).to_contain_text(PARTNER)
    expect(row).to_contain_text(today)
    expect(row).to_contain_text("Bản in và tệp PDF, chị Lan nhận.")
    expect(page.locator("#register-totals")).to_contain_text("1 lượt bàn giao")
    _fits(page)


def test_anonymous_search_never_shows_staff_only_documents(setting, phone):
    programme, _collection = setting
    secret = Document.objects.create(
        programme=programme,
        title=SECRET_TITLE,
        type="research",
        access="staff",
        abstract="Đánh giá lương thưởng của từng cán bộ dự án.",
    )
    search_index.index_metadata(secret)
    page = phone

    _search(page, "ho so nhan su noi bo")
    expect(page.locator("#no-results")).to_be_visible()
    expect(page.locator("#no-results")).to_contain_text("Không tìm thấy")
    expect(page.locator("#results")).not_to_contain_text(SECRET_TITLE)
    assert SECRET_TITLE not in page.content()
    _fits(page)

    # The document is in the index: its own library staff do find it.
    log_in(page, "thu-thu", "pw-thu-thu")
    _search(page, "ho so nhan su noi bo")
    expect(page.locator("#results .library-list > li").filter(has_text=SECRET_TITLE)).to_have_count(1)
