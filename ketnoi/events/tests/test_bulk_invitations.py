"""Inviting many people and whole organisations at once (issue 14): one call, one transaction,
one audit entry per invitation; an organisation's people with an e-mail are invited one by one
(an organisation with nobody to reach gets its shared link); people already invited are skipped
and said; the page renders only what its search found, and refuses crafted POSTs with a message."""

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import PermissionDenied, ValidationError

from ketnoi.core.models import AuditEntry
from ketnoi.directory.models import Organisation, OrganisationType, Person
from ketnoi.events import services
from ketnoi.events.models import Invitation
from ketnoi.events.services.actions import EventsAction

from .factories import make_workshop

pytestmark = pytest.mark.django_db


@pytest.fixture
def workshop(coordinator, prog):
    return make_workshop(coordinator, prog)


@pytest.fixture
def lawyers():
    """An association with two people to reach, one without an address, one erased."""
    org = Organisation.objects.create(name="Hội Luật gia", type=OrganisationType.CSO)
    Person.objects.create(full_name="Đỗ Thị Hạnh", email="hanh@example.org", organisation=org)
    Person.objects.create(full_name="Vũ Văn Minh", email="minh@example.org", organisation=org)
    Person.objects.create(full_name="Ngô Văn Không Thư", organisation=org)
    Person.objects.create(full_name="Đã Xoá", email="xoa@example.org", organisation=org).__class__.objects.filter(
        full_name="Đã Xoá"
    ).update(erased_at="2030-01-01T00:00:00Z")
    return org


def invite_url(workshop):
    return f"/programmes/{workshop.programme.code}/events/{workshop.pk}/invite/"


def invited(workshop):
    rows = workshop.invitations.select_related("person", "organisation")
    return sorted(i.person.full_name if i.person_id else f"[{i.organisation.name}]" for i in rows)


def texts(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_an_organisation_invites_its_people_who_have_an_address(coordinator, workshop, lawyers):
    alone = Organisation.objects.create(name="Sở Tư pháp", type=OrganisationType.STATE_AGENCY)
    lan = Person.objects.create(full_name="Trần Thị Lan", email="lan@example.org")
    result = services.invitations_create_many(
        actor=coordinator, workshop=workshop, people=[lan], organisations=[lawyers, alone]
    )
    assert invited(workshop) == ["Trần Thị Lan", "Vũ Văn Minh", "[Sở Tư pháp]", "Đỗ Thị Hạnh"]
    assert len(result.created) == 4 and result.organisations_alone == [alone] and not result.skipped
    entries = AuditEntry.objects.filter(action=EventsAction.INVITATION_CREATE)
    assert sorted(int(e.object_id) for e in entries) == sorted(i.pk for i in result.created)


def test_people_already_invited_are_skipped_and_said(coordinator, workshop, lawyers):
    hanh = Person.objects.get(full_name="Đỗ Thị Hạnh")
    services.invitations_create_many(actor=coordinator, workshop=workshop, people=[hanh])
    link = Invitation.objects.get(workshop=workshop, person=hanh).code
    result = services.invitations_create_many(
        actor=coordinator, workshop=workshop, people=[hanh], organisations=[lawyers]
    )
    assert [i.person.full_name for i in result.created] == ["Vũ Văn Minh"]
    assert result.skipped == [hanh]
    assert Invitation.objects.get(workshop=workshop, person=hanh).code == link  # their link is kept
    assert AuditEntry.objects.filter(action=EventsAction.INVITATION_CREATE).count() == 2
    text = services.invitations_result_text(result)
    assert text == "Đã tạo 1 thư mời; bỏ qua 1 đã được mời từ trước: Đỗ Thị Hạnh."


def test_nothing_chosen_and_strangers_are_refused(coordinator, workshop, lecturer, other_coordinator, lawyers):
    with pytest.raises(ValidationError) as refused:
        services.invitations_create_many(actor=coordinator, workshop=workshop)
    assert "Hãy chọn ít nhất một người hoặc một tổ chức" in " ".join(refused.value.messages)
    for someone in (lecturer, other_coordinator):
        with pytest.raises(PermissionDenied):
            services.invitations_create_many(actor=someone, workshop=workshop, organisations=[lawyers])
    assert not workshop.invitations.exists()


def test_the_page_invites_the_ticked_people_and_organisations_in_one_go(client_for, coordinator, workshop, lawyers):
    lan = Person.objects.create(full_name="Trần Thị Lan", email="lan@example.org")
    client = client_for(coordinator)
    searched = {"organisation__q": "luat gia", "_pick_organisation": "1"}  # "Tìm" without JavaScript
    page = client.post(invite_url(workshop), searched).content.decode()
    assert f'name="organisation" value="{lawyers.pk}"' in page
    assert 'name="person" value=' not in page  # nothing typed for people: no people rendered
    assert not workshop.invitations.exists()
    response = client.post(invite_url(workshop), {"person": [lan.pk], "organisation": [lawyers.pk]})
    assert response.status_code == 302 and response["Location"].endswith("/invite/#invitations")
    assert texts(response)[0].startswith("Đã tạo 3 thư mời.")
    assert invited(workshop) == ["Trần Thị Lan", "Vũ Văn Minh", "Đỗ Thị Hạnh"]


def test_the_page_renders_only_what_the_search_found(client_for, coordinator, workshop):
    Person.objects.bulk_create(
        [Person(full_name=f"Người {n}", name_folded=f"nguoi {n}", email=f"p{n}@example.org") for n in range(120)]
    )
    searched = {"person__q": "nguoi", "_pick_person": "1"}
    page = client_for(coordinator).post(invite_url(workshop), searched).content.decode()
    assert page.count('name="person" value=') == 20  # the picker's limit, not the whole directory
    empty = client_for(coordinator).get(invite_url(workshop)).content.decode()
    assert 'name="person"' not in empty


@pytest.mark.parametrize(
    "data, message",
    [
        ({}, "Hãy chọn ít nhất một người hoặc một tổ chức"),
        ({"person": ["abc"]}, "Người:"),
        ({"person": ["1\x00"]}, "Người:"),
        ({"organisation": ["999999"]}, "Tổ chức:"),
        ({"person": [str(n) for n in range(1, 902)]}, "tối đa 900"),
    ],
)
def test_crafted_posts_get_a_message_and_invite_nobody(client_for, coordinator, workshop, lawyers, data, message):
    response = client_for(coordinator).post(invite_url(workshop), data)
    assert response.status_code == 302
    assert any(message in text for text in texts(response))
    assert not workshop.invitations.exists()


def test_outsiders_and_other_coordinators_get_404_viewers_403(
    client_for, workshop, lawyers, outsider, other_coordinator, viewer, lecturer
):
    for someone, status in ((outsider, 404), (other_coordinator, 404), (viewer, 403), (lecturer, 403)):
        client = client_for(someone)
        assert client.post(invite_url(workshop), {"organisation": [lawyers.pk]}).status_code == status
        client.logout()
    assert not workshop.invitations.exists()
