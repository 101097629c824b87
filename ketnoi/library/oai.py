"""An OAI-PMH 2.0 data provider for the library: the six verbs, oai_dc, collections as sets.

Only documents whose access level is "public" are ever disseminated, whatever the request: every
query starts from `harvestable_documents()`. A public document under embargo still appears —
its description is public, as on the document page (see access.py); OAI-PMH carries metadata
only, never files or extracted text, so the embargo has nothing to hold back here.

A document that was public and no longer is (narrowed or deleted) is announced as deleted —
`<header status="deleted">` — from its `WithdrawnRecord`, for good (deletedRecord "persistent"):
otherwise harvesters would keep serving a record the centre took back.

Lists are ordered by (datestamp, id) — documents and withdrawn records merged — and cut into pages
of `PAGE_SIZE`. The resumption token is
a signed, timestamped record of the query and of the last (updated_at, id) sent, so the next
page starts strictly after it: documents added meanwhile come at the end instead of shifting
the pages. A token that is garbled, signed by another key or older than `TOKEN_MAX_AGE` is a
badResumptionToken. Nothing is kept on the server between requests.

`respond(arguments, base_url=...)` takes the request's arguments as lists of values (so that a
repeated argument can be refused) and returns the response document as bytes.
"""

import re
from datetime import UTC, date, datetime, time, timedelta
from urllib.parse import urlparse

from django.conf import settings
from django.core import signing
from django.db.models import Min, Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from lxml import etree

from . import access
from .models import Access, CollectionItem, Creator, Document, DocumentFile, WithdrawnRecord

PAGE_SIZE = 100
TOKEN_MAX_AGE = 24 * 3600
TOKEN_SALT = "ketnoi.library.oai"  # noqa: S105 - a signing namespace, not a secret
REPOSITORY_NAME = "Kết Nối"

OAI_NS = "http://www.openarchives.org/OAI/2.0/"
OAI_SCHEMA = "http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd"
OAI_DC_NS = "http://www.openarchives.org/OAI/2.0/oai_dc/"
OAI_DC_SCHEMA = "http://www.openarchives.org/OAI/2.0/oai_dc.xsd"
DC_NS = "http://purl.org/dc/elements/1.1/"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"

METADATA_FORMATS = {"oai_dc": (OAI_DC_SCHEMA, OAI_DC_NS)}
IN_SET = CollectionItem.IN_SET

# verb → (required arguments, optional arguments); "resumptionToken" is exclusive where allowed.
VERBS = {
    "Identify": (set(), set()),
    "ListMetadataFormats": (set(), {"identifier"}),
    "ListSets": (set(), {"resumptionToken"}),
    "GetRecord": ({"identifier", "metadataPrefix"}, set()),
    "ListIdentifiers": ({"metadataPrefix"}, {"from", "until", "set", "resumptionToken"}),
    "ListRecords": ({"metadataPrefix"}, {"from", "until", "set", "resumptionToken"}),
}

_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_SECOND = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")
_PREFIX = re.compile(r"^[A-Za-z0-9\-_.!~*'()]+$")
_SET_SPEC = re.compile(r"^collection-(\d+)$")
_EMAIL = re.compile(r"^\S+@(\S+\.)+\S+$")


class OAIError(Exception):
    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


def E(tag: str, text=None, ns: str = OAI_NS, **attributes):
    element = etree.Element(f"{{{ns}}}{tag}", {k: str(v) for k, v in attributes.items()})
    if text is not None:
        element.text = str(text)
    return element


def sub(parent, tag: str, text=None, ns: str = OAI_NS, **attributes):
    element = E(tag, text, ns, **attributes)
    parent.append(element)
    return element


# --- the queries ------------------------------------------------------------------------------


def harvestable_documents() -> QuerySet[Document]:
    """The only documents OAI-PMH may show: public ones (embargoed or not, see the module doc)."""
    return Document.objects.filter(access=Access.PUBLIC)


def repository_host() -> str:
    return urlparse(settings.SITE_URL).hostname or "localhost"


def oai_identifier(document_id: int) -> str:
    return f"oai:{repository_host()}:library/{document_id}"


