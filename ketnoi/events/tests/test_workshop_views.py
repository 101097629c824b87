"""The organiser's workshop pages: who sees what, the forms and their errors, agenda,
questions and conclusions, materials checked by content, registrations, invitations,
documents, and a list whose query count does not grow with the workshops."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ketnoi.core.models import AuditEntry
from ketnoi.directory.models import Organisation, OrganisationType, Person, Province, Sex
from ketnoi.directory.tests.factories import run_tasks
from ketnoi.events import services
from ketnoi.events.models import Invitation, Material, Registration, Workshop

from .factories import make_workshop, make_workshop_today, register

pytestmark = pytest.mark.django_db


def url(workshop, suffix=""):
    return f"/programmes/{workshop.programme.code}/events/{workshop.pk}/{suffix}"


@pytest.fixture
def workshop(coordinator, prog):
    return make_workshop(coordinator, prog, capacity=2)


def test_list_shows_counts_and_guides_when_empty(client_for, coordinator, viewer, prog):
    page = client_for(viewer).get(f"/programmes/{prog.code}/events/")
    assert page.status_code == 200 and "Chương trình chưa có hội thảo nào." in page.content.decode()
    assert "Tạo hội thảo" not in page.content.decode()
    workshop = make_workshop(coordinator, prog, capacity=2)
    for name in ("An", "Bình", "Chi"):
        register(workshop, name)
    html = client_for(coordinator).get(f"/programmes/{prog.code}/events/").content.decode()
    assert workshop.title in html and "2 đã xác nhận" in html and "1 chờ chỗ" in html and "Tạo hội thảo" in html


def test_list_query_count_does_not_grow_with_workshops(client_for, coordinator, prog):
    client = client_for(coordinator)
    make_workshop(coordinator, prog)
    client.get(f"/programmes/{prog.code}/events/")
    with CaptureQueriesContext(connection) as few:
        client.get(f"/programmes/{prog.code}/events/")
    for i in range(6):
        register(make_workshop(coordinator, prog, title=f"Hội thảo {i}"), f"Người {i}")
    with CaptureQueriesContext(connection) as many:
        client.get(f"/programmes/{prog.code}/events/")
    assert len(many.captured_queries) == len(few.captured_queries)


def test_detail_query_count_does_not_grow_with_registrations(client_for, coordinator, workshop):
    client = client_for(coordinator)
    register(workshop, "An")
    client.get(url(workshop))
    with CaptureQueriesContext(connection) as few:
        client.get(url(workshop))
    for i in range(15):
        register(workshop, f"Người {i}")
    with CaptureQueriesContext(connection) as many:
        client.get(url(workshop))
    assert len(many.captured_queries) == len(few.captured_queries)


def test_who_sees_and_who_changes(client_for, coordinator, lecturer, viewer, outsider, other_prog, make_user, workshop):
    from ketnoi.core.roles import Role
    from ketnoi.programmes.models import ProgrammeRole

    elsewhere = make_user("elsewhere")
    ProgrammeRole.objects.create(user=elsewhere, programme=other_prog, role=Role.COORDINATOR)
    for user in (coordinator, lecturer, viewer):
        assert client_for(user).get(url(workshop)).status_code == 200
    for user in (outsider, elsewhere):
        assert client_for(user).get(url(workshop)).status_code == 404
        assert client_for(user).post(url(workshop, "questions/"), {"text": "?"}).status_code == 404
    assert client_for(viewer).get(url(workshop, "edit/")).status_code == 403
    assert client_for(viewer).post(url(workshop, "questions/"), {"text": "Câu hỏi"}).status_code == 403
    assert client_for(lecturer).get(url(workshop, "documents/signin.pdf")).status_code == 200
    assert client_for(viewer).get(url(workshop, "documents/signin.pdf")).status_code == 403
    assert not workshop.questions.exists()
    assert Client().get(url(workshop)).status_code == 302  # anonymous: to the login page


def test_create_with_errors_then_valid(client_for, coordinator, prog):
    client = client_for(coordinator)
    province = Province.objects.filter(scheme=Province.Scheme.CURRENT).first()
    cso = Organisation.objects.create(name="Hội Nghề cá", type=OrganisationType.CSO)
    base = {
        "kind": "connecting",
        "title": "Kết nối Cần Thơ",
        "starts_at_0": "10/12/2037",
        "starts_at_1": "08:00",
        "ends_at_0": "10/12/2037",
        "ends_at_1": "16:30",
        "registration": "public",
    }
    for changes, message in [
        ({"capacity": "0"}, "Số chỗ phải từ 1 trở lên"),
        ({"ends_at_1": "07:00"}, "Giờ kết thúc phải sau giờ bắt đầu."),
        ({"starts_at_0": "31/02/2026"}, "dd/mm/yyyy"),
        ({"title": ""}, "*"),
    ]:
        bad = client.post(f"/programmes/{prog.code}/events/new/", {**base, **changes})
        assert bad.status_code == 200 and message in bad.content.decode(), changes
        assert not Workshop.objects.exists()
    good = client.post(
        f"/programmes/{prog.code}/events/new/",
        {
            "kind": "connecting",
            "title": "Kết nối Cần Thơ",
            "starts_at_0": "10/12/2037",
            "starts_at_1": "08:00",
            "ends_at_0": "10/12/2037",
            "ends_at_1": "16:30",
            "registration": "public",
            "capacity": "40",
            "province": province.pk,
            "organisers": [cso.pk],
        },
    )
    workshop = Workshop.objects.get()
    assert good.status_code == 302 and good["Location"].endswith(f"/events/{workshop.pk}/")
    assert workshop.capacity == 40 and workshop.province == province
    assert timezone.localtime(workshop.starts_at).strftime("%d/%m/%Y %H:%M") == "10/12/2037 08:00"
    assert list(workshop.organisations.values_list("organisation_id", "role")) == [(cso.pk, "organiser")]
    edit = client.post(
        url(workshop, "edit/"),
        {
            "kind": "connecting",
            "title": "Kết nối Cần Thơ (đổi)",
            "starts_at_0": "10/12/2037",
            "starts_at_1": "08:00",
            "ends_at_0": "10/12/2037",
            "ends_at_1": "16:30",
            "registration": "invitation",
            "capacity": "",
            "partners": [cso.pk],
        },
    )
    workshop.refresh_from_db()
    assert edit.status_code == 302 and workshop.capacity is None and workshop.title.endswith("(đổi)")
    assert list(workshop.organisations.values_list("role", flat=True)) == ["partner"]


def test_agenda_questions_conclusions(client_for, coordinator, workshop):
    client = client_for(coordinator)
    assert client.post(url(workshop, "agenda/"), {"starts_at": "8h30", "title": "Khai mạc"}).status_code == 302
    refused = client.post(url(workshop, "agenda/"), {"starts_at": "25:99", "title": "Sai giờ"}, follow=True)
    assert "HH:MM" in refused.content.decode() and workshop.agenda.count() == 1
    client.post(url(workshop, "questions/"), {"text": "Cơ chế phối hợp nào hiệu quả?"})
    empty = client.post(url(workshop, "questions/"), {"text": "  "}, follow=True)
    assert "Hãy ghi câu hỏi thảo luận." in empty.content.decode()
    question = workshop.questions.get()
    client.post(
        url(workshop, f"questions/{question.pk}/"),
        {"text": question.text, "conclusions": "Lập tổ công tác chung <script>alert(1)</script>"},
    )
    html = client.get(url(workshop)).content.decode()
    assert "08:30" in html and "Khai mạc" in html
    assert "Lập tổ công tác chung &lt;script&gt;" in html and "<script>alert(1)" not in html
    item = workshop.agenda.get()
    client.post(url(workshop, f"agenda/{item.pk}/delete/"))
    assert not workshop.agenda.exists()


def test_materials_are_checked_by_content_and_served_to_members_only(
    client_for, coordinator, viewer, outsider, workshop
):
    client = client_for(coordinator)
    fake = SimpleUploadedFile("tinh-huong.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    refused = client.post(url(workshop, "materials/"), {"kind": "case_study", "file": fake}, follow=True)
    assert "không phải" in refused.content.decode() and not Material.objects.exists()
    real = SimpleUploadedFile("tinh-huong.pdf", b"%PDF-1.4\n%...\n", content_type="application/pdf")
    client.post(url(workshop, "materials/"), {"kind": "case_study", "title": "Tình huống 1", "file": real})
    material = Material.objects.get()
    assert material.title == "Tình huống 1"
    assert client_for(viewer).get(url(workshop, f"materials/{material.pk}/")).status_code == 200
    assert client_for(outsider).get(url(workshop, f"materials/{material.pk}/")).status_code == 404


def test_registrations_approve_and_cancel_from_the_page(client_for, coordinator, viewer, prog):
    workshop = make_workshop(coordinator, prog, capacity=1, needs_approval=True)
    an, _ = register(workshop, "An")
    assert client_for(viewer).post(url(workshop, f"registrations/{an.pk}/"), {"action": "approve"}).status_code == 403
    client = client_for(coordinator)
    client.post(url(workshop, f"registrations/{an.pk}/"), {"action": "approve"})
    assert Registration.objects.get(pk=an.pk).status == "confirmed"
    again = client.post(url(workshop, f"registrations/{an.pk}/"), {"action": "approve"}, follow=True)
    assert "Chỉ duyệt được đăng ký đang chờ duyệt." in again.content.decode()
    client.post(url(workshop, f"registrations/{an.pk}/"), {"action": "cancel"})
    assert Registration.objects.get(pk=an.pk).status == "cancelled"
    assert client.post(url(workshop, f"registrations/{an.pk}/"), {"action": "xoa"}).status_code == 404


def test_breakdown_counts_who_came_with_the_state_cso_mix(client_for, coordinator, prog):
    workshop = make_workshop(coordinator, prog)
    state = Organisation.objects.create(name="Sở Nội vụ Cần Thơ", type=OrganisationType.STATE_AGENCY)
    cso = Organisation.objects.create(name="Hội Bảo trợ người khuyết tật", type=OrganisationType.CSO)
    people = [("Lan", Sex.FEMALE, state), ("Minh", Sex.MALE, cso), ("Hoa", Sex.FEMALE, cso)]
    for name, sex, organisation in people:
        registration, _ = register(workshop, name, sex=sex, organisation=organisation)
        services.registration_check_in(
            actor=coordinator, workshop=workshop, registration=registration, confirm_early=True
        )
    register(workshop, "Không đến", organisation=state)
    html = client_for(coordinator).get(url(workshop)).content.decode()
    assert "Cơ quan nhà nước: 1 · Tổ chức xã hội: 2" in html
    assert "3 người đã điểm danh" in html


def test_invite_people_and_organisations(client_for, coordinator, workshop):
    person = Person.objects.create(full_name="Đỗ Thị Hạnh", email="hanh@example.org")
    cso = Organisation.objects.create(name="Hội Luật gia", type=OrganisationType.CSO)
    client = client_for(coordinator)
    # the pickers' search without JavaScript: the "Tìm" button shows the matches, invites nobody
    found = client.post(url(workshop, "invite/"), {"person__q": "do thi hanh", "_pick_person": "1"}).content.decode()
    assert f'name="person" value="{person.pk}"' in found and "Đỗ Thị Hạnh" in found
    nothing = client.post(url(workshop, "invite/"), {"person__q": "khong co ai", "_pick_person": "1"})
    assert "Không tìm thấy" in nothing.content.decode()
    assert not Invitation.objects.filter(workshop=workshop).exists()
    client.post(url(workshop, "invite/"), {"person": [person.pk], "organisation": [cso.pk]})
    client.post(url(workshop, "invite/"), {"person": [person.pk]})
    assert Invitation.objects.filter(workshop=workshop).count() == 2


def test_pages_link_to_the_calendar_check_in_report_feedback_and_public_pages(client_for, coordinator, workshop):
    """Each link is reversed from its route: a renamed route breaks these pages, it does not hide a link."""
    client = client_for(coordinator)
    code, pk = workshop.programme.code, workshop.pk
    listing = client.get(f"/programmes/{code}/events/").content.decode()
    assert f'<a href="/programmes/{code}/events/calendar.ics" class="outline" role="button">' in listing
    client.post(url(workshop, "held/"), {"held": "1", "confirm_early": "1"})
    html = client.get(url(workshop)).content.decode()
    assert f'<a href="/programmes/{code}/events/{pk}/checkin/" role="button" id="open-checkin">' in html
    assert f'action="/programmes/{code}/events/{pk}/report/"' in html
    assert f'action="/programmes/{code}/events/{pk}/feedback/"' in html
    assert f'<a href="/e/w/{pk}/">http://testserver/e/w/{pk}/</a>' in html
    person = Person.objects.create(full_name="Đỗ Thị Hạnh", email="hanh@example.org")
    client.post(url(workshop, "invite/"), {"person": [person.pk]})
    invitation = Invitation.objects.get(workshop=workshop)
    invite = client.get(url(workshop, "invite/")).content.decode()
    assert f'value="http://testserver/e/moi/{invitation.code}/"' in invite


def test_documents_download(client_for, coordinator, workshop):
    client = client_for(coordinator)
    registration, _ = register(workshop, "Nguyễn Thị Hường")
    pdf = client.get(url(workshop, "documents/signin.pdf"))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF") and pdf["Content-Type"] == "application/pdf"
    xlsx = client.get(url(workshop, "documents/attendance.xlsx"))
    assert xlsx.status_code == 200 and xlsx.content.startswith(b"PK")
    none_yet = client.get(url(workshop, "documents/certificates.pdf"), follow=True)
    assert "Chưa có ai điểm danh" in none_yet.content.decode()
    services.registration_check_in(actor=coordinator, workshop=workshop, registration=registration, confirm_early=True)
    certificates = client.get(url(workshop, "documents/certificates.pdf"))
    assert certificates.status_code == 200 and certificates.content.startswith(b"%PDF")
    assert client.get(url(workshop, "documents/khac.pdf")).status_code == 404


def test_marking_held_before_the_workshop_asks_for_a_confirmation(client_for, coordinator, workshop):
    """The workshop is on 10/12/2037: the page warns and shows a checkbox; without it the
    service refuses and says why; with it the workshop is held and the early act audited."""
    client = client_for(coordinator)
    page = client.get(url(workshop)).content.decode()
    assert 'name="confirm_early"' in page and "Tôi xác nhận hội thảo đã tổ chức" in page
    refused = client.post(url(workshop, "held/"), {"held": "1"}, follow=True).content.decode()
    assert not Workshop.objects.get(pk=workshop.pk).held
    assert "chưa diễn ra" in refused and "10/12/2037 08:00" in refused
    client.post(url(workshop, "held/"), {"held": "1", "confirm_early": "1"})
    assert Workshop.objects.get(pk=workshop.pk).held
    early = AuditEntry.objects.get(action="events.workshop_early_confirm")
    assert early.changes["act"] == "held" and early.actor == coordinator


def test_marking_held_once_the_workshop_started_needs_no_confirmation(client_for, coordinator, prog):
    under_way = make_workshop_today(coordinator, prog)
    client = client_for(coordinator)
    assert 'name="confirm_early"' not in client.get(url(under_way)).content.decode()
    client.post(url(under_way, "held/"), {"held": "1"})
    assert Workshop.objects.get(pk=under_way.pk).held
    assert not AuditEntry.objects.filter(action="events.workshop_early_confirm").exists()


def test_invite_from_a_list_matches_people_already_in_the_directory(client_for, coordinator, viewer, workshop):
    existing = Person.objects.create(full_name="Nguyễn Thị Lan", phone="0912345678")
    rows = [
        "Họ và tên,Điện thoại,Email",
        "nguyen thi lan,+84 912 345 678,",
        "Trần Văn Minh,,minh@example.org",
        ",,khong-ten@example.org",
    ]
    upload = SimpleUploadedFile("khach-moi.csv", ("\n".join(rows) + "\n").encode(), content_type="text/csv")
    client = client_for(coordinator)
    with run_tasks():
        response = client.post(url(workshop, "invite/"), {"list": upload})
    preview = client.get(response["Location"])
    html = preview.content.decode()
    assert "1 người mới" in html and "1 người đã có" in html and "Dòng 4" in html
    assert not Invitation.objects.exists() and not Person.objects.filter(full_name="Trần Văn Minh").exists()
    person_import = preview.context["person_import"]
    assert client_for(viewer).post(url(workshop, "invite/"), {"import": person_import.pk}).status_code == 403
    client = client_for(coordinator)  # the same test client, signed in again
    assert client.post(url(workshop, "invite/"), {"import": "abc"}).status_code == 404
    client.post(url(workshop, "invite/"), {"import": person_import.pk})
    invited = set(Invitation.objects.values_list("person__full_name", flat=True))
    assert invited == {"Nguyễn Thị Lan", "Trần Văn Minh"}
    assert Invitation.objects.get(person__full_name="Nguyễn Thị Lan").person == existing
    client.post(url(workshop, "invite/"), {"import": person_import.pk})  # again: nobody invited twice
    assert Invitation.objects.count() == 2
