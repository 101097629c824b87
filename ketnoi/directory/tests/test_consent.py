from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from ketnoi.core.models import AuditEntry
from ketnoi.directory.models import Consent
from ketnoi.directory.services import consent_record, consent_withdraw

from .factories import make_person


def test_record_consent_with_purpose_date_and_method(coordinator):
    person = make_person(birth_year=1980)
    consent = consent_record(
        actor=coordinator, person=person, purpose="Nhận thư mời hội thảo", given_on=date(2025, 3, 1), method="written"
    )
    assert consent.is_active and consent.created_by == coordinator
    assert AuditEntry.objects.filter(action="directory.consent_record").count() == 1


def test_a_child_under_16_needs_a_guardian(coordinator):
    child = make_person("Lê Minh An", birth_year=2012)
    with pytest.raises(ValidationError) as error:
        consent_record(actor=coordinator, person=child, purpose="Chụp ảnh", given_on=date(2025, 5, 1), method="written")
    message = error.value.message_dict["guardian_name"][0]
    assert "16 tuổi" in message and "người giám hộ" in message
    assert Consent.objects.count() == 0
    consent = consent_record(
        actor=coordinator,
        person=child,
        purpose="Chụp ảnh",
        given_on=date(2025, 5, 1),
        method="written",
        guardian_name="Lê Văn Bình",
    )
    assert consent.guardian_name == "Lê Văn Bình"


def test_sixteen_by_birth_year_or_unknown_age_needs_no_guardian(coordinator):
    teenager = make_person("Phạm Thu Hà", birth_year=2009)
    assert consent_record(actor=coordinator, person=teenager, purpose="X", given_on=date(2025, 1, 2), method="online")
    unknown = make_person("Không rõ tuổi")
    assert consent_record(actor=coordinator, person=unknown, purpose="X", given_on=date(2025, 1, 2), method="email")


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"purpose": "  "}, "purpose"),
        ({"given_on": timezone.localdate() + timedelta(days=1)}, "given_on"),
        ({"method": "pigeon"}, "method"),
    ],
)
def test_bad_consent_is_refused(coordinator, values, field):
    data = {"purpose": "Nhận bản tin", "given_on": date(2025, 1, 1), "method": "written", **values}
    with pytest.raises(ValidationError) as error:
        consent_record(actor=coordinator, person=make_person(), **data)
    assert field in error.value.message_dict
    assert Consent.objects.count() == 0


def test_withdraw_once(coordinator):
    consent = consent_record(
        actor=coordinator, person=make_person(), purpose="Bản tin", given_on=date(2025, 1, 1), method="email"
    )
    consent_withdraw(actor=coordinator, consent=consent)
    consent.refresh_from_db()
    assert consent.withdrawn_on == timezone.localdate() and not consent.is_active
    with pytest.raises(ValidationError, match="đã được rút lại"):
        consent_withdraw(actor=coordinator, consent=consent)
    assert AuditEntry.objects.filter(action="directory.consent_withdraw").count() == 1


def test_withdrawal_date_must_follow_the_consent(coordinator):
    consent = consent_record(
        actor=coordinator, person=make_person(), purpose="Bản tin", given_on=date(2025, 1, 10), method="email"
    )
    with pytest.raises(ValidationError):
        consent_withdraw(actor=coordinator, consent=consent, withdrawn_on=date(2025, 1, 9))


def test_readers_cannot_record_or_withdraw(coordinator, viewer):
    person = make_person()
    with pytest.raises(PermissionDenied):
        consent_record(actor=viewer, person=person, purpose="X", given_on=date(2025, 1, 1), method="email")
    consent = consent_record(actor=coordinator, person=person, purpose="X", given_on=date(2025, 1, 1), method="email")
    with pytest.raises(PermissionDenied):
        consent_withdraw(actor=viewer, consent=consent)


def test_no_consent_for_an_erased_person(coordinator):
    with pytest.raises(ValidationError):
        consent_record(
            actor=coordinator,
            person=make_person(erased_at=timezone.now()),
            purpose="X",
            given_on=date(2025, 1, 1),
            method="email",
        )
