"""Who may approve a value: never its author; the page shows the approval form only to those who
may, and otherwise says who can; a programme with a single coordinator names a second approver,
who approves the values that coordinator enters (and nothing else)."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from ketnoi.core.models import AuditEntry
from ketnoi.core.roles import Role
from ketnoi.programmes import services
from ketnoi.programmes.models import IndicatorValue, ProgrammeRole

pytestmark = pytest.mark.django_db

NO_ONE = "Chưa ai phê duyệt được"


@pytest.fixture
def indicator(coordinator, prog):
    return services.indicator_create(actor=coordinator, programme=prog, code="CT3", name="Số hội thảo", unit="hội thảo")


@pytest.fixture
def period(coordinator, indicator):
    return services.indicator_period_create(
        actor=coordinator,
        indicator=indicator,
        label="2026",
        start_date=date(2026, 1, 1),
        end_date=date(2026, 12, 31),
        target=3,
    )


@pytest.fixture
def lecturer(make_user, prog):
    user = make_user("lecturer", first_name="Minh", last_name="Trần", email="minh@example.org")
    ProgrammeRole.objects.create(user=user, programme=prog, role=Role.LECTURER)
    return user


@pytest.fixture
def second_coordinator(make_user, prog):
    user = make_user("second-coordinator", first_name="Lan", last_name="Nguyễn")
    ProgrammeRole.objects.create(user=user, programme=prog, role=Role.COORDINATOR)
    return user


@pytest.fixture
def outsider(make_user):
    return make_user("outsider")


def submit(actor, indicator, period, value=2):
    return services.indicator_value_submit(
        actor=actor, indicator=indicator, period=period, value=value, evidence="Biên bản hội thảo"
    )


def name_second_approver(coordinator, prog, user):
    return services.programme_update(actor=coordinator, programme=prog, second_approver=user)


def review_form(programme, value) -> str:
    return reverse("programmes:value_review", args=[programme.code, value.pk])


def pages(client, programme, indicator) -> list[str]:
    return [
        client.get(reverse("programmes:approvals", args=[programme.code])).content.decode(),
        client.get(reverse("programmes:indicator_detail", args=[programme.code, indicator.pk])).content.decode(),
    ]


# The pages show only what the user may do -----------------------------------------------------


def test_the_entrant_sees_no_button_and_is_told_who_approves(
    client_for, coordinator, second_coordinator, prog, indicator, period
):
    entry = submit(coordinator, indicator, period)
    for page in pages(client_for(coordinator), prog, indicator):
        assert review_form(prog, entry) not in page
        assert "Chờ phê duyệt bởi: Lan Nguyễn." in page
    for page in pages(client_for(second_coordinator), prog, indicator):
        assert review_form(prog, entry) in page and 'value="approve"' in page


def test_a_single_coordinators_own_value_says_nobody_can_yet(client_for, coordinator, prog, indicator, period):
    entry = submit(coordinator, indicator, period)
    for page in pages(client_for(coordinator), prog, indicator):
        assert review_form(prog, entry) not in page
        assert NO_ONE in page and "người phê duyệt thứ hai" in page


def test_a_lecturers_value_shows_the_form_to_the_coordinator(
    client_for, coordinator, lecturer, prog, indicator, period
):
    entry = submit(lecturer, indicator, period)
    for page in pages(client_for(coordinator), prog, indicator):
        assert review_form(prog, entry) in page
    detail = pages(client_for(lecturer), prog, indicator)[1]
    assert review_form(prog, entry) not in detail and "Chờ phê duyệt bởi: Điều phối." in detail


# The second approver ------------------------------------------------------------------------


def test_coordinator_names_a_second_approver_on_the_settings_page(client_for, coordinator, lecturer, viewer, prog):
    client = client_for(coordinator)
    address = reverse("programmes:edit", args=[prog.code])
    form = client.get(address).content.decode()
    assert f'<option value="{lecturer.pk}">Minh Trần</option>' in form
    assert f'<option value="{coordinator.pk}">' not in form  # coordinators approve already
    data = {"name": prog.name, "code": prog.code, "second_approver": lecturer.pk}
    assert client.post(address, data).status_code == 302
    prog.refresh_from_db()
    assert prog.second_approver == lecturer
    entry = AuditEntry.objects.filter(action="programmes.programme_update", object_id=str(prog.pk)).get()
    assert entry.changes["second_approver"] == [None, {"id": lecturer.pk, "repr": "Minh Trần"}]
    members = client.get(reverse("programmes:members", args=[prog.code])).content.decode()
    assert "Người phê duyệt thứ hai (phê duyệt giá trị do điều phối viên nhập): Minh Trần." in members


def test_the_second_approver_approves_the_coordinators_value(
    client_for, django_capture_on_commit_callbacks, coordinator, lecturer, prog, indicator, period, mailoutbox
):
    name_second_approver(coordinator, prog, lecturer)
    with django_capture_on_commit_callbacks(execute=True):
        entry = submit(coordinator, indicator, period)
    assert [m.to for m in mailoutbox] == [[lecturer.email]]  # told there is a value to approve
    for page in pages(client_for(coordinator), prog, indicator):
        assert "Chờ phê duyệt bởi: Minh Trần." in page and review_form(prog, entry) not in page
    client = client_for(lecturer)
    for page in pages(client, prog, indicator):
        assert review_form(prog, entry) in page
    response = client.post(review_form(prog, entry), {"decision": "approve"})
    assert response.status_code == 302
    entry.refresh_from_db()
    assert (entry.status, entry.reviewed_by) == ("approved", lecturer)


def test_the_second_approver_approves_nothing_else(coordinator, lecturer, reviewer, prog, indicator, period):
    name_second_approver(coordinator, prog, lecturer)
    others = submit(reviewer, indicator, period)
    own = submit(lecturer, indicator, period)
    with pytest.raises(PermissionDenied, match="chỉ phê duyệt giá trị do điều phối viên nhập"):
        services.indicator_value_review(actor=lecturer, value=others, approve=True)
    with pytest.raises(PermissionDenied, match="không tự phê duyệt"):
        services.indicator_value_review(actor=lecturer, value=own, approve=True)
    assert set(IndicatorValue.objects.values_list("status", flat=True)) == {"submitted"}
    assert not AuditEntry.objects.filter(action="programmes.value_review").exists()


def test_another_coordinator_still_approves_and_the_entrant_never(
    coordinator, second_coordinator, lecturer, prog, indicator, period
):
    name_second_approver(coordinator, prog, lecturer)
    entry = submit(coordinator, indicator, period)
    with pytest.raises(PermissionDenied) as error:
        services.indicator_value_review(actor=coordinator, value=entry, approve=True)
    assert "Chờ phê duyệt bởi: Lan Nguyễn, Minh Trần." in str(error.value)
    services.indicator_value_review(actor=second_coordinator, value=entry, approve=True)
    entry.refresh_from_db()
    assert entry.status == "approved"


def test_no_access_and_another_programmes_coordinator_cannot_approve(
    client_for, coordinator, lecturer, other_coordinator, outsider, prog, indicator, period
):
    name_second_approver(coordinator, prog, lecturer)
    entry = submit(coordinator, indicator, period)
    for user in (outsider, other_coordinator):
        with pytest.raises(PermissionDenied):
            services.indicator_value_review(actor=user, value=entry, approve=True)
        client = client_for(user)
        assert client.get(reverse("programmes:approvals", args=[prog.code])).status_code == 404
        assert client.post(review_form(prog, entry), {"decision": "approve"}).status_code == 404
    entry.refresh_from_db()
    assert entry.status == "submitted"


def test_a_viewer_gets_the_refusal_page_that_names_the_second_approver_rule(client_for, viewer, prog):
    response = client_for(viewer).get(reverse("programmes:approvals", args=[prog.code]))
    assert response.status_code == 403 and "người phê duyệt thứ hai" in response.content.decode()


@pytest.fixture
def inactive_member(make_user, prog):
    user = make_user("inactive-member", is_active=False)
    ProgrammeRole.objects.create(user=user, programme=prog, role=Role.VIEWER)
    return user


@pytest.mark.parametrize(
    "who", ["coordinator", "second_coordinator", "outsider", "other_coordinator", "inactive_member"]
)
def test_the_second_approver_must_be_a_member_who_is_not_a_coordinator(request, coordinator, prog, who):
    user = request.getfixturevalue(who)
    with pytest.raises(ValidationError) as error:
        name_second_approver(coordinator, prog, user)
    assert "second_approver" in error.value.message_dict
    prog.refresh_from_db()
    assert prog.second_approver is None


def test_the_settings_page_offers_and_takes_no_one_from_elsewhere(
    client_for, coordinator, lecturer, other_coordinator, inactive_member, prog
):
    """A crafted POST naming another programme's coordinator or an inactive member is refused by
    the form's choices: the field says so, nothing is saved."""
    client = client_for(coordinator)
    url = reverse("programmes:edit", args=[prog.code])
    page = client.get(url).content.decode()
    assert f'value="{lecturer.pk}"' in page
    assert f'value="{other_coordinator.pk}"' not in page and f'value="{inactive_member.pk}"' not in page
    data = {"name": prog.name, "code": prog.code, "description": "", "start_date": "", "end_date": ""}
    for user in (other_coordinator, inactive_member):
        response = client.post(url, {**data, "second_approver": user.pk})
        assert response.status_code == 200 and 'id="id_second_approver_error"' in response.content.decode()
    prog.refresh_from_db()
    assert prog.second_approver is None


