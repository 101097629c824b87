"""Pages of single answers on the results page: free texts, points on a map and media files,
newest first, each page one query that reads only that answer and stops at the page (LIMIT).

Geopoints are "lat lon altitude accuracy" (forms-spec §1); a value that does not read as such
(hostile or broken) is left out of the table and the map, never an error. The map is an inline
SVG of the points on their bounding box — no tiles, no external script — with the table as its
text alternative. Media link to `surveys:response_media` (the media helper's view) when that URL
exists; until then the file names are shown without links (media_url returns None).
"""

import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import Expression, QuerySet
from django.db.models.fields.json import KeyTransform
from django.urls import NoReverseMatch, reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from .models import Response
from .results_questions import Question, answer_value, filled

TEXT_PAGE = 10
POINTS_PAGE = 20
MEDIA_PAGE = 12
MAP_POINTS = 1000  # the newest this many points are drawn; the table pages through all
REPEAT_CHUNK = 200  # responses read at a time for a page of answers inside repeats


# Free text -------------------------------------------------------------------------------------


@dataclass
class TextAnswer:
    text: str
    submitted_at: datetime
    group: str = ""


@dataclass
class TextPage:
    key: str
    answers: list[TextAnswer]
    number: int
    pages: int
    total: int
    previous_url: str = ""
    next_url: str = ""

    @property
    def param(self) -> str:
        return f"page_{self.key}"

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.pages


def text_answers(
    responses: QuerySet[Response],
    question: Question,
    key: str,
    *,
    total: int,
    page: Any = 1,
    split: Question | None = None,
    per_page: int = TEXT_PAGE,
) -> TextPage:
    """One page of the texts given under `key`, newest first (one query; `total` is the count
    the aggregates already know). With a split, each text says its category."""
    pages = max(1, math.ceil(total / per_page))
    try:
        number = min(max(1, int(page)), pages)
    except (TypeError, ValueError):
        number = 1
    if not total:
        return TextPage(key, [], 1, 1, 0)
    more = {"_g": answer_value(split, split.name)} if split is not None else {}
    start = (number - 1) * per_page
    answers = []
    for value, _uuid, submitted_at, *group in answers_between(
        responses, question, key, start, start + per_page, **more
    ):
        label = ""
        if split is not None:
            label = split.choice_label(group[0]) if group[0] else _("Không trả lời")
        answers.append(TextAnswer(str(value), submitted_at, label))
    return TextPage(key, answers, number, pages, total)


def _page_number(page: Any, total: int, per_page: int) -> tuple[int, int]:
    """(the page asked for, kept within 1..pages, and how many pages)."""
    pages = max(1, math.ceil(total / per_page))
    try:
        return min(max(1, int(page)), pages), pages
    except (TypeError, ValueError):
        return 1, pages


def _newest(responses: QuerySet[Response], question: Question, key: str, **more) -> QuerySet:
    fields = {"_t": filled(answer_value(question, key)), **more}
    return responses.annotate(**fields).exclude(_t__isnull=True).order_by("-submitted_at", "-id")


def _in_rows(value: Any, path: list[str], name: str) -> Iterator[Any]:
    """The values of `name` in the rows of a repeat's list (`path`: the nested repeats below it)."""
    if not isinstance(value, list):
        return
    for row in value:
        if not isinstance(row, dict):
            continue
        if path:
            yield from _in_rows(row.get(path[0]), path[1:], name)
        else:
            given = row.get(name)
            if given is not None and given != "" and not isinstance(given, list | dict | bool):
                yield given


def answers_between(
    responses: QuerySet[Response], question: Question, key: str, start: int, stop: int, **more: Expression
) -> list[tuple]:
    """(value, response uuid, submitted_at, *more) of the answers start..stop under `key`,
    newest first: a slice in SQL at the top level; inside a repeat, the responses' repeat lists
    read newest first in chunks until the slice is full (a late page reads more of them)."""
    if not question.in_repeat:
        rows = _newest(responses, question, key, **more).values_list("_t", "uuid", "submitted_at", *more)
        return list(rows[start:stop])
    top, *path = question.repeat.split("/")
    name = key.rpartition("/")[2]
    rows = (
        responses.filter(answers__has_key=top)
        .annotate(_r=KeyTransform(top, "answers"), **more)
        .order_by("-submitted_at", "-id")
        .values_list("_r", "uuid", "submitted_at", *more)
    )
    found: list[tuple] = []
    for value, *rest in rows.iterator(chunk_size=REPEAT_CHUNK):
        for given in _in_rows(value, path, name):
            found.append((given, *rest))
            if len(found) >= stop:
                return found[start:]
    return found[start:]


# Media ------------------------------------------------------------------------------------------

MediaUrl = Callable[[Any, str], str | None]


def media_url(code: str, form_pk: int) -> MediaUrl:
    """How to link a response's file (`surveys:response_media`, readable by results readers)."""

    def url(response_uuid: Any, name: str) -> str | None:
        try:
            return reverse("surveys:response_media", args=[code, form_pk, response_uuid, name])
        except NoReverseMatch:  # a name the URL does not allow (not one the respondent page sends)
            return None

    return url


@dataclass
class MediaItem:
    name: str
    submitted_at: datetime
    url: str | None
    thumb_url: str | None


@dataclass
class MediaPage(TextPage):
    items: list[MediaItem] = field(default_factory=list)


