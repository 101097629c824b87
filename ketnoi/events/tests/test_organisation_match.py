"""Matching the organisations people typed (issue 13): the coordinator ticks many rows of the
registrations list and links them to a directory organisation, or creates one with its type —
one transaction, an audit entry per registration, coordinators of the workshop's programme only,
never another workshop's rows; the figures then count them under that type."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ketnoi.core.models import AuditEntry
from ketnoi.directory.models import Organisation, OrganisationType
from ketnoi.events import metrics, queries, report_text, services
from ketnoi.events.models import Registration, Workshop

from .factories import make_workshop_today

pytestmark = pytest.mark.django_db

LAWYERS = "Hội Luật gia Việt Nam"


def page(workshop, suffix=""):
    return f"/programmes/{workshop.programme.code}/events/{workshop.pk}/{suffix}"


@pytest.fixture
def workshop(coordinator, prog):
    return make_workshop_today(coordinator, prog, kind=Workshop.Kind.CONNECTING)


def walk_in(actor, workshop, name, organisation_name):
    return services.registration_walk_in(
        actor=actor, workshop=workshop, full_name=name, organisation_name=organisation_name, consent=True
    )


@pytest.fixture
def typed(coordinator, workshop):
    """Three walk-ins who typed the lawyers' association three ways, one who typed another name."""
    rows = [
        walk_in(coordinator, workshop, "An", LAWYERS),
        walk_in(coordinator, workshop, "Bình", "hoi luat gia viet nam"),
        walk_in(coordinator, workshop, "Chi", "  Hội  Luật gia Việt Nam "),
        walk_in(coordinator, workshop, "Dung", "Nhóm Bạn trẻ Xanh"),
    ]
    assert all(r.organisation_unmatched for r in rows)
    return rows


def test_rows_typed_alike_are_offered_as_one_group(workshop, typed):
    groups = queries.typed_groups(workshop)
    assert [(g.name, len(g.ids)) for g in groups] == [(LAWYERS, 3), ("Nhóm Bạn trẻ Xanh", 1)]
    assert set(groups[0].ids) == {r.pk for r in typed[:3]}


def test_creating_the_organisation_matches_every_ticked_row_and_the_figures_follow(coordinator, workshop, typed):
    before = report_text.participant_figures(workshop)["by_type"]
    assert before == {None: 4}
    by_type = {"programme": workshop.programme, "start": None, "end": None, "disaggregate_by": "organisation_type"}
    assert metrics.participants(**by_type) == {"": 4}
    rows = services.registrations_match_organisation(
        actor=coordinator,
        workshop=workshop,
        registrations=typed[:3],
        new_organisation_name=LAWYERS,
        new_organisation_type=OrganisationType.CSO,
    )
    lawyers = Organisation.objects.get(name=LAWYERS)
    assert lawyers.type == OrganisationType.CSO and lawyers.created_by == coordinator
    assert [r.organisation_id for r in rows] == [lawyers.pk] * 3
    # What each person typed stays as typed.
    assert Registration.objects.get(pk=typed[1].pk).organisation_name == "hoi luat gia viet nam"
    assert report_text.participant_figures(workshop)["by_type"] == {OrganisationType.CSO: 3, None: 1}
    assert queries.breakdown(workshop).state_cso == (0, 3)
    assert metrics.participants(**by_type) == {OrganisationType.CSO: 3, "": 1}  # the programme's indicators
    entries = AuditEntry.objects.filter(action="events.registration_match_organisation")
    assert entries.count() == 3 and {e.actor for e in entries} == {coordinator}
    assert entries.get(object_id=str(typed[0].pk)).changes["organisation"] == [None, lawyers.pk]
    assert AuditEntry.objects.filter(action="directory.organisation_create").count() == 1


def test_matching_to_an_existing_organisation(coordinator, workshop, typed):
    state = Organisation.objects.create(name="Sở Tư pháp Cần Thơ", type=OrganisationType.STATE_AGENCY)
    services.registrations_match_organisation(
        actor=coordinator, workshop=workshop, registrations=[typed[3].pk], organisation=state
    )
    assert Registration.objects.get(pk=typed[3].pk).organisation == state
    assert report_text.state_cso_sentence(report_text.participant_figures(workshop)["by_type"]) == (
        "Cơ quan nhà nước và tổ chức xã hội: 1 đại biểu cơ quan nhà nước (25%), 3 người chưa rõ loại tổ chức (75%)"
    )


