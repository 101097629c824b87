"""What programmes hold about a directory person: the roles of the person's account (a lecturer
of one programme, a coordinator of another). A programme whose member the person is holds them,
so its coordinators are among the person's stewards.

Erasing a programme's part removes the account's roles on that programme: the programme no
longer keeps the person as a member. The account itself is blanked and disabled by the
directory with the person's shared record.
"""

from ketnoi.core.registry import in_programmes, register_personal_data

from .models import ProgrammeRole


def _roles(person):
    user_id = getattr(person, "user_id", None)
    if user_id is None:
        return ProgrammeRole.objects.none()
    return ProgrammeRole.objects.filter(user_id=user_id)


def holders(person) -> set[int]:
    return set(_roles(person).values_list("programme_id", flat=True))


def export(person, *, programmes=None) -> dict:
    roles = in_programmes(_roles(person), programmes, via="programme").select_related("programme")
    return {
        "roles": [
            {"programme": role.programme.name, "role": role.role, "granted_at": role.granted_at.isoformat()}
            for role in roles.order_by("programme__name", "role")
        ]
    }


def erase(person, *, programmes=None) -> None:
    in_programmes(_roles(person), programmes, via="programme").delete()


register_personal_data("programmes", export=export, erase=erase, holders=holders)
