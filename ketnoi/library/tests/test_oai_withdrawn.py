"""Withdrawn records: a document that stops being public, or is deleted, is announced to
harvesters as deleted (deletedRecord "persistent") — header only, never its metadata — and is
a normal record again once it is public again. Responses are validated against the schema."""

import datetime

import pytest
from django.utils import timezone

from ketnoi.library.models import Collection, CollectionItem, WithdrawnRecord
from ketnoi.library.services import documents as services

from .oai_harvest import NS, errors, harvest, identifiers, oai_id, stamp, utc

pytestmark = pytest.mark.django_db


def deleted_headers(root) -> list[str]:
    return [h.findtext("o:identifier", namespaces=NS) for h in root.iterfind(".//o:header[@status='deleted']", NS)]


@pytest.fixture
def public(make_document):
    return make_document("Báo cáo công khai về quyền lập hội", access="public", abstract="Tóm tắt bí mật sau này")


def test_narrowing_access_withdraws_the_record(client, curator, public):
    services.document_update(actor=curator, document=public, access="staff")
    root = harvest(client, verb="ListRecords", metadataPrefix="oai_dc")
    assert deleted_headers(root) == [oai_id(public)]
    (record,) = root.iterfind(".//o:record", NS)
    assert record.find("o:metadata", NS) is None  # the header alone: nothing of the description
    got = harvest(client, verb="GetRecord", identifier=oai_id(public), metadataPrefix="oai_dc")
    assert deleted_headers(got) == [oai_id(public)]
    assert got.find(".//o:metadata", NS) is None
    listed = harvest(client, verb="ListIdentifiers", metadataPrefix="oai_dc")
    assert deleted_headers(listed) == [oai_id(public)]
    formats = harvest(client, verb="ListMetadataFormats", identifier=oai_id(public))
    assert not errors(formats)


def test_withdrawn_record_carries_no_metadata_text(client, curator, public):
    services.document_update(actor=curator, document=public, access="partners")
    response = client.get("/library/oai/", {"verb": "ListRecords", "metadataPrefix": "oai_dc"})
    assert "quyền lập hội".encode() not in response.content
    assert "Tóm tắt bí mật".encode() not in response.content


def test_public_again_takes_the_withdrawal_back(client, curator, public):
    services.document_update(actor=curator, document=public, access="staff")
    services.document_update(actor=curator, document=public, access="public")
    assert not WithdrawnRecord.objects.exists()
    root = harvest(client, verb="ListIdentifiers", metadataPrefix="oai_dc")
    assert identifiers(root) == [oai_id(public)]
    assert not deleted_headers(root)


def test_deleting_a_public_document_withdraws_it(client, curator, public):
    pk = public.pk
    services.document_delete(actor=curator, document=public)
    root = harvest(client, verb="ListIdentifiers", metadataPrefix="oai_dc")
    assert deleted_headers(root) == [f"oai:{oai_id(public).split(':')[1]}:library/{pk}"]


def test_documents_that_never_were_public_leave_nothing(client, curator, make_document):
    partners = make_document("Tài liệu cho đối tác", access="partners")
    services.document_update(actor=curator, document=partners, access="staff")
    services.document_delete(actor=curator, document=partners)
    assert not WithdrawnRecord.objects.exists()
    root = harvest(client, verb="ListIdentifiers", metadataPrefix="oai_dc")
    assert errors(root) == ["noRecordsMatch"]


def test_identify_dates_from_the_earliest_withdrawal(client, curator, public):
    services.document_update(actor=curator, document=public, access="staff")
    WithdrawnRecord.objects.update(withdrawn_at=utc(2021, 5, 6, 7, 8, 9))
    root = harvest(client, verb="Identify")
    assert root.findtext(".//o:earliestDatestamp", namespaces=NS) == "2021-05-06T07:08:09Z"
    assert root.findtext(".//o:deletedRecord", namespaces=NS) == "persistent"


def test_set_harvesters_learn_of_withdrawals_from_their_set(client, curator, prog, public, make_document):
    corner = Collection.objects.create(programme=prog, name="Góc tri thức")
    other = Collection.objects.create(programme=prog, name="Tủ sách khác")
    CollectionItem.objects.create(collection=corner, document=public, status="delivered")
    services.document_update(actor=curator, document=public, access="staff")
    in_corner = harvest(client, verb="ListIdentifiers", metadataPrefix="oai_dc", set=corner.set_spec)
    assert deleted_headers(in_corner) == [oai_id(public)]
    assert [s.text for s in in_corner.iterfind(".//o:setSpec", NS)] == [corner.set_spec]
    # Another collection's set never held it.
    make_document("Sách khác", access="public")
    CollectionItem.objects.create(
        collection=other, document=make_document("Sách trong tủ khác", access="public"), status="selected"
    )
    in_other = harvest(client, verb="ListIdentifiers", metadataPrefix="oai_dc", set=other.set_spec)
    assert oai_id(public) not in identifiers(in_other)


def test_from_and_until_apply_to_withdrawals(client, curator, public):
    services.document_update(actor=curator, document=public, access="staff")
    WithdrawnRecord.objects.update(withdrawn_at=utc(2024, 6, 1, 12, 0, 0))
    before = harvest(client, verb="ListIdentifiers", metadataPrefix="oai_dc", until="2024-05-31")
    assert errors(before) == ["noRecordsMatch"]
    after = harvest(client, verb="ListIdentifiers", metadataPrefix="oai_dc", **{"from": "2024-06-01"})
    assert deleted_headers(after) == [oai_id(public)]


@pytest.mark.parametrize("verb", ["ListIdentifiers", "ListRecords"])
def test_pages_merge_documents_and_withdrawals_in_datestamp_order(client, curator, make_document, monkeypatch, verb):
    monkeypatch.setattr("ketnoi.library.oai.PAGE_SIZE", 2)
    start = timezone.now() - datetime.timedelta(days=10)
    documents = [make_document(f"Tài liệu {i}", access="public") for i in range(5)]
    for i, document in enumerate(documents):
        stamp(document, start + datetime.timedelta(days=i))
    for i in (1, 3):  # withdrawn later than every other datestamp, in this order
        services.document_update(actor=curator, document=documents[i], access="staff")
        WithdrawnRecord.objects.filter(document_id=documents[i].pk).update(
            withdrawn_at=start + datetime.timedelta(days=6 + i)
        )
    seen, deleted = [], []
    root = harvest(client, verb=verb, metadataPrefix="oai_dc")
    while True:
        seen += identifiers(root)
        deleted += deleted_headers(root)
        token = root.find(f".//o:{verb}/o:resumptionToken", NS)
        if token is None or not token.text:
            break
        assert token.get("completeListSize") == "5"
        root = harvest(client, verb=verb, resumptionToken=token.text)
    order = [documents[0], documents[2], documents[4], documents[1], documents[3]]
    assert seen == [oai_id(d) for d in order]
    assert deleted == [oai_id(documents[1]), oai_id(documents[3])]


def test_a_logged_in_outsider_gets_the_deleted_header_only(client_for, curator, outsider, public):
    services.document_update(actor=curator, document=public, access="partners")
    client = client_for(outsider)
    root = harvest(client, verb="GetRecord", identifier=oai_id(public), metadataPrefix="oai_dc")
    assert deleted_headers(root) == [oai_id(public)] and root.find(".//o:metadata", NS) is None
