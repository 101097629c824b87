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
class UnknownCategory:
    """What a breakdown's "" category (those not classified yet) is called, and where the people
    who can classify them do it: a figure that leaves people out says so and links to the fix."""

    label: str
    fix_url: Callable[[Any], str]  # (programme) -> the page where they are classified


@dataclass(frozen=True)
class Metric:
    key: str
    label: str
    unit: str
    compute: MetricFunction
    disaggregations: tuple[str, ...] = field(default_factory=tuple)
    params: tuple[str, ...] = field(default_factory=tuple)
    unknown: dict[str, UnknownCategory] = field(default_factory=dict)  # by disaggregation

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
    unknown: dict[str, UnknownCategory] | None = None,
) -> None:
    if key in _metrics and _metrics[key].compute is not compute:
        raise ValueError(f"Metric {key!r} is registered twice.")
    _metrics[key] = Metric(
        key=key,
        label=label,
        unit=unit,
        compute=compute,
        disaggregations=disaggregations,
        params=params,
        unknown=unknown or {},
    )


def get_metric(key: str) -> Metric | None:
    return _metrics.get(key)


def all_metrics() -> list[Metric]:
    return sorted(_metrics.values(), key=lambda m: m.key)


def metric_choices() -> list[tuple[str, str]]:
    return [(m.key, f"{m.label} ({m.key})") for m in all_metrics()]


# Personal data. Each app that stores something about a directory person registers:
# - `holders(person) -> set[int]`: the ids of the programmes whose rows of this app are about the
#   person (the directory derives the person's stewards — those programmes' coordinators — from
#   the union over every app);
# - `export(person, *, programmes) -> dict`: the person's rows in those programmes only;
# - `erase(person, *, programmes) -> None`: anonymise the person's rows in those programmes only.
# `programmes` is a set of programme ids, or None for every programme (a data protection officer,
# or the last step of an erasure, when the person's shared record goes too). Apps reach the
# programme of a row through a lookup and narrow with `in_programmes`, so no app imports another.
@dataclass(frozen=True)
class PersonalDataHandler:
    name: str
    export: Callable[..., dict]
    erase: Callable[..., None]
    holders: Callable[[Any], set[int]]


_personal_data: dict[str, PersonalDataHandler] = {}


def _holds_nothing(person) -> set[int]:
    return set()


def register_personal_data(
    name: str,
    *,
    export: Callable[..., dict],
    erase: Callable[..., None],
    holders: Callable[[Any], set[int]] = _holds_nothing,
) -> None:
    _personal_data[name] = PersonalDataHandler(name=name, export=export, erase=erase, holders=holders)


def personal_data_handlers() -> list[PersonalDataHandler]:
    return [_personal_data[k] for k in sorted(_personal_data)]


def in_programmes(queryset, programmes: set[int] | frozenset[int] | None, *, via: str):
    """`queryset` narrowed to the rows whose programme (reached by the lookup `via`, e.g.
    "workshop__programme") is in `programmes`; every row when `programmes` is None."""
    if programmes is None:
        return queryset
    return queryset.filter(**{f"{via}__in": list(programmes)})


def programmes_of(queryset, *, via: str) -> set[int]:
    """The ids of the programmes `queryset`'s rows belong to (for a `holders` function)."""
    return {pk for pk in queryset.order_by().values_list(via, flat=True).distinct() if pk is not None}


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


# Pickers of people, organisations and accounts (directory.picking): each picker names a purpose
# — who may fill that role. `choices(**context)` is the queryset the form accepts and the search
# looks in; `resolve(user, params)` reads the context from the search endpoint's query string
# ("programme": a code) for a user, raising Http404 or PermissionDenied when the user may not
# see that context or search for that role, so the endpoint shows nobody the user may not see.
# Optional: `exact(query, **context)` the rows found only by typing their exact identifier (an
# account's user name or e-mail), never listed by a partial match, and accepted by the form only
# with that query typed; `note(row)` a few words shown after a row's name ("đã là Người xem").
@dataclass(frozen=True)
class PickerPurpose:
    name: str
    kind: str  # "person", "organisation" or "user"
    choices: Callable[..., Any]  # (**context) -> QuerySet
    resolve: Callable[[Any, Any], dict]  # (user, QueryDict) -> context
    context_keys: tuple[str, ...] = ()  # the context a form gives its field (`scope(programme=…)`)
    exact: Callable[..., Any] | None = None  # (query, **context) -> QuerySet
    note: Callable[[Any], str] | None = None  # (row) -> str


_picker_purposes: dict[str, PickerPurpose] = {}


