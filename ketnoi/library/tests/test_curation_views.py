"""The collection pages, the curation actions and the delivery register, as each persona sees them."""

from datetime import date, timedelta
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from ketnoi.directory.models import Organisation
from ketnoi.library.models import Collection, CollectionItem
from ketnoi.library.services import curation

Status = CollectionItem.Status


def url(name, prog, *args):
    return reverse(f"library:{name}", args=[prog.code, *args])


def item_in(collection, document, status=Status.PROPOSED, **fields):
    return CollectionItem.objects.create(collection=collection, document=document, status=status, **fields)


# Who sees what -----------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["outsider", "learner", "other_coordinator"])
def test_out_of_sight_is_404(request, persona, client_for, prog, collection, make_document):
    item = item_in(collection, make_document())
    client = client_for(request.getfixturevalue(persona))
    for name, args in [
        ("collections", ()),
        ("collection_create", ()),
        ("register", ()),
        ("register_export", ()),
        ("collection_detail", (collection.pk,)),
        ("collection_edit", (collection.pk,)),
        ("item_propose", (collection.pk,)),
    ]:
        assert client.get(url(name, prog, *args)).status_code == 404, name
    for name in ("item_select", "item_decline", "item_withdraw"):
        assert client.post(url(name, prog, collection.pk, item.pk), {"note": "x"}).status_code == 404, name
    assert client.post(url("item_deliver", prog, collection.pk), {}).status_code == 404
    item.refresh_from_db()
    assert item.status == Status.PROPOSED


def test_anonymous_goes_to_login(client, prog):
    response = client.get(url("collections", prog))
    assert response.status_code == 302 and "login" in response["Location"]


def test_a_viewer_reads_but_does_not_act(client_for, viewer, prog, collection, make_document):
    item = item_in(collection, make_document("Sổ tay tổ chức xã hội"))
    client = client_for(viewer)
    page = client.get(url("collection_detail", prog, collection.pk))
    assert page.status_code == 200
    body = page.content.decode()
    assert "Sổ tay tổ chức xã hội" in body and "Viện Nghiên cứu Chính sách" in body
    assert url("item_select", prog, collection.pk, item.pk) not in body
    assert url("item_propose", prog, collection.pk) not in body
    assert client.get(url("item_propose", prog, collection.pk)).status_code == 404
    assert client.get(url("collection_create", prog)).status_code == 404
    assert client.post(url("item_select", prog, collection.pk, item.pk)).status_code == 404
    assert client.get(url("register", prog)).status_code == 200


def test_items_of_documents_the_user_may_not_see_are_left_out(client_for, viewer, prog, collection, make_document):
    item_in(collection, make_document("Công khai"))
    hidden = item_in(collection, make_document("Biên bản nội bộ", access="staff"), Status.DELIVERED)
    hidden.delivered_on = timezone.localdate()
    hidden.save()
    client = client_for(viewer)
    assert "Biên bản nội bộ" not in client.get(url("collection_detail", prog, collection.pk)).content.decode()
    listing = client.get(url("collections", prog))
    assert listing.context["collections"][0].n_delivered == 0
    assert "Biên bản nội bộ" not in client.get(url("register", prog)).content.decode()
    exported = load_workbook(BytesIO(client.get(url("register_export", prog)).content)).active
    assert exported.max_row == 1
    assert client.post(url("item_withdraw", prog, collection.pk, hidden.pk)).status_code == 404


# Collections -------------------------------------------------------------------------------------


def test_collections_list_counts_per_status(client_for, coordinator, prog, collection, make_document, curator):
    item_in(collection, make_document("A"))
    item_in(collection, make_document("B"), Status.SELECTED)
    item_in(collection, make_document("C"), Status.SELECTED)
    item_in(collection, make_document("D"), Status.DECLINED)
    empty = curation.collection_create(actor=curator, programme=prog, name="Bộ trống")
    response = client_for(coordinator).get(url("collections", prog))
    rows = {c.pk: c for c in response.context["collections"]}
    assert (rows[collection.pk].n_proposed, rows[collection.pk].n_selected, rows[collection.pk].n_declined) == (1, 2, 1)
    assert rows[empty.pk].n_proposed == 0
    assert url("collection_create", prog) in response.content.decode()


