"""The library's indicator metrics: documents selected and documents delivered, by dates and by
collection, each document once."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from ketnoi.core.registry import get_metric
from ketnoi.library.models import CollectionItem
from ketnoi.library.services import curation

Status = CollectionItem.Status
HANOI = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.fixture
def corners(curator, prog):
    return (
        curation.collection_create(actor=curator, programme=prog, name="Góc tri thức A"),
        curation.collection_create(actor=curator, programme=prog, name="Góc tri thức B"),
    )


def chosen(collection, document, decided: datetime, *, delivered_on: date | None = None, status=None):
    return CollectionItem.objects.create(
        collection=collection,
        document=document,
        status=status or (Status.DELIVERED if delivered_on else Status.SELECTED),
        decided_at=decided,
        delivered_on=delivered_on,
    )


def selected(prog, start=None, end=None, **params):
    return get_metric("library.documents_selected").value(programme=prog, start=start, end=end, params=params)


def delivered(prog, start=None, end=None, **params):
    return get_metric("library.documents_delivered").value(programme=prog, start=start, end=end, params=params)


@pytest.fixture
def data(corners, make_document):
    a, b = corners
    law, handbook, report, declined, proposed = (make_document(t) for t in ("Luật", "Sổ tay", "Báo cáo", "Cũ", "Mới"))
    chosen(a, law, datetime(2025, 1, 10, 9, tzinfo=HANOI), delivered_on=date(2025, 2, 5))
    chosen(b, law, datetime(2025, 3, 1, 9, tzinfo=HANOI), delivered_on=date(2025, 3, 20))  # same document
    chosen(a, handbook, datetime(2025, 2, 14, 9, tzinfo=HANOI))
    # 20:00 UTC on 28 February is 03:00 on 1 March in Hà Nội: it counts in March
    chosen(b, report, datetime(2025, 2, 28, 20, tzinfo=ZoneInfo("UTC")))
    chosen(a, declined, datetime(2025, 1, 5, 9, tzinfo=HANOI), status=Status.DECLINED)
    CollectionItem.objects.create(collection=a, document=proposed)
    return {"a": a, "b": b}


def test_metrics_are_registered():
    assert get_metric("library.documents_selected").params == ("collection",)
    assert get_metric("library.documents_delivered").params == ("collection",)


def test_selected_counts_each_document_once_by_decision_date(prog, data):
    assert selected(prog) == 3
    assert selected(prog, date(2025, 1, 1), date(2025, 1, 31)) == 1
    assert selected(prog, date(2025, 2, 1), date(2025, 2, 28)) == 1
    assert selected(prog, date(2025, 3, 1), date(2025, 3, 31)) == 2
    assert selected(prog, start=date(2025, 2, 1)) == 3
    assert selected(prog, end=date(2025, 1, 31)) == 1


def test_delivered_by_delivery_date(prog, data):
    assert delivered(prog) == 1
    assert delivered(prog, date(2025, 2, 1), date(2025, 2, 28)) == 1
    assert delivered(prog, date(2025, 3, 1), date(2025, 3, 31)) == 1
    assert delivered(prog, date(2025, 4, 1), None) == 0


def test_by_collection(prog, data):
    a, b = data["a"], data["b"]
    assert selected(prog, collection=a.pk) == 2
    assert selected(prog, collection=b.pk) == 2
    assert selected(prog, date(2025, 3, 1), date(2025, 3, 31), collection=a.pk) == 0
    assert delivered(prog, collection=a.pk) == 1
    assert delivered(prog, date(2025, 3, 1), None, collection=a.pk) == 0
    assert delivered(prog, date(2025, 3, 1), None, collection=b.pk) == 1
    assert selected(prog, collection=str(b.pk)) == 2


def test_collection_by_name_and_bad_values(prog, data):
    # params are stored as typed in the indicator form: a name works, nonsense counts nothing
    assert selected(prog, collection="Góc tri thức A") == 2
    assert delivered(prog, collection=" Góc tri thức B ") == 1
    assert selected(prog, collection="không có") == 0
    assert selected(prog, collection="99999999999999999999999") == 0
    assert selected(prog, collection="") == 3


def test_another_programme_counts_nothing(prog, other_prog, data, make_document, make_user):
    from ketnoi.core.roles import Role
    from ketnoi.programmes.models import ProgrammeRole

    boss = make_user("boss")
    ProgrammeRole.objects.create(user=boss, programme=other_prog, role=Role.CURATOR)
    theirs = curation.collection_create(actor=boss, programme=other_prog, name="Của họ")
    chosen(theirs, make_document("Tài liệu khác", programme=other_prog), datetime(2025, 1, 10, tzinfo=HANOI))
    assert selected(other_prog) == 1
    assert delivered(other_prog) == 0
    assert selected(prog) == 3
    # a collection of another programme narrows to nothing, never to the other programme's items
    assert selected(prog, collection=theirs.pk) == 0


def test_through_the_services(prog, curator, coordinator, lecturer, corners, make_document):
    a, _b = corners
    item = curation.item_propose(actor=lecturer, collection=a, document=make_document("Sổ tay"))
    assert selected(prog) == 0
    curation.item_select(actor=curator, item=item)
    assert selected(prog) == 1 and delivered(prog) == 0
    curation.item_deliver(actor=coordinator, items=[item], delivered_on=date(2025, 6, 2))
    assert selected(prog) == 1
    assert delivered(prog, date(2025, 6, 1), date(2025, 6, 30)) == 1


def test_no_breakdown(prog):
    for key in ("library.documents_selected", "library.documents_delivered"):
        with pytest.raises(ValueError):
            get_metric(key).value(programme=prog, start=None, end=None, disaggregate_by="sex")
