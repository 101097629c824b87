"""What the directory itself holds about a person beyond the Person row: consents and the
uploaded lists the person came in with. Registered at start-up (DirectoryConfig.ready).

Both belong to the person's shared record, which no single programme holds: every steward sees
the consents in an export, and they are erased only with the shared record (`programmes=None`),
when the last programme holding the person has erased its part."""

from ketnoi.core.registry import register_personal_data


def export_directory_data(person, *, programmes=None) -> dict:
    return {
        "consents": [
            {
                "purpose": consent.purpose,
                "given_on": consent.given_on.isoformat(),
                "method": consent.method,
                "guardian_name": consent.guardian_name,
                "withdrawn_on": consent.withdrawn_on.isoformat() if consent.withdrawn_on else None,
            }
            for consent in person.consents.order_by("given_on", "id")
        ]
    }


def erase_directory_data(person, *, programmes=None) -> None:
    from .models import PersonImportRow

    if programmes is not None:
        return  # the shared record goes last, with the person row

    # Consents stay (they prove what was agreed and when); the guardian is someone else's data.
    person.consents.exclude(guardian_name="").update(guardian_name="")
    # An uploaded list keeps the row the person was created from: blank it, keep the outcome.
    PersonImportRow.objects.filter(person=person).update(data={}, cells=[])


register_personal_data("directory", export=export_directory_data, erase=erase_directory_data)
