"""Citation export: BibTeX, RIS and CSL-JSON for one document or a result list.

The caller decides which documents a reader may see (access.py); this module only formats them.
Creators and subjects are prefetched once for the whole list, so the number of queries does not
grow with the number of documents.

Names: Vietnamese personal names are written family name first ("Nguyễn Văn An": family
"Nguyễn", given "Văn An"); a name written "Family, Given" keeps that split; a name without
diacritics whose first word is not a Vietnamese family name is read in Western order ("Mary
Jones"). Organisations are never split: CSL {"literal": ...}, BibTeX {{...}}.
"""

import json
import re
from collections import Counter

import rispy
from django.conf import settings
from django.db.models import prefetch_related_objects
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ketnoi.core.text import fold

from .models import Document, DocumentType

FORMATS = {
    "bibtex": _("BibTeX (LaTeX)"),
    "ris": _("RIS (Zotero, EndNote, Mendeley)"),
    "csl-json": _("CSL-JSON (Zotero, Pandoc)"),
}

_CONTENT = {
    "bibtex": ("application/x-bibtex; charset=utf-8", "bib"),
    "ris": ("application/x-research-info-systems; charset=utf-8", "ris"),
    "csl-json": ("application/vnd.citationstyles.csl+json; charset=utf-8", "json"),
}

# Dublin Core type → (BibTeX entry type, RIS TY, CSL type).
TYPE_MAP = {
    DocumentType.RESEARCH: ("techreport", "RPRT", "report"),
    DocumentType.LEGAL: ("misc", "LEGAL", "legislation"),
    DocumentType.TRAINING: ("misc", "GEN", "document"),
    DocumentType.CASE_STUDY: ("techreport", "RPRT", "report"),
    DocumentType.BOOK: ("book", "BOOK", "book"),
    DocumentType.ARTICLE: ("article", "JOUR", "article-journal"),
}
_DEFAULT_TYPE = ("misc", "GEN", "document")

# Folded forms of the commonest Vietnamese family names: a name without diacritics that starts
# with one of them ("Nguyen Van An") is still read family name first.
_FAMILY_NAMES_TEXT = (
    "nguyen tran le pham hoang huynh phan vu vo dang bui do ho ngo duong ly dinh doan lam mai "
    "trinh truong cao luu luong ha ta kieu chu chau quach tang thai la lai van khuc"
)
VIETNAMESE_FAMILY_NAMES = frozenset(_FAMILY_NAMES_TEXT.split(" "))

_BIBTEX_SPECIAL = re.compile(r"[\\{}%&$#_~^]")
_BIBTEX_REPLACEMENT = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "%": r"\%",
    "&": r"\&",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
_SPACES = re.compile(r"\s+")


class _RisWriter(rispy.RisWriter):
    """rispy's writer puts a "1." line before each record, which is not RIS: leave it out."""

    def set_header(self, count: int) -> str:
        return ""


