"""Bulk actions on a workshop's registrations (issue 14): approve, cancel, move off the waiting
list — one service call, one transaction, one audit entry per row changed; rows that cannot change
are reported with their reason and the others change; another workshop's ids refuse the batch;
the page's bulk bar, its confirmation step without JavaScript, crafted POSTs and permissions."""

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import PermissionDenied, ValidationError

from ketnoi.core.models import AuditEntry, OutgoingEmail
from ketnoi.events import services
from ketnoi.events.models import Registration, Workshop
from ketnoi.events.services.actions import EventsAction

from .factories import make_workshop, make_workshop_today, register

pytestmark = pytest.mark.django_db
Status = Registration.Status
NAMES = ["An", "Bình", "Chi", "Dung", "Em", "Giang", "Hà", "Khánh"]


def bulk_url(workshop):
    return f"/programmes/{workshop.programme.code}/events/{workshop.pk}/registrations/bulk/"


def detail_url(workshop):
    return f"/programmes/{workshop.programme.code}/events/{workshop.pk}/"


def audits(action, rows=None):
    entries = AuditEntry.objects.filter(action=action)
    if rows is not None:
        entries = entries.filter(object_id__in=[str(r.pk) for r in rows])
    return entries


def pending_workshop(coordinator, prog, n: int, **options) -> tuple[Workshop, list[Registration]]:
    workshop = make_workshop(coordinator, prog, needs_approval=True, **options)
    rows = [register(workshop, f"Nguyễn Văn {name}")[0] for name in NAMES[:n]]
    assert all(r.status == Status.PENDING for r in rows)
    return workshop, rows


def refresh(rows):
    return [Registration.objects.get(pk=r.pk) for r in rows]