@pytest.mark.parametrize(
    ("arguments", "field"),
    [
        ({}, "organisation"),
        ({"new_organisation_name": LAWYERS, "new_organisation_type": "robot"}, "new_organisation_type"),
        ({"new_organisation_name": LAWYERS, "new_organisation_type": ""}, "new_organisation_type"),
        ({"new_organisation_name": "   ", "new_organisation_type": OrganisationType.CSO}, "organisation"),
    ],
    ids=["nothing-chosen", "bad-type", "no-type", "blank-name"],
)
def test_bad_input_is_refused_with_a_message_and_writes_nothing(coordinator, workshop, typed, arguments, field):
    with pytest.raises(ValidationError) as refused:
        services.registrations_match_organisation(
            actor=coordinator, workshop=workshop, registrations=typed, **arguments
        )
    assert field in refused.value.message_dict
    assert not Organisation.objects.exists()
    assert not Registration.objects.filter(organisation__isnull=False).exists()


def test_a_name_the_directory_already_has_is_not_created_twice(coordinator, workshop, typed):
    Organisation.objects.create(name=LAWYERS, type=OrganisationType.CSO)
    with pytest.raises(ValidationError, match="Danh bạ đã có"):
        services.registrations_match_organisation(
            actor=coordinator, workshop=workshop, registrations=typed,
            new_organisation_name="hội luật gia việt nam", new_organisation_type=OrganisationType.CSO,
        )  # fmt: skip
    assert Organisation.objects.count() == 1


def test_another_workshop_s_rows_refuse_the_whole_batch(coordinator, prog, workshop, typed):
    elsewhere = make_workshop_today(coordinator, prog, title="Hội thảo khác")
    stranger = walk_in(coordinator, elsewhere, "Giang", LAWYERS)
    with pytest.raises(ValidationError, match="không thuộc danh sách đăng ký của hội thảo này"):
        services.registrations_match_organisation(
            actor=coordinator, workshop=workshop, registrations=[typed[0], stranger],
            new_organisation_name=LAWYERS, new_organisation_type=OrganisationType.CSO,
        )  # fmt: skip
    assert not Organisation.objects.exists()
    assert not Registration.objects.filter(organisation__isnull=False).exists()


@pytest.mark.parametrize("persona", ["lecturer", "viewer", "outsider", "other_coordinator"])
def test_only_the_programme_s_coordinators_may_match(request, workshop, typed, persona):
    actor = request.getfixturevalue(persona)
    with pytest.raises(PermissionDenied):
        services.registrations_match_organisation(
            actor=actor, workshop=workshop, registrations=typed,
            new_organisation_name=LAWYERS, new_organisation_type=OrganisationType.CSO,
        )  # fmt: skip
    assert not Organisation.objects.exists()


# The page ----------------------------------------------------------------------------------------


def test_the_list_ticks_a_group_and_creates_the_organisation_for_it(client_for, coordinator, workshop, typed):
    client = client_for(coordinator)
    html = client.get(page(workshop)).content.decode()
    assert "4 người chưa rõ loại tổ chức" in html
    assert f"“{LAWYERS}” — 3 người" in html and 'id="organisation-match-form"' in html
    # "Chọn cả nhóm": the list of unknown types with the group's rows ticked, the name filled in.
    group = queries.typed_groups(workshop)[0]
    ticked = client.get(page(workshop), {"organisation": "unknown", "r": group.ids, "name": LAWYERS}).content.decode()
    for registration in typed[:3]:
        assert (
            f'value="{registration.pk}" form="organisation-match-form" id="select-{registration.pk}" checked' in ticked
        )
    assert f'value="{typed[3].pk}" form="organisation-match-form" id="select-{typed[3].pk}">' in ticked
    assert f'name="new_organisation_name" maxlength="255" value="{LAWYERS}"' in ticked

    response = client.post(
        page(workshop, "registrations/organisation/"),
        {
            "registration": group.ids,
            "action": "create",
            "new_organisation_name": LAWYERS,
            "new_organisation_type": "cso",
        },
        follow=True,
    )
    html = response.content.decode()
    assert f"Đã gắn 3 người với “{LAWYERS}” (Tổ chức xã hội)." in html
    assert "1 người chưa rõ loại tổ chức" in html
    assert Registration.objects.filter(organisation__name=LAWYERS).count() == 3