def item_for_identifier(identifier: str) -> Document | WithdrawnRecord:
    """The public document, or the withdrawn record, that an identifier names."""
    match = re.fullmatch(rf"oai:{re.escape(repository_host())}:library/(\d+)", identifier)
    pk = int(match.group(1)) if match else None
    item = pk and (
        harvestable_documents().filter(pk=pk).first() or WithdrawnRecord.objects.filter(document_id=pk).first()
    )
    if not item:
        raise OAIError(
            "idDoesNotExist",
            _("Không có tài liệu công khai nào mang định danh %(identifier)s.") % {"identifier": identifier},
        )
    return item


def datestamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def admin_email() -> str:
    """The repository contact, from the site's e-mail settings. The schema wants user@host.tld;
    a development address such as noreply@localhost is turned into one on the site's host."""
    from email.utils import parseaddr

    for setting in (settings.DEFAULT_FROM_EMAIL, settings.SERVER_EMAIL):
        address = parseaddr(setting or "")[1]
        if _EMAIL.match(address):
            return address
    local = (parseaddr(settings.DEFAULT_FROM_EMAIL or "")[1].split("@")[0]) or "noreply"
    host = repository_host()
    return f"{local}@{host}" if "." in host else f"{local}@{host}.invalid"


def _with_record_parts(documents: QuerySet[Document]) -> QuerySet[Document]:
    return documents.prefetch_related(
        Prefetch("creators", queryset=Creator.objects.order_by("position", "id")),
        "subjects",
        Prefetch("files", queryset=DocumentFile.objects.only("id", "document_id", "media_type")),
        _set_prefetch(),
    )


# --- arguments --------------------------------------------------------------------------------


def _parse_datetime(value: str, *, end: bool) -> tuple[datetime, str]:
    """(bound, granularity) of a from/until argument; `end` makes an until bound exclusive."""
    try:
        if _DAY.match(value):
            day = date.fromisoformat(value)
            moment = datetime.combine(day + timedelta(days=1) if end else day, time(), tzinfo=UTC)
            return moment, "day"
        if _SECOND.match(value):
            moment = datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
            return (moment + timedelta(seconds=1) if end else moment), "second"
    except ValueError:
        pass
    raise OAIError(
        "badArgument",
        _("'%(value)s' không phải ngày giờ UTC; hãy viết YYYY-MM-DD hoặc YYYY-MM-DDThh:mm:ssZ.") % {"value": value},
    )


def _list_query(arguments: dict[str, str]) -> dict:
    """The list request's query, checked: prefix, from, until, set."""
    prefix = arguments["metadataPrefix"]
    query = {"metadataPrefix": prefix}
    granularities = set()
    if "from" in arguments:
        start, granularity = _parse_datetime(arguments["from"], end=False)
        granularities.add(granularity)
        query["from"] = arguments["from"]
    if "until" in arguments:
        stop, granularity = _parse_datetime(arguments["until"], end=True)
        granularities.add(granularity)
        query["until"] = arguments["until"]
    if len(granularities) > 1:
        raise OAIError("badArgument", _("from và until phải cùng độ chi tiết: cả hai theo ngày hoặc cả hai theo giây."))
    if "from" in query and "until" in query and stop <= start:
        raise OAIError("badArgument", _("until không được sớm hơn from."))
    if "set" in arguments:
        if not _SET_SPEC.match(arguments["set"]):
            raise OAIError(
                "badArgument",
                _("'%(set)s' không phải một tập (set) của kho này; xem ListSets.") % {"set": arguments["set"]},
            )
        query["set"] = arguments["set"]
    if prefix not in METADATA_FORMATS:
        raise OAIError(
            "cannotDisseminateFormat",
            _("Kho không cung cấp định dạng '%(prefix)s'; hãy dùng oai_dc.") % {"prefix": prefix},
        )
    return query


def _documents_for(query: dict) -> QuerySet[Document]:
    documents = harvestable_documents()
    if "from" in query:
        documents = documents.filter(updated_at__gte=_parse_datetime(query["from"], end=False)[0])
    if "until" in query:
        documents = documents.filter(updated_at__lt=_parse_datetime(query["until"], end=True)[0])
    if "set" in query:
        collection_id = int(_SET_SPEC.match(query["set"]).group(1))
        members = CollectionItem.objects.filter(collection_id=collection_id, status__in=IN_SET)
        documents = documents.filter(pk__in=members.values("document_id"))
    return documents.order_by("updated_at", "id")


