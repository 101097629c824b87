"""GET /api/v1/surveys/programmes/{code}/forms…: a programme's forms, their versions, their
collections and their results, for anyone with a role on the programme (results are for every
role, as on the pages). Someone without a role — a learner who answers through share links, an
outsider — gets 404: the programme does not exist for them.
"""

from datetime import date, datetime

from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema

from ketnoi.core.api_pagination import paginated
from ketnoi.programmes import access as programme_access

from . import access
from .api_results import results_for
from .models import Collection, Form

router = Router(tags=["surveys"])
MAX_LIMIT = 200


class VersionOut(Schema):
    number: int
    created_at: datetime
    responses: int = Field(..., alias="response_count", description="responses given to this version")


class FormOut(Schema):
    id: int
    code: str
    title: str
    description: str
    current_version: int | None = Field(..., description="number of the version new responses answer")
    collections: int = Field(..., alias="collection_count", description="times the form was opened")
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_current_version(form: Form) -> int | None:
        return form.current_version.number if form.current_version else None


class FormDetailOut(FormOut):
    definition: dict = Field(..., description="the current version's questions (see the definition format)")
    versions: list[VersionOut]

    @staticmethod
    def resolve_definition(form: Form) -> dict:
        return form.current_version.definition if form.current_version else {}

    @staticmethod
    def resolve_versions(form: Form) -> list:
        return form.versions.annotate(response_count=Count("responses")).order_by("-number")


class SurveyCollectionOut(Schema):
    id: int
    token: str = Field(..., description="the share token: POST responses to /api/v1/surveys/{token}/responses")
    share_url: str = Field(..., description="the respondent page, /s/<token>/")
    title: str
    target_label: str
    context: dict
    opens_at: datetime
    closes_at: datetime | None
    max_responses: int | None
    mode: str
    is_open: bool
    responses: int = Field(..., alias="response_count")

    @staticmethod
    def resolve_share_url(collection: Collection, context) -> str:
        return context["request"].build_absolute_uri(f"/s/{collection.token}/")

    @staticmethod
    def resolve_is_open(collection: Collection) -> bool:
        return collection.is_open()


class ResultsFilters(Schema):
    collection: int | None = Field(None, description="one collection's responses only")
    class_: str | None = Field(None, alias="class")
    campus: str | None = None
    semester: str | None = None
    lecturer: str | None = None
    since: date | None = Field(None, description="submitted on or after (YYYY-MM-DD)")
    until: date | None = Field(None, description="submitted on or before (YYYY-MM-DD)")


def _form(request: HttpRequest, code: str, form_id: int) -> Form:
    programme = programme_access.get_programme_for_user(request.user, code)
    return access.get_form_for_user(request.user, programme, form_id)


def _forms(programme) -> QuerySet[Form]:
    return (
        Form.objects.filter(programme=programme)
        .select_related("current_version")
        .annotate(collection_count=Count("collections"))
        # Django drops Meta.ordering under GROUP BY: without this, pages of the list overlap.
        .order_by("title", "id")
    )


@router.get("/programmes/{code}/forms", response=list[FormOut])
@paginated(MAX_LIMIT)
def list_forms(request: HttpRequest, code: str):
    """The programme's forms, for anyone with a role on it."""
    programme = programme_access.get_programme_for_user(request.user, code)
    return _forms(programme)


@router.get("/programmes/{code}/forms/{int:form_id}", response=FormDetailOut)
def get_form(request: HttpRequest, code: str, form_id: int):
    """The form with its current questions and every version with its number of responses."""
    programme = programme_access.get_programme_for_user(request.user, code)
    return get_object_or_404(_forms(programme), pk=form_id)


@router.get("/programmes/{code}/forms/{int:form_id}/collections", response=list[SurveyCollectionOut])
@paginated(MAX_LIMIT)
def list_collections(request: HttpRequest, code: str, form_id: int):
    """Every opening of the form (newest first), with its share token and responses so far."""
    form = _form(request, code, form_id)
    return form.collections.annotate(response_count=Count("responses")).order_by("-opens_at", "-id")


@router.get("/programmes/{code}/forms/{int:form_id}/results")
def form_results(request: HttpRequest, code: str, form_id: int, filters: Query[ResultsFilters]):
    """Per question (the current version's, then those only earlier versions asked): how many
    answered, the count and percentage of each choice, scale point, value or date range, and the
    mean, median, minimum and maximum where they apply — the figures of the results page,
    computed in the database. Filters narrow the responses: one collection, the collections'
    context (class, campus, semester, lecturer), submission dates."""
    form = _form(request, code, form_id)
    return results_for(form, filters.model_dump(by_alias=True))
