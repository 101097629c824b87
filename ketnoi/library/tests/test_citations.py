"""Citation export: BibTeX, RIS and CSL-JSON, checked by hand; the download views and who may
use them."""

import datetime
import json

import pytest
import rispy
from django.urls import reverse

from ketnoi.library import citations
from ketnoi.library.models import Creator

pytestmark = pytest.mark.django_db


def _creators(document, *names, organisations=()):
    for position, name in enumerate(names):
        Creator.objects.create(document=document, position=position, name=name, is_organisation=name in organisations)


@pytest.fixture
def report(make_document):
    document = make_document(
        "Tổ chức xã hội & pháp luật: 100% minh bạch_{mới} #1 ~ ^ $ \\",
        type="research",
        year=2021,
        issued=datetime.date(2021, 5, 17),
        publisher="Viện Nghiên cứu Phát triển",
        abstract="Báo cáo về\nkhung pháp lý cho hội.",
        subjects=["Hội", "Luật về hội"],
        isbn="978-604-0-00000-1",
        doi="10.1234/ketnoi.2021",
        source="Tạp chí Nhà nước và Pháp luật",
        rights="CC BY 4.0",
    )
    _creators(document, "Nguyễn Văn An", "UNDP Việt Nam", "Mary Jones", organisations={"UNDP Việt Nam"})
    return document


def test_names_split_family_first_for_vietnamese():
    assert citations.split_name("Nguyễn Văn An") == ("Nguyễn", "Văn An")
    assert citations.split_name("Nguyen Thi Minh Khai") == ("Nguyen", "Thi Minh Khai")
    assert citations.split_name("Mary Jones") == ("Jones", "Mary")
    assert citations.split_name("Smith, John") == ("Smith", "John")
    assert citations.split_name("Plato") == ("Plato", "")


def test_bibtex_entry_escapes_and_keeps_utf8(report):
    text, content_type, extension = citations.export([report], "bibtex")
    assert content_type.startswith("application/x-bibtex") and extension == "bib"
    assert text.startswith("@techreport{nguyen2021to,\n")
    assert "author = {Nguyễn, Văn An and {UNDP Việt Nam} and Jones, Mary}" in text
    assert r"title = {{Tổ chức xã hội \& pháp luật: 100\% minh bạch\_\{mới\} \#1 " in text
    assert r"\textasciitilde{} \textasciicircum{} \$ \textbackslash{}}}" in text
    assert "year = {2021}" in text and "date = {2021-05-17}" in text
    assert "institution = {Viện Nghiên cứu Phát triển}" in text
    assert "abstract = {Báo cáo về khung pháp lý cho hội.}" in text
    assert "keywords = {Hội, Luật về hội}" in text
    assert "language = {vi}" in text
    assert "isbn = {978-604-0-00000-1}" in text and "doi = {10.1234/ketnoi.2021}" in text
    assert f"url = {{{citations.public_page_url(report)}}}" in text
    # Braces balance once the escaped ones are set aside, so BibTeX reads one entry.
    unescaped = text.replace(r"\{", "").replace(r"\}", "")
    assert unescaped.count("{") == unescaped.count("}")


def test_bibtex_types_and_organisation_braces(make_document):
    law = make_document("Luật về hội (dự thảo)", type="legal", year=2016)
    _creators(law, "Bộ Nội vụ", organisations={"Bộ Nội vụ"})
    book = make_document("Sổ tay tổ chức xã hội", type="book", year=2019, publisher="NXB Tri thức")
    text, _, _ = citations.export([law, book], "bibtex")
    assert "@misc{bo2016luat," in text
    assert "author = {{Bộ Nội vụ}}" in text
    assert "@book{anon2019so," in text and "publisher = {NXB Tri thức}" in text


def test_bibtex_keys_are_ascii_and_unique(make_document):
    first = make_document("Đào tạo cán bộ", year=2020)
    second = make_document("Đào tạo giảng viên", year=2020)
    third = make_document("Khác", year=None)
    for document in (first, second):
        _creators(document, "Đặng Thị Hoa")
    text, _, _ = citations.export([first, second, third], "bibtex")
    keys = [line.split("{", 1)[1].rstrip(",") for line in text.splitlines() if line.startswith("@")]
    assert keys == ["dang2020daoa", "dang2020daob", "anonndkhac"]
    assert all(key.isascii() for key in keys)


def test_ris_round_trips_through_rispy(report):
    text, content_type, extension = citations.export([report], "ris")
    assert content_type.startswith("application/x-research-info-systems") and extension == "ris"
    assert text.startswith("TY  - RPRT\n")
    assert "\n1.\n" not in "\n" + text
    [entry] = rispy.loads(text)
    assert entry["type_of_reference"] == "RPRT"
    assert entry["authors"] == ["Nguyễn, Văn An", "UNDP Việt Nam", "Jones, Mary"]
    assert entry["title"] == report.title
    assert entry["year"] == "2021" and entry["date"] == "2021/05/17/"
    assert entry["publisher"] == "Viện Nghiên cứu Phát triển"
    assert entry["abstract"] == "Báo cáo về khung pháp lý cho hội."
    assert entry["keywords"] == ["Hội", "Luật về hội"]
    assert entry["language"] == "vi"
    assert entry["issn"] == "978-604-0-00000-1" and entry["doi"] == "10.1234/ketnoi.2021"
    assert entry["urls"] == [citations.public_page_url(report)]
    assert entry["notes"] == ["Tạp chí Nhà nước và Pháp luật"]