def export(documents: list[Document], fmt: str) -> tuple[str, str, str]:
    """(text, content type, file extension) of the documents in the given format."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown citation format {fmt!r}")
    documents = list(documents)
    prefetch_related_objects(documents, "creators", "subjects")
    writer = {"bibtex": _bibtex, "ris": _ris, "csl-json": _csl_json}[fmt]
    content_type, extension = _CONTENT[fmt]
    return writer(documents), content_type, extension


# --- shared helpers ---------------------------------------------------------------------------


def public_page_url(document: Document) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("library_public:document", args=[document.pk])


def split_name(name: str) -> tuple[str, str]:
    """(family, given) of a personal name; given is empty for a one-word name."""
    name = _one_line(name)
    if "," in name:
        family, given = name.split(",", 1)
        return family.strip(), given.strip()
    words = name.split(" ")
    if len(words) == 1:
        return name, ""
    if fold(words[0]) in VIETNAMESE_FAMILY_NAMES or fold(name) != name.lower():
        return words[0], " ".join(words[1:])
    return words[-1], " ".join(words[:-1])


def _one_line(text: str) -> str:
    return _SPACES.sub(" ", text or "").strip()


def _year(document: Document) -> int | None:
    return document.year or (document.issued.year if document.issued else None)


def _types(document: Document) -> tuple[str, str, str]:
    return TYPE_MAP.get(document.type, _DEFAULT_TYPE)


def _keys(documents: list[Document]) -> list[str]:
    """ASCII keys such as "nguyen2021danh"; repeated keys get a, b, c... in list order."""
    bases = []
    for document in documents:
        creators = list(document.creators.all())
        if not creators:
            author = "anon"
        elif creators[0].is_organisation:
            author = fold(creators[0].name).split(" ")[0]
        else:
            author = fold(split_name(creators[0].name)[0])
        title_words = [w for w in re.split(r"[^a-z0-9]+", fold(document.title)) if w]
        base = re.sub(r"[^a-z0-9]", "", author) or "anon"
        base += str(_year(document) or "nd") + (title_words[0] if title_words else "")
        bases.append(base)
    counts, seen = Counter(bases), Counter()
    keys = []
    for base in bases:
        if counts[base] == 1:
            keys.append(base)
            continue
        seen[base] += 1
        keys.append(base + _suffix(seen[base]))
    return keys


def _suffix(n: int) -> str:
    letters = ""
    while n:
        n, rest = divmod(n - 1, 26)
        letters = chr(ord("a") + rest) + letters
    return letters


def _identifiers_url(document: Document) -> str:
    return document.url or public_page_url(document)


# --- BibTeX -----------------------------------------------------------------------------------


def bibtex_escape(text: str) -> str:
    return _BIBTEX_SPECIAL.sub(lambda m: _BIBTEX_REPLACEMENT[m.group(0)], _one_line(text))


def _bibtex_creator(creator) -> str:
    if creator.is_organisation:
        return "{" + bibtex_escape(creator.name) + "}"
    family, given = split_name(creator.name)
    if not given:
        return "{" + bibtex_escape(family) + "}"
    return f"{bibtex_escape(family)}, {bibtex_escape(given)}"


def _bibtex(documents: list[Document]) -> str:
    entries = []
    for key, document in zip(_keys(documents), documents, strict=True):
        entry_type = _types(document)[0]
        fields: list[tuple[str, str]] = []
        creators = list(document.creators.all())
        if creators:
            fields.append(("author", " and ".join(_bibtex_creator(c) for c in creators)))
        # Double braces keep the capitals of Vietnamese proper names that styles would lower.
        fields.append(("title", "{" + bibtex_escape(document.title) + "}"))
        if year := _year(document):
            fields.append(("year", str(year)))
        if document.issued:
            fields.append(("date", document.issued.isoformat()))
        if document.publisher:
            name = "institution" if entry_type == "techreport" else "publisher"
            fields.append((name, bibtex_escape(document.publisher)))
        if document.source:
            name = "journal" if entry_type == "article" else "note"
            fields.append((name, bibtex_escape(document.source)))
        if document.abstract:
            fields.append(("abstract", bibtex_escape(document.abstract)))
        subjects = [s.name for s in document.subjects.all()]
        if subjects:
            fields.append(("keywords", bibtex_escape(", ".join(subjects))))
        fields.append(("language", document.language))
        if document.isbn:
            fields.append(("isbn", bibtex_escape(document.isbn)))
        if document.doi:
            fields.append(("doi", _bibtex_verbatim(document.doi)))
        fields.append(("url", _bibtex_verbatim(_identifiers_url(document))))
        if document.rights:
            fields.append(("copyright", bibtex_escape(document.rights)))
        body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
        entries.append(f"@{entry_type}{{{key},\n{body}\n}}\n")
    return "\n".join(entries)


def _bibtex_verbatim(text: str) -> str:
    """URLs and DOIs are read verbatim by the url package; only unbalanced braces would break
    the entry, and they have no business in an address."""
    return _one_line(text).replace("{", "%7B").replace("}", "%7D")


# --- RIS --------------------------------------------------------------------------------------


def _ris(documents: list[Document]) -> str:
    references = []
    for key, document in zip(_keys(documents), documents, strict=True):
        ris_type = _types(document)[1]
        ref: dict = {"type_of_reference": ris_type, "id": key}
        authors = []
        for creator in document.creators.all():
            if creator.is_organisation:
                authors.append(_one_line(creator.name))
            else:
                family, given = split_name(creator.name)
                authors.append(f"{family}, {given}" if given else family)
        if authors:
            ref["authors"] = authors
        ref["title"] = _one_line(document.title)
        if year := _year(document):
            ref["year"] = str(year)
        if document.issued:
            ref["date"] = document.issued.strftime("%Y/%m/%d/")
        if document.publisher:
            ref["publisher"] = _one_line(document.publisher)
        if document.source:
            ref["journal_name" if ris_type == "JOUR" else "notes"] = (
                _one_line(document.source) if ris_type == "JOUR" else [_one_line(document.source)]
            )
        if document.abstract:
            ref["abstract"] = _one_line(document.abstract)
        subjects = [_one_line(s.name) for s in document.subjects.all()]
        if subjects:
            ref["keywords"] = subjects
        ref["language"] = document.language
        if document.isbn:
            ref["issn"] = _one_line(document.isbn)
        if document.doi:
            ref["doi"] = _one_line(document.doi)
        urls = [_one_line(document.url)] if document.url else []
        ref["urls"] = [*urls, public_page_url(document)]
        references.append(ref)
    return rispy.dumps(references, implementation=_RisWriter)


# --- CSL-JSON ---------------------------------------------------------------------------------


def _csl_json(documents: list[Document]) -> str:
    items = []
    for key, document in zip(_keys(documents), documents, strict=True):
        csl_type = _types(document)[2]
        item: dict = {"id": key, "type": csl_type, "title": _one_line(document.title)}
        authors = []
        for creator in document.creators.all():
            if creator.is_organisation:
                authors.append({"literal": _one_line(creator.name)})
                continue
            family, given = split_name(creator.name)
            authors.append({"family": family, "given": given} if given else {"literal": family})
        if authors:
            item["author"] = authors
        if document.issued:
            parts = [document.issued.year, document.issued.month, document.issued.day]
            item["issued"] = {"date-parts": [parts]}
        elif document.year:
            item["issued"] = {"date-parts": [[document.year]]}
        if document.publisher:
            item["publisher"] = _one_line(document.publisher)
        if document.source:
            item["container-title" if csl_type == "article-journal" else "source"] = _one_line(document.source)
        if document.abstract:
            item["abstract"] = document.abstract.strip()
        subjects = [_one_line(s.name) for s in document.subjects.all()]
        if subjects:
            item["keyword"] = ", ".join(subjects)
        item["language"] = document.language
        if document.isbn:
            item["ISBN"] = _one_line(document.isbn)
        if document.doi:
            item["DOI"] = _one_line(document.doi)
        item["URL"] = _identifiers_url(document)
        if document.rights:
            item["license"] = _one_line(document.rights)
        items.append(item)
    return json.dumps(items, ensure_ascii=False, indent=2) + "\n"
