"""WCAG 2.2 AA on the main pages: axe-core (vendored under vendor/axe-core, never served to
users) runs in Chromium on every page each kind of user lands on, on a phone and a desktop
screen, and no critical or serious violation is allowed.

The pages are visited on both screens in one test, from one demo load: a live-server test empties
the database after itself, so a demo per page would cost ~15 s each. Every page is still checked
and every violation of every page is reported together, naming the screen and the page."""

import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from ketnoi.demo.data import PASSWORD

from .conftest import PHONE, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
BLOCKING = {"critical", "serious"}
DESKTOP = {"width": 1280, "height": 800}
SEND_EMPTY = "#send-empty"  # a page whose form is sent empty before the check

# Two navigation landmarks with no name (or the same one) cannot be told apart in a screen
# reader's landmark list; axe files that rule under best practice, so it is asked for by name.
ALSO_RULES = ["landmark-unique"]

RUN_AXE = """async ([tags, rules]) => {
  const byTag = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
  const byRule = await axe.run(document, {runOnly: {type: 'rule', values: rules}});
  return byTag.violations.concat(byRule.violations).map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map(n => n.target.join(' ') + ' :: ' + (n.failureSummary || '').replace(/\\s+/g, ' ')),
  }));
}"""


# Pages that answer 404 on purpose: the refusal pages are checked like any other.
REFUSALS = {"page not found", "a programme out of sight"}


def _pages() -> dict[str | None, list[tuple[str, str]]]:
    """(who, [(page name, path)]) for every main page, found in the demo just loaded."""
    from ketnoi.events.models import Workshop
    from ketnoi.library.models import Access, Document
    from ketnoi.library.models import Collection as LibraryCollection
    from ketnoi.news.models import Post
    from ketnoi.programmes.models import Indicator
    from ketnoi.surveys.models import Collection as SurveyCollection
    from ketnoi.training.models import ReviewAssignment, TeachingSession, TrainingClass

    code = "msd-vileap"
    post = Post.objects.filter(status="published").first()
    document = Document.objects.filter(access=Access.PUBLIC).order_by("pk").first()
    public_workshop = Workshop.objects.filter(registration="public").first()
    held_workshop = Workshop.objects.filter(programme__code=code, held=True).first()
    # Every demo collection closed years ago; reopen one so the respondent sees the questions.
    survey = SurveyCollection.objects.filter(form__programme__code=code).order_by("pk").first()
    SurveyCollection.objects.filter(pk=survey.pk).update(closes_at=timezone.now() + timezone.timedelta(days=30))
    indicator = Indicator.objects.filter(programme__code=code).order_by("pk").first()
    training_class = TrainingClass.objects.filter(course__programme__code=code).order_by("pk").first()
    session = TeachingSession.objects.filter(lecturers__person__user__username="giangvien").order_by("pk").first()
    if session is None:
        session = TeachingSession.objects.filter(training_class__course__programme__code=code).order_by("pk").first()
    assignment = ReviewAssignment.objects.filter(reviewer__username="chuyengia").order_by("pk").first()
    library_collection = LibraryCollection.objects.filter(programme__code=code).first()
    workshop = held_workshop.pk
    previewed = _person_import(status="preview")
    enrolling = _person_import(
        status="confirming",
        followup="training.enrol",
        followup_target=training_class.pk,
        progress={"written": 1, "to_write": 1, "people_done": True, "followed": 1, "to_follow": 2, "follow_made": 1},
    )
    return {
        None: [
            ("public home", reverse("home")),
            ("page not found", "/khong-co-trang-nay/"),
            ("login", reverse("login")),
            ("news list", reverse("news:post_list")),
            ("news post", reverse("news:post_detail", args=[post.slug])),
            ("library search", reverse("library_public:search") + "?q=hội"),
            ("library document", reverse("library_public:document", args=[document.pk])),
            ("public registration", reverse("events_public:register", args=[public_workshop.pk])),
            ("survey respond", reverse("respond:form", args=[survey.token])),
        ],
        "dieuphoi": [
            ("to-do inbox", reverse("todo")),
            ("programme list", reverse("programmes:list")),
            ("programme dashboard", reverse("programmes:detail", args=[code])),
            ("indicator", reverse("programmes:indicator_detail", args=[code, indicator.pk])),
            ("approvals", reverse("programmes:approvals", args=[code])),
            ("members", reverse("programmes:members", args=[code])),
            ("agreements", reverse("programmes:agreement_list", args=[code])),
            ("workshops", reverse("events:list", args=[code])),
            ("workshop detail", reverse("events:detail", args=[code, workshop])),
            ("check-in", reverse("events:checkin", args=[code, workshop])),
            (
                "registrations of unknown organisation type",
                reverse("events:detail", args=[code, workshop]) + "?organisation=unknown#registrations",
            ),
            ("new workshop form with errors", reverse("events:create", args=[code]) + SEND_EMPTY),
            ("survey forms", reverse("surveys:form_list", args=[code])),
            ("survey form", reverse("surveys:form_detail", args=[code, survey.form_id])),
            ("survey results", reverse("surveys:results", args=[code, survey.form_id])),
            ("training overview", reverse("training:overview", args=[code])),
            ("training class", reverse("training:class_detail", args=[code, training_class.pk])),
            ("people", reverse("directory:person_list")),
            ("new person form", reverse("directory:person_create")),
            # Sent empty: the same form with its error summary and messages.
            ("new person form with errors", reverse("directory:person_create") + SEND_EMPTY),
            ("organisations", reverse("directory:organisation_list")),
            ("people import", reverse("directory:people_import")),
            ("people import preview", reverse("directory:people_import_preview", args=[previewed.pk])),
            (
                "people import, problems only",
                reverse("directory:people_import_preview", args=[previewed.pk]) + "?problems=1",
            ),
            (
                "class list being enrolled",
                reverse("training:class_learners", args=[code, training_class.pk]) + f"?import={enrolling.pk}",
            ),
            ("news management", reverse("news:manage_posts", args=[code])),
            ("header search results", reverse("search") + "?q=nguyen"),
            ("header search, nothing found", reverse("search") + "?q=khong+co+gi+nhu+vay"),
        ],
        "giangvien": [
            ("lecturer's programme", reverse("programmes:detail", args=[code])),
            ("lecturer's training", reverse("training:overview", args=[code])),
            ("teaching session", reverse("training:session_detail", args=[code, session.pk])),
        ],
        "chuyengia": [
            ("reviews landing", reverse("my_reviews")),
            ("pending reviews", reverse("training:review_mine", args=[code])),
            ("review form", reverse("training:review_assignment", args=[code, assignment.pk])),
        ],
        "thuvien": [
            ("library collections", reverse("library:collections", args=[code])),
            ("library collection", reverse("library:collection_detail", args=[code, library_collection.pk])),
            ("library documents", reverse("library:documents", args=[code])),
            ("handover register", reverse("library:register", args=[code])),
            ("library catalogue import", reverse("library:catalogue_import", args=[code])),
        ],
        "khach": [
            ("programme list, no role", reverse("programmes:list")),
            ("home, no role", reverse("home")),
            ("empty to-do inbox, no role", reverse("todo")),
            ("a programme out of sight", reverse("programmes:detail", args=[code])),
        ],
    }