def test_the_page_matches_a_picked_organisation_and_says_what_went_wrong(client_for, coordinator, workshop, typed):
    btx = Organisation.objects.create(name="Nhóm Bạn trẻ Xanh", short_name="BTX", type=OrganisationType.CSO)
    client = client_for(coordinator)
    url = page(workshop, "registrations/organisation/")
    # Without JavaScript the picker's "Tìm" comes back to the list with the matches to choose from.
    searched = client.post(
        url, {"registration": [typed[3].pk], "organisation__q": "ban tre", "_pick_organisation": "1"}
    )
    assert searched.status_code == 302 and "pick=ban+tre" in searched["Location"]
    html = client.get(searched["Location"]).content.decode()
    assert f'type="radio" id="match_organisation_{btx.pk}" name="organisation" value="{btx.pk}"' in html
    assert f'id="select-{typed[3].pk}" checked' in html and not Registration.objects.filter(organisation=btx).exists()
    unchosen = client.post(url, {"registration": [typed[3].pk], "action": "match"}, follow=True)
    assert "Hãy tìm và chọn một tổ chức có trong danh bạ" in unchosen.content.decode()
    crafted = client.post(
        url, {"registration": [typed[3].pk], "action": "match", "organisation": "987654"}, follow=True
    )
    assert "không có trong danh sách được phép" in crafted.content.decode()
    nobody = client.post(url, {"action": "match", "organisation": btx.pk}, follow=True)
    assert "Hãy đánh dấu ít nhất một người" in nobody.content.decode()
    assert client.post(url, {"registration": [typed[3].pk], "action": "xoa"}).status_code == 400
    assert not Registration.objects.filter(organisation__isnull=False).exists()
    client.post(url, {"registration": [typed[3].pk], "action": "match", "organisation": btx.pk})
    assert Registration.objects.get(pk=typed[3].pk).organisation.short_name == "BTX"


@pytest.mark.parametrize(
    "field, value",
    [
        ("new_organisation_name", "Hội\x00Luật gia"),  # PostgreSQL stores no NUL: it was a 500 there
        ("organisation", "Hội\x00Luật gia"),
        ("new_organisation_name", "Hội " * 2500),  # 10 000 characters: it came back in the redirect's URL
    ],
)
def test_a_name_with_a_nul_or_too_long_is_refused(client_for, coordinator, workshop, typed, field, value):
    client = client_for(coordinator)
    action = "create" if field == "new_organisation_name" else "match"
    data = {"registration": [typed[3].pk], "action": action, field: value, "new_organisation_type": "cso"}
    response = client.post(page(workshop, "registrations/organisation/"), data)
    assert response.status_code == 302 and len(response["Location"]) < 500
    html = client.get(response["Location"]).content.decode()
    assert 'class="message message-error"' in html or "message-error" in html
    assert not Organisation.objects.exists()
    assert not Registration.objects.filter(organisation__isnull=False).exists()


def test_a_crafted_post_of_many_long_ids_gets_a_message_not_a_500(client_for, coordinator, workshop, typed):
    ids = [str(10**18 + n) for n in range(990)]  # ids the database could hold, none of this workshop
    data = {"registration": ids, "action": "create", "new_organisation_name": LAWYERS, "new_organisation_type": "cso"}
    response = client_for(coordinator).post(page(workshop, "registrations/organisation/"), data)
    assert response.status_code == 302
    assert not Organisation.objects.exists()


def test_the_filter_shows_only_rows_of_unknown_type(client_for, coordinator, workshop, typed):
    state = Organisation.objects.create(name="Sở Tư pháp Cần Thơ", type=OrganisationType.STATE_AGENCY)
    services.registrations_match_organisation(
        actor=coordinator, workshop=workshop, registrations=typed[:1], organisation=state
    )
    html = client_for(coordinator).get(page(workshop), {"organisation": "unknown"}).content.decode()
    assert f'id="registration-{typed[0].pk}"' not in html
    assert all(f'id="registration-{r.pk}"' in html for r in typed[1:])


def test_who_may_post_the_match(client_for, workshop, typed, lecturer, viewer, outsider, other_coordinator, other_prog):
    data = {
        "registration": [typed[0].pk],
        "action": "create",
        "new_organisation_name": LAWYERS,
        "new_organisation_type": "cso",
    }
    url = page(workshop, "registrations/organisation/")
    assert client_for(lecturer).post(url, data).status_code == 403
    assert client_for(viewer).post(url, data).status_code == 403
    assert client_for(outsider).post(url, data).status_code == 404
    assert client_for(other_coordinator).post(url, data).status_code == 404
    other_url = f"/programmes/{other_prog.code}/events/{workshop.pk}/registrations/organisation/"
    assert client_for(other_coordinator).post(other_url, data).status_code == 404
    assert not Organisation.objects.exists()
    # Others see the count but neither the ticks nor the form.
    html = client_for(viewer).get(page(workshop)).content.decode()
    assert "4 người chưa rõ loại tổ chức" in html and "organisation-match-form" not in html


def test_the_list_s_queries_do_not_grow_with_typed_names(client_for, coordinator, workshop, typed):
    client = client_for(coordinator)
    client.get(page(workshop))
    with CaptureQueriesContext(connection) as few:
        client.get(page(workshop))
    for i in range(10):
        walk_in(coordinator, workshop, f"Người {i}", f"Tổ chức {i}")
    with CaptureQueriesContext(connection) as many:
        client.get(page(workshop))
    assert len(many.captured_queries) == len(few.captured_queries)
