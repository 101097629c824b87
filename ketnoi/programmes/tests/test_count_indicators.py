"""Count indicators take whole numbers only ("1,5 hội thảo" is refused) in the service, the pages
and the API; percentages and amounts keep their decimals. "2,0" is the whole number 2: accepted."""

import importlib
from datetime import date
from decimal import Decimal

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.urls import reverse

from ketnoi.core.models import AuditEntry
from ketnoi.programmes import services
from ketnoi.programmes.models import Indicator, IndicatorPeriod, IndicatorValue, guess_indicator_kind

pytestmark = pytest.mark.django_db

WHOLE_ONLY = "chỉ nhận số nguyên"


def make(coordinator, prog, code="CT3", *, unit="hội thảo", target=3, **extra):
    made = services.indicator_create(
        actor=coordinator, programme=prog, code=code, name=f"Chỉ số {code}", unit=unit, **extra
    )
    period = services.indicator_period_create(
        actor=coordinator,
        indicator=made,
        label="2026",
        start_date=date(2026, 1, 1),
        end_date=date(2026, 12, 31),
        target=target,
    )
    return made, period


def submit(actor, indicator, period, value):
    return services.indicator_value_submit(
        actor=actor, indicator=indicator, period=period, value=value, evidence="Biên bản hội thảo"
    )


@pytest.mark.parametrize("typed", ["1,5", "1.5", Decimal("1.5"), 1.5, "0,01"])
def test_a_count_refuses_a_fraction_and_writes_nothing(coordinator, lecturer, prog, typed):
    workshops, period = make(coordinator, prog)
    assert workshops.kind == Indicator.Kind.COUNT
    audit_before = AuditEntry.objects.count()
    with pytest.raises(ValidationError) as error:
        submit(lecturer, workshops, period, typed)
    assert WHOLE_ONLY in error.value.message_dict["value"][0]
    assert "không phải 1,5" in error.value.message_dict["value"][0]
    assert not IndicatorValue.objects.exists() and AuditEntry.objects.count() == audit_before


@pytest.mark.parametrize("typed", ["2", 2, "2,0", "2.00", Decimal("2.0")])
def test_a_count_takes_a_whole_number_written_with_zero_decimals(coordinator, lecturer, prog, typed):
    """2,0 and 2 are the same number: a spreadsheet that writes 2,00 is not a mistake."""
    workshops, period = make(coordinator, prog)
    entry = submit(lecturer, workshops, period, typed)
    assert entry.value == Decimal(2)


@pytest.mark.parametrize(("kind", "unit"), [("percent", "%"), ("amount", "điểm /5")])
def test_percentages_and_amounts_keep_their_decimals(coordinator, lecturer, prog, kind, unit):
    made, period = make(coordinator, prog, unit=unit, kind=kind, target="4,5", baseline="1,25")
    entry = submit(lecturer, made, period, "4,25")
    assert (made.baseline, period.target, entry.value) == (Decimal("1.25"), Decimal("4.5"), Decimal("4.25"))


def test_a_count_refuses_a_fractional_target_and_baseline(coordinator, prog):
    workshops, period = make(coordinator, prog)
    with pytest.raises(ValidationError) as error:
        services.indicator_period_update(actor=coordinator, period=period, target="2,5")
    assert WHOLE_ONLY in error.value.message_dict["target"][0]
    with pytest.raises(ValidationError) as error:
        services.indicator_period_create(
            actor=coordinator,
            indicator=workshops,
            label="2027",
            start_date=date(2027, 1, 1),
            end_date=date(2027, 12, 31),
            target=Decimal("0.5"),
        )
    assert "target" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.indicator_update(actor=coordinator, indicator=workshops, baseline="1,5")
    assert "baseline" in error.value.message_dict
    period.refresh_from_db()
    workshops.refresh_from_db()
    assert period.target == 3 and workshops.baseline == 0 and IndicatorPeriod.objects.count() == 1


def test_an_indicator_holding_a_fraction_cannot_become_a_count(coordinator, lecturer, prog):
    score, period = make(coordinator, prog, unit="điểm", kind="amount", target=4)
    submit(lecturer, score, period, "4,3")
    with pytest.raises(ValidationError) as error:
        services.indicator_update(actor=coordinator, indicator=score, kind="count")
    assert "không thể chuyển sang số đếm" in error.value.message_dict["kind"][0]
    score.refresh_from_db()
    assert score.kind == "amount"


@pytest.mark.parametrize(
    ("unit", "cumulative", "kind"),
    [
        ("hội thảo", True, "count"),
        ("người", True, "count"),
        ("%", True, "percent"),
        ("Tỷ lệ", False, "percent"),
        ("triệu đồng", True, "amount"),
        ("điểm /5", True, "amount"),
        ("người", False, "amount"),  # a level (not summed over periods) may be an average
    ],
)
def test_kind_left_out_is_guessed_from_the_unit(unit, cumulative, kind):
    assert guess_indicator_kind(unit, cumulative) == kind


