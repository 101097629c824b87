"""Builders for the events tests, through the events services so the same rules apply: a
public workshop on 10 December 2026, 08:00–16:00, and a registration with consent."""

from datetime import datetime, timedelta

from django.utils import timezone

from ketnoi.core.text import fold
from ketnoi.events import services
from ketnoi.events.models import Workshop


def make_workshop(actor, programme, **options) -> Workshop:
    starts = timezone.make_aware(datetime(2026, 12, 10, 8, 0))
    values = {
        "title": "Hội thảo kết nối cơ quan nhà nước và tổ chức xã hội",
        "starts_at": starts,
        "ends_at": starts + timedelta(hours=8),
        "registration": Workshop.Registration.PUBLIC,
        **options,
    }
    return services.workshop_create(actor=actor, programme=programme, **values)


def register(workshop, name: str, actor=None, **extra):
    """registration_submit for `name`, consenting, with an e-mail made from the name unless
    given; returns (registration, created)."""
    email = extra.pop("email", f"{fold(name).replace(' ', '.')}@example.org")
    return services.registration_submit(
        actor=actor, workshop=workshop, full_name=name, email=email, consent=True, **extra
    )
