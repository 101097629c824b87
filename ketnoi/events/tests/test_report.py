"""A held workshop's report (a draft news post composed from its records) and its feedback survey:
the body's questions, conclusions and figures, typed text that stays text on the public page,
who may do it (coordinators; other roles 403, no role 404), and refusals that write nothing."""

import pytest
from django.utils import timezone

from ketnoi.core.models import AuditEntry
from ketnoi.core.text import fold
from ketnoi.directory.models import OrganisationType, Person, Province, Sex
from ketnoi.directory.services import organisation_create, person_create
from ketnoi.events import report_text, services
from ketnoi.events.models import DiscussionQuestion, Registration, Workshop
from ketnoi.news import services as news_services
from ketnoi.news.services import Post
from ketnoi.surveys.services import Collection, Form, form_create, ready_form

from .factories import make_workshop

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert('x')</script> & **không đậm** [bấm](javascript:alert(1))"


@pytest.fixture
def organisations(staff_admin):
    return {
        kind: organisation_create(actor=staff_admin, name=name, type=kind)
        for kind, name in [
            (OrganisationType.STATE_AGENCY, "Sở Nội vụ Thành phố Cần Thơ"),
            (OrganisationType.CSO, "Trung tâm Phát triển cộng đồng"),
            (OrganisationType.MASS_ORGANISATION, "Hội Liên hiệp Phụ nữ"),
        ]
    }


@pytest.fixture
def held(coordinator, staff_admin, prog, organisations):
    """A connecting workshop: 7 registered (1 cancelled, 1 not come), 5 present — 2 state
    (1 woman, 1 man), 2 CSO (women), 1 with no organisation (sex unknown)."""
    can_tho = Province.objects.get(scheme=Province.Scheme.CURRENT, short_name="Cần Thơ")
    workshop = make_workshop(
        coordinator,
        prog,
        title="Hội thảo kết nối tại Cần Thơ",
        description="Để chính quyền và TCXH hiểu nhau hơn.\n# Không phải tiêu đề",
        province=can_tho,
        venue="Hội trường Sở Nội vụ",
        organisers=[organisations[OrganisationType.CSO]],
        partners=[organisations[OrganisationType.STATE_AGENCY]],
    )
    people = [
        ("An", Sex.FEMALE, OrganisationType.STATE_AGENCY, True),
        ("Bình", Sex.MALE, OrganisationType.STATE_AGENCY, True),
        ("Chi", Sex.FEMALE, OrganisationType.CSO, True),
        ("Dung", Sex.FEMALE, OrganisationType.CSO, True),
        ("Em", Sex.UNKNOWN, None, True),
        ("Giang", Sex.MALE, OrganisationType.MASS_ORGANISATION, False),
        ("Hà", Sex.FEMALE, OrganisationType.CSO, False),
    ]
    for name, sex, kind, present in people:
        person = person_create(
            actor=staff_admin,
            full_name=name,
            sex=sex,
            email=f"{fold(name)}@example.org",
            organisation=organisations[kind] if kind else None,
        )
        registration, _ = services.registration_submit(
            actor=coordinator, workshop=workshop, full_name=name, email=person.email, consent=True
        )
        if present:
            services.registration_check_in(
                actor=coordinator, workshop=workshop, registration=registration, confirm_early=True
            )
    services.registration_cancel(actor=coordinator, registration=Registration.objects.get(person__full_name="Hà"))
    DiscussionQuestion.objects.create(
        workshop=workshop, position=1, text="Vận động chính sách là gì?", conclusions="Là tác động có chủ đích."
    )
    DiscussionQuestion.objects.create(
        workshop=workshop,
        position=2,
        text="Hình thức tham gia?",
        conclusions=f"- Góp ý dự thảo\n- Phản biện\n{SCRIPT}\n1. không phải danh sách",
    )
    DiscussionQuestion.objects.create(workshop=workshop, position=3, text="Câu chưa kết luận")
    return services.workshop_update(actor=coordinator, workshop=workshop, held=True, confirm_early=True)


