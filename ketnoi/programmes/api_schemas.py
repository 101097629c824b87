"""Request and response shapes of /api/v1/programmes/.

Conventions (as in the directory API): references go in as ids or codes (`component_id`,
`parties`, `places`) and come out as small objects; dates are ISO 8601; decimal figures
(targets, values, percentages) come out as strings, so "40.00" never turns into 39.999…;
they go in as numbers or strings.
"""

from datetime import date, datetime
from decimal import Decimal

from ninja import Field, Schema

from ketnoi.core.api_types import DatabaseId
from ketnoi.directory.api import OrganisationRef, ProvinceOut

from . import access
from .models import Agreement, Disaggregation, Indicator, IndicatorValue, Programme

NO_FILES = "Files are uploaded on the web page; the API neither takes nor changes them."


def _file_url(field) -> str | None:
    return field.url if field else None


def _user_name(user) -> str | None:
    return str(user) if user is not None else None


def _reviewers(value: IndicatorValue, context) -> access.Reviewers:
    """Who may approve the programme's values, read once per request and programme (a page of
    values costs no query per row)."""
    request = context["request"]
    cache = request.__dict__.setdefault("_ketnoi_reviewers", {})
    programme_id = value.indicator.programme_id
    if programme_id not in cache:
        cache[programme_id] = access.Reviewers(Programme.objects.get(pk=programme_id))
    return cache[programme_id]


# References ----------------------------------------------------------------------------------


class ComponentRef(Schema):
    id: int
    name: str


class AgreementRef(Schema):
    id: int
    title: str


class ObjectiveRef(Schema):
    id: int
    number: int
    title: str


class ActivityRef(Schema):
    id: int
    number: int
    title: str


class IndicatorRef(Schema):
    id: int
    code: str
    name: str


class PeriodRef(Schema):
    id: int
    label: str


# Programmes and components -------------------------------------------------------------------


class ComponentOut(Schema):
    id: int
    name: str
    description: str
    order: int


class ComponentIn(Schema):
    name: str
    description: str = ""
    order: int | None = Field(None, ge=1, description="position in the programme; next free one if left out")


class ComponentPatch(Schema):
    name: str | None = None
    description: str | None = None
    order: int | None = Field(None, ge=1)


class ProgrammeOut(Schema):
    id: int
    code: str
    name: str
    description: str
    start_date: date | None
    end_date: date | None
    created_at: datetime
    updated_at: datetime


class ProgrammeDetailOut(ProgrammeOut):
    components: list[ComponentOut]
    second_approver: str | None = Field(
        description="username of the member who approves the values a coordinator enters, when set"
    )

    @staticmethod
    def resolve_second_approver(obj) -> str | None:
        return obj.second_approver.get_username() if obj.second_approver_id else None

    @staticmethod
    def resolve_components(obj) -> list:
        return list(obj.components.all())


class ProgrammeIn(Schema):
    name: str
    code: str = Field(description="short slug used in addresses, e.g. ket-noi-2026; stored in lower case")
    description: str = ""
    start_date: date | None = None
    end_date: date | None = None
    coordinators: list[str] = Field(default_factory=list, description="usernames of the first coordinators")


class ProgrammePatch(Schema):
    name: str | None = None
    code: str | None = None
    description: str | None = None
    start_date: date | None = None
    end_date: date | None = None
    second_approver: str | None = Field(
        None,
        description='username of a member (not a coordinator) who approves the values a coordinator enters; "" clears',
    )


# Agreements ----------------------------------------------------------------------------------


class AgreementOut(Schema):
    id: int
    title: str
    component: ComponentRef | None
    parties: list[OrganisationRef]
    signed_on: date | None
    start_date: date | None
    end_date: date | None
    purpose: str
    document: str | None = Field(description="address of the signed document, if one was uploaded on the web page")
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_parties(obj: Agreement) -> list:
        return list(obj.parties.all())

    @staticmethod
    def resolve_document(obj: Agreement) -> str | None:
        return _file_url(obj.document)


class AgreementIn(Schema):
    """A cooperation agreement between at least two organisations. The signed document is
    uploaded on the agreement's web page: the API does not take files."""

    title: str
    parties: list[int] = Field(description="ids of the organisations party to it (directory ids), at least two")
    component_id: int | None = None
    signed_on: date | None = None
    start_date: date | None = None
    end_date: date | None = None
    purpose: str = ""


