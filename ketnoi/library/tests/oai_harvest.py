"""Harvesting the OAI-PMH provider in the tests (test_oai.py, test_oai_withdrawn.py): each
response validated against the protocol's published schema (OAI-PMH.xsd with oai_dc.xsd, vendored
in schemas/), and readers of its errors and identifiers."""

import datetime
import functools
from pathlib import Path

from lxml import etree

from ketnoi.library import oai
from ketnoi.library.models import Document

SCHEMAS = Path(__file__).parent / "schemas"
NS = {"o": oai.OAI_NS, "oai_dc": oai.OAI_DC_NS, "dc": oai.DC_NS}
URL = "/library/oai/"


@functools.cache
def response_schema() -> etree.XMLSchema:
    """OAI-PMH.xsd validates <metadata> content strictly but does not import oai_dc.xsd: a driver
    schema imports both from the vendored files."""
    driver = f"""<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">
      <xs:import namespace="{oai.OAI_NS}" schemaLocation="{(SCHEMAS / "OAI-PMH.xsd").as_uri()}"/>
      <xs:import namespace="{oai.OAI_DC_NS}" schemaLocation="{(SCHEMAS / "oai_dc.xsd").as_uri()}"/>
    </xs:schema>"""
    return etree.XMLSchema(etree.fromstring(driver.encode()))


def harvest(client, method="get", **arguments):
    response = getattr(client, method)(URL, arguments)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    root = etree.fromstring(response.content)
    response_schema().assertValid(root)
    return root


def errors(root) -> list[str]:
    return [e.get("code") for e in root.findall("o:error", NS)]


def identifiers(root) -> list[str]:
    return [e.text for e in root.iterfind(".//o:header/o:identifier", NS)]


def oai_id(document) -> str:
    return oai.oai_identifier(document.pk)


def stamp(document, when: datetime.datetime):
    Document.objects.filter(pk=document.pk).update(updated_at=when)
    document.refresh_from_db()
    return document


def utc(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=datetime.UTC)
