"""Registries that domain apps plug into at start-up (in their AppConfig.ready).

`programmes` reads indicator metrics from here without importing any domain app, and the
directory's privacy export/erase asks every registered app for what it holds about a person.
Registrations are code, not data, so a module-level dict is safe across processes.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

# A metric is computed for one programme over a date range. It returns a total, or with
# `disaggregate_by` ("sex", "organisation_type" or "province") a {category: value} dict. A metric
# that declares `params` (e.g. ("form", "question")) narrows what it counts by the values an
# indicator stores for them, and receives them as `params={...}`.
MetricFunction = Callable[..., Any]


@dataclass(frozen=True)
class Metric:
    key: str
    label: str
    unit: str
    compute: MetricFunction
    disaggregations: tuple[str, ...] = field(default_factory=tuple)
    params: tuple[str, ...] = field(default_factory=tuple)

    def value(
        self,
        *,
        programme,
        start: date | None,
        end: date | None,
        disaggregate_by: str | None = None,
        params: dict | None = None,
    ):
        extra = {"params": params or {}} if self.params else {}
        return self.compute(programme=programme, start=start, end=end, disaggregate_by=disaggregate_by, **extra)


_metrics: dict[str, Metric] = {}


def register_metric(
    key: str,
    *,
    label: str,
    unit: str,
    compute: MetricFunction,
    disaggregations: tuple[str, ...] = (),
    params: tuple[str, ...] = (),
) -> None:
    if key in _metrics and _metrics[key].compute is not compute:
        raise ValueError(f"Metric {key!r} is registered twice.")
    _metrics[key] = Metric(
        key=key, label=label, unit=unit, compute=compute, disaggregations=disaggregations, params=params
    )


def get_metric(key: str) -> Metric | None:
    return _metrics.get(key)


def all_metrics() -> list[Metric]:
    return sorted(_metrics.values(), key=lambda m: m.key)


def metric_choices() -> list[tuple[str, str]]:
    return [(m.key, f"{m.label} ({m.key})") for m in all_metrics()]


# Personal data: each app that stores something about a directory person registers an
# exporter (person -> JSON-able dict) and an eraser (person -> None, anonymises in place).
@dataclass(frozen=True)
class PersonalDataHandler:
    name: str
    export: Callable[[Any], dict]
    erase: Callable[[Any], None]


_personal_data: dict[str, PersonalDataHandler] = {}


def register_personal_data(name: str, *, export: Callable[[Any], dict], erase: Callable[[Any], None]) -> None:
    _personal_data[name] = PersonalDataHandler(name=name, export=export, erase=erase)


def personal_data_handlers() -> list[PersonalDataHandler]:
    return [_personal_data[k] for k in sorted(_personal_data)]


# Merging two people: when both hold an equivalent row (a unique constraint allows only one,
# e.g. two registrations for the same workshop), an app may say which row tells more — a
# check-in over a cancellation. The row with the greater key is kept; without a preference the
# kept person's row stays.
_merge_preferences: dict[str, Callable[[Any], Any]] = {}


def register_merge_preference(model_label: str, key: Callable[[Any], Any]) -> None:
    """`model_label` as Django spells it ("events.registration"); `key(row)` is comparable."""
    _merge_preferences[model_label.lower()] = key


def merge_preference(model_label: str) -> Callable[[Any], Any] | None:
    return _merge_preferences.get(model_label.lower())


# Calendar feeds behind private links (core.CalendarFeedToken, /cal/<key>.ics): an app registers
# each kind of feed it serves under a scope ("events.programme", "training.class"). The builder
# is called with the link's owner and the object id the link names, and applies the same access
# checks as the logged-in feed page: it raises Http404 (or PermissionDenied) when the user may
# not see that calendar, now. The logged-in page should call the same builder.
@dataclass(frozen=True)
class CalendarFeed:
    name: str  # the calendar's title, as a calendar app shows it
    content: bytes  # the iCalendar (RFC 5545)
    page_url: str = ""  # the page the calendar belongs to, for a way back
    filename: str = "lich.ics"


CalendarFeedBuilder = Callable[[Any, str], CalendarFeed]

_calendar_feeds: dict[str, CalendarFeedBuilder] = {}


def register_calendar_feed(scope: str, build: CalendarFeedBuilder) -> None:
    if ":" in scope:
        raise ValueError(f"A calendar feed scope has no colon: {scope!r}.")
    if scope in _calendar_feeds and _calendar_feeds[scope] is not build:
        raise ValueError(f"Calendar feed {scope!r} is registered twice.")
    _calendar_feeds[scope] = build


def calendar_feed_builder(scope: str) -> CalendarFeedBuilder | None:
    return _calendar_feeds.get(scope)


# Two-factor sign-in: staff always use it; a higher app may say that some other users must too
# (programmes: the coordinators of a programme that requires it). A rule takes a user and
# answers True when that user must sign in with a second factor.
_two_factor_rules: dict[str, Callable[[Any], bool]] = {}


def register_two_factor_rule(name: str, rule: Callable[[Any], bool]) -> None:
    _two_factor_rules[name] = rule


def two_factor_rules() -> list[Callable[[Any], bool]]:
    return [_two_factor_rules[k] for k in sorted(_two_factor_rules)]
