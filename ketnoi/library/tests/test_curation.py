"""The curation services: each move of an item, who may make it, and refusals that write nothing."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from ketnoi.core.models import AuditEntry
from ketnoi.directory.models import Organisation
from ketnoi.library.models import Collection, CollectionItem
from ketnoi.library.services import curation

Status = CollectionItem.Status


@pytest.fixture
def document(make_document):
    return make_document("Luật về Hội: dự thảo lần thứ ba")


def _statuses(item):
    return list(
        AuditEntry.objects.filter(object_id=str(item.pk), action__startswith="library.item_")
        .order_by("pk")
        .values_list("changes__status", flat=True)
    )


# Collections -------------------------------------------------------------------------------------


def test_staff_create_and_update_collections(coordinator, curator, prog, partner):
    collection = curation.collection_create(actor=coordinator, programme=prog, name="  Góc tri thức  ")
    assert collection.name == "Góc tri thức"
    updated = curation.collection_update(actor=curator, collection=collection, partner=partner, description="Mô tả")
    assert (updated.partner, updated.description, updated.name) == (partner, "Mô tả", "Góc tri thức")
    entry = AuditEntry.objects.get(action="library.collection_update")
    assert entry.changes["description"] == ["", "Mô tả"]


@pytest.mark.parametrize("persona", ["lecturer", "viewer", "outsider", "other_coordinator"])
def test_others_cannot_create_or_update_collections(request, persona, prog, collection):
    actor = request.getfixturevalue(persona)
    with pytest.raises(PermissionDenied):
        curation.collection_create(actor=actor, programme=prog, name="Khác")
    with pytest.raises(PermissionDenied):
        curation.collection_update(actor=actor, collection=collection, name="Đổi tên")
    assert list(Collection.objects.values_list("name", flat=True)) == ["Góc tri thức của Viện"]


def test_partner_fixed_once_something_was_delivered(curator, collection, document, partner):
    other = Organisation.objects.create(name="Trung tâm khác", type="cso")
    item = curation.item_propose(actor=curator, collection=collection, document=document)
    curation.item_select(actor=curator, item=item)
    curation.collection_update(actor=curator, collection=collection, partner=other)
    curation.collection_update(actor=curator, collection=collection, partner=partner)
    curation.item_deliver(actor=curator, items=[item], delivered_on=timezone.localdate())
    with pytest.raises(ValidationError) as error:
        curation.collection_update(actor=curator, collection=collection, partner=other)
    assert "partner" in error.value.error_dict
    assert curation.collection_update(actor=curator, collection=collection, name="Tên mới").partner == partner


def test_collection_needs_a_name(curator, prog, collection):
    with pytest.raises(ValidationError) as error:
        curation.collection_create(actor=curator, programme=prog, name="   ")
    assert "name" in error.value.error_dict
    with pytest.raises(ValidationError):
        curation.collection_update(actor=curator, collection=collection, name="")
    collection.refresh_from_db()
    assert collection.name == "Góc tri thức của Viện"


# The way of an item ------------------------------------------------------------------------------


def test_proposed_selected_delivered(lecturer, curator, coordinator, collection, document):
    item = curation.item_propose(actor=lecturer, collection=collection, document=document, note="Rất cần")
    assert (item.status, item.proposal_note) == (Status.PROPOSED, "Rất cần")
    item = curation.item_select(actor=curator, item=item, note="Phù hợp")
    assert (item.status, item.decided_by, item.decision_note) == (Status.SELECTED, curator, "Phù hợp")
    assert item.decided_at is not None
    today = timezone.localdate()
    [item] = curation.item_deliver(actor=coordinator, items=[item], delivered_on=today, note="Bản in")
    item.refresh_from_db()
    assert (item.status, item.delivered_on, item.delivered_by, item.delivery_note) == (
        Status.DELIVERED,
        today,
        coordinator,
        "Bản in",
    )
    assert _statuses(item) == [["", "proposed"], ["proposed", "selected"], ["selected", "delivered"]]


def test_decline_needs_a_note_and_a_declined_document_may_be_proposed_again(lecturer, curator, collection, document):
    item = curation.item_propose(actor=lecturer, collection=collection, document=document)
    with pytest.raises(ValidationError) as error:
        curation.item_decline(actor=curator, item=item, note="   ")
    assert "note" in error.value.error_dict
    item.refresh_from_db()
    assert item.status == Status.PROPOSED
    item = curation.item_decline(actor=curator, item=item, note="Đã lỗi thời")
    assert (item.status, item.decision_note) == (Status.DECLINED, "Đã lỗi thời")
    again = curation.item_propose(actor=lecturer, collection=collection, document=document, note="Bản mới")
    assert again.pk == item.pk
    assert (again.status, again.proposal_note, again.decided_by, again.decision_note) == (
        Status.PROPOSED,
        "Bản mới",
        None,
        "",
    )
    assert _statuses(item)[-1] == ["declined", "proposed"]


@pytest.mark.parametrize("status", [Status.PROPOSED, Status.SELECTED, Status.DELIVERED])
def test_proposing_a_document_already_in_says_so(lecturer, collection, document, status):
    CollectionItem.objects.create(collection=collection, document=document, status=status)
    with pytest.raises(ValidationError) as error:
        curation.item_propose(actor=lecturer, collection=collection, document=document)
    assert "đã có trong bộ sưu tập" in error.value.messages[0]
    assert CollectionItem.objects.count() == 1


def test_only_documents_of_the_programme_that_the_proposer_sees(
    lecturer, collection, make_document, other_prog, coordinator
):
    elsewhere = make_document("Tài liệu chương trình khác", programme=other_prog)
    staff_only = make_document("Biên bản nội bộ", access="staff")
    for document in (elsewhere, staff_only):
        with pytest.raises(ValidationError) as error:
            curation.item_propose(actor=lecturer, collection=collection, document=document)
        assert "document" in error.value.error_dict
    assert not CollectionItem.objects.exists()
    # library staff see staff-only documents and may propose them
    assert curation.item_propose(actor=coordinator, collection=collection, document=staff_only).status == "proposed"


@pytest.mark.parametrize("persona", ["viewer", "outsider", "learner", "other_coordinator"])
def test_who_may_not_propose(request, persona, collection, document):
    with pytest.raises(PermissionDenied):
        curation.item_propose(actor=request.getfixturevalue(persona), collection=collection, document=document)
    assert not CollectionItem.objects.exists()


@pytest.mark.parametrize("persona", ["coordinator", "lecturer", "reviewer", "viewer", "outsider", "other_coordinator"])
def test_only_a_curator_selects_or_declines(request, persona, lecturer, collection, document):
    actor = request.getfixturevalue(persona)
    item = curation.item_propose(actor=lecturer, collection=collection, document=document)
    with pytest.raises(PermissionDenied):
        curation.item_select(actor=actor, item=item)
    with pytest.raises(PermissionDenied):
        curation.item_decline(actor=actor, item=item, note="Không")
    item.refresh_from_db()
    assert item.status == Status.PROPOSED


def test_a_staff_admin_may_select(staff_admin, lecturer, collection, document):
    item = curation.item_propose(actor=lecturer, collection=collection, document=document)
    assert curation.item_select(actor=staff_admin, item=item).status == Status.SELECTED


@pytest.mark.parametrize("status", [Status.SELECTED, Status.DECLINED, Status.DELIVERED])
def test_decisions_only_from_proposed(curator, collection, document, status):
    item = CollectionItem.objects.create(collection=collection, document=document, status=status)
    with pytest.raises(ValidationError) as error:
        curation.item_select(actor=curator, item=item)
    assert "Đề xuất" in error.value.messages[0]
    with pytest.raises(ValidationError):
        curation.item_decline(actor=curator, item=item, note="Lý do")
    item.refresh_from_db()
    assert item.status == status


# Delivery ----------------------------------------------------------------------------------------


@pytest.fixture
def selected(curator, collection, make_document):
    def make(title):
        document = make_document(title)
        item = curation.item_propose(actor=curator, collection=collection, document=document)
        return curation.item_select(actor=curator, item=item)

    return make


def test_deliver_several_at_once(coordinator, selected):
    items = [selected("Sổ tay tổ chức xã hội"), selected("Báo cáo đào tạo")]
    day = timezone.localdate() - timedelta(days=3)
    delivered = curation.item_deliver(actor=coordinator, items=items, delivered_on=day)
    assert {item.status for item in delivered} == {Status.DELIVERED}
    assert CollectionItem.objects.filter(status=Status.DELIVERED, delivered_on=day).count() == 2


def test_delivery_date_not_in_the_future(coordinator, selected):
    item = selected("Sổ tay")
    with pytest.raises(ValidationError) as error:
        curation.item_deliver(actor=coordinator, items=[item], delivered_on=timezone.localdate() + timedelta(days=1))
    assert "delivered_on" in error.value.error_dict
    item.refresh_from_db()
    assert (item.status, item.delivered_on) == (Status.SELECTED, None)


def test_deliver_a_proposed_item_is_refused(coordinator, lecturer, collection, document):
    item = curation.item_propose(actor=lecturer, collection=collection, document=document)
    with pytest.raises(ValidationError) as error:
        curation.item_deliver(actor=coordinator, items=[item], delivered_on=timezone.localdate())
    assert document.title in error.value.messages[0]
    item.refresh_from_db()
    assert item.status == Status.PROPOSED


def test_a_mixed_batch_writes_nothing(coordinator, lecturer, collection, selected, make_document):
    ready = selected("Sẵn sàng")
    waiting = curation.item_propose(actor=lecturer, collection=collection, document=make_document("Còn chờ"))
    before = AuditEntry.objects.count()
    with pytest.raises(ValidationError) as error:
        curation.item_deliver(actor=coordinator, items=[ready, waiting], delivered_on=timezone.localdate())
    assert "Còn chờ" in error.value.messages[0] and "Sẵn sàng" not in error.value.messages[0]
    assert not CollectionItem.objects.filter(status=Status.DELIVERED).exists()
    assert AuditEntry.objects.count() == before


def test_deliver_nothing_is_refused(coordinator):
    with pytest.raises(ValidationError) as error:
        curation.item_deliver(actor=coordinator, items=[], delivered_on=timezone.localdate())
    assert "items" in error.value.error_dict


@pytest.mark.parametrize("persona", ["lecturer", "reviewer", "viewer", "outsider", "other_coordinator"])
def test_who_may_not_deliver(request, persona, selected):
    item = selected("Sổ tay")
    with pytest.raises(PermissionDenied):
        curation.item_deliver(actor=request.getfixturevalue(persona), items=[item], delivered_on=timezone.localdate())
    item.refresh_from_db()
    assert item.status == Status.SELECTED


def test_curator_delivers_and_undoes_a_delivery(curator, lecturer, selected):
    item = selected("Sổ tay")
    curation.item_deliver(actor=curator, items=[item], delivered_on=timezone.localdate(), note="Nhầm")
    with pytest.raises(PermissionDenied):
        curation.item_undo_delivery(actor=lecturer, item=item)
    item = curation.item_undo_delivery(actor=curator, item=item)
    assert (item.status, item.delivered_on, item.delivered_by, item.delivery_note) == (Status.SELECTED, None, None, "")
    assert _statuses(item)[-1] == ["delivered", "selected"]
    with pytest.raises(ValidationError):
        curation.item_undo_delivery(actor=curator, item=item)


# Withdrawal --------------------------------------------------------------------------------------


def test_the_proposer_withdraws_a_proposal(lecturer, reviewer, collection, document):
    item = curation.item_propose(actor=lecturer, collection=collection, document=document)
    with pytest.raises(PermissionDenied):
        curation.item_withdraw(actor=reviewer, item=item)
    curation.item_withdraw(actor=lecturer, item=item)
    assert not CollectionItem.objects.exists()
    assert AuditEntry.objects.get(action="library.item_withdraw").changes["status"] == ["proposed", ""]


def test_staff_withdraw_any_proposal_but_not_a_decided_one(coordinator, lecturer, curator, collection, make_document):
    first = curation.item_propose(actor=lecturer, collection=collection, document=make_document("Một"))
    curation.item_withdraw(actor=coordinator, item=first)
    second = curation.item_propose(actor=lecturer, collection=collection, document=make_document("Hai"))
    curation.item_select(actor=curator, item=second)
    with pytest.raises(ValidationError):
        curation.item_withdraw(actor=lecturer, item=second)
    with pytest.raises(ValidationError):
        curation.item_withdraw(actor=coordinator, item=second)
    assert list(CollectionItem.objects.values_list("status", flat=True)) == [Status.SELECTED]


@pytest.mark.parametrize("persona", ["viewer", "outsider", "other_coordinator"])
def test_who_may_not_withdraw(request, persona, lecturer, collection, document):
    item = curation.item_propose(actor=lecturer, collection=collection, document=document)
    with pytest.raises(PermissionDenied):
        curation.item_withdraw(actor=request.getfixturevalue(persona), item=item)
    assert CollectionItem.objects.filter(pk=item.pk).exists()


def test_proposer_is_kept_and_oai_datestamp_moves_with_the_set(lecturer, curator, coordinator, collection, document):
    from ketnoi.library.models import Document

    item = curation.item_propose(actor=lecturer, collection=collection, document=document)
    assert item.proposed_by == lecturer
    before = Document.objects.get(pk=document.pk).updated_at
    item = curation.item_select(actor=curator, item=item)
    selected = Document.objects.get(pk=document.pk).updated_at
    assert selected > before
    curation.item_deliver(actor=coordinator, items=[item], delivered_on=timezone.localdate())
    assert Document.objects.get(pk=document.pk).updated_at > selected
