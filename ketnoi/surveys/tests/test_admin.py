"""The staff back office for surveys: every model opens read-only (the services do the writing),
and no list or page costs a query per row."""

import pytest
from django.urls import reverse

from ketnoi.core.tests.admin_checks import admin_pages, assert_flat_query_counts, assert_read_only
from ketnoi.surveys.models import (
    Collection,
    CollectionTally,
    Form,
    FormAttachment,
    FormVersion,
    Response,
    ResponseAttachment,
)

pytestmark = pytest.mark.django_db

MODELS = ["form", "formversion", "collection", "response", "collectiontally", "responseattachment", "formattachment"]
DEFINITION = {"questions": [{"name": "overall", "type": "rating", "label": "Đánh giá chung"}]}


def add_rows(prog, make_user, i: int, base: dict | None = None) -> dict:
    """A form with a version, a collection with a response and its tally; with `base`, also one
    more version of base's form."""
    user = make_user(f"nguoi-{i}")
    form = Form.objects.create(programme=prog, code=f"phieu-{i}", title=f"Phiếu {i}")
    version = FormVersion.objects.create(form=form, number=1, definition=DEFINITION, created_by=user)
    form.current_version = version
    form.save(update_fields=["current_version"])
    collection = Collection.objects.create(form=form, title=f"Đợt {i}")
    response = Response.objects.create(collection=collection, version=version, answers={"overall": 4}, respondent=user)
    tally = CollectionTally.objects.create(collection=collection, through_id=response.pk, responses=1)
    # Rows only: the admin never opens the files (no file is written for them).
    digest = "0" * 64
    photo = ResponseAttachment.objects.create(
        response=response,
        name="anh.jpg",
        file="surveys/responses/x.jpg",
        content_type="image/jpeg",
        size=3,
        sha256=digest,
    )
    listing = FormAttachment.objects.create(
        form_version=version, name="xa.csv", file="surveys/forms/x.csv", content_type="text/csv", size=3, sha256=digest
    )
    if base is not None:
        FormVersion.objects.create(form=base["form"], number=i, definition=DEFINITION, created_by=user)
        Response.objects.create(collection=base["collection"], version=base["formversion"], answers={})
    return {
        "form": form,
        "formversion": version,
        "collection": collection,
        "response": response,
        "collectiontally": tally,
        "responseattachment": photo,
        "formattachment": listing,
    }


@pytest.fixture
def rows(prog, make_user):
    return add_rows(prog, make_user, 1)


def pages(rows: dict) -> list[str]:
    return admin_pages("surveys", {m: rows[m] for m in MODELS})


@pytest.mark.parametrize("model", MODELS)
def test_staff_open_each_changelist_and_change_page_read_only(client_for, staff_admin, rows, model):
    assert_read_only(client_for(staff_admin), "surveys", model, rows[model])


def test_collection_list_counts_responses_and_form_list_shows_the_version(client_for, staff_admin, prog, make_user):
    rows = add_rows(prog, make_user, 1)
    add_rows(prog, make_user, 2, base=rows)
    client = client_for(staff_admin)
    # Quoted: one phrase. Unquoted, the term "1" would also match a share token that holds a 1.
    collections = client.get(reverse("admin:surveys_collection_changelist"), {"q": '"Đợt 1"'})
    assert [c.response_count for c in collections.context["cl"].result_list] == [2]
    forms = client.get(reverse("admin:surveys_form_changelist"), {"q": "phieu-1"})
    assert [f.current_version.number for f in forms.context["cl"].result_list] == [1]


def test_query_counts_do_not_grow_with_rows(client_for, staff_admin, prog, make_user, rows):
    assert_flat_query_counts(client_for(staff_admin), pages(rows), lambda i: add_rows(prog, make_user, i, base=rows))


@pytest.mark.parametrize("persona", ["coordinator", "outsider"])
def test_non_staff_cannot_use_the_back_office(request, client_for, persona):
    response = client_for(request.getfixturevalue(persona)).get(reverse("admin:surveys_response_changelist"))
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")
