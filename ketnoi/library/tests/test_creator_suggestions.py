"""Suggestions from the directory under the library's free-text authors field
(directory/picking.py NameSuggestionsTextarea, `GET /directory/pick/names/`): people and
organisations found like the pickers find them, each a line to add; the field stays free text and,
without JavaScript, is all there is; the endpoint refused to those who may not read the directory."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ketnoi.directory.tests.factories import make_organisation, make_person
from ketnoi.library.models import Document

pytestmark = pytest.mark.django_db

NAMES = reverse("directory:pick_names")


def suggest(client, q, field="creators"):
    return client.get(NAMES, {"field": field, f"{field}__suggest": q})


@pytest.fixture
def directory(db):
    cdsc = make_organisation("Trung tâm Hỗ trợ Phát triển Cộng đồng", short_name="CDSC")
    make_person("Nguyễn Văn Dũng", organisation=cdsc, email="dung@cdsc.example.org")
    make_organisation("Viện Nghiên cứu Dũng Tiến")
    return cdsc


def test_people_and_organisations_suggested_as_lines(client_for, curator, directory):
    html = suggest(client_for(curator), "dung").content.decode()
    assert 'data-suggest-line="Nguyễn Văn Dũng">Nguyễn Văn Dũng – ' in html
    assert 'data-suggest-line="Tổ chức: Viện Nghiên cứu Dũng Tiến"' in html
    assert "2 gợi ý" in html
    html = suggest(client_for(curator), "cong dong").content.decode()  # by organisation, folded
    assert 'data-suggest-line="Nguyễn Văn Dũng"' in html and 'data-suggest-line="Tổ chức: Trung tâm' in html
    html = suggest(client_for(curator), "khong co ai").content.decode()
    assert "data-suggest-line" not in html and "cứ gõ tên vào ô như thường" in html


def test_refused_to_those_who_may_not_read_the_directory(client_for, outsider, directory):
    response = suggest(client_for(outsider), "dung")
    assert response.status_code == 403 and "Nguyễn Văn Dũng" not in response.content.decode()


def test_other_programmes_coordinator_reads_the_shared_directory_only(client_for, other_coordinator, directory):
    # The directory is shared by every programme (can_read_directory): nothing of `prog` is in it.
    html = suggest(client_for(other_coordinator), "dung").content.decode()
    assert "Nguyễn Văn Dũng" in html and "Tài liệu" not in html


@pytest.mark.parametrize("field", ["", "a b", "x" * 101, "<script>"])
def test_bad_field_name_is_404(client_for, curator, field):
    assert client_for(curator).get(NAMES, {"field": field, "q": "a"}).status_code == 404


def test_empty_or_long_query_is_harmless(client_for, curator, directory):
    client = client_for(curator)
    response = suggest(client, "   ")
    assert response.status_code == 200 and "data-suggest-line" not in response.content.decode()
    assert suggest(client, "đ" * 500).status_code == 200


def test_query_count_does_not_grow(client_for, curator, django_assert_num_queries):
    client = client_for(curator)
    for k in range(3):
        make_person(f"Lê Tác Giả {k}")
    suggest(client, "tac gia")
    with CaptureQueriesContext(connection) as few:
        assert suggest(client, "tac gia").status_code == 200
    for k in range(3, 30):
        make_person(f"Lê Tác Giả {k}")
    with django_assert_num_queries(len(few)):
        html = suggest(client, "tac gia").content.decode()
    assert html.count("data-suggest-line") == 8 and "gõ thêm để thu hẹp" in html


def test_document_form_keeps_free_text_with_the_suggestions_hidden_without_javascript(client_for, curator, prog):
    client = client_for(curator)
    url = reverse("library:document_create", args=[prog.code])
    html = client.get(url).content.decode()
    assert '<textarea name="creators"' in html
    assert 'data-suggest="id_creators"' in html and "hidden>" in html.split('data-suggest="id_creators"')[1][:200]
    data = {
        "title": "Sổ tay",
        "type": "legal",
        "language": "vi",
        "access": "public",
        "creators": "Tác giả Ngoài Danh Bạ\nTổ chức: Viện Nghiên cứu Dũng Tiến",
        "creators__suggest": "dung",  # the suggestion box, posted with the form, changes nothing
    }
    response = client.post(url, data)
    assert response.status_code == 302
    names = list(Document.objects.get(title="Sổ tay").creators.values_list("name", "is_organisation"))
    assert names == [("Tác giả Ngoài Danh Bạ", False), ("Viện Nghiên cứu Dũng Tiến", True)]
