"""On a phone: a coordinator gives a role to a person of the directory found by typing the name
without diacritics, and to an account outside the directory by its exact user name; a curator
adds a document's author from the directory's suggestions under the free-text field. Both pages
pass axe-core with their results shown."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from ketnoi.directory.models import Organisation, OrganisationType, Person
from ketnoi.library.models import Document
from ketnoi.programmes.models import Programme, ProgrammeRole

from .conftest import PHONE, log_in
from .test_accessibility import _violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def programme(make_user):
    programme = Programme.objects.create(name="Đồng giảng dạy Thạc sĩ Chính sách công", code="mpp")
    ProgrammeRole.objects.create(user=make_user("dieu-phoi"), programme=programme, role="coordinator")
    ProgrammeRole.objects.create(user=make_user("thu-thu"), programme=programme, role="curator")
    msd = Organisation.objects.create(name="Trung tâm MSD", type=OrganisationType.CSO)
    Person.objects.create(full_name="Nguyễn Văn Dũng", organisation=msd, user=make_user("dung-nv"))
    Person.objects.create(full_name="Nguyễn Văn Dương", organisation=msd, user=make_user("duong-nv"))
    make_user("tai-khoan-le", first_name="Dũng")  # not in the directory
    return programme


def _fits(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"] + 1, f"{page.url} is {width}px wide on a {PHONE['width']}px screen"


def test_coordinator_gives_roles_with_the_picker(programme, phone):
    log_in(phone, "dieu-phoi", "pw-dieu-phoi")
    phone.goto(reverse("programmes:members", args=["mpp"]))
    _fits(phone)
    search = phone.get_by_label("Tài khoản: Tìm theo tên")
    search.press_sequentially("nguyen van dung", delay=20)
    match = phone.get_by_role("radio", name="Nguyễn Văn Dũng (dung-nv)")
    expect(match).to_be_visible()
    expect(phone.get_by_role("radio", name="Nguyễn Văn Dương (duong-nv)")).to_have_count(0)
    assert not _violations(phone)  # axe-core, with the matches shown
    search.press("ArrowDown")
    expect(match).to_be_focused()
    phone.keyboard.press("Space")
    expect(match).to_be_checked()
    phone.get_by_label("Vai trò").select_option("lecturer")
    phone.get_by_role("button", name="Giao vai trò").click()
    expect(phone.locator("#members")).to_contain_text("dung-nv")
    assert ProgrammeRole.objects.filter(user__username="dung-nv", role="lecturer").exists()
    _fits(phone)

    search = phone.get_by_label("Tài khoản: Tìm theo tên")
    search.press_sequentially("tai-khoan", delay=20)  # a partial user name lists nobody outside the directory
    expect(phone.locator("#id_user_results")).to_contain_text("Không tìm thấy ai")
    search.press_sequentially("-le", delay=20)
    loose = phone.get_by_role("radio", name="Dũng (tai-khoan-le)")
    expect(loose).to_be_visible()
    loose.check()
    phone.get_by_role("button", name="Giao vai trò").click()
    expect(phone.locator("#members")).to_contain_text("tai-khoan-le")
    assert ProgrammeRole.objects.filter(user__username="tai-khoan-le", role="viewer").exists()


def test_curator_adds_an_author_from_the_directory(programme, phone):
    log_in(phone, "thu-thu", "pw-thu-thu")
    phone.goto(reverse("library:document_create", args=["mpp"]))
    phone.get_by_label("Nhan đề").fill("Sổ tay chính sách")
    authors = phone.get_by_role("textbox", name="Tác giả")
    authors.fill("Tác giả Ngoài Danh Bạ")
    suggest = phone.get_by_label("Gợi ý từ danh bạ")
    suggest.press_sequentially("nguyen van dung", delay=20)
    button = phone.get_by_role("button", name="Nguyễn Văn Dũng – Trung tâm MSD")
    expect(button).to_be_visible()
    assert not _violations(phone)  # axe-core, with the suggestions shown
    button.evaluate("b => b.dataset.before = '1'")
    suggest.press("Enter")  # searches again, does not save
    expect(phone.locator("[data-suggest-line][data-before]")).to_have_count(0)  # the answer swapped in
    suggest.press("ArrowDown")
    expect(button).to_be_focused()
    phone.keyboard.press("Enter")
    expect(authors).to_have_value("Tác giả Ngoài Danh Bạ\nNguyễn Văn Dũng")
    expect(phone.locator("#id_creators_suggest_status")).to_have_text("Đã thêm một dòng: Nguyễn Văn Dũng")
    suggest.fill("")
    suggest.press_sequentially("msd", delay=20)
    organisation = phone.get_by_role("button", name="Trung tâm MSD", exact=True)
    expect(organisation).to_be_visible()
    organisation.click()
    expect(authors).to_have_value("Tác giả Ngoài Danh Bạ\nNguyễn Văn Dũng\nTổ chức: Trung tâm MSD")
    _fits(phone)
    assert not Document.objects.exists()
    phone.get_by_role("button", name="Lưu").click()
    document = Document.objects.get()
    creators = [(c.name, c.person is not None, c.organisation is not None) for c in document.creators.all()]
    assert creators == [
        ("Tác giả Ngoài Danh Bạ", False, False),
        ("Nguyễn Văn Dũng", True, False),
        ("Trung tâm MSD", False, True),
    ]
