"""Who may read and who may curate the library.

Reading depends on a document's access level:
- public: everyone, signed in or not (also OAI-PMH and the public API);
- partners: anyone holding a role on the document's programme;
- staff: the programme's library staff — its coordinators and curators — and staff admins.
Before an embargo date only library staff read the full text (files and passages); the
description stays visible to whoever may see the document, as in DSpace.

Curating: anyone with a working role (coordinator, curator, lecturer, reviewer) may propose a
document for a collection; only a curator (or a staff admin) selects or declines; curators and
coordinators record deliveries and manage documents and collections. Out of sight is a 404.
"""

from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from ketnoi.core.roles import Role
from ketnoi.programmes import access as programme_access
from ketnoi.programmes.models import Programme, ProgrammeRole

from .models import Access, Collection, Document

LIBRARY_STAFF = frozenset({Role.COORDINATOR, Role.CURATOR})
PROPOSERS = frozenset({Role.COORDINATOR, Role.CURATOR, Role.LECTURER, Role.REVIEWER})
SELECTORS = frozenset({Role.CURATOR})


def _active(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def _staff_admin(user) -> bool:
    return _active(user) and user.is_staff


def _programmes_with(user, roles) -> QuerySet:
    return ProgrammeRole.objects.filter(user=user, role__in=roles).values("programme_id")


def visible_documents(user) -> QuerySet[Document]:
    """Documents whose description the user may see."""
    if _staff_admin(user):
        return Document.objects.all()
    rule = Q(access=Access.PUBLIC)
    if _active(user):
        member_of = ProgrammeRole.objects.filter(user=user).values("programme_id")
        rule |= Q(access=Access.PARTNERS, programme_id__in=member_of)
        rule |= Q(access=Access.STAFF, programme_id__in=_programmes_with(user, LIBRARY_STAFF))
    return Document.objects.filter(rule)


def fulltext_documents(user) -> QuerySet[Document]:
    """Documents whose files and extracted text the user may read: visible and out of embargo,
    or the user is library staff of the document's programme."""
    visible = visible_documents(user)
    if _staff_admin(user):
        return visible
    open_now = Q(embargo_until__isnull=True) | Q(embargo_until__lte=timezone.localdate())
    if _active(user):
        open_now |= Q(programme_id__in=_programmes_with(user, LIBRARY_STAFF))
    return visible.filter(open_now)


def get_visible_document(user, pk: int) -> Document:
    return get_object_or_404(visible_documents(user).select_related("programme"), pk=pk)


def can_read_fulltext(user, document: Document) -> bool:
    return not document.is_embargoed() or is_library_staff(user, document.programme)


def is_library_staff(user, programme: Programme) -> bool:
    return _staff_admin(user) or bool(programme_access.roles_on(user, programme) & LIBRARY_STAFF)


def can_propose(user, programme: Programme) -> bool:
    return _staff_admin(user) or bool(programme_access.roles_on(user, programme) & PROPOSERS)


def can_select(user, programme: Programme) -> bool:
    return _staff_admin(user) or bool(programme_access.roles_on(user, programme) & SELECTORS)


def can_deliver(user, programme: Programme) -> bool:
    return is_library_staff(user, programme)


def get_library_programme(user, code: str, *, need: str = "view") -> Programme:
    """The programme whose library pages the user opens; `need` is "view", "propose" or "manage"."""
    programme = programme_access.get_programme_for_user(user, code)
    allowed = {
        "view": lambda: True,
        "propose": lambda: can_propose(user, programme),
        "manage": lambda: is_library_staff(user, programme),
    }[need]()
    if not allowed:
        raise Http404
    return programme


def get_managed_document(user, programme: Programme, pk: int) -> Document:
    if not is_library_staff(user, programme):
        raise Http404
    return get_object_or_404(Document.objects.filter(programme=programme), pk=pk)


def collections_for(user, programme: Programme) -> QuerySet[Collection]:
    """A programme's collections, for anyone with a role on it (a 404 earlier otherwise)."""
    return Collection.objects.filter(programme=programme).select_related("partner")


def public_collections() -> QuerySet[Collection]:
    """Collections that hold at least one public document: the OAI-PMH sets."""
    return Collection.objects.filter(items__document__access=Access.PUBLIC).distinct()