def register_picker_purpose(
    name: str,
    *,
    kind: str,
    choices: Callable[..., Any],
    resolve: Callable[[Any, Any], dict],
    context_keys: tuple[str, ...] = (),
    exact: Callable[..., Any] | None = None,
    note: Callable[[Any], str] | None = None,
) -> None:
    if kind not in ("person", "organisation", "user"):
        raise ValueError(f"A picker purpose picks a person, an organisation or a user, not {kind!r}.")
    if name in _picker_purposes and _picker_purposes[name].choices is not choices:
        raise ValueError(f"Picker purpose {name!r} is registered twice.")
    _picker_purposes[name] = PickerPurpose(name, kind, choices, resolve, context_keys, exact, note)


def picker_purpose(name: str) -> PickerPurpose | None:
    return _picker_purposes.get(name)


# The to-do inbox ("Việc cần làm", home's /todo/): each app registers a provider that says what
# a signed-in user has to do in it — only what they may act on, in the programmes where they
# hold the role that acts. A provider returns a few groups, each a count (one bounded query),
# the soonest due date, how many are overdue and a few sample items (at most `samples`; none
# when 0, for the header's count). Every item's link opens the page that does the task.
@dataclass(frozen=True)
class TodoItem:
    label: str  # what to do it on: a workshop, a material, a programme
    url: str  # the page that does it
    count: int = 0  # how many tasks this item stands for (0: just one, no figure shown)
    detail: str = ""  # "bắt đầu 12/12/2026", "hạn 10/12/2026"
    overdue: bool = False


@dataclass(frozen=True)
class TodoGroup:
    key: str  # "events.registrations"
    label: str  # "Đăng ký chờ duyệt"
    count: int
    items: tuple[TodoItem, ...] = ()
    url: str = ""  # the one page that does them all, when there is one
    overdue: int = 0  # how many of `count` are overdue (or urgent)
    due: date | None = None  # the soonest due date among them

    @property
    def slug(self) -> str:
        """For the page's ids: "events-registrations"."""
        return self.key.replace(".", "-").replace("_", "-")


TodoProvider = Callable[..., list[TodoGroup]]  # (user, *, samples: int) -> groups with count > 0

_todo_providers: dict[str, TodoProvider] = {}


def register_todo(key: str, provider: TodoProvider) -> None:
    if key in _todo_providers and _todo_providers[key] is not provider:
        raise ValueError(f"To-do provider {key!r} is registered twice.")
    _todo_providers[key] = provider


def todo_providers() -> list[TodoProvider]:
    return [_todo_providers[k] for k in sorted(_todo_providers)]


# The header search (core/views_search.py): each app registers the kinds of record it can find.
# A provider is called as `provider(user, terms, limit)` with the query's folded words (every
# one must match) and returns at most `limit` hits among what `user` may see, in one or two
# queries whatever the data's size. `more_url(query)`, when given, is the kind's own list
# filtered by the query ("xem thêm"); `order` places the kind's group on the page.
@dataclass(frozen=True)
class SearchHit:
    title: str
    url: str
    subtitle: str = ""


SearchProvider = Callable[[Any, list[str], int], list[SearchHit]]


@dataclass(frozen=True)
class SearchKind:
    kind: str
    label: Any  # a lazy translation: the group's heading
    provider: SearchProvider
    order: int = 100
    more_url: Callable[[str], str] | None = None


_search_kinds: dict[str, SearchKind] = {}


def register_search(
    kind: str,
    *,
    label: Any,
    provider: SearchProvider,
    order: int = 100,
    more_url: Callable[[str], str] | None = None,
) -> None:
    if kind in _search_kinds and _search_kinds[kind].provider is not provider:
        raise ValueError(f"Search kind {kind!r} is registered twice.")
    _search_kinds[kind] = SearchKind(kind=kind, label=label, provider=provider, order=order, more_url=more_url)


def search_kinds() -> list[SearchKind]:
    return sorted(_search_kinds.values(), key=lambda k: (k.order, k.kind))


# What happens to the people of an uploaded list once the directory's confirming task has written
# them (enrol them in a class, invite them to a workshop). The directory's task calls `apply` a
# batch at a time, each batch in its own durable transaction, with the list's author as actor:
# `apply(actor=…, target_id=…, people=[Person, …]) -> int` makes what is missing for those people
# (through the app's own service: its permission check, its rules, its audit entries) and returns
# how many it made; people already enrolled or invited are left as they are. It raises
# PermissionDenied, ValidationError or ObjectDoesNotExist to stop, with a reason a person can act on.
@dataclass(frozen=True)
class ImportFollowup:
    key: str
    label: Any  # what is being done, e.g. "Thêm học viên vào lớp" (lazy)
    apply: Callable[..., int]


_import_followups: dict[str, ImportFollowup] = {}


def register_import_followup(key: str, *, label: Any, apply: Callable[..., int]) -> None:
    if key in _import_followups and _import_followups[key].apply is not apply:
        raise ValueError(f"Import follow-up {key!r} is registered twice.")
    _import_followups[key] = ImportFollowup(key, label, apply)


def import_followup(key: str) -> ImportFollowup | None:
    return _import_followups.get(key)