def _person_import(**fields):
    """A list of people uploaded by the coordinator of the demo: one new row, one matching a
    person already there, one refused."""
    from django.contrib.auth import get_user_model

    from ketnoi.directory.models import PersonImport, PersonImportRow

    person_import = PersonImport.objects.create(
        filename="danh-sach.csv",
        created_by=get_user_model().objects.get(username="dieuphoi"),
        header=["Họ và tên", "Email"],
        summary={"total": 3, "new": 1, "duplicate": 1, "error": 1},
        **{"progress": {"read": 3, "matched": 1, "new": 1, "refused": 1}, **fields},
    )
    rows = [
        ("new", ["Lò Thị Xuân", "xuan@example.org"], {"full_name": "Lò Thị Xuân"}, [], None),
        ("duplicate", ["Nguyễn Văn An", ""], {"full_name": "Nguyễn Văn An"}, [], {"line": 2}),
        ("error", ["", "khong-hop-le@"], {}, ["Thiếu họ và tên."], None),
    ]
    PersonImportRow.objects.bulk_create(
        PersonImportRow(
            person_import=person_import,
            line=line,
            status=status,
            cells=cells,
            data=data,
            errors=errors,
            duplicate_of=dup,
        )
        for line, (status, cells, data, errors, dup) in enumerate(rows, start=2)
    )
    return person_import


def _violations(page) -> list[dict]:
    page.add_script_tag(path=str(AXE))
    found = page.evaluate(RUN_AXE, [WCAG_TAGS, ALSO_RULES])
    return [v for v in found if v["impact"] in BLOCKING or v["id"] in ALSO_RULES]