def test_collections_empty_state_guides(client_for, coordinator, prog):
    response = client_for(coordinator).get(url("collections", prog))
    assert "Chưa có bộ sưu tập nào" in response.content.decode()


def test_collections_list_query_count(
    client_for, coordinator, prog, curator, make_document, django_assert_max_num_queries
):
    client = client_for(coordinator)
    for n in range(8):
        collection = curation.collection_create(actor=curator, programme=prog, name=f"Bộ {n}")
        item_in(collection, make_document(f"Tài liệu {n}"))
    with django_assert_max_num_queries(10):
        response = client.get(url("collections", prog))
    assert len(response.context["collections"]) == 8


def test_create_and_edit_a_collection(client_for, curator, prog, partner):
    client = client_for(curator)
    response = client.post(url("collection_create", prog), {"name": "Góc tri thức", "partner": partner.pk})
    collection = Collection.objects.get()
    assert response.status_code == 302 and response["Location"] == url("collection_detail", prog, collection.pk)
    response = client.post(url("collection_edit", prog, collection.pk), {"name": "Góc mới", "description": "Mô tả"})
    collection.refresh_from_db()
    assert (collection.name, collection.partner, collection.description) == ("Góc mới", None, "Mô tả")


def test_partner_change_after_a_delivery_is_shown_next_to_the_field(
    client_for, curator, prog, collection, make_document
):
    item_in(collection, make_document("Một"), Status.DELIVERED, delivered_on=date(2025, 1, 1))
    response = client_for(curator).post(url("collection_edit", prog, collection.pk), {"name": "Góc tri thức"})
    assert response.status_code == 200
    assert "không đổi được đối tác" in response.context["form"].errors["partner"][0]
    collection.refresh_from_db()
    assert collection.partner is not None and collection.name == "Góc tri thức của Viện"


def test_a_collection_without_a_name_is_shown_again(client_for, coordinator, prog):
    response = client_for(coordinator).post(url("collection_create", prog), {"name": "  "})
    assert response.status_code == 200
    assert response.context["form"].errors["name"]
    assert not Collection.objects.exists()


@pytest.mark.parametrize("persona", ["lecturer", "viewer"])
def test_members_without_staff_role_cannot_create(request, persona, client_for, prog, collection):
    client = client_for(request.getfixturevalue(persona))
    assert client.post(url("collection_create", prog), {"name": "X"}).status_code == 404
    assert client.post(url("collection_edit", prog, collection.pk), {"name": "X"}).status_code == 404
    assert Collection.objects.count() == 1


# Proposing ---------------------------------------------------------------------------------------


def test_propose_page_finds_titles_without_diacritics(
    client_for, lecturer, prog, collection, make_document, other_prog
):
    wanted = make_document("Đào tạo cán bộ tổ chức xã hội")
    make_document("Báo cáo tài chính")
    make_document("Đào tạo ở chương trình khác", programme=other_prog)
    already = make_document("Đào tạo nâng cao")
    item_in(collection, already, Status.SELECTED)
    declined = make_document("Đào tạo cũ")
    item_in(collection, declined, Status.DECLINED, decision_note="Cũ")
    response = client_for(lecturer).get(url("item_propose", prog, collection.pk), {"q": "dao tao"})
    assert response.status_code == 200
    assert {d.pk for d in response.context["documents"]} == {wanted.pk, declined.pk}


def test_propose_page_shows_the_newest_thirty_and_says_there_are_more(
    client_for, lecturer, prog, collection, make_document
):
    for n in range(32):
        make_document(f"Báo cáo số {n}")
    client = client_for(lecturer)
    response = client.get(url("item_propose", prog, collection.pk))
    assert len(response.context["documents"]) == 30 and response.context["more"]
    assert response.context["documents"][0].title == "Báo cáo số 31"
    response = client.get(url("item_propose", prog, collection.pk), {"q": "BAO CAO SO 3"})
    assert {d.title for d in response.context["documents"]} == {f"Báo cáo số {n}" for n in (3, 13, 23, 30, 31)}
    assert not response.context["more"]


