"""What every bulk action shares (issue 14): reading the ticked ids of a POST, the result of a
bulk service, and the messages that report it.

A bulk action is a list with a tick-box column (`.select-column`, each box `form="<form id>"`),
the sticky bar `core/_bulk_bar.html` with "Đã chọn N" and "select all" (`core/static/core/bulk.js`),
a confirmation step that works without JavaScript (the first POST shows what will be done, the
second, with `confirm`, does it), and one service call in one transaction that returns a
`BulkResult`: the rows changed (one audit entry each) and the rows refused with their reason,
which leave the others to change. `bulk_messages` says both.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .parsing import whole_number

BULK_MAX = 500  # rows in one go: a page of them, or a workshop's whole list; never a table scan
REASONS_SHOWN = 20  # refused rows named one by one in the messages; the rest are counted


@dataclass
class BulkResult:
    """What a bulk service did: `changed` rows (audited), `refused` (label, reason) pairs."""

    changed: list = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)

    def refuse(self, label: object, reason: str) -> None:
        self.refused.append((str(label), reason))


def read_ids(values: Iterable[object], *, limit: int = BULK_MAX, field_name: str = "ids") -> list[int]:
    """The ticked ids of a POST (`request.POST.getlist(name)`), each once, in order. Anything
    that is not a database id, an empty list or more than `limit` refuses the whole batch with a
    ValidationError saying what to do: a crafted POST changes nothing."""
    values = list(values)
    if len(values) > limit * 4:  # read no further into a list that is far too long
        raise ValidationError({field_name: too_many_text(limit)})
    ids: list[int] = []
    for value in values:
        number = whole_number(value.strip() if isinstance(value, str) else value, low=1)
        if number is None:
            raise ValidationError(
                {field_name: _("Danh sách đã chọn có mục không hợp lệ: hãy tải lại trang rồi đánh dấu lại.")}
            )
        ids.append(number)
    ids = list(dict.fromkeys(ids))
    if not ids:
        raise ValidationError({field_name: _("Hãy đánh dấu ít nhất một dòng trong danh sách.")})
    if len(ids) > limit:
        raise ValidationError({field_name: too_many_text(limit)})
    return ids


def too_many_text(limit: int) -> str:
    return _("Mỗi lần làm được tối đa %(n)s dòng: hãy chia danh sách ra.") % {"n": limit}


def bulk_messages(request: HttpRequest, result: BulkResult, *, done: str, refused: str, **values: object) -> None:
    """`done` (with %(n)s, the rows changed) as a success message, or an info one when nothing
    changed; `refused` (with %(n)s) as a warning, then one line per refused row with its reason
    (the first REASONS_SHOWN; the others counted). `values` fill the texts' other placeholders."""
    changed = len(result.changed)
    level = messages.SUCCESS if changed else messages.INFO
    messages.add_message(request, level, done % {**values, "n": changed})
    if not result.refused:
        return
    messages.warning(request, refused % {**values, "n": len(result.refused)})
    for label, reason in result.refused[:REASONS_SHOWN]:
        messages.warning(request, f"{label}: {reason}")
    rest = len(result.refused) - REASONS_SHOWN
    if rest > 0:
        messages.warning(request, ngettext("… và %(n)s dòng khác.", "… và %(n)s dòng khác.", rest) % {"n": rest})