class AgreementPatch(Schema):
    """Only the fields sent change; `parties`, when sent, replaces the whole list. The signed
    document is uploaded on the agreement's web page: the API does not take files."""

    title: str | None = None
    parties: list[int] | None = Field(None, description="ids of the organisations party to it, at least two")
    component_id: int | None = None
    signed_on: date | None = None
    start_date: date | None = None
    end_date: date | None = None
    purpose: str | None = None


# Objectives ----------------------------------------------------------------------------------


class ObjectiveOut(Schema):
    id: int
    number: int
    title: str
    description: str
    agreement: AgreementRef | None
    created_at: datetime
    updated_at: datetime


class ObjectiveIn(Schema):
    title: str
    number: int | None = Field(None, ge=1, description="next free number if left out")
    description: str = ""
    agreement_id: int | None = None


class ObjectivePatch(Schema):
    title: str | None = None
    number: int | None = Field(None, ge=1)
    description: str | None = None
    agreement_id: int | None = None


# Activities ----------------------------------------------------------------------------------


class ActivityOut(Schema):
    id: int
    number: int
    title: str
    description: str
    objective: ObjectiveRef | None
    agreement: AgreementRef | None
    places: list[ProvinceOut]
    responsible: OrganisationRef | None
    planned_quantity: Decimal | None
    unit: str
    quantity_basis: str
    start_date: date | None
    end_date: date | None
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_places(obj) -> list:
        return list(obj.places.all())


class ActivityIn(Schema):
    title: str
    number: int | None = Field(None, ge=1, description="next free number if left out")
    objective_id: int | None = None
    agreement_id: int | None = None
    description: str = ""
    places: list[str] = Field(default_factory=list, description="codes of current provinces (the 34 units), e.g. 92")
    responsible_id: int | None = Field(None, description="directory id of the organisation responsible")
    planned_quantity: Decimal | None = None
    unit: str = ""
    quantity_basis: str = ""
    start_date: date | None = None
    end_date: date | None = None


class ActivityPatch(Schema):
    """Only the fields sent change; `places`, when sent, replaces the whole list (a legacy unit
    the activity already has may be sent back by its code)."""

    title: str | None = None
    number: int | None = Field(None, ge=1)
    objective_id: int | None = None
    agreement_id: int | None = None
    description: str | None = None
    places: list[str] | None = None
    responsible_id: int | None = None
    planned_quantity: Decimal | None = None
    unit: str | None = None
    quantity_basis: str | None = None
    start_date: date | None = None
    end_date: date | None = None


# Indicators and periods ----------------------------------------------------------------------


class PeriodOut(Schema):
    id: int
    label: str
    start_date: date
    end_date: date
    target: Decimal


class PeriodIn(Schema):
    label: str
    start_date: date
    end_date: date
    target: Decimal


class PeriodPatch(Schema):
    label: str | None = None
    start_date: date | None = None
    end_date: date | None = None
    target: Decimal | None = None


class IndicatorOut(Schema):
    id: int
    code: str
    name: str
    unit: str
    kind: Indicator.Kind
    objective: ObjectiveRef | None
    activity: ActivityRef | None
    baseline: Decimal
    baseline_date: date | None
    frequency: Indicator.Frequency
    cumulative: bool
    disaggregations: list[Disaggregation]
    source: Indicator.Source
    metric_key: str
    metric_params: dict[str, str]
    created_at: datetime
    updated_at: datetime


class IndicatorDetailOut(IndicatorOut):
    periods: list[PeriodOut]

    @staticmethod
    def resolve_periods(obj) -> list:
        return list(obj.periods.all())


KIND_HELP = (
    "count (whole numbers only: 2, not 1.5), percent or amount (money, an average score); "
    "left out, guessed from the unit and `cumulative`"
)


class IndicatorIn(Schema):
    code: str
    name: str
    unit: str
    kind: Indicator.Kind | None = Field(None, description=KIND_HELP)
    objective_id: int | None = Field(None, description="the activity's objective if left out and activity_id given")
    activity_id: int | None = None
    baseline: Decimal = Decimal(0)
    baseline_date: date | None = None
    frequency: Indicator.Frequency = Indicator.Frequency.ANNUAL
    cumulative: bool = True
    disaggregations: list[Disaggregation] = Field(default_factory=list)
    source: Indicator.Source = Indicator.Source.MANUAL
    metric_key: str = Field("", description="key of a registered metric, for source=metric")
    metric_params: dict[str, str] = Field(
        default_factory=dict, description='narrows the metric, e.g. {"form": "danh-gia-bai-giang"}'
    )


