"""Every programme page tried by every kind of visitor: anonymous (login), no role (404 on the
programme's pages), a coordinator of another programme (404), viewer and lecturer (read; 403 on
the plan), coordinator (everything)."""

import pytest
from django.urls import reverse

from ketnoi.core.roles import Role
from ketnoi.programmes import services
from ketnoi.programmes.models import ProgrammeRole

from .factories import build_plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def objects(coordinator, lecturer, prog):
    plan = build_plan(coordinator, prog)
    component = services.component_create(actor=coordinator, programme=prog, name="Môi trường thuận lợi")
    value = services.indicator_value_submit(
        actor=lecturer, indicator=plan.indicator, period=plan.periods[0], value=5, evidence="Danh sách"
    )
    return {
        "component": component,
        "agreement": plan.agreement,
        "objective": plan.objective,
        "activity": plan.activity,
        "indicator": plan.indicator,
        "period": plan.periods[0],
        "value": value,
        "role": ProgrammeRole.objects.get(programme=prog, user=lecturer),
    }


# (method, url name, args after the code, status for: viewer, lecturer, coordinator)
PAGES = [
    ("get", "detail", [], 200, 200, 200),
    ("get", "export", [], 200, 200, 200),
    ("get", "edit", [], 403, 403, 200),
    ("get", "members", [], 403, 403, 200),
    ("post", "member_revoke", ["role"], 403, 403, 302),
    ("get", "component_create", [], 403, 403, 200),
    ("get", "component_edit", ["component"], 403, 403, 200),
    ("get", "agreement_list", [], 200, 200, 200),
    ("get", "agreement_create", [], 403, 403, 200),
    ("get", "agreement_detail", ["agreement"], 200, 200, 200),
    ("get", "agreement_edit", ["agreement"], 403, 403, 200),
    ("get", "objective_create", [], 403, 403, 200),
    ("get", "objective_edit", ["objective"], 403, 403, 200),
    ("get", "activity_create", [], 403, 403, 200),
    ("get", "activity_detail", ["activity"], 200, 200, 200),
    ("get", "activity_edit", ["activity"], 403, 403, 200),
    ("get", "indicator_create", [], 403, 403, 200),
    ("get", "indicator_detail", ["indicator"], 200, 200, 200),
    ("get", "indicator_edit", ["indicator"], 403, 403, 200),
    ("get", "period_create", ["indicator"], 403, 403, 200),
    ("get", "period_edit", ["indicator", "period"], 403, 403, 200),
    ("get", "value_create", ["indicator"], 403, 200, 200),
    ("get", "approvals", [], 403, 403, 200),
    ("post", "value_review", ["value"], 403, 403, 302),
]


def _url(prog, objects, name, args):
    return reverse(f"programmes:{name}", args=[prog.code, *[objects[a].pk for a in args]])


@pytest.mark.parametrize(("method", "name", "args", "viewer_status", "lecturer_status", "coordinator_status"), PAGES)
def test_access_matrix(
    request, client, prog, objects, method, name, args, viewer_status, lecturer_status, coordinator_status
):
    url = _url(prog, objects, name, args)
    response = getattr(client, method)(url)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    other_coordinator = request.getfixturevalue("make_user")("other-coordinator")
    ProgrammeRole.objects.create(
        programme=request.getfixturevalue("other_prog"), user=other_coordinator, role="coordinator"
    )
    expectations = [
        ("outsider", 404),
        ("learner", 404),
        (other_coordinator, 404),
        ("viewer", viewer_status),
        ("lecturer", lecturer_status),
        ("coordinator", coordinator_status),
    ]
    for persona, expected in expectations:
        user = request.getfixturevalue(persona) if isinstance(persona, str) else persona
        client.force_login(user)
        assert getattr(client, method)(url).status_code == expected, (persona, name)


def test_forbidden_page_explains_who_may(client_for, viewer, lecturer, prog, objects):
    content = client_for(viewer).get(reverse("programmes:edit", args=[prog.code])).content.decode()
    assert "Chỉ điều phối viên của chương trình mới được thay đổi kế hoạch" in content
    assert reverse("programmes:detail", args=[prog.code]) in content
    url = reverse("programmes:value_create", args=[prog.code, objects["indicator"].pk])
    assert "chỉ cho phép xem" in client_for(viewer).get(url).content.decode()
    approvals = reverse("programmes:approvals", args=[prog.code])
    assert "phê duyệt số liệu" in client_for(lecturer).get(approvals).content.decode()


def test_viewer_post_to_a_plan_page_writes_nothing(client_for, viewer, prog, objects):
    client = client_for(viewer)
    response = client.post(reverse("programmes:objective_create", args=[prog.code]), {"title": "Lén thêm"})
    assert response.status_code == 403
    assert not prog.objectives.filter(title="Lén thêm").exists()
    response = client.post(_url(prog, objects, "member_revoke", ["role"]))
    assert response.status_code == 403 and ProgrammeRole.objects.filter(pk=objects["role"].pk).exists()


def test_child_objects_of_another_programme_are_404(client_for, coordinator, staff_admin, other_prog, prog):
    other_plan = build_plan(staff_admin, other_prog)
    client = client_for(coordinator)
    # prog's coordinator reaches other_prog's records only through prog's code: still not found.
    for name, pk in [
        ("agreement_detail", other_plan.agreement.pk),
        ("activity_detail", other_plan.activity.pk),
        ("indicator_detail", other_plan.indicator.pk),
        ("objective_edit", other_plan.objective.pk),
    ]:
        assert client.get(reverse(f"programmes:{name}", args=[prog.code, pk])).status_code == 404, name


def test_staff_see_every_programme(client_for, staff_admin, prog, other_prog):
    client = client_for(staff_admin)
    assert client.get(reverse("programmes:detail", args=[other_prog.code])).status_code == 200
    assert client.get(reverse("programmes:edit", args=[other_prog.code])).status_code == 200


def test_revoked_user_loses_the_programme(client_for, coordinator, viewer, prog):
    assignment = ProgrammeRole.objects.get(programme=prog, user=viewer, role=Role.VIEWER)
    services.programme_role_revoke(actor=coordinator, assignment=assignment)
    viewer.refresh_from_db()
    assert client_for(viewer).get(reverse("programmes:detail", args=[prog.code])).status_code == 404