def test_the_draft_holds_questions_conclusions_and_figures(coordinator, held):
    post = services.report_draft(actor=coordinator, workshop=held, confirm_early=True)
    assert post.status == Post.Status.DRAFT and post.source == held and post.programme == held.programme
    assert post.title == "Hội thảo kết nối tại Cần Thơ"
    assert "5 đại biểu tham dự" in post.summary and "10/12/2037" in post.summary
    body = post.body
    for text in (
        "Để chính quyền và TCXH hiểu nhau hơn.",
        "## Câu hỏi thảo luận và kết luận",
        "### 1\\. Vận động chính sách là gì?",
        "Là tác động có chủ đích.",
        "### 2\\. Hình thức tham gia?",
        "- Góp ý dự thảo\n- Phản biện",
        "### 3\\. Câu chưa kết luận",
        "Đơn vị tổ chức: Trung tâm Phát triển cộng đồng",
        "Đối tác: Sở Nội vụ Thành phố Cần Thơ",
        "Hội trường Sở Nội vụ, Thành phố Cần Thơ",
        "- Số người đăng ký: 6",
        "- Tham dự (đã điểm danh): 5",
        "Theo giới tính: Nữ 3; Nam 1; Không rõ 1",
        "Theo loại hình cơ quan, tổ chức: Cơ quan nhà nước 2; Tổ chức xã hội 2; Chưa rõ loại tổ chức 1",
        # Em's organisation is not known: said, and counted in the shares.
        "2 đại biểu cơ quan nhà nước (40%), 2 đại biểu tổ chức xã hội (40%), 1 người chưa rõ loại tổ chức (20%)",
    ):
        assert text in body, text
    assert "\\# Không phải tiêu đề" in body
    assert AuditEntry.objects.filter(action="news.post_create", object_id=str(post.pk)).exists()