def test_only_a_coordinator_names_the_second_approver(lecturer, reviewer, prog):
    with pytest.raises(PermissionDenied):
        name_second_approver(lecturer, prog, reviewer)


def test_leaving_the_programme_ends_the_second_approvers_part(coordinator, lecturer, prog, indicator, period):
    name_second_approver(coordinator, prog, lecturer)
    entry = submit(coordinator, indicator, period)
    assignment = ProgrammeRole.objects.get(programme=prog, user=lecturer)
    services.programme_role_revoke(actor=coordinator, assignment=assignment)
    prog.refresh_from_db()
    assert prog.second_approver is None
    assert (
        AuditEntry.objects.filter(action="programmes.programme_update", changes__has_key="second_approver").count() == 2
    )
    with pytest.raises(PermissionDenied):
        services.indicator_value_review(actor=lecturer, value=entry, approve=True)


# The API ------------------------------------------------------------------------------------


def test_the_api_says_who_may_review(api_client, coordinator, second_coordinator, lecturer, prog, indicator, period):
    entry = submit(coordinator, indicator, period)
    body = api_client(coordinator)("get", f"/{prog.code}/values/{entry.pk}").json()
    assert body["may_review"] is False and body["awaiting_review_by"] == ["Lan Nguyễn"]
    body = api_client(second_coordinator)("get", f"/{prog.code}/values?status=submitted").json()
    assert body["items"][0]["may_review"] is True
    response = api_client(coordinator)("post", f"/{prog.code}/values/{entry.pk}/review", {"approve": True})
    assert response.status_code == 403 and "Chờ phê duyệt bởi: Lan Nguyễn." in response.json()["detail"]


def test_the_api_names_the_second_approver(api_client, coordinator, lecturer, prog, indicator, period):
    call = api_client(coordinator)
    response = call("patch", f"/{prog.code}", {"second_approver": "lecturer"})
    assert response.status_code == 200 and response.json()["second_approver"] == "lecturer"
    entry = submit(coordinator, indicator, period)
    body = api_client(lecturer)("get", f"/{prog.code}/values/{entry.pk}").json()
    assert body["may_review"] is True and body["awaiting_review_by"] == ["Minh Trần"]
    response = api_client(lecturer)("post", f"/{prog.code}/values/{entry.pk}/review", {"approve": True})
    assert response.status_code == 200 and response.json()["status"] == "approved"
    response = api_client(lecturer)("patch", f"/{prog.code}", {"second_approver": ""})
    assert response.status_code == 403
    response = call("patch", f"/{prog.code}", {"second_approver": None})
    assert response.status_code == 200 and response.json()["second_approver"] is None