def test_the_migration_never_makes_an_indicator_holding_a_fraction_a_count(coordinator, lecturer, prog):
    made, period = make(coordinator, prog, unit="người", kind="amount", target=40)
    submit(lecturer, made, period, "12,5")
    whole, _period = make(coordinator, prog, code="CT4", unit="hội thảo", kind="amount", target=3)
    Indicator.objects.update(kind="count")  # as the new column's default leaves them
    migration = importlib.import_module("ketnoi.programmes.migrations.0004_indicator_kind")
    migration.set_kinds(apps, None)
    kinds = dict(Indicator.objects.values_list("code", "kind"))
    assert kinds == {"CT3": "amount", "CT4": "count"}


# The pages -----------------------------------------------------------------------------------


def test_the_value_page_refuses_a_fraction_next_to_the_field(client_for, coordinator, lecturer, prog):
    workshops, period = make(coordinator, prog)
    client = client_for(lecturer)
    address = reverse("programmes:value_create", args=[prog.code, workshops.pk])
    form = client.get(address).content.decode()
    assert 'inputmode="numeric"' in form
    response = client.post(address, {"period": period.pk, "breakdown": "", "value": "1,5", "evidence": "Biên bản"})
    content = response.content.decode()
    assert response.status_code == 200 and 'id="id_value_error"' in content and WHOLE_ONLY in content
    assert not IndicatorValue.objects.exists()


def test_the_period_page_refuses_a_fractional_target(client_for, coordinator, prog):
    workshops, _period = make(coordinator, prog)
    data = {"label": "2027", "start_date": "01/01/2027", "end_date": "31/12/2027", "target": "2,5"}
    response = client_for(coordinator).post(reverse("programmes:period_create", args=[prog.code, workshops.pk]), data)
    content = response.content.decode()
    assert response.status_code == 200 and 'id="id_target_error"' in content and WHOLE_ONLY in content
    assert workshops.periods.count() == 1


def test_the_indicator_form_asks_for_the_kind(client_for, coordinator, prog):
    client = client_for(coordinator)
    form = client.get(reverse("programmes:indicator_create", args=[prog.code])).content.decode()
    assert '<option value="count" selected>' in form and '<option value="percent">' in form
    data = {
        "code": "TL1",
        "name": "Tỉ lệ đại biểu nữ",
        "unit": "%",
        "kind": "percent",
        "baseline": "12,5",
        "frequency": "annual",
        "source": "manual",
    }
    assert client.post(reverse("programmes:indicator_create", args=[prog.code]), data).status_code == 302
    made = Indicator.objects.get(code="TL1")
    assert (made.kind, made.baseline) == ("percent", Decimal("12.5"))
    page = client.get(reverse("programmes:indicator_detail", args=[prog.code, made.pk])).content.decode()
    assert "Tỉ lệ phần trăm" in page


# The API -------------------------------------------------------------------------------------


@pytest.mark.parametrize("typed", [1.5, "1.5"])
def test_the_api_refuses_a_fraction_for_a_count(api_client, coordinator, lecturer, prog, typed):
    workshops, period = make(coordinator, prog)
    response = api_client(lecturer)(
        "post",
        f"/{prog.code}/indicators/{workshops.pk}/values",
        {"period_id": period.pk, "value": typed, "evidence": "Biên bản"},
    )
    assert response.status_code == 400, response.content
    assert WHOLE_ONLY in response.json()["errors"]["value"][0]
    assert not IndicatorValue.objects.exists()


def test_the_api_states_and_takes_the_kind(api_client, coordinator, prog):
    call = api_client(coordinator)
    body = {"code": "TL1", "name": "Tỉ lệ", "unit": "%", "baseline": "2.5"}
    response = call("post", f"/{prog.code}/indicators", body)
    assert response.status_code == 201 and response.json()["kind"] == "percent"  # guessed from the unit
    made = response.json()["id"]
    response = call("patch", f"/{prog.code}/indicators/{made}", {"kind": "count"})
    assert response.status_code == 400 and "baseline" in response.json()["errors"]
    response = call("post", f"/{prog.code}/indicators", {**body, "code": "N1", "unit": "người", "baseline": 3})
    assert response.json()["kind"] == "count"
    response = call(
        "post",
        f"/{prog.code}/indicators/{response.json()['id']}/periods",
        {"label": "2026", "start_date": "2026-01-01", "end_date": "2026-12-31", "target": "7.5"},
    )
    assert response.status_code == 400 and WHOLE_ONLY in response.json()["errors"]["target"][0]
