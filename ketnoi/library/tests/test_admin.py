"""The staff back office for the library: every model opens read-only (the services keep the
index and the audit log in step), and no list or page costs a query per row."""

import pytest
from django.urls import reverse

from ketnoi.core.tests.admin_checks import admin_pages, assert_flat_query_counts, assert_read_only
from ketnoi.directory.models import Organisation, OrganisationType, Person
from ketnoi.library.models import (
    Collection,
    CollectionItem,
    Creator,
    Passage,
    PhysicalCopy,
    TermStat,
    WithdrawnRecord,
)

pytestmark = pytest.mark.django_db

MODELS = [
    "document",
    "documentfile",
    "subject",
    "passage",
    "physicalcopy",
    "collection",
    "collectionitem",
    "withdrawnrecord",
    "termstat",
]


@pytest.fixture
def add_rows(prog, make_user, make_document):
    def add(i: int, base: dict | None = None) -> dict:
        """A document with a file, a subject, a creator and a copy, in a collection; a withdrawn
        record; with `base`, also one more creator of base's document and one more item of base's
        collection."""
        org = Organisation.objects.create(name=f"Viện {i}", type=OrganisationType.ACADEMIC)
        person = Person.objects.create(full_name=f"Tác giả {i}", organisation=org)
        user = make_user(f"thu-thu-{i}")
        document = make_document(f"Báo cáo {i}", pages=[f"Trang một của báo cáo {i}"], subjects=[f"Chủ đề {i}"])
        Creator.objects.create(document=document, name=person.full_name, person=person, organisation=org)
        copy = PhysicalCopy.objects.create(document=document, location=f"Phòng {i}", shelf="A")
        collection = Collection.objects.create(programme=prog, name=f"Tủ sách {i}", partner=org)
        item = CollectionItem.objects.create(
            collection=collection, document=document, proposed_by=user, decided_by=user, delivered_by=user
        )
        withdrawn = WithdrawnRecord.objects.create(document_id=10_000 + i, set_specs=f" collection-{collection.pk} ")
        if base is not None:
            Creator.objects.create(document=base["document"], name=f"Đồng tác giả {i}", person=person, organisation=org)
            CollectionItem.objects.create(
                collection=base["collection"], document=document, decided_by=user, delivered_by=user
            )
        return {
            "document": document,
            "documentfile": document.files.get(),
            "subject": document.subjects.get(),
            "passage": Passage.objects.filter(document=document).first(),
            "physicalcopy": copy,
            "collection": collection,
            "collectionitem": item,
            "withdrawnrecord": withdrawn,
            "termstat": TermStat.objects.order_by("term").last(),
        }

    return add


@pytest.fixture
def rows(add_rows):
    return add_rows(1)


def pages(rows: dict) -> list[str]:
    return admin_pages("library", {m: rows[m] for m in MODELS})


@pytest.mark.parametrize("model", MODELS)
def test_staff_open_each_changelist_and_change_page_read_only(client_for, staff_admin, rows, model):
    assert_read_only(client_for(staff_admin), "library", model, rows[model], listed=None)


def test_search(client_for, staff_admin, rows):
    client = client_for(staff_admin)
    documents = client.get(reverse("admin:library_document_changelist"), {"q": "Báo cáo 1"})
    assert documents.context["cl"].result_count == 1
    withdrawn = reverse("admin:library_withdrawnrecord_changelist")
    assert client.get(withdrawn, {"q": "10001"}).context["cl"].result_count == 1
    assert client.get(withdrawn, {"q": "không phải số"}).context["cl"].result_count == 0


def test_query_counts_do_not_grow_with_rows(client_for, staff_admin, add_rows, rows):
    assert_flat_query_counts(client_for(staff_admin), pages(rows), lambda i: add_rows(i, base=rows))


@pytest.mark.parametrize("persona", ["curator", "outsider"])
def test_non_staff_cannot_use_the_back_office(request, client_for, persona):
    response = client_for(request.getfixturevalue(persona)).get(reverse("admin:library_document_changelist"))
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")
