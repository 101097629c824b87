"""Who sees which programme, and what each role may do on it."""

import pytest
from django.http import Http404

from ketnoi.core.roles import Role
from ketnoi.programmes import access
from ketnoi.programmes.models import ProgrammeRole

pytestmark = pytest.mark.django_db


def test_a_user_sees_only_programmes_they_hold_a_role_on(coordinator, prog, other_prog, outsider, staff_admin):
    assert list(access.programmes_for(coordinator)) == [prog]
    assert list(access.programmes_for(outsider)) == []
    assert set(access.programmes_for(staff_admin)) == {prog, other_prog}


def test_several_roles_on_one_programme_list_it_once(coordinator, prog):
    ProgrammeRole.objects.create(user=coordinator, programme=prog, role=Role.LECTURER)
    assert list(access.programmes_for(coordinator)) == [prog]


def test_inactive_and_anonymous_users_see_nothing(coordinator, prog):
    from django.contrib.auth.models import AnonymousUser

    coordinator.is_active = False
    assert list(access.programmes_for(coordinator)) == []
    assert not access.can_view(coordinator, prog)
    assert list(access.programmes_for(AnonymousUser())) == []


@pytest.mark.parametrize(
    "persona, view, plan, report, approve",
    [
        ("coordinator", True, True, True, True),
        ("lecturer", True, False, True, False),
        ("reviewer", True, False, True, False),
        ("viewer", True, False, False, False),
        ("outsider", False, False, False, False),
        ("staff_admin", True, True, True, True),
    ],
)
def test_role_matrix(request, prog, persona, view, plan, report, approve):
    user = request.getfixturevalue(persona)
    assert access.can_view(user, prog) is view
    assert access.can_plan(user, prog) is plan
    assert access.can_report(user, prog) is report
    assert access.can_approve(user, prog) is approve


def test_a_role_elsewhere_gives_nothing_here(coordinator, other_prog):
    assert not access.can_view(coordinator, other_prog)
    with pytest.raises(Http404):  # a 404 whose page says whom to ask (ProgrammeOutOfSight)
        access.get_programme_for_user(coordinator, other_prog.code)


def test_roles_are_read_once_per_user_object(coordinator, prog, django_assert_num_queries):
    with django_assert_num_queries(1):
        for _ in range(5):
            access.can_plan(coordinator, prog)
