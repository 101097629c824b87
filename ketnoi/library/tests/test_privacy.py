"""A person's authorship in their personal-data export; erasing unlinks them from the directory
but keeps the name as printed on the document."""

import json

import pytest

from ketnoi.core.registry import personal_data_handlers
from ketnoi.directory.models import Person
from ketnoi.directory.services import person_erase, person_export
from ketnoi.library import privacy
from ketnoi.library.models import Creator

pytestmark = pytest.mark.django_db


@pytest.fixture
def author(db):
    return Person.objects.create(full_name="Nguyễn Thị Mai", email="mai@example.org")


@pytest.fixture
def written(make_document, author):
    document = make_document("Báo cáo về quyền lập hội", year=2024)
    Creator.objects.create(document=document, position=0, name="Viện Nghiên cứu", is_organisation=True)
    Creator.objects.create(document=document, position=1, name="Nguyễn Thị Mai", person=author)
    return document


def test_library_registers_its_handler():
    assert "library" in [handler.name for handler in personal_data_handlers()]


def test_export_lists_the_documents_the_person_created(written, author):
    data = privacy.export(author)
    assert data == {
        "documents_created": [
            {"title": written.title, "year": 2024, "name_as_printed": "Nguyễn Thị Mai", "position": 2}
        ]
    }
    json.dumps(data)
    assert privacy.export(Person.objects.create(full_name="Người khác")) == {"documents_created": []}


def test_erase_unlinks_but_keeps_the_printed_name(coordinator, written, author):
    assert person_export(actor=coordinator, person=author)["data"]["library"]["documents_created"]
    person_erase(actor=coordinator, person=author)
    creator = written.creators.get(position=1)
    assert creator.person is None
    assert creator.name == "Nguyễn Thị Mai"
    assert privacy.export(author) == {"documents_created": []}
