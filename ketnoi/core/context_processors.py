"""What every page's header needs: which of the main pages the signed-in person may open.

Lazy: nothing is read until the header asks, which it does only for a signed-in person, and
then one query (the person's roles, memoised on the user for the request, shared with the
directory's own checks)."""

from functools import cached_property

from django.http import HttpRequest

from .permissions import can_read_directory, roles_anywhere
from .roles import Role


class Navigation:
    def __init__(self, request: HttpRequest):
        self._request = request

    @cached_property
    def _roles(self) -> frozenset[str]:
        return roles_anywhere(self._request.user)

    @cached_property
    def _staff(self) -> bool:
        user = self._request.user
        return bool(user.is_authenticated and user.is_active and user.is_staff)

    @cached_property
    def programmes(self) -> bool:
        """The programme list: staff see every programme, anyone else those they hold a role on."""
        return self._staff or bool(self._roles)

    @cached_property
    def directory(self) -> bool:
        return can_read_directory(self._request.user)

    @cached_property
    def reviews(self) -> bool:
        """The reviews asked of an expert reviewer (an outside expert with no role lands there
        from the home page instead)."""
        return Role.REVIEWER in self._roles


def navigation(request: HttpRequest) -> dict:
    return {"nav": Navigation(request)}
