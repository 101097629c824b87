"""Library personas and a document maker shared by the library tests."""

import pytest

from ketnoi.core.roles import Role


@pytest.fixture
def curator(make_user, prog):
    from ketnoi.programmes.tests.factories import grant

    return grant(make_user("curator", first_name="Thủ thư"), prog, Role.CURATOR)


@pytest.fixture
def make_document(db, prog):
    """make_document(title=..., access=..., pages=[...], **fields) -> Document of `prog` unless
    `programme` is given: see factories.make_document."""
    from .factories import make_document

    def make(title="Tài liệu", *, programme=None, **fields):
        return make_document(programme or prog, title, **fields)

    return make


# Collections and curation -----------------------------------------------------------------------


@pytest.fixture
def partner(db):
    from ketnoi.directory.tests.factories import make_organisation

    return make_organisation("Viện Nghiên cứu Chính sách", type="academic")


@pytest.fixture
def collection(curator, prog, partner):
    from .factories import make_collection

    return make_collection(curator, prog, name="Góc tri thức của Viện", partner=partner)
