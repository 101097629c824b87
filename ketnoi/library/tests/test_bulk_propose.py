"""Proposing many documents for a collection at once (issue 14): from the document list with its
filters, tick, choose the collection, confirm; one service call, one audit entry per document
proposed; a document already in the collection is skipped and reported; one the user may not see
(or of another programme) refuses the batch; crafted POSTs change nothing."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ketnoi.core.bulk import BULK_MAX
from ketnoi.core.models import AuditEntry
from ketnoi.library.models import CollectionItem
from ketnoi.library.services import curation, items_propose_many

pytestmark = pytest.mark.django_db

Status = CollectionItem.Status
PROPOSE = "library.item_propose"


def propose_url(prog) -> str:
    return reverse("library:documents_propose", args=[prog.code])


def list_url(prog) -> str:
    return reverse("library:documents", args=[prog.code])


def proposals() -> int:
    return AuditEntry.objects.filter(action=PROPOSE).count()


# The service ---------------------------------------------------------------------------------


def test_a_mixed_batch_proposes_the_new_and_reports_what_is_there(lecturer, curator, collection, make_document):
    new = [make_document("Sổ tay vận động chính sách"), make_document("Báo cáo thường niên")]
    there = make_document("Luật Hội")
    curation.item_propose(actor=curator, collection=collection, document=there)
    declined = make_document("Tài liệu bị loại")
    item = curation.item_propose(actor=curator, collection=collection, document=declined)
    curation.item_decline(actor=curator, item=item, note="Trùng nội dung")
    before = proposals()

    result = items_propose_many(actor=lecturer, collection=collection, documents=[*new, there, declined.pk])

    assert sorted(i.document_id for i in result.changed) == sorted(d.pk for d in [*new, declined])
    assert result.refused == [("Luật Hội", "“Luật Hội” đã có trong bộ sưu tập (trạng thái “Đề xuất”).")]
    assert proposals() - before == 3
    assert CollectionItem.objects.get(document=declined).status == Status.PROPOSED


def test_a_document_out_of_sight_or_of_another_programme_refuses_all(lecturer, collection, make_document, other_prog):
    good = make_document("Sổ tay")
    hidden = make_document("Hồ sơ nội bộ", access="staff")  # library staff only
    elsewhere = make_document("Tài liệu chương trình khác", programme=other_prog)
    for bad in (hidden, elsewhere):
        with pytest.raises(ValidationError, match="Chưa tài liệu nào được đề xuất"):
            items_propose_many(actor=lecturer, collection=collection, documents=[good, bad])
    assert not CollectionItem.objects.exists() and proposals() == 0


def test_people_without_the_right_are_refused(viewer, outsider, other_coordinator, collection, make_document):
    document = make_document()
    for user in (viewer, outsider, other_coordinator):
        with pytest.raises(PermissionDenied):
            items_propose_many(actor=user, collection=collection, documents=[document])
    assert not CollectionItem.objects.exists()


def test_empty_and_huge_batches_are_refused(lecturer, collection):
    with pytest.raises(ValidationError, match="ít nhất một"):
        items_propose_many(actor=lecturer, collection=collection, documents=[])
    with pytest.raises(ValidationError, match="tối đa"):
        items_propose_many(actor=lecturer, collection=collection, documents=range(1, BULK_MAX + 2))


# The pages -----------------------------------------------------------------------------------


def test_the_list_has_tick_boxes_and_the_bar_for_a_proposer(
    client_for, lecturer, viewer, prog, collection, make_document
):
    document = make_document("Sổ tay")
    page = client_for(lecturer).get(list_url(prog)).content.decode()
    assert f'name="document" value="{document.pk}" form="bulk-propose"' in page
    assert 'id="bulk-propose"' in page and f'<option value="{collection.pk}">Góc tri thức của Viện</option>' in page
    page = client_for(viewer).get(list_url(prog)).content.decode()
    assert 'form="bulk-propose"' not in page and 'id="bulk-propose"' not in page


def test_confirm_then_propose_without_javascript_back_to_the_filtered_list(
    client_for, lecturer, curator, prog, collection, make_document
):
    new = make_document("Sổ tay vận động")
    there = make_document("Luật Hội")
    curation.item_propose(actor=curator, collection=collection, document=there)
    client = client_for(lecturer)
    data = {"document": [new.pk, there.pk], "collection": collection.pk, "filters": "q=so+tay&type=research"}
    confirm = client.post(propose_url(prog), data)
    assert confirm.status_code == 200
    text = confirm.content.decode()
    assert "Bạn đã chọn 2 tài liệu; 1 tài liệu sẽ được đề xuất" in text and "sẽ bỏ qua" in text
    assert not CollectionItem.objects.filter(document=new).exists()
    done = client.post(propose_url(prog), {**data, "step": "confirm"})
    assert done.status_code == 302 and done.url == list_url(prog) + "?q=so+tay&type=research"
    text = client.get(done.url).content.decode()
    assert "Đã đề xuất 1 tài liệu vào bộ sưu tập “Góc tri thức của Viện”." in text
    assert "1 tài liệu được bỏ qua" in text and "đã có trong bộ sưu tập" in text
    assert CollectionItem.objects.get(document=new).status == Status.PROPOSED


@pytest.mark.parametrize(
    "sent",
    [["abc"], ["³"], ["-4"], ["99999999999999999999999"], [str(n) for n in range(1, BULK_MAX + 2)]],
)
def test_crafted_lists_change_nothing(client_for, lecturer, prog, collection, make_document, sent):
    document = make_document()
    client = client_for(lecturer)
    data = {"document": [str(document.pk), *sent], "collection": collection.pk, "step": "confirm"}
    response = client.post(propose_url(prog), data)
    assert response.status_code == 302
    assert not CollectionItem.objects.exists()
    text = client.get(response.url).content.decode()
    assert "hãy tải lại trang" in text or "tối đa" in text


@pytest.mark.parametrize("collection_sent", ["", "abc", "0", "999999"])
def test_a_missing_or_foreign_collection_is_refused(client_for, lecturer, prog, make_document, collection_sent):
    document = make_document()
    response = client_for(lecturer).post(
        propose_url(prog), {"document": [document.pk], "collection": collection_sent, "step": "confirm"}
    )
    assert response.status_code == 302 and not CollectionItem.objects.exists()


def test_a_collection_of_another_programme_is_refused(
    client_for, coordinator, other_coordinator, prog, other_prog, make_document
):
    from ketnoi.library.tests.factories import make_collection

    theirs = make_collection(other_coordinator, other_prog, name="Của họ")
    document = make_document()
    response = client_for(coordinator).post(
        propose_url(prog), {"document": [document.pk], "collection": theirs.pk, "step": "confirm"}
    )
    assert response.status_code == 302 and not CollectionItem.objects.exists()


def test_documents_of_another_programme_change_nothing(
    client_for, lecturer, prog, other_prog, collection, make_document
):
    mine = make_document("Sổ tay")
    theirs = make_document("Tài liệu khác", programme=other_prog)
    response = client_for(lecturer).post(
        propose_url(prog), {"document": [mine.pk, theirs.pk], "collection": collection.pk, "step": "confirm"}
    )
    assert response.status_code == 302 and not CollectionItem.objects.exists()


def test_duplicates_count_once(client_for, lecturer, prog, collection, make_document):
    document = make_document()
    data = {"document": [document.pk, document.pk], "collection": collection.pk, "step": "confirm"}
    assert client_for(lecturer).post(propose_url(prog), data).status_code == 302
    assert proposals() == 1


@pytest.mark.parametrize("persona", ["outsider", "other_coordinator", "viewer"])
def test_no_right_is_a_404(request, client_for, prog, collection, make_document, persona):
    document = make_document()
    client = client_for(request.getfixturevalue(persona))
    for step in ("review", "confirm"):
        data = {"document": [document.pk], "collection": collection.pk, "step": step}
        response = client.post(propose_url(prog), data)
        assert response.status_code == 404 and "Góc tri thức" not in response.content.decode()
    assert not CollectionItem.objects.exists()


def test_query_counts_do_not_grow_with_rows(client_for, lecturer, prog, collection, make_document):
    client = client_for(lecturer)
    documents = [make_document(f"Tài liệu {n}") for n in range(3)]
    list_3 = _queries(client, "get", list_url(prog))
    confirm_3 = _queries(
        client, "post", propose_url(prog), {"document": [d.pk for d in documents], "collection": collection.pk}
    )
    documents += [make_document(f"Tài liệu thêm {n}") for n in range(27)]
    assert _queries(client, "get", list_url(prog)) == list_3
    data = {"document": [d.pk for d in documents], "collection": collection.pk}
    assert _queries(client, "post", propose_url(prog), data) == confirm_3


def _queries(client, method, url, data=None) -> int:
    getattr(client, method)(url, data)
    with CaptureQueriesContext(connection) as queries:
        assert getattr(client, method)(url, data).status_code == 200
    return len(queries)