def _withdrawn_for(query: dict) -> QuerySet[WithdrawnRecord]:
    records = WithdrawnRecord.objects.all()
    if "from" in query:
        records = records.filter(withdrawn_at__gte=_parse_datetime(query["from"], end=False)[0])
    if "until" in query:
        records = records.filter(withdrawn_at__lt=_parse_datetime(query["until"], end=True)[0])
    if "set" in query:
        records = records.filter(set_specs__contains=f" {query['set']} ")
    return records.order_by("withdrawn_at", "document_id")


def _moment(item: Document | WithdrawnRecord) -> datetime:
    return item.withdrawn_at if isinstance(item, WithdrawnRecord) else item.updated_at


def _token(query: dict, last: Document | WithdrawnRecord, cursor: int) -> str:
    payload = {**query, "after": [_moment(last).isoformat(), _item_id(last)], "cursor": cursor}
    return signing.dumps(payload, salt=TOKEN_SALT, compress=True)


def _read_token(token: str, verb: str) -> dict:
    try:
        payload = signing.loads(token, salt=TOKEN_SALT, max_age=TOKEN_MAX_AGE)
        after_time, after_id = payload.pop("after")
        cursor = int(payload.pop("cursor"))
        query = _list_query(payload)
        after = (datetime.fromisoformat(after_time), int(after_id))
    except (signing.BadSignature, AttributeError, KeyError, TypeError, ValueError, OAIError) as error:
        message = _("Mã tiếp tục (resumptionToken) sai hoặc đã hết hạn; hãy yêu cầu lại danh sách từ đầu.")
        raise OAIError("badResumptionToken", message) from error
    if payload.get("verb", verb) != verb:
        raise OAIError("badResumptionToken", _("Mã tiếp tục này thuộc về một verb khác."))
    return {"query": query, "after": after, "cursor": cursor}


# --- verbs ------------------------------------------------------------------------------------


def identify(arguments: dict, base_url: str):
    firsts = [
        harvestable_documents().aggregate(first=Min("updated_at"))["first"],
        WithdrawnRecord.objects.aggregate(first=Min("withdrawn_at"))["first"],
    ]
    earliest = min([moment for moment in firsts if moment], default=None) or timezone.now()
    element = E("Identify")
    sub(element, "repositoryName", REPOSITORY_NAME)
    sub(element, "baseURL", base_url)
    sub(element, "protocolVersion", "2.0")
    sub(element, "adminEmail", admin_email())
    sub(element, "earliestDatestamp", datestamp(earliest))
    sub(element, "deletedRecord", "persistent")
    sub(element, "granularity", "YYYY-MM-DDThh:mm:ssZ")
    return element


def list_metadata_formats(arguments: dict, base_url: str):
    if "identifier" in arguments:
        item_for_identifier(arguments["identifier"])
    element = E("ListMetadataFormats")
    for prefix, (schema, namespace) in METADATA_FORMATS.items():
        fmt = sub(element, "metadataFormat")
        sub(fmt, "metadataPrefix", prefix)
        sub(fmt, "schema", schema)
        sub(fmt, "metadataNamespace", namespace)
    return element


def list_sets(arguments: dict, base_url: str):
    if "resumptionToken" in arguments:
        # The set list always comes whole, so no token of ours can be valid here.
        raise OAIError(
            "badResumptionToken", _("Danh sách tập không bao giờ bị chia trang; hãy hỏi lại không kèm resumptionToken.")
        )
    in_use = CollectionItem.objects.filter(status__in=IN_SET, document__access=Access.PUBLIC)
    collections = access.public_collections().filter(pk__in=in_use.values("collection_id")).order_by("pk")
    element = E("ListSets")
    for collection in collections:
        item = sub(element, "set")
        sub(item, "setSpec", collection.set_spec)
        sub(item, "setName", collection.name)
    if not len(element):
        raise OAIError("noSetHierarchy", _("Chưa có bộ sưu tập nào chứa tài liệu công khai."))
    return element