def test_typed_markup_reads_as_text_on_the_published_page(client, coordinator, held):
    post = services.report_draft(actor=coordinator, workshop=held, confirm_early=True)
    news_services.post_publish(actor=coordinator, post=post)
    page = client.get(f"/news/{Post.objects.get(pk=post.pk).slug}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "&lt;script&gt;alert('x')&lt;/script&gt;" in html.replace("&#x27;", "'")
    assert "<script>alert" not in html and 'href="javascript' not in html
    assert "**không đậm**" in html and "<strong>không đậm</strong>" not in html
    assert "[bấm](javascript:alert(1))" in html
    assert "<h1>Không phải tiêu đề" not in html and "<h2>Không phải tiêu đề" not in html
    assert "1. không phải danh sách" in html
    assert "<li>Góp ý dự thảo</li>" in html  # a typed list stays a list


def test_the_markdown_escape_round_trips_as_text():
    from ketnoi.news.services import plain_text

    for typed in ["# a", "1. b", "> c", "- d", ": e", "a_b_c *x* `y` |z| ~~w~~", "<b>&amp;</b>", "=== f", "+ g"]:
        assert plain_text(report_text.md_inline(typed)) == typed


def test_only_a_held_workshop_gets_a_report(coordinator, prog):
    workshop = make_workshop(coordinator, prog)
    with pytest.raises(Exception, match="chưa được đánh dấu là đã tổ chức"):
        services.report_draft(actor=coordinator, workshop=workshop, confirm_early=True)
    assert not Post.objects.exists()


def test_the_button_makes_the_draft_and_opens_its_edit_page(client_for, coordinator, held, prog):
    response = client_for(coordinator).post(f"/programmes/{prog.code}/events/{held.pk}/report/", {"confirm_early": "1"})
    post = Post.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/news/programmes/{prog.code}/{post.pk}/edit/"


def test_a_workshop_not_held_is_refused_with_a_message(client_for, coordinator, prog):
    workshop = make_workshop(coordinator, prog)
    client = client_for(coordinator)
    response = client.post(
        f"/programmes/{prog.code}/events/{workshop.pk}/report/", HTTP_REFERER="http://testserver/some/page/"
    )
    assert response.status_code == 302 and response["Location"] == "http://testserver/some/page/"
    assert "chỉ viết báo cáo cho hội thảo đã tổ chức" in client.get("/programmes/").content.decode()
    response = client.post(
        f"/programmes/{prog.code}/events/{workshop.pk}/report/", HTTP_REFERER="https://evil.example/"
    )
    assert response["Location"] == f"/programmes/{prog.code}/"
    assert not Post.objects.exists()


@pytest.mark.parametrize("action", ["report", "feedback"])
def test_who_may_press_the_buttons(request, client, client_for, prog, held, other_prog, action):
    url = f"/programmes/{prog.code}/events/{held.pk}/{action}/"
    for persona, expected in [("lecturer", 403), ("reviewer", 403), ("viewer", 403), ("outsider", 404)]:
        assert client_for(request.getfixturevalue(persona)).post(url).status_code == expected, persona
    client.logout()
    assert client.post(url).status_code == 302  # to the login page
    # Another programme's coordinator cannot reach this workshop through their own programme.
    from ketnoi.core.roles import Role
    from ketnoi.programmes.models import ProgrammeRole

    other = request.getfixturevalue("make_user")("other")
    ProgrammeRole.objects.create(user=other, programme=other_prog, role=Role.COORDINATOR)
    assert client_for(other).post(f"/programmes/{other_prog.code}/events/{held.pk}/{action}/").status_code == 404
    assert client_for(request.getfixturevalue("coordinator")).get(url).status_code == 405
    assert not Post.objects.exists() and not Collection.objects.exists()


def test_feedback_opens_the_ready_form_for_the_workshop_once(client_for, coordinator, prog, held):
    client = client_for(coordinator)
    response = client.post(f"/programmes/{prog.code}/events/{held.pk}/feedback/")
    collection = Collection.objects.get()
    form = collection.form
    assert response.status_code == 302
    assert response["Location"] == f"/programmes/{prog.code}/surveys/{form.pk}/collections/{collection.pk}/"
    assert form.programme == prog and form.title == "Phản hồi sau hội thảo"
    assert collection.context == {"city": "Thành phố Cần Thơ"}
    assert collection.target_label == held.title and collection.target_id == str(held.pk)
    held.refresh_from_db()
    assert held.feedback_collection_id == collection.pk
    entry = AuditEntry.objects.filter(action="events.workshop_update", object_id=str(held.pk)).latest("id")
    assert entry.changes == {"feedback_collection_id": [None, collection.pk]} and entry.actor == coordinator
    # Pressed again: the same survey, nothing new.
    again = client.post(f"/programmes/{prog.code}/events/{held.pk}/feedback/")
    assert again["Location"] == response["Location"] and Collection.objects.count() == 1


def test_feedback_reuses_the_programmes_workshop_form(coordinator, prog):
    existing = form_create(actor=coordinator, programme=prog, definition=ready_form("workshop"))
    workshop = make_workshop(coordinator, prog)  # no province: no city in the context
    first = services.workshop_feedback_open(actor=coordinator, workshop=workshop)
    second = services.workshop_feedback_open(actor=coordinator, workshop=make_workshop(coordinator, prog))
    assert first.form == second.form == existing and Form.objects.count() == 1
    assert first.context == {} and first.pk != second.pk


def test_the_report_reads_a_fixed_number_of_queries(coordinator, held, django_assert_max_num_queries, staff_admin):
    with django_assert_max_num_queries(12) as few:
        report_text.compose_report(Workshop.objects.get(pk=held.pk))
    for n in range(20):
        person = person_create(actor=staff_admin, full_name=f"Người {n}", email=f"n{n}@example.org")
        registration, _ = services.registration_submit(
            actor=coordinator, workshop=held, full_name=person.full_name, email=person.email, consent=True
        )
        services.registration_check_in(actor=coordinator, workshop=held, registration=registration, confirm_early=True)
        DiscussionQuestion.objects.create(workshop=held, position=10 + n, text=f"Câu {n}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        title, summary, body = report_text.compose_report(Workshop.objects.get(pk=held.pk))
    assert "- Tham dự (đã điểm danh): 25" in body and body.count("### ") == 23
    assert Person.objects.count() == 27 and timezone.now()