def test_propose_and_the_curator_decides(client_for, lecturer, curator, prog, collection, make_document):
    document = make_document("Sổ tay tổ chức xã hội")
    client = client_for(lecturer)
    response = client.post(url("item_propose", prog, collection.pk), {"document": document.pk, "note": "Cần cho Viện"})
    assert response.status_code == 302
    item = CollectionItem.objects.get()
    assert (item.status, item.proposal_note) == (Status.PROPOSED, "Cần cho Viện")
    page = client.get(url("collection_detail", prog, collection.pk)).content.decode()
    assert url("item_withdraw", prog, collection.pk, item.pk) in page
    assert url("item_select", prog, collection.pk, item.pk) not in page

    client = client_for(curator)
    page = client.get(url("collection_detail", prog, collection.pk)).content.decode()
    assert url("item_select", prog, collection.pk, item.pk) in page
    response = client.post(url("item_select", prog, collection.pk, item.pk), {"note": "Hay"})
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.status, item.decision_note, item.decided_by) == (Status.SELECTED, "Hay", curator)


def test_propose_twice_or_out_of_programme(client_for, lecturer, prog, collection, make_document, other_prog):
    document = make_document("Sổ tay")
    item_in(collection, document)
    elsewhere = make_document("Khác", programme=other_prog)
    client = client_for(lecturer)
    for pk in (document.pk, elsewhere.pk, 999999, "abc"):
        response = client.post(url("item_propose", prog, collection.pk), {"document": pk}, follow=True)
        assert response.status_code == 200
        assert "không đề xuất được" in response.content.decode()
    assert CollectionItem.objects.count() == 1


def test_decline_without_a_note_is_refused(client_for, curator, prog, collection, make_document):
    item = item_in(collection, make_document("Sổ tay"))
    client = client_for(curator)
    response = client.post(url("item_decline", prog, collection.pk, item.pk), {"note": " "}, follow=True)
    assert "Hãy ghi lý do không chọn" in response.content.decode()
    item.refresh_from_db()
    assert item.status == Status.PROPOSED
    client.post(url("item_decline", prog, collection.pk, item.pk), {"note": "Lỗi thời"})
    item.refresh_from_db()
    assert (item.status, item.decision_note) == (Status.DECLINED, "Lỗi thời")


@pytest.mark.parametrize("persona", ["coordinator", "lecturer"])
def test_only_curators_select(request, persona, client_for, prog, collection, make_document):
    item = item_in(collection, make_document())
    client = client_for(request.getfixturevalue(persona))
    assert client.post(url("item_select", prog, collection.pk, item.pk)).status_code == 404
    assert client.post(url("item_decline", prog, collection.pk, item.pk), {"note": "x"}).status_code == 404
    item.refresh_from_db()
    assert item.status == Status.PROPOSED


def test_select_an_item_already_selected_says_why(client_for, curator, prog, collection, make_document):
    item = item_in(collection, make_document("Sổ tay"), Status.SELECTED)
    response = client_for(curator).post(url("item_select", prog, collection.pk, item.pk), follow=True)
    assert "Không thể chọn" in response.content.decode()


def test_get_on_an_action_is_refused(client_for, curator, prog, collection, make_document):
    item = item_in(collection, make_document())
    assert client_for(curator).get(url("item_select", prog, collection.pk, item.pk)).status_code == 405


def test_withdraw_by_another_member_is_refused(client_for, lecturer, reviewer, prog, collection, make_document):
    item = curation.item_propose(actor=lecturer, collection=collection, document=make_document("Sổ tay"))
    response = client_for(reviewer).post(url("item_withdraw", prog, collection.pk, item.pk), follow=True)
    assert "Chỉ người đề xuất" in response.content.decode()
    assert CollectionItem.objects.filter(pk=item.pk).exists()
    client_for(lecturer).post(url("item_withdraw", prog, collection.pk, item.pk))
    assert not CollectionItem.objects.exists()


# Delivering --------------------------------------------------------------------------------------


