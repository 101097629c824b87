"""What surveys hold about a directory person: the identified responses of the person's
account. Anonymous responses hold nothing that links them to anyone."""

from ketnoi.core.registry import in_programmes, programmes_of, register_personal_data

from .models import Response

VIA = "collection__form__programme"


def _responses(person):
    user_id = getattr(person, "user_id", None)
    if user_id is None:
        return Response.objects.none()
    return Response.objects.filter(respondent_id=user_id).select_related("collection__form")


def holders(person) -> set[int]:
    return programmes_of(_responses(person), via=VIA)


def export(person, *, programmes=None) -> dict:
    return {
        "responses": [
            {
                "form": r.collection.form.title,
                "collection": r.collection.title,
                "submitted_at": r.submitted_at.isoformat(),
                "answers": r.answers,
            }
            for r in in_programmes(_responses(person), programmes, via=VIA)
        ]
    }


def erase(person, *, programmes=None) -> None:
    # The answers stay in the results, no longer linked to the person: they become anonymous.
    in_programmes(_responses(person), programmes, via=VIA).update(respondent=None)


register_personal_data("surveys", export=export, erase=erase, holders=holders)
