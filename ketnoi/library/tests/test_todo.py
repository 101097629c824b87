"""The to-do inbox's library group: files whose text could not be extracted, for the programme's
library staff (coordinators, curators), linking to the document's page where they are retried
or replaced; gone once removed; queries constant."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ketnoi.core.roles import Role
from ketnoi.library import services
from ketnoi.library.models import DocumentFile
from ketnoi.programmes.tests.factories import grant

from .factories import make_document

pytestmark = pytest.mark.django_db

TODO = reverse("todo")
GROUP = 'id="todo-library-failed"'


def _page(client) -> str:
    response = client.get(TODO)
    assert response.status_code == 200
    return response.content.decode()


def _queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(TODO).status_code == 200
    return len(queries)


def _failed(document, name="bao-cao.pdf"):
    return DocumentFile.objects.create(
        document=document,
        file=f"library/test/{name}",
        original_name=name,
        media_type="application/pdf",
        size=10,
        sha256="0" * 64,
        status=DocumentFile.Status.FAILED,
        failure="Tệp PDF bị hỏng.",
    )


def test_library_staff_see_failed_files_linking_to_the_document(client_for, coordinator, make_user, prog):
    document = make_document(prog, "Báo cáo thường niên")
    _failed(document)
    curator = grant(make_user("curator"), prog, Role.CURATOR)
    url = reverse("library:document_manage", args=[prog.code, document.pk])
    for user in (coordinator, curator):
        client = client_for(user)
        text = _page(client)
        assert GROUP in text and url in text and "Tệp PDF bị hỏng." in text, user
        assert client.get(url).status_code == 200


def test_a_removed_file_leaves_the_inbox_and_others_see_nothing(
    client_for, coordinator, lecturer, viewer, other_coordinator, outsider, prog
):
    file = _failed(make_document(prog, "Báo cáo thường niên"))
    for user in (lecturer, viewer, other_coordinator, outsider):
        assert GROUP not in _page(client_for(user)), user
    client = client_for(coordinator)
    assert GROUP in _page(client)
    services.file_remove(actor=coordinator, file=file)
    assert GROUP not in _page(client)


def test_inbox_queries_do_not_grow_with_failed_files(client_for, coordinator, prog):
    document = make_document(prog, "Báo cáo thường niên")
    for i in range(3):
        _failed(document, f"tep-{i}.pdf")
    client = client_for(coordinator)
    few = _queries(client)
    for i in range(3, 30):
        _failed(document, f"tep-{i}.pdf")
    assert _queries(client) == few
    assert '<span class="badge">30</span>' in _page(client)