def test_deliver_ticked_items(client_for, coordinator, prog, collection, make_document):
    first = item_in(collection, make_document("Một"), Status.SELECTED)
    second = item_in(collection, make_document("Hai"), Status.SELECTED)
    third = item_in(collection, make_document("Ba"), Status.SELECTED)
    client = client_for(coordinator)
    page = client.get(url("collection_detail", prog, collection.pk))
    assert page.context["deliver_form"]["delivered_on"].value() == timezone.localdate()
    response = client.post(
        url("item_deliver", prog, collection.pk),
        {"items": [first.pk, second.pk], "delivered_on": "02/10/2025", "note": "Bản in"},
    )
    assert response.status_code == 302
    delivered = CollectionItem.objects.filter(status=Status.DELIVERED)
    assert set(delivered.values_list("pk", flat=True)) == {first.pk, second.pk}
    assert set(delivered.values_list("delivered_on", "delivered_by", "delivery_note")) == {
        (date(2025, 10, 2), coordinator.pk, "Bản in")
    }
    third.refresh_from_db()
    assert third.status == Status.SELECTED


@pytest.mark.parametrize(
    "data, field",
    [
        ({"delivered_on": "01/01/2025"}, "items"),
        ({"delivered_on": "31/02/2025"}, "delivered_on"),
        ({"delivered_on": ""}, "delivered_on"),
        ({"delivered_on": "future"}, "delivered_on"),
    ],
)
def test_bad_delivery_input_writes_nothing(client_for, coordinator, prog, collection, make_document, data, field):
    item = item_in(collection, make_document("Một"), Status.SELECTED)
    data = dict(data)
    if data["delivered_on"] == "future":
        data["delivered_on"] = (timezone.localdate() + timedelta(days=2)).strftime("%d/%m/%Y")
    if field != "items":
        data["items"] = [item.pk]
    response = client_for(coordinator).post(url("item_deliver", prog, collection.pk), data)
    assert response.status_code == 400
    assert response.context["deliver_form"].errors[field]
    if field != "items":  # what was ticked stays ticked
        assert f'value="{item.pk}" checked' in response.content.decode()
    item.refresh_from_db()
    assert item.status == Status.SELECTED


def test_deliver_a_proposed_item_is_refused(client_for, coordinator, prog, collection, make_document):
    ready = item_in(collection, make_document("Một"), Status.SELECTED)
    waiting = item_in(collection, make_document("Hai"))
    response = client_for(coordinator).post(
        url("item_deliver", prog, collection.pk), {"items": [ready.pk, waiting.pk], "delivered_on": "01/10/2025"}
    )
    assert response.status_code == 400
    assert not CollectionItem.objects.filter(status=Status.DELIVERED).exists()


@pytest.mark.parametrize("persona", ["lecturer", "viewer"])
def test_members_without_staff_role_cannot_deliver(request, persona, client_for, prog, collection, make_document):
    item = item_in(collection, make_document("Một"), Status.SELECTED)
    client = client_for(request.getfixturevalue(persona))
    response = client.post(url("item_deliver", prog, collection.pk), {"items": [item.pk], "delivered_on": "01/10/2025"})
    assert response.status_code == 404
    assert "deliver-form" not in client.get(url("collection_detail", prog, collection.pk)).content.decode()
    item.refresh_from_db()
    assert item.status == Status.SELECTED


def test_undo_a_delivery(client_for, curator, lecturer, prog, collection, make_document):
    item = item_in(collection, make_document("Một"), Status.SELECTED)
    curation.item_deliver(actor=curator, items=[item], delivered_on=timezone.localdate())
    assert client_for(lecturer).post(url("item_undo_delivery", prog, collection.pk, item.pk)).status_code == 404
    client_for(curator).post(url("item_undo_delivery", prog, collection.pk, item.pk))
    item.refresh_from_db()
    assert item.status == Status.SELECTED


def test_collection_page_query_count(
    client_for, curator, lecturer, prog, collection, make_document, django_assert_max_num_queries
):
    for n in range(5):
        item_in(collection, make_document(f"Đề xuất {n}"))
        item_in(collection, make_document(f"Đã chọn {n}"), Status.SELECTED, decided_by=curator)
        item_in(
            collection,
            make_document(f"Đã giao {n}"),
            Status.DELIVERED,
            delivered_on=date(2025, 1, n + 1),
            delivered_by=curator,
        )
    client = client_for(curator)
    with django_assert_max_num_queries(14):
        response = client.get(url("collection_detail", prog, collection.pk))
    assert response.context["total"] == 15


# The register ------------------------------------------------------------------------------------