def _check_every_page(browser, base_url: str, viewport: dict, *, phone: bool) -> list[str]:
    failures = []
    for username, pages in _pages().items():
        context = browser.new_context(
            viewport=viewport, is_mobile=phone, has_touch=phone, locale="vi-VN", base_url=base_url
        )
        context.set_default_timeout(15_000)
        page = context.new_page()
        if username:
            log_in(page, username, PASSWORD)
        for name, path in pages:
            send_empty = path.endswith(SEND_EMPTY)
            response = page.goto(path.removesuffix(SEND_EMPTY))
            expected = 404 if name in REFUSALS else 200
            assert response.status == expected, f"{name} ({path}) as {username}: HTTP {response.status}"
            if send_empty:
                # the form's own button, not a picker's "Tìm" (a search, not a save)
                page.locator("main form[method=post] button[type=submit]:not([name^=_pick_])").first.click()
                expect(page.locator("[data-error-summary]")).to_be_focused()
            for v in _violations(page):
                nodes = "\n      ".join(v["nodes"][:5])
                failures.append(
                    f"{name} ({path}) as {username or 'visitor'}: [{v['impact']}] {v['id']}: {v['help']}\n      {nodes}"
                )
        context.close()
    return failures


def test_main_pages_have_no_serious_accessibility_violation(browser, live_server):
    call_command("demo_load", verbosity=0)
    failures = [
        *(f"[phone] {f}" for f in _check_every_page(browser, live_server.url, PHONE, phone=True)),
        *(f"[desktop] {f}" for f in _check_every_page(browser, live_server.url, DESKTOP, phone=False)),
    ]
    assert not failures, f"{len(failures)} serious or critical violations:\n" + "\n".join(failures)


@pytest.fixture
def public_workshop(coordinator, prog):
    from ketnoi.directory.models import Province
    from ketnoi.events.tests.factories import make_workshop

    return make_workshop(
        coordinator,
        prog,
        province=Province.objects.get(scheme=Province.Scheme.CURRENT, short_name="Cần Thơ"),
        capacity=30,
    )


def test_a_failed_submit_focuses_a_summary_that_leads_to_each_field(phone, public_workshop):
    phone.goto(reverse("events_public:register", args=[public_workshop.pk]))
    # A radio group in error: a value the choices do not hold, as a tampered or stale page sends.
    phone.locator("input[name=sex]").first.evaluate("r => { r.value = 'robot'; r.checked = true; }")
    phone.get_by_label("Thư điện tử").fill("không-phải-thư")
    phone.get_by_role("button", name="Đăng ký").click()

    summary = phone.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    expect(summary).to_have_attribute("role", "alert")
    expect(summary.get_by_role("heading")).to_have_text("Hãy sửa các lỗi sau")
    hrefs = summary.get_by_role("link").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert {"#id_full_name", "#id_email", "#id_consent", "#id_sex_0"} <= set(hrefs), hrefs
    for href in hrefs:
        expect(phone.locator(href)).to_have_count(1)

    summary.get_by_role("link", name="Họ và tên: Hãy nhập họ và tên.").click()
    expect(phone.locator("#id_full_name")).to_be_focused()
    expect(phone.locator("#id_email")).to_have_attribute("aria-invalid", "true")
    expect(phone.locator("#id_email")).to_have_accessible_description(re.compile("Địa chỉ thư điện tử này chưa đúng"))

    # The radio group is described by its message, which a screen reader reads on entering it.
    group = phone.get_by_role("group", name="Giới tính")
    expect(group).to_have_attribute("aria-describedby", re.compile(r"\bid_sex_error\b"))
    expect(group).to_have_accessible_description(re.compile(r"\S"))
    expect(phone.locator("#id_sex_error")).to_be_visible()


def test_a_respondent_hears_why_a_question_group_was_refused(phone, staff_admin, make_user):
    from ketnoi.programmes.services import programme_create
    from ketnoi.surveys import services
    from ketnoi.surveys.ready_forms import ready_form

    coordinator = make_user("dieu-phoi")
    programme = programme_create(actor=staff_admin, name="Đào tạo cán bộ", code="dao-tao", coordinators=[coordinator])
    form = services.form_create(actor=coordinator, programme=programme, definition=ready_form("lecture"))
    collection = services.collection_open(actor=coordinator, form=form, title="Bài giảng 12/10")

    phone.goto(reverse("respond:form", args=[collection.token]))
    phone.get_by_role("button", name="Gửi phiếu").click()
    message = phone.locator(".q-error:not([hidden])").first
    expect(message).to_be_visible()
    # The group (for a grid, its row) around the message is described by it, as a sighted person
    # sees it beside the choices.
    group = message.locator("xpath=ancestor::fieldset[1]")
    expect(group.get_by_role("radio").first).to_have_attribute("aria-invalid", "true")
    expect(group).to_have_accessible_description(message.inner_text())