class IndicatorPatch(Schema):
    code: str | None = None
    name: str | None = None
    unit: str | None = None
    kind: Indicator.Kind | None = None
    objective_id: int | None = None
    activity_id: int | None = None
    baseline: Decimal | None = None
    baseline_date: date | None = None
    frequency: Indicator.Frequency | None = None
    cumulative: bool | None = None
    disaggregations: list[Disaggregation] | None = None
    source: Indicator.Source | None = None
    metric_key: str | None = None
    metric_params: dict[str, str] | None = None


# Values --------------------------------------------------------------------------------------


class ValueOut(Schema):
    id: int
    indicator: IndicatorRef
    period: PeriodRef
    value: Decimal
    disaggregation: str = Field(description='"" for the headline figure, else sex, organisation_type or province')
    category: str
    evidence: str
    evidence_file: str | None
    status: IndicatorValue.Status
    submitted_by: str | None
    submitted_at: datetime
    reviewed_by: str | None
    reviewed_at: datetime | None
    review_note: str
    may_review: bool = Field(description="the token's user may approve or refuse this submitted value")
    awaiting_review_by: list[str] = Field(
        description="while submitted: who may approve it (never its author; staff admins not listed)"
    )

    @staticmethod
    def resolve_may_review(obj: IndicatorValue, context) -> bool:
        if obj.status != IndicatorValue.Status.SUBMITTED:
            return False
        return _reviewers(obj, context).may_review(context["request"].user, obj)

    @staticmethod
    def resolve_awaiting_review_by(obj: IndicatorValue, context) -> list[str]:
        if obj.status != IndicatorValue.Status.SUBMITTED:
            return []
        return [str(user) for user in _reviewers(obj, context).for_value(obj)]

    @staticmethod
    def resolve_evidence_file(obj: IndicatorValue) -> str | None:
        return _file_url(obj.evidence_file)

    @staticmethod
    def resolve_submitted_by(obj: IndicatorValue) -> str | None:
        return _user_name(obj.created_by)

    @staticmethod
    def resolve_submitted_at(obj: IndicatorValue) -> datetime:
        return obj.created_at

    @staticmethod
    def resolve_reviewed_by(obj: IndicatorValue) -> str | None:
        return _user_name(obj.reviewed_by)


class ValueIn(Schema):
    """A hand-entered value; it counts once a coordinator other than its author approves it.
    Evidence is described in text here; evidence files are uploaded on the web page."""

    period_id: int
    value: Decimal
    disaggregation: str = Field("", description='"" for the headline figure, or one of the indicator\'s breakdowns')
    category: str = Field("", description="with a disaggregation: sex, organisation type or current province code")
    evidence: str = Field("", description="required: what shows the figure, e.g. the attendance list of 12/03/2026")


class ValueFilters(Schema):
    status: IndicatorValue.Status | None = None
    indicator_id: DatabaseId | None = None


class ReviewIn(Schema):
    approve: bool
    note: str = Field("", description="required when refusing")


# Progress ------------------------------------------------------------------------------------


class PeriodProgressOut(Schema):
    id: int
    label: str
    start_date: date
    end_date: date
    target: Decimal
    actual: Decimal | None
    cumulative_target: Decimal
    cumulative_actual: Decimal | None
    percent: Decimal | None


class ShareOut(Schema):
    category: str
    label: str
    value: Decimal
    share: Decimal | None = Field(description="percentage of the breakdown's total")


class IndicatorProgressOut(Schema):
    id: int
    code: str
    name: str
    unit: str
    source: Indicator.Source
    cumulative: bool
    target: Decimal | None
    actual: Decimal | None
    percent: Decimal | None
    pending: int = Field(description="values waiting for approval")
    periods: list[PeriodProgressOut]
    breakdowns: dict[str, list[ShareOut]] = Field(description="by disaggregation: sex, organisation_type, province")


class ActivityProgressOut(Schema):
    activity: ActivityRef
    percent: Decimal | None
    indicators: list[IndicatorProgressOut]


class ObjectiveProgressOut(Schema):
    objective: ObjectiveRef | None = Field(description="null for the activities and indicators under no objective")
    percent: Decimal | None
    indicators: list[IndicatorProgressOut] = Field(description="linked to the objective but to none of its activities")
    activities: list[ActivityProgressOut]


class ProgressOut(Schema):
    """Target against actual. Only approved values count; an activity's or objective's percent
    is the mean of its indicators', each capped at 100."""

    programme: ProgrammeOut
    percent: Decimal | None
    pending: int
    objectives: list[ObjectiveProgressOut]