@pytest.fixture
def deliveries(curator, prog, partner, collection, make_document):
    other_partner = Organisation.objects.create(name="Trung tâm Hỗ trợ", type="cso")
    second = curation.collection_create(actor=curator, programme=prog, name="Tủ sách Trung tâm", partner=other_partner)
    made = []
    for where, title, day in [
        (collection, "Luật về Hội", date(2025, 3, 1)),
        (collection, '=HYPERLINK("http://x")', date(2025, 5, 10)),
        (second, "Sổ tay tổ chức xã hội", date(2025, 4, 15)),
    ]:
        item = item_in(where, make_document(title, year=2024), Status.SELECTED)
        curation.item_deliver(actor=curator, items=[item], delivered_on=day, note="+ghi chú")
        made.append(item)
    return {"second": second, "other_partner": other_partner, "items": made}


def test_register_newest_first_with_links_and_totals(client_for, viewer, prog, deliveries):
    response = client_for(viewer).get(url("register", prog))
    rows = list(response.context["page"].object_list)
    assert [r.delivered_on for r in rows] == [date(2025, 5, 10), date(2025, 4, 15), date(2025, 3, 1)]
    body = response.content.decode()
    assert reverse("library_public:document", args=[rows[0].document.pk]) in body
    assert "15/04/2025" in body and "Trung tâm Hỗ trợ" in body
    assert response.context["totals"] == {"items": 3, "documents": 3, "partners": 2}


def test_register_filters(client_for, coordinator, prog, partner, collection, deliveries):
    client = client_for(coordinator)

    def titles(**params):
        response = client.get(url("register", prog), params)
        return [r.document.title for r in response.context["page"].object_list]

    assert titles(partner=deliveries["other_partner"].pk) == ["Sổ tay tổ chức xã hội"]
    assert titles(collection=collection.pk) == ['=HYPERLINK("http://x")', "Luật về Hội"]
    assert titles(start="01/04/2025", end="30/04/2025") == ["Sổ tay tổ chức xã hội"]
    assert titles(start="01/04/2025") == ['=HYPERLINK("http://x")', "Sổ tay tổ chức xã hội"]
    response = client.get(url("register", prog), {"start": "30/04/2025", "end": "01/04/2025"})
    assert response.status_code == 200 and response.context["form"].errors["end"]
    assert client.get(url("register", prog), {"start": "không phải ngày", "collection": "x"}).status_code == 200


def test_register_of_another_programme_is_not_shown(client_for, other_coordinator, other_prog, deliveries):
    response = client_for(other_coordinator).get(url("register", other_prog))
    assert response.context["totals"]["items"] == 0
    assert "Chưa bàn giao tài liệu nào" in response.content.decode()


def test_register_paginates(client_for, coordinator, prog, collection, make_document):
    for n in range(55):
        item_in(collection, make_document(f"T{n}"), Status.DELIVERED, delivered_on=date(2025, 1, 1))
    client = client_for(coordinator)
    assert len(client.get(url("register", prog)).context["page"].object_list) == 50
    assert len(client.get(url("register", prog), {"page": 2}).context["page"].object_list) == 5


def test_register_query_count(
    client_for, coordinator, curator, prog, collection, make_document, django_assert_max_num_queries
):
    for n in range(20):
        item_in(
            collection, make_document(f"T{n}"), Status.DELIVERED, delivered_on=date(2025, 1, 1), delivered_by=curator
        )
    client = client_for(coordinator)
    with django_assert_max_num_queries(12):
        response = client.get(url("register", prog))
    assert len(response.context["page"].object_list) == 20


def test_register_export_is_filtered_and_formula_safe(client_for, coordinator, prog, collection, deliveries):
    response = client_for(coordinator).get(url("register_export", prog), {"collection": collection.pk})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Ngày bàn giao"
    assert len(rows) == 3
    assert rows[1][0].date() == date(2025, 5, 10)
    assert rows[1][1] == "Viện Nghiên cứu Chính sách"
    assert rows[1][3] == '=HYPERLINK("http://x")'
    assert rows[1][4] == 2024 and rows[1][6] == "+ghi chú"
    for row in sheet.iter_rows(min_row=2):
        assert all(cell.data_type != "f" for cell in row)


def test_register_export_empty_is_a_workbook(client_for, coordinator, prog):
    response = client_for(coordinator).get(url("register_export", prog))
    rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
    assert len(rows) == 1
