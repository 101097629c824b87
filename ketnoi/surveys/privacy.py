"""What surveys hold about a directory person: the identified responses of the person's
account. Anonymous responses hold nothing that links them to anyone."""

from ketnoi.core.registry import register_personal_data

from .models import Response


def _responses(person):
    user_id = getattr(person, "user_id", None)
    if user_id is None:
        return Response.objects.none()
    return Response.objects.filter(respondent_id=user_id).select_related("collection__form")


def export(person) -> dict:
    return {
        "responses": [
            {
                "form": r.collection.form.title,
                "collection": r.collection.title,
                "submitted_at": r.submitted_at.isoformat(),
                "answers": r.answers,
            }
            for r in _responses(person)
        ]
    }


def erase(person) -> None:
    # The answers stay in the results, no longer linked to the person: they become anonymous.
    _responses(person).update(respondent=None)


register_personal_data("surveys", export=export, erase=erase)