def texts(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


# The services ---------------------------------------------------------------------------------


def test_approving_many_gives_places_in_registration_order_then_the_waiting_list(
    coordinator, prog, django_capture_on_commit_callbacks
):
    workshop, rows = pending_workshop(coordinator, prog, 5, capacity=3)
    mails = OutgoingEmail.objects.count()
    with django_capture_on_commit_callbacks() as after_commit:
        result = services.registrations_approve_many(actor=coordinator, workshop=workshop, registrations=rows)
    assert OutgoingEmail.objects.count() == mails  # the e-mails are built after commit, by one task
    for callback in after_commit:
        callback()
    assert [r.status for r in refresh(rows)] == [Status.CONFIRMED] * 3 + [Status.WAITING] * 2
    assert all(r.approved for r in refresh(rows))
    assert len(result.changed) == 5 and not result.refused and len(result.waiting) == 2
    assert audits(EventsAction.REGISTRATION_APPROVE).count() == 5
    assert OutgoingEmail.objects.count() == mails + 5  # one e-mail per delegate, as one by one
    bodies = [e.body for e in OutgoingEmail.objects.order_by("-pk")[:5]]
    assert sum("hiện ở trạng thái: Đã xác nhận." in b for b in bodies) == 3
    assert sum("hiện ở trạng thái: Danh sách chờ." in b for b in bodies) == 2
    assert services.bulk_result_text(result) == "Đã duyệt 5 đăng ký (2 vào danh sách chờ vì hết chỗ)."


def test_a_mixed_batch_changes_what_it_can_and_reports_the_rest(coordinator, prog):
    workshop, rows = pending_workshop(coordinator, prog, 5)
    services.registration_cancel(actor=coordinator, registration=rows[0])
    services.registration_approve(actor=coordinator, registration=rows[1])
    before = audits(EventsAction.REGISTRATION_APPROVE).count()
    result = services.registrations_approve_many(actor=coordinator, workshop=workshop, registrations=rows)
    assert {r.pk for r in result.changed} == {r.pk for r in rows[2:]}
    assert [(r.pk, reason) for r, reason in result.refused] == [
        (rows[0].pk, "Chỉ duyệt được đăng ký đang chờ duyệt."),
        (rows[1].pk, "Chỉ duyệt được đăng ký đang chờ duyệt."),
    ]
    assert [r.status for r in refresh(rows)] == [Status.CANCELLED] + [Status.CONFIRMED] * 4
    assert audits(EventsAction.REGISTRATION_APPROVE).count() == before + 3  # only the rows changed
    assert audits(EventsAction.REGISTRATION_APPROVE, rows[:1]).count() == 0
    text = services.bulk_result_text(result)
    assert text.startswith("Đã duyệt 3 đăng ký; 2 không đổi được: Nguyễn Văn An — Chỉ duyệt")


def test_ids_of_another_workshop_refuse_the_whole_batch(coordinator, prog, other_coordinator, other_prog):
    workshop, rows = pending_workshop(coordinator, prog, 2)
    other = make_workshop(other_coordinator, other_prog, needs_approval=True)
    theirs, _ = register(other, "Trần Thị Lan")
    with pytest.raises(ValidationError) as refused:
        services.registrations_approve_many(actor=coordinator, workshop=workshop, registrations=[*rows, theirs])
    assert "không thuộc hội thảo này" in " ".join(refused.value.messages)
    assert all(r.status == Status.PENDING for r in refresh([*rows, theirs]))
    assert not audits(EventsAction.REGISTRATION_APPROVE).exists()
    with pytest.raises(ValidationError):  # an id of no registration at all
        services.registrations_cancel_many(actor=coordinator, workshop=workshop, registrations=[rows[0].pk, 10**9])
    assert all(r.status == Status.PENDING for r in refresh(rows))


@pytest.mark.parametrize(
    "given, message",
    [
        ([], "Hãy đánh dấu ít nhất một đăng ký"),
        (["1"], "không hợp lệ"),
        ([0], "không hợp lệ"),
        (list(range(1, 10_002)), "tối đa 900"),
    ],
)
def test_bad_selections_are_refused_with_a_message(coordinator, prog, given, message):
    workshop, rows = pending_workshop(coordinator, prog, 1)
    with pytest.raises(ValidationError) as refused:
        services.registrations_approve_many(actor=coordinator, workshop=workshop, registrations=given)
    assert message in " ".join(refused.value.messages)
    assert refresh(rows)[0].status == Status.PENDING


def test_duplicates_count_once(coordinator, prog):
    workshop, rows = pending_workshop(coordinator, prog, 2)
    result = services.registrations_approve_many(
        actor=coordinator, workshop=workshop, registrations=[rows[0].pk, rows[0].pk, rows[1], rows[1].pk]
    )
    assert len(result.changed) == 2 and audits(EventsAction.REGISTRATION_APPROVE).count() == 2


def test_cancelling_many_frees_places_for_the_waiting_list_and_keeps_who_came(coordinator, prog):
    workshop = make_workshop_today(coordinator, prog, capacity=2)
    rows = [register(workshop, f"Lê Thị {name}")[0] for name in NAMES[:5]]
    assert [r.status for r in rows] == [Status.CONFIRMED] * 2 + [Status.WAITING] * 3
    services.registration_check_in(actor=coordinator, workshop=workshop, registration=rows[0])
    result = services.registrations_cancel_many(
        actor=coordinator, workshop=workshop, registrations=[rows[0], rows[1], rows[4]], note="Đổi lịch"
    )
    statuses = [r.status for r in refresh(rows)]
    assert statuses == [Status.ATTENDED, Status.CANCELLED, Status.CONFIRMED, Status.WAITING, Status.CANCELLED]
    assert [(r.pk, reason) for r, reason in result.refused] == [
        (rows[0].pk, "Người này đã điểm danh: không huỷ được đăng ký.")
    ]
    assert [r.pk for r in result.promoted] == [rows[2].pk]  # the freed place went to the longest waiting
    assert audits(EventsAction.REGISTRATION_CANCEL).count() == 2
    assert audits(EventsAction.REGISTRATION_PROMOTE, rows[2:3]).count() == 1
    assert refresh(rows)[1].note == "Đổi lịch"
    again = services.registrations_cancel_many(actor=coordinator, workshop=workshop, registrations=[rows[1]])
    assert not again.changed and again.refused[0][1] == "Đăng ký này đã huỷ từ trước."
    assert audits(EventsAction.REGISTRATION_CANCEL).count() == 2


def test_moving_off_the_waiting_list_respects_the_free_places(coordinator, prog):
    workshop = make_workshop(coordinator, prog, capacity=2)
    rows = [register(workshop, f"Phạm Văn {name}")[0] for name in NAMES[:6]]
    waiting = rows[2:]
    assert all(r.status == Status.WAITING for r in waiting)
    # Two more places, the list not yet moved (as after a change made outside the services).
    Workshop.objects.filter(pk=workshop.pk).update(capacity=4)
    workshop.refresh_from_db()
    ticked = [waiting[3], waiting[1], waiting[2], rows[0]]
    result = services.registrations_promote_many(actor=coordinator, workshop=workshop, registrations=ticked)
    # the two of the ticked who have waited longest move up; the third stays; a confirmed row is refused
    assert [r.pk for r in result.changed] == [waiting[1].pk, waiting[2].pk]
    assert {r.pk: reason[:8] for r, reason in result.refused} == {rows[0].pk: "Chỉ chuy", waiting[3].pk: "Hết chỗ:"}
    assert [r.status for r in refresh(waiting)] == [Status.WAITING, Status.CONFIRMED, Status.CONFIRMED, Status.WAITING]
    assert audits(EventsAction.REGISTRATION_PROMOTE).count() == 2


def test_only_the_programme_s_coordinators_act_in_bulk(coordinator, prog, lecturer, other_coordinator):
    workshop, rows = pending_workshop(coordinator, prog, 2)
    for someone in (lecturer, other_coordinator):
        for service in (
            services.registrations_approve_many,
            services.registrations_cancel_many,
            services.registrations_promote_many,
        ):
            with pytest.raises(PermissionDenied):
                service(actor=someone, workshop=workshop, registrations=rows)
    assert all(r.status == Status.PENDING for r in refresh(rows))


# The page -------------------------------------------------------------------------------------


def test_approving_from_the_list_asks_once_then_says_the_counts(client_for, coordinator, prog):
    workshop, rows = pending_workshop(coordinator, prog, 3)
    services.registration_cancel(actor=coordinator, registration=rows[2])
    client = client_for(coordinator)
    page = client.get(detail_url(workshop)).content.decode()
    assert 'id="bulk-bar"' in page and 'formaction="' + bulk_url(workshop) + '"' in page
    ids = [str(r.pk) for r in rows]
    asked = client.post(bulk_url(workshop), {"action": "approve", "registration": ids})
    html = asked.content.decode()
    assert asked.status_code == 200 and "Duyệt 3 đăng ký?" in html
    assert "Nguyễn Văn Chi: Chỉ duyệt được đăng ký đang chờ duyệt." in html and "Duyệt 2 đăng ký</button>" in html
    assert all(r.status in (Status.PENDING, Status.CANCELLED) for r in refresh(rows))  # nothing yet
    done = client.post(bulk_url(workshop), {"action": "approve", "registration": ids, "confirm": "1"})
    assert done.status_code == 302 and done["Location"].endswith("#registrations")
    assert texts(done) == [
        "Đã duyệt 2 đăng ký; 1 không đổi được: Nguyễn Văn Chi — Chỉ duyệt được đăng ký đang chờ duyệt."
    ]
    assert [r.status for r in refresh(rows)] == [Status.CONFIRMED, Status.CONFIRMED, Status.CANCELLED]


@pytest.mark.parametrize(
    "data, message",
    [
        ({"action": "approve"}, "Hãy đánh dấu ít nhất một đăng ký"),
        ({"action": "approve", "registration": ["abc"]}, "không hợp lệ"),
        ({"action": "approve", "registration": ["1\x00"]}, "không hợp lệ"),
        ({"action": "approve", "registration": ["-3"]}, "không hợp lệ"),
        ({"action": "approve", "registration": [str(n) for n in range(1, 902)]}, "tối đa 900"),
        ({"action": "approve", "registration": [str(n) for n in range(1, 902)], "confirm": "1"}, "tối đa 900"),
        ({"action": "drop", "registration": ["1"]}, "Hãy chọn một việc"),
        ({"registration": ["1"]}, "Hãy chọn một việc"),
    ],
)
def test_crafted_posts_get_a_message_and_change_nothing(client_for, coordinator, prog, data, message):
    workshop, rows = pending_workshop(coordinator, prog, 1)
    response = client_for(coordinator).post(bulk_url(workshop), data)
    assert response.status_code == 302
    assert any(message in text for text in texts(response))
    assert refresh(rows)[0].status == Status.PENDING and not audits(EventsAction.REGISTRATION_APPROVE).exists()


def test_ten_thousand_ids_are_refused_by_the_request_limit_with_its_page(client_for, coordinator, prog):
    """Django refuses a POST of more than DATA_UPLOAD_MAX_NUMBER_FIELDS fields before the view:
    the site's 400 page says the request could not be read; nothing is written."""
    workshop, rows = pending_workshop(coordinator, prog, 1)
    data = {"action": "approve", "registration": [str(n) for n in range(1, 10_001)], "confirm": "1"}
    response = client_for(coordinator).post(bulk_url(workshop), data)
    assert response.status_code == 400 and "Yêu cầu không hợp lệ" in response.content.decode()
    assert refresh(rows)[0].status == Status.PENDING


def test_a_crafted_post_with_another_workshop_s_row_is_refused(
    client_for, coordinator, prog, other_coordinator, other_prog
):
    workshop, rows = pending_workshop(coordinator, prog, 1)
    other = make_workshop(other_coordinator, other_prog, needs_approval=True)
    theirs, _ = register(other, "Trần Thị Lan")
    client = client_for(coordinator)
    for confirm in ("", "1"):
        data = {"action": "approve", "registration": [rows[0].pk, theirs.pk], "confirm": confirm}
        response = client.post(bulk_url(workshop), data)
        assert response.status_code == 302 and "không thuộc hội thảo này" in " ".join(texts(response))
    assert [r.status for r in refresh([rows[0], theirs])] == [Status.PENDING, Status.PENDING]


def test_duplicated_ids_in_a_post_count_once(client_for, coordinator, prog):
    workshop, rows = pending_workshop(coordinator, prog, 1)
    data = {"action": "approve", "registration": [rows[0].pk] * 3, "confirm": "1"}
    response = client_for(coordinator).post(bulk_url(workshop), data)
    assert texts(response) == ["Đã duyệt 1 đăng ký."]


def test_outsiders_and_other_coordinators_get_404_viewers_and_lecturers_403(
    client_for, coordinator, prog, outsider, other_coordinator, viewer, lecturer
):
    workshop, rows = pending_workshop(coordinator, prog, 1)
    data = {"action": "approve", "registration": [rows[0].pk], "confirm": "1"}
    for someone, status in ((outsider, 404), (other_coordinator, 404), (viewer, 403), (lecturer, 403)):
        client = client_for(someone)
        assert client.post(bulk_url(workshop), data).status_code == status
        client.logout()
    assert refresh(rows)[0].status == Status.PENDING
    page = client_for(viewer).get(detail_url(workshop)).content.decode()
    assert 'id="bulk-bar"' not in page and bulk_url(workshop) not in page


def test_select_all_without_javascript_ticks_every_row(client_for, coordinator, prog):
    workshop, rows = pending_workshop(coordinator, prog, 3)
    html = client_for(coordinator).get(detail_url(workshop), {"select": "all"}).content.decode()
    assert html.count('name="registration" value=') == 3 and "Đã chọn 3" in html
    for row in rows:
        assert f'value="{row.pk}" form="organisation-match-form" id="select-{row.pk}" checked' in html


# session, user, programme, roles, workshop and its counts, registrations, organisations, agenda,
# questions, materials, the typed groups, the directory's names, the breakdown, the header: the
# same for 3 rows as for 30 (the bulk bar adds none)
QUERIES_ON_THE_LIST = 20


@pytest.mark.parametrize("count", [3, 30])
def test_the_list_s_queries_do_not_grow_with_the_registrations(
    client_for, coordinator, prog, django_assert_num_queries, count
):
    workshop = make_workshop(coordinator, prog, needs_approval=True)
    for n in range(count):
        register(workshop, f"Người số {n}", confirm=n % 2 == 0)
    client = client_for(coordinator)
    client.get(detail_url(workshop))  # the session and the language settle
    with django_assert_num_queries(QUERIES_ON_THE_LIST):
        response = client.get(detail_url(workshop))
    assert response.content.decode().count('name="registration" value=') == count


def test_taking_every_ticked_person_off_a_full_waiting_list_adds_the_places_they_need(client_for, coordinator, prog):
    workshop = make_workshop(coordinator, prog, capacity=2)
    rows = [register(workshop, f"Đặng Thị {name}")[0] for name in NAMES[:5]]
    waiting = rows[2:]
    ticked = [str(waiting[2].pk), str(waiting[0].pk)]
    client = client_for(coordinator)
    asked = client.post(bulk_url(workshop), {"action": "promote", "registration": ticked}).content.decode()
    assert "Chuyển 2 người khỏi danh sách chờ?" in asked and "Còn 0 chỗ trống." in asked
    assert "Thêm 2 chỗ và chuyển cả 2 người</button>" in asked and 'id="bulk-confirm-button"' not in asked
    done = client.post(
        bulk_url(workshop), {"action": "promote", "registration": ticked, "confirm": "1", "add_places": "1"}
    )
    assert texts(done) == ["Đã chuyển 2 người khỏi danh sách chờ (thêm 2 chỗ cho hội thảo)."]
    assert [r.status for r in refresh(waiting)] == [Status.CONFIRMED, Status.WAITING, Status.CONFIRMED]
    workshop.refresh_from_db()
    assert workshop.capacity == 4  # and the one not ticked still waits: only the chosen moved up
    entry = audits(EventsAction.WORKSHOP_UPDATE).filter(object_id=str(workshop.pk)).latest("pk")
    assert entry.changes == {"capacity": [2, 4]}
    without = services.registrations_promote_many(actor=coordinator, workshop=workshop, registrations=[waiting[1]])
    assert not without.changed and without.no_place == 1  # without add_places, no place is made
