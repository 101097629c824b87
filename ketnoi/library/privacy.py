"""What the library holds about a directory person: the documents they are a creator of.

Erasing unlinks the creator from the person record but keeps the name as printed on the
document: a publication's authors are part of its bibliographic description, which the
catalogue, citations and OAI-PMH records must keep reproducing faithfully.
"""

from ketnoi.core.registry import in_programmes, programmes_of, register_personal_data

from .models import Creator

VIA = "document__programme"


def holders(person) -> set[int]:
    return programmes_of(Creator.objects.filter(person=person), via=VIA)


def export(person, *, programmes=None) -> dict:
    creators = in_programmes(Creator.objects.filter(person=person), programmes, via=VIA)
    creators = creators.select_related("document").order_by("document_id", "position")
    return {
        "documents_created": [
            {"title": c.document.title, "year": c.document.year, "name_as_printed": c.name, "position": c.position + 1}
            for c in creators
        ]
    }


def erase(person, *, programmes=None) -> None:
    in_programmes(Creator.objects.filter(person=person), programmes, via=VIA).update(person=None)


register_personal_data("library", export=export, erase=erase, holders=holders)