def get_record(arguments: dict, base_url: str):
    prefix = arguments["metadataPrefix"]
    if prefix not in METADATA_FORMATS:
        raise OAIError(
            "cannotDisseminateFormat",
            _("Kho không cung cấp định dạng '%(prefix)s'; hãy dùng oai_dc.") % {"prefix": prefix},
        )
    item = item_for_identifier(arguments["identifier"])
    if isinstance(item, Document):
        item = _with_record_parts(harvestable_documents().filter(pk=item.pk)).get()
    element = E("GetRecord")
    element.append(record(item))
    return element


def _list(verb: str, arguments: dict):
    if "resumptionToken" in arguments:
        state = _read_token(arguments["resumptionToken"], verb)
    else:
        state = {"query": _list_query(arguments), "after": None, "cursor": 0}
    query, cursor = state["query"], state["cursor"]
    documents, withdrawn = _documents_for(query), _withdrawn_for(query)
    if state["after"]:
        moment, pk = state["after"]
        documents = documents.filter(Q(updated_at__gt=moment) | Q(updated_at=moment, pk__gt=pk))
        withdrawn = withdrawn.filter(Q(withdrawn_at__gt=moment) | Q(withdrawn_at=moment, document_id__gt=pk))
    remaining = documents.count() + withdrawn.count()
    parts = _with_record_parts if verb == "ListRecords" else lambda qs: qs.prefetch_related(_set_prefetch())
    # Both lists are in (datestamp, id) order, and a document is either public or withdrawn, never
    # both: the first PAGE_SIZE of each, merged, hold the page.
    candidates = [*parts(documents)[:PAGE_SIZE], *withdrawn[:PAGE_SIZE]] if remaining else []
    page = sorted(candidates, key=lambda item: (_moment(item), _item_id(item)))[:PAGE_SIZE]
    if not page:
        raise OAIError("noRecordsMatch", _("Không có tài liệu công khai nào khớp với các tham số này."))
    element = E(verb)
    for item in page:
        element.append(record(item) if verb == "ListRecords" else header(item))
    complete = cursor + remaining
    if remaining > len(page):
        token = sub(element, "resumptionToken", _token({**query, "verb": verb}, page[-1], cursor + len(page)))
        token.set("completeListSize", str(complete))
        token.set("cursor", str(cursor))
        expires = timezone.now() + timedelta(seconds=TOKEN_MAX_AGE)
        token.set("expirationDate", datestamp(expires))
    elif cursor:
        # The last part of a split list carries an empty token, as the protocol asks.
        token = sub(element, "resumptionToken", None)
        if complete:
            token.set("completeListSize", str(complete))
        token.set("cursor", str(cursor))
    return element


def _set_prefetch() -> Prefetch:
    return Prefetch(
        "collection_items",
        queryset=CollectionItem.objects.filter(status__in=IN_SET).only("id", "document_id", "collection_id"),
        to_attr="set_items",
    )


def list_identifiers(arguments: dict, base_url: str):
    return _list("ListIdentifiers", arguments)


def list_records(arguments: dict, base_url: str):
    return _list("ListRecords", arguments)


HANDLERS = {
    "Identify": identify,
    "ListMetadataFormats": list_metadata_formats,
    "ListSets": list_sets,
    "GetRecord": get_record,
    "ListIdentifiers": list_identifiers,
    "ListRecords": list_records,
}


# --- records ----------------------------------------------------------------------------------


def _item_id(item: Document | WithdrawnRecord) -> int:
    return item.document_id if isinstance(item, WithdrawnRecord) else item.pk


def header(item: Document | WithdrawnRecord):
    """A record's header; a withdrawn record's says status="deleted" and keeps its old sets."""
    if isinstance(item, WithdrawnRecord):
        element = E("header", status="deleted")
        specs = item.set_spec_list
    else:
        element = E("header")
        specs = {f"collection-{entry.collection_id}" for entry in item.set_items}
    sub(element, "identifier", oai_identifier(_item_id(item)))
    sub(element, "datestamp", datestamp(_moment(item)))
    for spec in sorted(specs):
        sub(element, "setSpec", spec)
    return element


def record(item: Document | WithdrawnRecord):
    """A record: header and metadata, or the header alone for a withdrawn record."""
    element = E("record")
    element.append(header(item))
    if isinstance(item, Document):
        metadata = sub(element, "metadata")
        metadata.append(oai_dc(item))
    return element


