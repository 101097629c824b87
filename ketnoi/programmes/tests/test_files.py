"""Agreement documents and evidence files reach only people who may see the programme."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ketnoi.directory.models import Organisation, OrganisationType
from ketnoi.programmes import services

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4 danh sach diem danh"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def agreement(coordinator, prog):
    parties = [Organisation.objects.create(name=n, type=OrganisationType.CSO) for n in ("A", "B")]
    document = SimpleUploadedFile("thoa-thuan.pdf", PDF, content_type="application/pdf")
    return services.agreement_create(
        actor=coordinator, programme=prog, title="T", parties=parties, document=document, signed_on=date(2017, 3, 1)
    )


@pytest.fixture
def evidence(coordinator, lecturer, prog):
    indicator = services.indicator_create(actor=coordinator, programme=prog, code="CT1", name="x", unit="tiết")
    period = services.indicator_period_create(
        actor=coordinator,
        indicator=indicator,
        label="2017",
        start_date=date(2017, 1, 1),
        end_date=date(2017, 12, 31),
        target=1,
    )
    return services.indicator_value_submit(
        actor=lecturer,
        indicator=indicator,
        period=period,
        value=1,
        evidence_file=SimpleUploadedFile("diem-danh.pdf", PDF, content_type="application/pdf"),
    )


def _urls(prog, agreement, evidence):
    return [
        reverse("programmes:agreement_document", args=[prog.code, agreement.pk]),
        reverse("programmes:value_evidence", args=[prog.code, evidence.pk]),
    ]


@pytest.mark.parametrize("persona", ["coordinator", "viewer", "staff_admin"])
def test_people_who_see_the_programme_download_its_files(request, client_for, prog, agreement, evidence, persona):
    client = client_for(request.getfixturevalue(persona))
    for url in _urls(prog, agreement, evidence):
        response = client.get(url)
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == PDF
        assert response["Content-Disposition"].startswith("attachment")
        assert "no-store" in response["Cache-Control"]


def test_strangers_get_404_and_anonymous_visitors_the_login_page(
    client, client_for, prog, agreement, evidence, outsider
):
    for url in _urls(prog, agreement, evidence):
        assert client.get(url).status_code == 302
    stranger = client_for(outsider)
    for url in _urls(prog, agreement, evidence):
        assert stranger.get(url).status_code == 404


def test_the_coordinator_of_another_programme_gets_404(client_for, prog, agreement, evidence, other_coordinator):
    client = client_for(other_coordinator)
    for url in _urls(prog, agreement, evidence):
        assert client.get(url).status_code == 404


def test_a_file_of_another_programme_is_not_reachable_through_this_one(
    client_for, coordinator, prog, other_prog, agreement, evidence, staff_admin
):
    services.programme_role_grant(actor=staff_admin, programme=other_prog, user=coordinator, role="coordinator")
    client = client_for(coordinator)
    assert client.get(reverse("programmes:agreement_document", args=[other_prog.code, agreement.pk])).status_code == 404
    assert client.get(reverse("programmes:value_evidence", args=[other_prog.code, evidence.pk])).status_code == 404


def test_no_file_is_404_and_media_is_not_served_publicly(client_for, coordinator, prog, agreement, evidence):
    client = client_for(coordinator)
    services.agreement_update(actor=coordinator, agreement=agreement, document="")
    assert client.get(reverse("programmes:agreement_document", args=[prog.code, agreement.pk])).status_code == 404
    assert client.get("/media/" + evidence.evidence_file.name).status_code == 404


def test_pages_link_the_checked_view_not_the_storage_url(client_for, coordinator, prog, evidence):
    page = client_for(coordinator).get(reverse("programmes:approvals", args=[prog.code])).content.decode()
    assert reverse("programmes:value_evidence", args=[prog.code, evidence.pk]) in page
    assert "/media/" not in page
