"""Acts that belong after a workshop, done before it (issue 13): marking it held, checking people
in before its day, drafting its report. Each is refused with a message saying what to do, and
done once confirmed, with an audit entry that says it was early. The factory's workshop is on
10/12/2037, 08:00–16:00."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from ketnoi.core.models import AuditEntry
from ketnoi.events import services
from ketnoi.events.models import Registration, Workshop
from ketnoi.news.services import Post

from .factories import make_workshop, make_workshop_today, register

pytestmark = pytest.mark.django_db


@pytest.fixture
def future(coordinator, prog):
    return make_workshop(coordinator, prog)


def url(workshop, suffix=""):
    return f"/programmes/{workshop.programme.code}/events/{workshop.pk}/{suffix}"


def nothing_written(before: tuple) -> bool:
    return before == (AuditEntry.objects.count(), Post.objects.count())


# Marking held -----------------------------------------------------------------------------------


def test_marking_held_before_the_start_is_refused_then_confirmed(future, coordinator):
    before = (AuditEntry.objects.count(), Post.objects.count())
    with pytest.raises(ValidationError) as refused:
        services.workshop_update(actor=coordinator, workshop=future, held=True)
    message = refused.value.message_dict["held"][0]
    assert "10/12/2037 08:00" in message and "chưa diễn ra" in message and "Tôi xác nhận" in message
    assert not Workshop.objects.get(pk=future.pk).held and nothing_written(before)
    services.workshop_update(actor=coordinator, workshop=future, held=True, confirm_early=True)
    assert Workshop.objects.get(pk=future.pk).held
    entry = AuditEntry.objects.get(action="events.workshop_early_confirm")
    assert entry.changes["act"] == "held" and entry.actor == coordinator
    # Marking it "not held" again, or changing something else, asks nothing.
    services.workshop_update(actor=coordinator, workshop=future, held=False)
    services.workshop_update(actor=coordinator, workshop=future, title="Tên mới")


def test_a_workshop_that_started_is_marked_held_without_a_question(coordinator, prog):
    under_way = make_workshop_today(coordinator, prog)
    services.workshop_update(actor=coordinator, workshop=under_way, held=True)
    assert not AuditEntry.objects.filter(action="events.workshop_early_confirm").exists()


@pytest.mark.parametrize("persona", ["viewer", "outsider", "other_coordinator", "lecturer"])
def test_confirming_does_not_replace_the_permission(future, request, persona):
    with pytest.raises(PermissionDenied):
        services.workshop_update(actor=request.getfixturevalue(persona), workshop=future, held=True, confirm_early=True)
    assert not Workshop.objects.get(pk=future.pk).held


# Check-in before the day -------------------------------------------------------------------------


def test_checking_in_before_the_day_is_refused_then_confirmed_and_audited(future, coordinator):
    lan, _ = register(future, "Nguyễn Thị Lan")
    with pytest.raises(ValidationError) as refused:
        services.registration_check_in(actor=coordinator, workshop=future, registration=lan)
    message = refused.value.message_dict["confirm_early"][0]
    assert "10/12/2037" in message and "chưa đến ngày điểm danh" in message and "xác nhận" in message
    with pytest.raises(ValidationError):
        services.registration_check_in(actor=coordinator, workshop=future, payload=lan.checkin_code)
    with pytest.raises(ValidationError):
        services.registration_walk_in(actor=coordinator, workshop=future, full_name="Tại Chỗ", consent=True)
    assert not Registration.objects.filter(checked_in_at__isnull=False).exists()
    assert not AuditEntry.objects.filter(action__in=["events.checkin", "events.walkin_register"]).exists()
    services.registration_check_in(actor=coordinator, workshop=future, registration=lan, confirm_early=True)
    walk_in = services.registration_walk_in(
        actor=coordinator, workshop=future, full_name="Tại Chỗ", consent=True, confirm_early=True
    )
    assert {r.status for r in Registration.objects.filter(pk__in=[lan.pk, walk_in.pk])} == {"attended"}
    entries = AuditEntry.objects.filter(action__in=["events.checkin", "events.walkin_register"])
    assert entries.count() == 2 and all(entry.changes["early"] is True for entry in entries)


def test_on_the_day_before_the_opening_hour_is_not_early(coordinator, prog):
    """People arrive before the opening: the day counts, not the hour."""
    later_today = timezone.localtime() + timedelta(minutes=5)
    if later_today.date() != timezone.localdate():
        later_today = timezone.localtime()  # five minutes to midnight: starting now is the same rule
    workshop = make_workshop(coordinator, prog, starts_at=later_today, ends_at=later_today + timedelta(hours=2))
    lan, _ = register(workshop, "Lan")
    services.registration_check_in(actor=coordinator, workshop=workshop, registration=lan)
    assert "early" not in AuditEntry.objects.get(action="events.checkin").changes


def test_the_page_warns_and_the_checkbox_confirms(future, lecturer, client_for):
    lan, _ = register(future, "Nguyễn Thị Lan")
    client = client_for(lecturer)
    page = client.get(url(future, "checkin/")).content.decode()
    assert "Chưa đến ngày hội thảo" in page and "Tôi xác nhận điểm danh trước ngày hội thảo." in page
    refused = client.post(url(future, "checkin/scan/"), {"payload": lan.checkin_code}, content_type="application/json")
    assert refused.json()["result"] == "refused" and "chưa đến ngày điểm danh" in refused.json()["message"]
    unticked = client.post(url(future, "checkin/"), {"action": "confirm_early"}, follow=True).content.decode()
    assert "Hãy đánh dấu ô xác nhận" in unticked
    client.post(url(future, "checkin/"), {"action": "confirm_early", "confirm": "1"})
    assert "Đã xác nhận: có thể điểm danh trước ngày hội thảo." in client.get(url(future, "checkin/")).content.decode()
    done = client.post(url(future, "checkin/scan/"), {"payload": lan.checkin_code}, content_type="application/json")
    assert done.json()["result"] == "checked_in"
    assert AuditEntry.objects.get(action="events.checkin").changes["early"] is True


def test_the_confirmation_is_for_one_workshop_and_one_browser(future, coordinator, lecturer, prog, client_for):
    other = make_workshop(coordinator, prog, title="Hội thảo khác")
    lan, _ = register(other, "Lan")
    client = client_for(lecturer)
    client.post(url(future, "checkin/"), {"action": "confirm_early", "confirm": "1"})
    answer = client.post(url(other, "checkin/scan/"), {"payload": lan.checkin_code}, content_type="application/json")
    assert answer.json()["result"] == "refused"
    answer = client_for(coordinator).post(
        url(other, "checkin/scan/"), {"payload": lan.checkin_code}, content_type="application/json"
    )
    assert answer.json()["result"] == "refused"


def test_a_viewer_cannot_confirm_early(future, viewer, client_for):
    response = client_for(viewer).post(url(future, "checkin/"), {"action": "confirm_early", "confirm": "1"})
    assert response.status_code == 403


# The report -------------------------------------------------------------------------------------


def test_a_report_before_the_workshop_is_refused_then_confirmed(future, coordinator, client_for):
    future = services.workshop_update(actor=coordinator, workshop=future, held=True, confirm_early=True)
    with pytest.raises(ValidationError) as refused:
        services.report_draft(actor=coordinator, workshop=future)
    assert "chưa viết được bài báo cáo" in refused.value.message_dict["report"][0]
    assert not Post.objects.exists()
    client = client_for(coordinator)
    page = client.get(url(future)).content.decode()
    assert "Tôi xác nhận hội thảo đã diễn ra" in page
    back = client.post(url(future, "report/"), HTTP_REFERER=f"http://testserver{url(future)}", follow=True)
    assert "chưa viết được bài báo cáo" in back.content.decode() and not Post.objects.exists()
    response = client.post(url(future, "report/"), {"confirm_early": "1"})
    assert response.status_code == 302 and Post.objects.count() == 1
    acts = (
        AuditEntry.objects.filter(action="events.workshop_early_confirm")
        .order_by("pk")
        .values_list("changes", flat=True)
    )
    assert [act["act"] for act in acts] == ["held", "report"]


def test_a_report_after_the_start_needs_no_confirmation(coordinator, prog):
    under_way = make_workshop_today(coordinator, prog)
    under_way = services.workshop_update(actor=coordinator, workshop=under_way, held=True)
    assert services.report_draft(actor=coordinator, workshop=under_way).source == under_way
