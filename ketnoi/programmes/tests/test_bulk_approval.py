"""Approving many indicator values at once (issue 14): the rules of the single review, row by
row — a value one entered, one already decided, one of another programme is left and reported,
the others are approved, one audit entry each — and the page with its tick boxes, the sticky bar
and the confirmation step, against crafted POSTs and people without the right."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from ketnoi.core.bulk import BULK_MAX
from ketnoi.core.models import AuditEntry
from ketnoi.core.roles import Role
from ketnoi.programmes import services
from ketnoi.programmes.models import IndicatorValue
from ketnoi.programmes.tests.factories import grant
from ketnoi.programmes.tests.query_counts import page_queries

pytestmark = pytest.mark.django_db

REVIEW = "programmes.value_review"


def make_indicator(coordinator, programme, code="CT3"):
    indicator = services.indicator_create(
        actor=coordinator, programme=programme, code=code, name="Số hội thảo", unit="hội thảo"
    )
    period = services.indicator_period_create(
        actor=coordinator,
        indicator=indicator,
        label="2026",
        start_date=date(2026, 1, 1),
        end_date=date(2026, 12, 31),
        target=3,
    )
    return indicator, period


@pytest.fixture
def plan(coordinator, prog):
    return make_indicator(coordinator, prog)


def submit(actor, plan, value=2):
    indicator, period = plan
    return services.indicator_value_submit(
        actor=actor, indicator=indicator, period=period, value=value, evidence="Biên bản hội thảo"
    )


def statuses(values) -> list[str]:
    return [IndicatorValue.objects.get(pk=v.pk).status for v in values]


def bulk_url(programme) -> str:
    return reverse("programmes:approvals_bulk", args=[programme.code])


def approvals_url(programme) -> str:
    return reverse("programmes:approvals", args=[programme.code])


# The service ---------------------------------------------------------------------------------


def test_a_mixed_batch_approves_what_may_be_and_reports_the_rest(coordinator, lecturer, reviewer, plan):
    good = [submit(lecturer, plan, 1), submit(reviewer, plan, 2)]
    own = submit(coordinator, plan, 3)  # the coordinator entered it: never theirs to approve
    done = submit(lecturer, plan, 4)
    services.indicator_value_review(actor=coordinator, value=done, approve=False, note="Thiếu biên bản")
    audits_before = AuditEntry.objects.filter(action=REVIEW).count()

    result = services.indicator_values_approve_many(actor=coordinator, values=[*good, own, done])

    assert [v.pk for v in result.changed] == [v.pk for v in good]
    assert statuses(good) == ["approved", "approved"]
    assert statuses([own, done]) == ["submitted", "rejected"]
    reasons = dict(result.refused)
    assert "không tự phê duyệt" in reasons["CT3 · 2026: 3"]
    assert "đã được xử lý" in reasons["CT3 · 2026: 4"]
    entries = AuditEntry.objects.filter(action=REVIEW).order_by("id")[audits_before:]
    assert sorted(int(e.object_id) for e in entries) == sorted(v.pk for v in good)


def test_the_authors_are_told_once_each(
    django_capture_on_commit_callbacks, coordinator, lecturer, plan, mailoutbox, make_user, prog
):
    lecturer.email = "minh@example.org"
    lecturer.save()
    values = [submit(lecturer, plan, n) for n in (1, 2, 3)]
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.indicator_values_approve_many(actor=coordinator, values=values)
    assert len(mailoutbox) == 1 and mailoutbox[0].to == [lecturer.email]
    assert "3 giá trị" in mailoutbox[0].body


def test_a_value_of_another_programme_is_reported_when_a_programme_is_given(
    coordinator, lecturer, plan, other_prog, make_user
):
    grant(coordinator, other_prog, Role.COORDINATOR)
    other_lecturer = grant(make_user("other-lecturer"), other_prog, Role.LECTURER)
    elsewhere = submit(other_lecturer, make_indicator(coordinator, other_prog, "KH1"))
    here = submit(lecturer, plan)
    result = services.indicator_values_approve_many(
        actor=coordinator, values=[here, elsewhere], programme=plan[0].programme
    )
    assert [v.pk for v in result.changed] == [here.pk]
    assert "chương trình “Chương trình khác”" in result.refused[0][1]
    assert statuses([elsewhere]) == ["submitted"]


def test_a_value_out_of_sight_refuses_the_whole_batch(coordinator, other_coordinator, lecturer, plan, other_prog):
    mine = submit(other_coordinator, make_indicator(other_coordinator, other_prog, "KH1"))
    theirs = submit(lecturer, plan)
    with pytest.raises(PermissionDenied, match="không giá trị nào được phê duyệt"):
        services.indicator_values_approve_many(actor=other_coordinator, values=[mine, theirs])
    with pytest.raises(PermissionDenied):
        services.indicator_values_approve_many(actor=other_coordinator, values=[theirs.pk + 1000])
    assert statuses([mine, theirs]) == ["submitted", "submitted"]
    assert not AuditEntry.objects.filter(action=REVIEW).exists()


def test_the_second_approver_approves_only_the_coordinators_values(coordinator, lecturer, reviewer, prog, plan):
    services.programme_update(actor=coordinator, programme=prog, second_approver=lecturer)
    coordinators = submit(coordinator, plan, 1)
    reviewers = submit(reviewer, plan, 2)
    own = submit(lecturer, plan, 3)
    result = services.indicator_values_approve_many(actor=lecturer, values=[coordinators, reviewers, own])
    assert [v.pk for v in result.changed] == [coordinators.pk]
    reasons = dict(result.refused)
    assert "chỉ phê duyệt giá trị do điều phối viên nhập" in reasons["CT3 · 2026: 2"]
    assert "không tự phê duyệt" in reasons["CT3 · 2026: 3"]
    assert statuses([coordinators, reviewers, own]) == ["approved", "submitted", "submitted"]


def test_a_role_without_the_right_approves_nothing(viewer, lecturer, reviewer, plan):
    values = [submit(lecturer, plan), submit(reviewer, plan)]
    result = services.indicator_values_approve_many(actor=viewer, values=values)
    assert result.changed == [] and len(result.refused) == 2
    assert "Chỉ điều phối viên" in result.refused[0][1]
    assert statuses(values) == ["submitted", "submitted"]


def test_an_empty_or_huge_batch_is_refused(coordinator):
    with pytest.raises(ValidationError, match="ít nhất một"):
        services.indicator_values_approve_many(actor=coordinator, values=[])
    with pytest.raises(ValidationError, match="tối đa"):
        services.indicator_values_approve_many(actor=coordinator, values=range(1, BULK_MAX + 2))


def test_the_single_review_keeps_its_rules(coordinator, lecturer, plan):
    own = submit(coordinator, plan)
    with pytest.raises(PermissionDenied, match="không tự phê duyệt"):
        services.indicator_value_review(actor=coordinator, value=own, approve=True)
    value = submit(lecturer, plan)
    services.indicator_value_review(actor=coordinator, value=value, approve=True)
    with pytest.raises(ValidationError, match="đã được xử lý"):
        services.indicator_value_review(actor=coordinator, value=value, approve=True)


# The page ------------------------------------------------------------------------------------


def test_the_page_ticks_only_what_the_user_may_approve(client_for, coordinator, lecturer, prog, plan):
    theirs, own = submit(lecturer, plan), submit(coordinator, plan)
    page = client_for(coordinator).get(approvals_url(prog)).content.decode()
    assert f'name="value" value="{theirs.pk}" form="bulk-approve"' in page
    assert f'value="{own.pk}" form="bulk-approve"' not in page
    assert 'id="bulk-approve"' in page and "data-bulk-count" in page and "core/bulk.js" in page


def test_confirm_then_approve_without_javascript(client_for, coordinator, lecturer, reviewer, prog, plan):
    good = [submit(lecturer, plan, 1), submit(reviewer, plan, 2)]
    own = submit(coordinator, plan, 3)
    client = client_for(coordinator)
    ids = [str(v.pk) for v in [*good, own]]
    confirm = client.post(bulk_url(prog), {"value": ids})
    assert confirm.status_code == 200
    text = confirm.content.decode()
    assert "Bạn đã chọn 3 giá trị; 2 giá trị sẽ được phê duyệt" in text
    assert "Bạn không phê duyệt được giá trị này." in text
    assert statuses(good) == ["submitted", "submitted"]  # nothing done before the confirmation
    done = client.post(bulk_url(prog), {"value": ids, "step": "confirm"}, follow=True)
    text = done.content.decode()
    assert "Đã phê duyệt 2 giá trị." in text
    assert "1 giá trị không phê duyệt được" in text and "không tự phê duyệt" in text
    assert statuses([*good, own]) == ["approved", "approved", "submitted"]


@pytest.mark.parametrize(
    "sent",
    [
        ["abc"],
        ["1; DROP TABLE"],
        ["³"],
        ["-1"],
        ["0"],
        ["99999999999999999999999"],
        [],
        [str(n) for n in range(1, BULK_MAX + 2)],
    ],
)
def test_crafted_lists_are_refused_with_a_message(client_for, coordinator, lecturer, prog, plan, sent):
    value = submit(lecturer, plan)
    response = client_for(coordinator).post(bulk_url(prog), {"value": [str(value.pk), *sent], "step": "confirm"})
    if sent == []:
        assert response.status_code == 302  # only the good id: approved
        assert statuses([value]) == ["approved"]
        return
    assert response.status_code == 302
    assert statuses([value]) == ["submitted"]
    assert not AuditEntry.objects.filter(action=REVIEW).exists()
    page = client_for(coordinator).get(response.url).content.decode()
    assert "hãy tải lại trang" in page or "tối đa" in page


def test_more_fields_than_django_reads_is_the_400_page(client_for, coordinator, lecturer, prog, plan):
    value = submit(lecturer, plan)
    client = client_for(coordinator)
    client.raise_request_exception = False
    ids = [str(value.pk)] * 1200  # past DATA_UPLOAD_MAX_NUMBER_FIELDS: Django itself refuses
    response = client.post(bulk_url(prog), {"value": ids, "step": "confirm"})
    assert response.status_code == 400
    assert statuses([value]) == ["submitted"]


def test_duplicates_count_once(client_for, coordinator, lecturer, prog, plan):
    value = submit(lecturer, plan)
    client = client_for(coordinator)
    response = client.post(bulk_url(prog), {"value": [value.pk, value.pk, f" {value.pk}"], "step": "confirm"})
    assert response.status_code == 302
    assert AuditEntry.objects.filter(action=REVIEW, object_id=str(value.pk)).count() == 1


def test_ids_of_a_programme_out_of_sight_change_nothing(
    client_for, coordinator, lecturer, other_coordinator, other_prog, prog, plan, make_user
):
    other_lecturer = grant(make_user("other-lecturer"), other_prog, Role.LECTURER)
    hidden = submit(other_lecturer, make_indicator(other_coordinator, other_prog, "KH1"))
    value = submit(lecturer, plan)
    client = client_for(coordinator)
    response = client.post(bulk_url(prog), {"value": [value.pk, hidden.pk], "step": "confirm"}, follow=True)
    assert response.status_code == 200
    text = response.content.decode()
    assert "1 giá trị không tìm thấy hoặc bạn không được xem" in text and "KH1" not in text
    assert statuses([value, hidden]) == ["submitted", "submitted"]


def test_ids_of_another_programme_one_sees_are_reported(
    client_for, coordinator, lecturer, other_prog, prog, plan, make_user
):
    grant(coordinator, other_prog, Role.COORDINATOR)
    other_lecturer = grant(make_user("other-lecturer"), other_prog, Role.LECTURER)
    elsewhere = submit(other_lecturer, make_indicator(coordinator, other_prog, "KH1"))
    value = submit(lecturer, plan)
    client = client_for(coordinator)
    confirm = client.post(bulk_url(prog), {"value": [value.pk, elsewhere.pk]}).content.decode()
    assert "Thuộc chương trình khác" in confirm
    text = client.post(bulk_url(prog), {"value": [value.pk, elsewhere.pk], "step": "confirm"}, follow=True)
    assert "Đã phê duyệt 1 giá trị." in text.content.decode()
    assert statuses([value, elsewhere]) == ["approved", "submitted"]


@pytest.mark.parametrize("who", ["outsider", "other_coordinator"])
def test_no_access_gets_a_404_and_nothing_changes(request, client_for, lecturer, prog, plan, who):
    value = submit(lecturer, plan)
    client = client_for(request.getfixturevalue(who))
    for step in ("review", "confirm"):
        response = client.post(bulk_url(prog), {"value": [value.pk], "step": step})
        assert response.status_code == 404
        assert "CT3" not in response.content.decode()
    assert statuses([value]) == ["submitted"]


def test_a_role_without_the_right_gets_the_refusal_page(client_for, viewer, lecturer, prog, plan):
    value = submit(lecturer, plan)
    response = client_for(viewer).post(bulk_url(prog), {"value": [value.pk], "step": "confirm"})
    assert response.status_code == 403
    assert statuses([value]) == ["submitted"]


def test_a_get_is_not_allowed(client_for, coordinator, prog):
    assert client_for(coordinator).get(bulk_url(prog)).status_code == 405


def test_query_counts_do_not_grow_with_rows(client_for, coordinator, lecturer, reviewer, prog, plan):
    client = client_for(coordinator)
    values = [submit(lecturer if n % 2 else reviewer, plan, n) for n in range(3)]
    page_3 = page_queries(client, approvals_url(prog))
    confirm_3 = _confirm_queries(client, prog, values)
    values += [submit(lecturer if n % 2 else reviewer, plan, n) for n in range(27)]
    assert page_queries(client, approvals_url(prog)) == page_3
    assert _confirm_queries(client, prog, values) == confirm_3


def _confirm_queries(client, prog, values) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    data = {"value": [v.pk for v in values]}
    client.post(bulk_url(prog), data)
    with CaptureQueriesContext(connection) as queries:
        assert client.post(bulk_url(prog), data).status_code == 200
    return len(queries)