def media_answers(
    responses: QuerySet[Response],
    question: Question,
    *,
    total: int,
    page: Any = 1,
    link: MediaUrl | None = None,
    per_page: int = MEDIA_PAGE,
) -> MediaPage:
    """One page of the files given to a media question, newest first (one query)."""
    number, pages = _page_number(page, total, per_page)
    result = MediaPage(question.key, [], number, pages, total)
    if not total:
        return result
    start = (number - 1) * per_page
    for name, response_uuid, submitted_at in answers_between(
        responses, question, question.key, start, start + per_page
    ):
        url = link(response_uuid, str(name)) if link else None
        thumb = f"{url}?thumb=1" if url and question.kind == "image" else None
        result.items.append(MediaItem(str(name), submitted_at, url, thumb))
    return result


# Geopoints --------------------------------------------------------------------------------------


def parse_point(value: Any) -> tuple[float, float, float, float] | None:
    """(lat, lon, altitude, accuracy) of "lat lon [altitude [accuracy]]", or None when the value
    is not such a point (forms-spec §1: lat in [-90, 90], lon in [-180, 180], accuracy >= 0)."""
    if not isinstance(value, str) or len(value) > 200:
        return None
    parts = value.split()
    if not 2 <= len(parts) <= 4:
        return None
    try:
        numbers = [float(part) for part in parts]
    except ValueError:
        return None
    numbers += [0.0] * (4 - len(numbers))
    lat, lon, altitude, accuracy = numbers
    if not all(math.isfinite(n) for n in numbers) or not (-90 <= lat <= 90 and -180 <= lon <= 180) or accuracy < 0:
        return None
    return lat, lon, altitude, accuracy


@dataclass
class Point:
    lat: float
    lon: float
    altitude: float
    accuracy: float
    submitted_at: datetime
    media: list[tuple[str, str | None]] = field(default_factory=list)  # (file name, link)


@dataclass
class PointPage(TextPage):
    points: list[Point] = field(default_factory=list)
    map_svg: str = ""
    mapped: int = 0  # how many points the map draws


def point_answers(
    responses: QuerySet[Response],
    question: Question,
    *,
    total: int,
    page: Any = 1,
    media: list[Question] | None = None,
    link: MediaUrl | None = None,
    per_page: int = POINTS_PAGE,
) -> PointPage:
    """One page of the points given, newest first, each with the files of its response (one
    query), and the map of the newest MAP_POINTS points (one more)."""
    number, pages = _page_number(page, total, per_page)
    result = PointPage(question.key, [], number, pages, total)
    if not total:
        return result
    media = media or []
    files = {f"_m{i}": filled(answer_value(m, m.key)) for i, m in enumerate(media)}
    start = (number - 1) * per_page
    page_rows = answers_between(responses, question, question.key, start, start + per_page, **files)
    for value, response_uuid, submitted_at, *names in page_rows:
        parsed = parse_point(value)
        if parsed is None:
            continue
        given = [str(name) for name in names if name]
        attached = [(name, link(response_uuid, name) if link else None) for name in given]
        result.points.append(Point(*parsed, submitted_at, attached))
    newest = answers_between(responses, question, question.key, 0, MAP_POINTS)
    mapped = [point for point in (parse_point(value) for value, *_rest in newest) if point]
    result.mapped = len(mapped)
    result.map_svg = map_svg(question.key, [(lat, lon) for lat, lon, _a, _c in mapped])
    return result


MAP_WIDTH, MAP_PAD, MAP_MIN_HEIGHT = 320, 12, 120


def map_svg(key: str, points: list[tuple[float, float]]) -> str:
    """The points as dots on their bounding box (east to the right, north up, degrees of
    longitude shortened by the cosine of the latitude so that shapes are not stretched)."""
    if not points:
        return ""
    lats, lons = [p[0] for p in points], [p[1] for p in points]
    south, north, west, east = min(lats), max(lats), min(lons), max(lons)
    squeeze = max(0.1, math.cos(math.radians((south + north) / 2)))
    span_x, span_y = (east - west) * squeeze, north - south
    scale = (MAP_WIDTH - 2 * MAP_PAD) / max(span_x, span_y, 1e-6)
    height = int(min(MAP_WIDTH, max(MAP_MIN_HEIGHT, span_y * scale + 2 * MAP_PAD)))
    pad_x = (MAP_WIDTH - span_x * scale) / 2  # centred: a single point stands in the middle
    pad_y = (height - span_y * scale) / 2
    dots = "".join(
        f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3"></circle>'
        for x, y in ((pad_x + (lon - west) * squeeze * scale, pad_y + (north - lat) * scale) for lat, lon in points)
    )
    key = escape(key)
    title = _("Bản đồ %(n)s vị trí") % {"n": len(points)}
    desc = _(
        "Các điểm nằm trong khoảng vĩ độ %(south)s đến %(north)s, kinh độ %(west)s đến %(east)s. "
        "Bảng bên dưới ghi từng điểm."
    ) % {
        "south": f"{south:.5f}",
        "north": f"{north:.5f}",
        "west": f"{west:.5f}",
        "east": f"{east:.5f}",
    }
    svg = (
        f'<svg class="sv-map" viewBox="0 0 {MAP_WIDTH} {height}" role="img" xmlns="http://www.w3.org/2000/svg" '
        f'aria-labelledby="map-{key}-title map-{key}-desc"><title id="map-{key}-title">{escape(title)}</title>'
        f'<desc id="map-{key}-desc">{escape(desc)}</desc>'
        f'<rect class="sv-map-frame" x="0.5" y="0.5" width="{MAP_WIDTH - 1}" height="{height - 1}"></rect>'
        f'<g class="sv-map-points">{dots}</g></svg>'
    )
    return mark_safe(svg)  # noqa: S308 - numbers and escaped texts only
