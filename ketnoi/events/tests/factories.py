"""Builders for the events tests, through the events services so the same rules apply: a
public workshop on 10 December 2037, 08:00–16:00, and a registration with consent."""

from datetime import datetime, timedelta

from django.utils import timezone

from ketnoi.core.text import fold
from ketnoi.directory.services import person_find_duplicates
from ketnoi.events import services
from ketnoi.events.models import Workshop


def make_workshop(actor, programme, **options) -> Workshop:
    starts = timezone.make_aware(datetime(2037, 12, 10, 8, 0))
    values = {
        "title": "Hội thảo kết nối cơ quan nhà nước và tổ chức xã hội",
        "starts_at": starts,
        "ends_at": starts + timedelta(hours=8),
        "registration": Workshop.Registration.PUBLIC,
        **options,
    }
    return services.workshop_create(actor=actor, programme=programme, **values)


def make_workshop_today(actor, programme, **options) -> Workshop:
    """A workshop under way (started an hour ago, for eight hours): people can still register,
    and check-in needs no confirmation of being early (services/dates.py)."""
    starts = timezone.now() - timedelta(hours=1)
    return make_workshop(actor, programme, starts_at=starts, ends_at=starts + timedelta(hours=8), **options)


def register(workshop, name: str, actor=None, confirm: bool = True, **extra):
    """registration_submit for `name`, consenting, with an e-mail made from the name unless
    given; returns (registration, created). A registration made from the public page (no
    organiser acting) is then confirmed from its e-mail, as its delegate would — unless
    `confirm` is False, or it has no e-mail (then it waits for the door)."""
    email = extra.pop("email", f"{fold(name).replace(' ', '.')}@example.org")
    registration, created = services.registration_submit(
        actor=actor, workshop=workshop, full_name=name, email=email, consent=True, **extra
    )
    if created and confirm and registration.awaiting_confirmation and email:
        registration = services.registration_confirm(token=confirmation_token_for(registration))
    return registration, created


def confirmation_token_for(registration) -> str:
    """The token the confirmation e-mail carries: for the person the details name, at their
    address on record, or for a new person at the typed address."""
    match = (
        person_find_duplicates(full_name=registration.full_name, email=registration.email, phone=registration.phone)
        .order_by("pk")
        .first()
    )
    address = match.email if match is not None else registration.email
    return services.confirmation_token(registration, person=match, address=address)
