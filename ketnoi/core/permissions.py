"""Platform-wide permission checks that need no domain model.

Programme-scoped checks (which programmes a user sees, which role they hold on one) live in
`ketnoi.programmes.access`; these answer questions across all programmes through the reverse
relation `user.programme_roles`, so `core` stays free of domain imports.
"""

from .roles import Role


def _roles_anywhere(user) -> set[str]:
    # Memoised on the user object: one query per request however often a page asks.
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return set()
    cached = getattr(user, "_ketnoi_roles_anywhere", None)
    if cached is None:
        cached = set(user.programme_roles.values_list("role", flat=True).distinct())
        user._ketnoi_roles_anywhere = cached
    return cached


def roles_anywhere(user) -> frozenset[str]:
    """The roles the user holds on any programme (none for staff without a role)."""
    return frozenset(_roles_anywhere(user))


def can_read_directory(user) -> bool:
    """Anyone who works on some programme may look people and organisations up."""
    return bool(getattr(user, "is_staff", False) and user.is_active) or bool(_roles_anywhere(user))


def can_edit_directory(user) -> bool:
    """Coordinators (of any programme) and staff admins maintain the directory."""
    return bool(getattr(user, "is_staff", False) and user.is_active) or Role.COORDINATOR in _roles_anywhere(user)
