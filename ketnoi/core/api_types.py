"""Field types and body helpers the API routers share.

`patch_changes(payload)`: the fields a PATCH sent, with a text field sent as null read as ""
(the text columns are NOT NULL): null clears an optional text, and a required one is refused by
its service with the message it gives for an empty value — never an IntegrityError.

`LocalTime`: a time of day on the programme's clock (settings.TIME_ZONE; Vietnam keeps no
daylight saving time, so its offset is the same all year). The OpenAPI type "string, format
time" is RFC 3339's full-time, which carries an offset: the API writes times as
"08:00:00+07:00" and reads "08:00", "08:00:00" or a time with the local offset. A time with
another offset is refused with a message rather than shifted (it could move the session to
another day, which the time alone cannot say).
"""

from datetime import time, timedelta
from datetime import timezone as dt_timezone
from typing import Annotated

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Schema
from pydantic import AfterValidator, Field, PlainSerializer, WithJsonSchema

from .parsing import DATABASE_MAX

# An id sent in a query or a body: a number no column holds is a 422, before any query runs.
DatabaseId = Annotated[int, Field(ge=1, le=DATABASE_MAX)]


def local_offset() -> timedelta:
    return timezone.localtime().utcoffset() or timedelta(0)


def _offset_text(offset: timedelta) -> str:
    return time(tzinfo=dt_timezone(offset)).isoformat()[-6:]


def _local_time(value: time) -> time:
    if value.tzinfo is None or value.utcoffset() is None:
        return value
    if value.utcoffset() != local_offset():
        raise ValueError(
            _("Hãy ghi giờ địa phương, ví dụ 08:00 hoặc 08:00:00%(offset)s.") % {"offset": _offset_text(local_offset())}
        )
    return value.replace(tzinfo=None)


def _with_offset(value: time) -> str:
    return value.replace(tzinfo=dt_timezone(local_offset())).isoformat()


LocalTime = Annotated[
    time,
    AfterValidator(_local_time),
    PlainSerializer(_with_offset, return_type=str),
    WithJsonSchema(
        {
            "type": "string",
            "format": "time",
            "description": "local time (Vietnam, +07:00): written with the offset; read as HH:MM[:SS] "
            "or with the +07:00 offset",
        }
    ),
]


def patch_changes(payload: Schema) -> dict:
    """The fields a PATCH sent; a text field (`str | None`) sent as null becomes ""."""
    data = payload.model_dump(exclude_unset=True)
    fields = type(payload).model_fields
    for name, value in data.items():
        if value is None and fields[name].annotation == (str | None):
            data[name] = ""
    return data