def test_ris_types(make_document):
    documents = [
        make_document("Luật", type="legal"),
        make_document("Sách", type="book"),
        make_document("Bài", type="article", source="Tạp chí Cộng sản", url="https://example.org/bai"),
        make_document("Giáo trình", type="training"),
    ]
    entries = rispy.loads(citations.export(documents, "ris")[0])
    assert [e["type_of_reference"] for e in entries] == ["LEGAL", "BOOK", "JOUR", "GEN"]
    assert entries[2]["journal_name"] == "Tạp chí Cộng sản"
    assert entries[2]["urls"] == ["https://example.org/bai", citations.public_page_url(documents[2])]


def test_csl_json_fields(report, make_document):
    article = make_document("Bài báo", type="article", year=2018, source="Tạp chí Cộng sản")
    text, content_type, extension = citations.export([report, article], "csl-json")
    assert content_type.startswith("application/vnd.citationstyles.csl+json") and extension == "json"
    assert "Nguyễn" in text  # UTF-8 kept, not \\u escapes
    first, second = json.loads(text)
    assert first["id"] == "nguyen2021to" and first["type"] == "report"
    assert first["author"] == [
        {"family": "Nguyễn", "given": "Văn An"},
        {"literal": "UNDP Việt Nam"},
        {"family": "Jones", "given": "Mary"},
    ]
    assert first["issued"] == {"date-parts": [[2021, 5, 17]]}
    assert first["publisher"] == "Viện Nghiên cứu Phát triển"
    assert first["abstract"] == "Báo cáo về\nkhung pháp lý cho hội."
    assert first["keyword"] == "Hội, Luật về hội"
    assert first["language"] == "vi"
    assert first["ISBN"] == "978-604-0-00000-1" and first["DOI"] == "10.1234/ketnoi.2021"
    assert first["URL"] == citations.public_page_url(report)
    assert second["type"] == "article-journal" and second["container-title"] == "Tạp chí Cộng sản"
    assert second["issued"] == {"date-parts": [[2018]]}


def test_csl_legal_type(make_document):
    [item] = json.loads(citations.export([make_document("Nghị định 45", type="legal")], "csl-json")[0])
    assert item["type"] == "legislation"


def test_unknown_format_is_refused(report):
    with pytest.raises(ValueError):
        citations.export([report], "endnote-xml")


@pytest.mark.parametrize("fmt", list(citations.FORMATS))
def test_query_count_does_not_grow_with_the_list(make_document, django_assert_max_num_queries, fmt):
    from ketnoi.library.models import Document

    for n in range(12):
        document = make_document(f"Tài liệu {n}", subjects=["Hội"])
        _creators(document, "Trần Thị Bình", "Lê Văn Cường")
    documents = list(Document.objects.all())
    with django_assert_max_num_queries(2):
        citations.export(documents, fmt)


# --- the views ---------------------------------------------------------------------------------


def test_public_document_citation_download(client, report):
    response = client.get(reverse("library_public:cite", args=[report.pk, "bibtex"]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/x-bibtex")
    assert f'filename="tai-lieu-{report.pk}.bib"' in response["Content-Disposition"]
    assert "@techreport{nguyen2021to," in response.content.decode()


def test_unknown_format_is_404(client, report):
    assert client.get(reverse("library_public:cite", args=[report.pk, "word"])).status_code == 404


@pytest.mark.parametrize("fmt", list(citations.FORMATS))
def test_staff_only_document_is_404_for_outsider_and_anonymous(client, client_for, outsider, make_document, fmt):
    secret = make_document("Hồ sơ nội bộ", access="staff")
    url = reverse("library_public:cite", args=[secret.pk, fmt])
    assert client.get(url).status_code == 404
    assert client_for(outsider).get(url).status_code == 404


def test_partners_document_is_cited_for_programme_members_only(client_for, outsider, viewer, make_document):
    shared = make_document("Tài liệu cho đối tác", access="partners")
    url = reverse("library_public:cite", args=[shared.pk, "ris"])
    assert client_for(outsider).get(url).status_code == 404
    response = client_for(viewer).get(url)
    assert response.status_code == 200 and "Tài liệu cho đối tác" in response.content.decode()


def test_partners_and_staff_documents_are_404_for_another_programme_s_coordinator(
    client_for, other_coordinator, make_document
):
    client = client_for(other_coordinator)
    for access in ("partners", "staff"):
        document = make_document(f"Tài liệu {access}", access=access)
        assert client.get(reverse("library_public:cite", args=[document.pk, "ris"])).status_code == 404, access


def test_staff_only_document_is_cited_for_library_staff(client_for, coordinator, make_document):
    secret = make_document("Hồ sơ nội bộ", access="staff")
    url = reverse("library_public:cite", args=[secret.pk, "csl-json"])
    assert client_for(coordinator).get(url).status_code == 200


def test_result_list_export_leaves_out_what_the_reader_cannot_see(client, make_document):
    first = make_document("Một", year=2020)
    secret = make_document("Bí mật", access="staff")
    second = make_document("Hai", year=2021)
    url = reverse("library_public:cite_list", args=["csl-json"])
    response = client.get(url, {"ids": f"{second.pk},{secret.pk},{first.pk},abc"})
    assert response.status_code == 200
    assert [item["title"] for item in json.loads(response.content)] == ["Hai", "Một"]
    assert client.get(url, {"ids": str(secret.pk)}).status_code == 404
    assert client.get(url, {"ids": ""}).status_code == 404
    assert client.get(reverse("library_public:cite_list", args=["doc"]), {"ids": str(first.pk)}).status_code == 404
