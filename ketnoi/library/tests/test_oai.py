"""The OAI-PMH provider: every verb, every error code, resumption, sets, from/until — each
response validated against the protocol's published schema (OAI-PMH.xsd with oai_dc.xsd) — and
only public documents, whatever the request."""

import datetime

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from lxml import etree

from ketnoi.library import oai
from ketnoi.library.models import Collection, CollectionItem, Creator, Document, DocumentFile

from .oai_harvest import (
    NS,
    URL,
    errors,
    harvest,
    identifiers,
    oai_id,
    response_schema,
    stamp,
    utc,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def three(make_document):
    """A public, a partners-only and a staff-only document."""
    return (
        make_document("Báo cáo công khai về hội", access="public", year=2022),
        make_document("Tài liệu cho đối tác", access="partners"),
        make_document("Hồ sơ chỉ cán bộ", access="staff"),
    )


@pytest.fixture
def corner(prog, three):
    public, partners, staff = three
    collection = Collection.objects.create(programme=prog, name="Góc tri thức của Viện")
    for document in three:
        CollectionItem.objects.create(collection=collection, document=document, status="delivered")
    return collection


def test_every_message_of_the_schema_is_checked():
    """The validator itself refuses what the protocol refuses (a guard against a lax schema)."""
    bad = f'<OAI-PMH xmlns="{oai.OAI_NS}"><responseDate>now</responseDate></OAI-PMH>'
    assert not response_schema().validate(etree.fromstring(bad))


# --- Identify -----------------------------------------------------------------------------------


def test_identify(client, three):
    public, partners, staff = three
    stamp(public, utc(2023, 3, 4, 5, 6, 7, 890))
    stamp(staff, utc(2001, 1, 1))  # older, but never shown: must not set the earliest datestamp
    root = harvest(client, verb="Identify")
    assert errors(root) == []
    assert root.find("o:request", NS).get("verb") == "Identify"
    identify = root.find("o:Identify", NS)
    assert identify.findtext("o:repositoryName", namespaces=NS) == "Kết Nối"
    assert identify.findtext("o:baseURL", namespaces=NS) == settings.SITE_URL.rstrip("/") + URL
    assert identify.findtext("o:protocolVersion", namespaces=NS) == "2.0"
    assert identify.findtext("o:earliestDatestamp", namespaces=NS) == "2023-03-04T05:06:07Z"
    assert identify.findtext("o:deletedRecord", namespaces=NS) == "persistent"
    assert identify.findtext("o:granularity", namespaces=NS) == "YYYY-MM-DDThh:mm:ssZ"


def test_identify_without_documents_and_admin_email(client, settings):
    settings.DEFAULT_FROM_EMAIL = "Thư viện Kết Nối <thuvien@ketnoi.org.vn>"
    root = harvest(client, method="post", verb="Identify")
    assert root.findtext("o:Identify/o:adminEmail", namespaces=NS) == "thuvien@ketnoi.org.vn"
    earliest = root.findtext("o:Identify/o:earliestDatestamp", namespaces=NS)
    moment = datetime.datetime.strptime(earliest, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=datetime.UTC)
    assert abs(moment - timezone.now()) < datetime.timedelta(minutes=1)


def test_admin_email_falls_back_to_a_valid_address(settings):
    settings.DEFAULT_FROM_EMAIL = settings.SERVER_EMAIL = "Kết Nối <noreply@localhost>"
    settings.SITE_URL = "https://ketnoi.example.vn"
    assert oai.admin_email() == "noreply@ketnoi.example.vn"
    settings.SITE_URL = "http://localhost:8000"
    assert oai.admin_email() == "noreply@localhost.invalid"


# --- ListMetadataFormats ------------------------------------------------------------------------


def test_list_metadata_formats(client, three):
    public, partners, staff = three
    for arguments in ({}, {"identifier": oai_id(public)}):
        root = harvest(client, verb="ListMetadataFormats", **arguments)
        formats = root.findall("o:ListMetadataFormats/o:metadataFormat", NS)
        assert [f.findtext("o:metadataPrefix", namespaces=NS) for f in formats] == ["oai_dc"]
        assert formats[0].findtext("o:metadataNamespace", namespaces=NS) == oai.OAI_DC_NS
    for hidden in (partners, staff):
        assert errors(harvest(client, verb="ListMetadataFormats", identifier=oai_id(hidden))) == ["idDoesNotExist"]
    assert errors(harvest(client, verb="ListMetadataFormats", identifier="oai:elsewhere:x/1")) == ["idDoesNotExist"]


# --- ListSets -----------------------------------------------------------------------------------


def test_list_sets_shows_collections_with_public_documents(client, prog, corner, make_document):
    hidden = Collection.objects.create(programme=prog, name="Tủ hồ sơ nội bộ")
    CollectionItem.objects.create(
        collection=hidden, document=make_document("Nội bộ", access="staff"), status="delivered"
    )
    only_proposed = Collection.objects.create(programme=prog, name="Mới đề xuất")
    CollectionItem.objects.create(collection=only_proposed, document=make_document("Đề xuất"), status="proposed")
    root = harvest(client, verb="ListSets")
    sets = root.findall("o:ListSets/o:set", NS)
    assert [(s.findtext("o:setSpec", namespaces=NS), s.findtext("o:setName", namespaces=NS)) for s in sets] == [
        (corner.set_spec, "Góc tri thức của Viện")
    ]


def test_list_sets_without_collections_and_with_a_token(client, three):
    assert errors(harvest(client, verb="ListSets")) == ["noSetHierarchy"]
    assert errors(harvest(client, verb="ListSets", resumptionToken="abc")) == ["badResumptionToken"]


# --- GetRecord ----------------------------------------------------------------------------------


def test_get_record_in_oai_dc(client, corner, three):
    public = three[0]
    Document.objects.filter(pk=public.pk).update(
        abstract="Tóm tắt về khung pháp lý.",
        publisher="Viện Nghiên cứu",
        issued=datetime.date(2022, 7, 1),
        doi="10.1234/abc",
        isbn="978-604-1",
        url="https://example.org/bao-cao",
        rights="CC BY 4.0",
        source="Bộ Nội vụ",
        language="vi",
    )
    Creator.objects.create(document=public, position=0, name="Nguyễn Văn An")
    Creator.objects.create(document=public, position=1, name="UNDP", is_organisation=True)
    from ketnoi.library.models import Subject

    public.subjects.add(Subject.objects.create(name="Hội", folded="hoi"))
    DocumentFile.objects.create(
        document=public, file="x.pdf", original_name="x.pdf", media_type="application/pdf", size=1, sha256="0" * 64
    )
    stamp(public, utc(2024, 2, 3, 4, 5, 6))
    root = harvest(client, verb="GetRecord", identifier=oai_id(public), metadataPrefix="oai_dc")
    assert errors(root) == []
    request = root.find("o:request", NS)
    assert request.get("identifier") == oai_id(public) and request.get("metadataPrefix") == "oai_dc"
    record = root.find("o:GetRecord/o:record", NS)
    assert record.findtext("o:header/o:identifier", namespaces=NS) == oai_id(public)
    assert record.findtext("o:header/o:datestamp", namespaces=NS) == "2024-02-03T04:05:06Z"
    assert [e.text for e in record.findall("o:header/o:setSpec", NS)] == [corner.set_spec]
    dc = record.find("o:metadata/oai_dc:dc", NS)

    def values(tag):
        return [e.text for e in dc.findall(f"dc:{tag}", NS)]

    assert values("title") == ["Báo cáo công khai về hội"]
    assert values("creator") == ["Nguyễn Văn An", "UNDP"]
    assert values("subject") == ["Hội"]
    assert values("description") == ["Tóm tắt về khung pháp lý."]
    assert values("publisher") == ["Viện Nghiên cứu"]
    assert values("date") == ["2022-07-01"]
    assert values("type")[0] == "Text"
    assert values("format") == ["application/pdf"]
    page = settings.SITE_URL.rstrip("/") + reverse("library_public:document", args=[public.pk])
    assert values("identifier") == [
        page,
        "https://doi.org/10.1234/abc",
        "urn:isbn:978-604-1",
        "https://example.org/bao-cao",
    ]
    assert values("language") == ["vi"]
    assert values("rights") == ["CC BY 4.0"]
    assert values("source") == ["Bộ Nội vụ"]


def test_get_record_never_shows_partners_or_staff_documents(client, three):
    public, partners, staff = three
    for hidden in (partners, staff):
        root = harvest(client, verb="GetRecord", identifier=oai_id(hidden), metadataPrefix="oai_dc")
        assert errors(root) == ["idDoesNotExist"]
        assert hidden.title.encode() not in etree.tostring(root, encoding="utf-8")
    assert errors(harvest(client, verb="GetRecord", identifier="nonsense", metadataPrefix="oai_dc")) == [
        "idDoesNotExist"
    ]


def test_embargoed_public_document_is_harvested(client, make_document):
    embargoed = make_document("Đang hạn chế", embargo_until=timezone.localdate() + datetime.timedelta(days=30))
    root = harvest(client, verb="GetRecord", identifier=oai_id(embargoed), metadataPrefix="oai_dc")
    assert errors(root) == []


def test_get_record_errors(client, three):
    public = three[0]
    root = harvest(client, verb="GetRecord", identifier=oai_id(public), metadataPrefix="marc21")
    assert errors(root) == ["cannotDisseminateFormat"]
    assert errors(harvest(client, verb="GetRecord", identifier=oai_id(public))) == ["badArgument"]
    assert errors(harvest(client, verb="GetRecord", metadataPrefix="oai_dc")) == ["badArgument"]


# --- ListIdentifiers / ListRecords: access -------------------------------------------------------


@pytest.mark.parametrize("verb", ["ListIdentifiers", "ListRecords"])
def test_lists_hold_only_public_documents(client, client_for, staff_admin, corner, three, verb):
    public, partners, staff = three
    for user_client in (client, client_for(staff_admin)):  # signing in changes nothing
        root = harvest(user_client, verb=verb, metadataPrefix="oai_dc")
        assert identifiers(root) == [oai_id(public)]
        root = harvest(user_client, verb=verb, metadataPrefix="oai_dc", set=corner.set_spec)
        assert identifiers(root) == [oai_id(public)]
        text = etree.tostring(root, encoding="utf-8").decode()
        assert partners.title not in text and staff.title not in text


def test_a_logged_in_outsider_gets_no_record_that_is_not_public(client_for, outsider, three):
    public, partners, staff = three
    client = client_for(outsider)
    assert identifiers(harvest(client, verb="ListIdentifiers", metadataPrefix="oai_dc")) == [oai_id(public)]
    for hidden in (partners, staff):
        root = harvest(client, verb="GetRecord", identifier=oai_id(hidden), metadataPrefix="oai_dc")
        assert errors(root) == ["idDoesNotExist"]


def test_list_records_carry_oai_dc_and_list_identifiers_headers_only(client, three):
    records = harvest(client, verb="ListRecords", metadataPrefix="oai_dc")
    assert len(records.findall("o:ListRecords/o:record/o:metadata/oai_dc:dc", NS)) == 1
    headers = harvest(client, verb="ListIdentifiers", metadataPrefix="oai_dc")
    assert len(headers.findall("o:ListIdentifiers/o:header", NS)) == 1
    assert headers.find(".//o:metadata", NS) is None


# --- from / until / set -------------------------------------------------------------------------


@pytest.fixture
def dated(make_document):
    return [
        stamp(make_document("Cũ"), utc(2023, 12, 31, 23, 59, 59)),
        stamp(make_document("Đầu năm"), utc(2024, 1, 1, 0, 0, 0)),
        stamp(make_document("Giữa năm"), utc(2024, 6, 30, 12, 0, 0, 500000)),
        stamp(make_document("Mới"), utc(2024, 7, 1, 0, 0, 0)),
    ]


@pytest.mark.parametrize(
    ("arguments", "expected"),
    [
        ({"from": "2024-01-01"}, [1, 2, 3]),
        ({"until": "2024-06-30"}, [0, 1, 2]),
        ({"from": "2024-01-01", "until": "2024-06-30"}, [1, 2]),
        ({"from": "2024-01-01T00:00:00Z", "until": "2024-06-30T12:00:00Z"}, [1, 2]),
        ({"from": "2023-12-31T23:59:59Z", "until": "2023-12-31T23:59:59Z"}, [0]),
        ({"from": "2024-06-30", "until": "2024-06-30"}, [2]),
    ],
)
def test_from_and_until(client, dated, arguments, expected):
    root = harvest(client, verb="ListIdentifiers", metadataPrefix="oai_dc", **arguments)
    assert identifiers(root) == [oai_id(dated[i]) for i in expected]


def test_datestamps_are_utc(client, dated):
    root = harvest(client, verb="ListIdentifiers", metadataPrefix="oai_dc")
    stamps = [e.text for e in root.iterfind(".//o:header/o:datestamp", NS)]
    assert stamps == ["2023-12-31T23:59:59Z", "2024-01-01T00:00:00Z", "2024-06-30T12:00:00Z", "2024-07-01T00:00:00Z"]


def test_set_holds_selected_and_delivered_items_only(client, prog, make_document):
    collection = Collection.objects.create(programme=prog, name="Góc của đối tác")
    chosen = {}
    for status in ("proposed", "selected", "declined", "delivered"):
        chosen[status] = make_document(f"Tài liệu {status}")
        CollectionItem.objects.create(collection=collection, document=chosen[status], status=status)
    make_document("Ngoài bộ sưu tập")
    root = harvest(client, verb="ListIdentifiers", metadataPrefix="oai_dc", set=collection.set_spec)
    assert sorted(identifiers(root)) == sorted([oai_id(chosen["selected"]), oai_id(chosen["delivered"])])
    root = harvest(client, verb="ListIdentifiers", metadataPrefix="oai_dc", set="collection-999999")
    assert errors(root) == ["noRecordsMatch"]


# --- errors -------------------------------------------------------------------------------------


def _request_is_bare(root) -> bool:
    request = root.find("o:request", NS)
    return dict(request.attrib) == {} and request.text == settings.SITE_URL.rstrip("/") + URL


@pytest.mark.parametrize(
    "arguments",
    [{}, {"verb": "Harvest"}, {"verb": ["Identify", "Identify"]}, {"verb": ["Identify", "ListSets"]}, {"verb": ""}],
)
def test_bad_verb(client, arguments):
    root = harvest(client, **arguments)
    assert errors(root) == ["badVerb"]
    assert _request_is_bare(root)


@pytest.mark.parametrize(
    "arguments",
    [
        {"verb": "Identify", "metadataPrefix": "oai_dc"},
        {"verb": "ListRecords"},
        {"verb": "ListIdentifiers", "metadataPrefix": ["oai_dc", "oai_dc"]},
        {"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2024-13-45"},
        {"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "yesterday"},
        {"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2024-01-01T00:00:00+07:00"},
        {"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2024-01-01", "until": "2024-02-01T00:00:00Z"},
        {"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2024-02-01", "until": "2024-01-01"},
        {"verb": "ListRecords", "metadataPrefix": "oai_dc", "set": "bad set"},
        {"verb": "ListRecords", "metadataPrefix": "bad prefix"},
        {"verb": "ListRecords", "metadataPrefix": "oai_dc", "resumptionToken": "abc"},
        {"verb": "ListSets", "set": "collection-1"},
        {"verb": "GetRecord", "identifier": "oai:x:library/1"},
    ],
)
def test_bad_argument(client, three, arguments):
    root = harvest(client, **arguments)
    assert errors(root) == ["badArgument"]
    assert _request_is_bare(root)


@pytest.mark.parametrize("verb", ["ListIdentifiers", "ListRecords"])
def test_cannot_disseminate_and_no_records(client, three, verb):
    assert errors(harvest(client, verb=verb, metadataPrefix="mods")) == ["cannotDisseminateFormat"]
    assert errors(harvest(client, verb=verb, metadataPrefix="oai_dc", **{"from": "2999-01-01"})) == ["noRecordsMatch"]


def test_no_records_when_nothing_is_public(client, make_document):
    make_document("Nội bộ", access="staff")
    make_document("Đối tác", access="partners")
    for verb in ("ListIdentifiers", "ListRecords"):
        assert errors(harvest(client, verb=verb, metadataPrefix="oai_dc")) == ["noRecordsMatch"]


# --- resumption ---------------------------------------------------------------------------------


def _token(root, verb):
    return root.find(f"o:{verb}/o:resumptionToken", NS)


@pytest.mark.parametrize("verb", ["ListIdentifiers", "ListRecords"])
def test_resumption_over_pages_with_a_document_added_between(client, make_document, monkeypatch, verb):
    monkeypatch.setattr(oai, "PAGE_SIZE", 2)
    documents = [make_document(f"Tài liệu {n}") for n in range(5)]
    make_document("Nội bộ", access="staff")

    first = harvest(client, verb=verb, metadataPrefix="oai_dc")
    token = _token(first, verb)
    assert (token.get("cursor"), token.get("completeListSize")) == ("0", "5")
    assert token.get("expirationDate").endswith("Z") and token.text
    seen = identifiers(first)
    assert seen == [oai_id(d) for d in documents[:2]]

    added = make_document("Thêm giữa chừng")
    second = harvest(client, method="post", verb=verb, resumptionToken=token.text)
    assert dict(second.find("o:request", NS).attrib) == {"verb": verb, "resumptionToken": token.text}
    token = _token(second, verb)
    assert (token.get("cursor"), token.get("completeListSize")) == ("2", "6")
    seen += identifiers(second)

    third = harvest(client, verb=verb, resumptionToken=token.text)
    token = _token(third, verb)
    assert token.text is None and token.get("cursor") == "4" and token.get("completeListSize") == "6"
    seen += identifiers(third)
    assert seen == [oai_id(d) for d in [*documents, added]]


def test_a_complete_first_page_has_no_token(client, three):
    root = harvest(client, verb="ListIdentifiers", metadataPrefix="oai_dc")
    assert _token(root, "ListIdentifiers") is None


def test_token_keeps_the_query(client, make_document, monkeypatch, prog):
    monkeypatch.setattr(oai, "PAGE_SIZE", 1)
    collection = Collection.objects.create(programme=prog, name="Góc")
    inside = [make_document(f"Trong {n}") for n in range(3)]
    for document in inside:
        CollectionItem.objects.create(collection=collection, document=document, status="selected")
    make_document("Ngoài")
    root = harvest(client, verb="ListRecords", metadataPrefix="oai_dc", set=collection.set_spec)
    seen = identifiers(root)
    while (token := _token(root, "ListRecords")) is not None and token.text:
        root = harvest(client, verb="ListRecords", resumptionToken=token.text)
        seen += identifiers(root)
    assert seen == [oai_id(d) for d in inside]


@pytest.mark.parametrize("verb", ["ListIdentifiers", "ListRecords"])
def test_bad_resumption_tokens(client, make_document, monkeypatch, verb):
    monkeypatch.setattr(oai, "PAGE_SIZE", 1)
    make_document("Một")
    make_document("Hai")
    token = _token(harvest(client, verb=verb, metadataPrefix="oai_dc"), verb).text
    other = "ListRecords" if verb == "ListIdentifiers" else "ListIdentifiers"
    for garbled in ("nonsense", token[:-3] + "xyz", token + "x"):
        assert errors(harvest(client, verb=verb, resumptionToken=garbled)) == ["badResumptionToken"]
    assert errors(harvest(client, verb=other, resumptionToken=token)) == ["badResumptionToken"]
    monkeypatch.setattr(oai, "TOKEN_MAX_AGE", -1)  # every token is now expired
    assert errors(harvest(client, verb=verb, resumptionToken=token)) == ["badResumptionToken"]


# --- cost ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("verb", ["ListIdentifiers", "ListRecords"])
def test_list_query_count_does_not_grow(client, prog, make_document, django_assert_max_num_queries, verb):
    collection = Collection.objects.create(programme=prog, name="Góc")
    for n in range(15):
        document = make_document(f"Tài liệu {n}", subjects=["Hội"])
        Creator.objects.create(document=document, name="Phạm Thị Lan")
        CollectionItem.objects.create(collection=collection, document=document, status="delivered")
    with django_assert_max_num_queries(8):
        harvest(client, verb=verb, metadataPrefix="oai_dc")