def oai_dc(document: Document):
    from .citations import public_page_url

    root = etree.Element(
        f"{{{OAI_DC_NS}}}dc",
        nsmap={"oai_dc": OAI_DC_NS, "dc": DC_NS, "xsi": XSI_NS},
    )
    root.set(f"{{{XSI_NS}}}schemaLocation", f"{OAI_DC_NS} {OAI_DC_SCHEMA}")

    def dc(tag: str, value) -> None:
        value = str(value or "").strip()
        if value:
            sub(root, tag, value, ns=DC_NS)

    dc("title", document.title)
    for creator in document.creators.all():
        dc("creator", creator.name)
    for subject in document.subjects.all():
        dc("subject", subject.name)
    dc("description", document.abstract)
    dc("publisher", document.publisher)
    dc("date", document.issued.isoformat() if document.issued else document.year)
    dc("type", "Text")
    dc("type", document.get_type_display())
    for media_type in sorted({f.media_type for f in document.files.all() if f.media_type}):
        dc("format", media_type)
    dc("identifier", public_page_url(document))
    if document.doi:
        dc("identifier", f"https://doi.org/{document.doi.strip()}")
    if document.isbn:
        dc("identifier", f"urn:isbn:{document.isbn.strip()}")
    dc("identifier", document.url)
    dc("language", document.language)
    dc("rights", document.rights)
    dc("source", document.source)
    return root


# --- the request ------------------------------------------------------------------------------


def _check_arguments(arguments: dict[str, list[str]]) -> tuple[str, dict[str, str]]:
    verbs = arguments.get("verb", [])
    if len(verbs) != 1 or verbs[0] not in VERBS:
        if not verbs:
            raise OAIError("badVerb", _("Thiếu tham số verb."))
        if len(verbs) > 1:
            raise OAIError("badVerb", _("Tham số verb bị lặp lại."))
        raise OAIError("badVerb", _("'%(verb)s' không phải một verb của OAI-PMH.") % {"verb": verbs[0]})
    verb = verbs[0]
    required, optional = VERBS[verb]
    single = {}
    for name, values in arguments.items():
        if name == "verb":
            continue
        if name not in required | optional:
            raise OAIError("badArgument", _("%(verb)s không nhận tham số '%(name)s'.") % {"verb": verb, "name": name})
        if len(values) != 1:
            raise OAIError("badArgument", _("Tham số '%(name)s' bị lặp lại.") % {"name": name})
        single[name] = values[0]
    if not _PREFIX.match(single.get("metadataPrefix", "oai_dc")):
        raise OAIError("badArgument", _("metadataPrefix chứa ký tự mà giao thức không cho phép."))
    if "resumptionToken" in single:
        if len(single) > 1:
            raise OAIError("badArgument", _("Khi có resumptionToken thì không được kèm tham số nào khác ngoài verb."))
        return verb, single
    missing = sorted(required - single.keys())
    if missing:
        raise OAIError(
            "badArgument", _("%(verb)s cần tham số: %(names)s.") % {"verb": verb, "names": ", ".join(missing)}
        )
    return verb, single


def respond(arguments: dict[str, list[str]], *, base_url: str) -> bytes:
    root = etree.Element(f"{{{OAI_NS}}}OAI-PMH", nsmap={None: OAI_NS, "xsi": XSI_NS})
    root.set(f"{{{XSI_NS}}}schemaLocation", f"{OAI_NS} {OAI_SCHEMA}")
    sub(root, "responseDate", datestamp(timezone.now()))
    request = sub(root, "request", base_url)
    try:
        verb, single = _check_arguments(arguments)
    except OAIError as error:
        # After badVerb or badArgument the request element carries the base URL only.
        sub(root, "error", error.message, code=error.code)
        return _serialise(root)
    request.set("verb", verb)
    for name, value in single.items():
        request.set(name, value)
    try:
        root.append(HANDLERS[verb](single, base_url))
    except OAIError as error:
        if error.code == "badArgument":
            for name in list(request.attrib):
                del request.attrib[name]
        sub(root, "error", error.message, code=error.code)
    return _serialise(root)


def _serialise(root) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def base_url() -> str:
    return settings.SITE_URL.rstrip("/") + reverse("library_public:oai")
