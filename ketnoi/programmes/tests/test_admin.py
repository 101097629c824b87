"""The staff back office: every programme model opens, and the values list stays cheap."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ketnoi.directory.models import Organisation, OrganisationType
from ketnoi.programmes import services

pytestmark = pytest.mark.django_db

MODELS = ["programme", "agreement", "objective", "activity", "indicator", "indicatorvalue"]


@pytest.fixture
def plan(coordinator, lecturer, prog):
    parties = [
        Organisation.objects.create(name="Trung tâm MSD", type=OrganisationType.CSO),
        Organisation.objects.create(name="Viện ViLEAP", type=OrganisationType.ACADEMIC),
    ]
    services.component_create(actor=coordinator, programme=prog, name="Đào tạo")
    agreement = services.agreement_create(actor=coordinator, programme=prog, title="Thoả thuận", parties=parties)
    objective = services.objective_create(actor=coordinator, programme=prog, title="Năng lực", agreement=agreement)
    activity = services.activity_create(
        actor=coordinator, programme=prog, title="Giảng dạy", objective=objective, responsible=parties[0]
    )
    indicator = services.indicator_create(
        actor=coordinator,
        programme=prog,
        code="CT1",
        name="Số học viên",
        unit="người",
        activity=activity,
        disaggregations=["sex"],
    )
    period = services.indicator_period_create(
        actor=coordinator,
        indicator=indicator,
        label="2026",
        start_date=date(2026, 1, 1),
        end_date=date(2026, 12, 31),
        target=40,
    )
    value = services.indicator_value_submit(
        actor=lecturer,
        indicator=indicator,
        period=period,
        value=5,
        evidence="Biên bản",
        disaggregation="sex",
        category="female",
    )
    return {
        "programme": prog,
        "agreement": agreement,
        "objective": objective,
        "activity": activity,
        "indicator": indicator,
        "indicatorvalue": value,
        "period": period,
    }


@pytest.mark.parametrize("model", MODELS)
def test_staff_open_each_changelist_add_and_change_page(client_for, staff_admin, plan, model):
    client = client_for(staff_admin)
    assert client.get(reverse(f"admin:programmes_{model}_changelist")).status_code == 200
    assert client.get(reverse(f"admin:programmes_{model}_add")).status_code == 200
    change = client.get(reverse(f"admin:programmes_{model}_change", args=[plan[model].pk]))
    assert change.status_code == 200


def test_changelist_search(client_for, staff_admin, plan):
    response = client_for(staff_admin).get(reverse("admin:programmes_indicator_changelist"), {"q": "CT1"})
    assert "Số học viên" in response.content.decode()


def test_indicator_value_changelist_query_count_does_not_grow(client_for, staff_admin, coordinator, lecturer, plan):
    client = client_for(staff_admin)
    url = reverse("admin:programmes_indicatorvalue_changelist")
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for number in range(6):
        entry = services.indicator_value_submit(
            actor=lecturer, indicator=plan["indicator"], period=plan["period"], value=number, evidence="Biên bản"
        )
        if number % 2:
            services.indicator_value_review(actor=coordinator, value=entry, approve=True)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert response.status_code == 200 and response.context["cl"].result_count == 7
    assert len(many) == len(few)
    assert client.get(url, {"status__exact": "approved"}).context["cl"].result_count == 3


def test_non_staff_cannot_use_the_back_office(client_for, coordinator):
    response = client_for(coordinator).get(reverse("admin:programmes_programme_changelist"))
    assert response.status_code == 302


def test_outsider_is_sent_to_the_back_office_login(client_for, outsider, plan):
    client = client_for(outsider)
    for model in MODELS:
        response = client.get(reverse(f"admin:programmes_{model}_changelist"))
        assert response.status_code == 302 and response["Location"].startswith("/admin/login/"), model
