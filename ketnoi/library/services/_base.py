"""What the services of documents, files and copies share: the staff gate, and removing stored
files (after the commit, or when an upload is refused)."""

import contextlib

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from ketnoi.programmes.models import Programme

from ..access import is_library_staff


def require_staff(actor, programme: Programme) -> None:
    if not is_library_staff(actor, programme):
        raise PermissionDenied(_("Chỉ điều phối viên và cán bộ thư viện của chương trình mới quản lý được tài liệu."))


def delete_stored(stored: list) -> None:
    """Remove (storage, name) pairs from storage; one already gone is skipped."""
    for storage, name in stored:
        with contextlib.suppress(OSError):  # already gone: nothing left to clean
            storage.delete(name)
