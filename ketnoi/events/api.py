"""GET /api/v1/events/programmes/{code}/workshops…: a programme's workshops with their counts, for
anyone with a role on the programme; the registrations of one workshop (people's names and
contacts) for its coordinators only (403 for other roles). Someone without a role gets 404: the
programme does not exist for them."""

from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema

from ketnoi.core.api_pagination import paginated
from ketnoi.core.api_types import LocalTime
from ketnoi.programmes import access as programme_access

from . import access
from .feeds import registration_url
from .models import Registration, Workshop

router = Router(tags=["events"])
MAX_LIMIT = 200
Status = Registration.Status


class WorkshopOrganisationRef(Schema):
    id: int
    name: str
    type: str


class WorkshopOut(Schema):
    id: int
    kind: str
    title: str
    province: str | None = Field(None, description="the province's code in the 34-unit scheme")
    province_name: str | None = None
    venue: str
    starts_at: datetime
    ends_at: datetime
    capacity: int | None = Field(..., description="places; null when unlimited")
    registration: str = Field(..., description="public, invitation or closed")
    needs_approval: bool
    held: bool
    language: str = Field(..., description="the language of the workshop's documents (vi or en)")
    registered: int = Field(..., description="registrations not cancelled")
    places_taken: int = Field(..., description="confirmed and attended registrations")
    attended: int = Field(..., description="people checked in")
    registration_url: str | None = Field(None, description="the public registration page, for a public workshop")

    @staticmethod
    def resolve_province(workshop: Workshop) -> str | None:
        return workshop.province.code if workshop.province else None

    @staticmethod
    def resolve_province_name(workshop: Workshop) -> str | None:
        return workshop.province.name if workshop.province else None

    @staticmethod
    def resolve_registration_url(workshop: Workshop) -> str | None:
        return registration_url(workshop) if workshop.registration == Workshop.Registration.PUBLIC else None


class AgendaItemOut(Schema):
    starts_at: LocalTime
    title: str
    speakers: str


class QuestionOut(Schema):
    position: int
    text: str
    conclusions: str


class WorkshopDetailOut(WorkshopOut):
    description: str
    feedback_collection_id: int | None
    counts: dict[str, int] = Field(..., description="registrations per status (pending, confirmed, waiting, …)")
    organisers: list[WorkshopOrganisationRef]
    partners: list[WorkshopOrganisationRef]
    agenda: list[AgendaItemOut]
    questions: list[QuestionOut]

    @staticmethod
    def resolve_counts(workshop: Workshop) -> dict[str, int]:
        found = dict(workshop.registrations.values_list("status").annotate(n=Count("pk")).order_by())
        return {status: found.get(status, 0) for status in Status.values}

    @staticmethod
    def _organisations(workshop: Workshop, role: str) -> list[dict]:
        return [
            {"id": r.organisation.pk, "name": r.organisation.name, "type": r.organisation.type}
            for r in workshop.organisations.all()
            if r.role == role
        ]

    @staticmethod
    def resolve_organisers(workshop: Workshop) -> list[dict]:
        return WorkshopDetailOut._organisations(workshop, "organiser")

    @staticmethod
    def resolve_partners(workshop: Workshop) -> list[dict]:
        return WorkshopDetailOut._organisations(workshop, "partner")


class RegistrationOut(Schema):
    id: int
    status: str
    full_name: str = Field(..., alias="delegate.full_name")
    sex: str = Field(..., alias="delegate.sex")
    position: str = Field(..., alias="delegate.position")
    email: str = Field(..., alias="delegate.email")
    phone: str = Field(..., alias="delegate.phone")
    awaiting_confirmation: bool
    checkin_code: str = Field(..., description="the short code printed on the ticket, typed at check-in")
    organisation: WorkshopOrganisationRef | None = Field(
        None, description="the directory organisation the registration counts under, once known"
    )
    organisation_name: str = Field(
        ..., description="the organisation as typed at registration (or the directory's name when nothing was typed)"
    )
    organisation_matched: bool = Field(
        ..., description="false while a typed organisation name waits for a coordinator to match it to the directory"
    )
    province: str | None = None
    approved: bool
    walk_in: bool
    waiting_since: datetime | None
    checked_in_at: datetime | None
    created_at: datetime

    @staticmethod
    def resolve_organisation(registration: Registration) -> dict | None:
        organisation = registration.organisation_known
        if organisation is None:
            return None
        return {"id": organisation.pk, "name": organisation.name, "type": organisation.type}

    @staticmethod
    def resolve_organisation_name(registration: Registration) -> str:
        return registration.organisation_name or registration.organisation_shown

    @staticmethod
    def resolve_organisation_matched(registration: Registration) -> bool:
        return registration.organisation_known is not None

    @staticmethod
    def resolve_province(registration: Registration) -> str | None:
        province = registration.delegate.province
        return province.code if province else None


def _workshops(request: HttpRequest, code: str) -> QuerySet[Workshop]:
    programme = programme_access.get_programme_for_user(request.user, code)
    return access.workshops_for(request.user, programme).annotate(
        registered=Count("registrations", filter=~Q(registrations__status=Status.CANCELLED)),
        places_taken=Count("registrations", filter=Q(registrations__status__in=[Status.CONFIRMED, Status.ATTENDED])),
        attended=Count("registrations", filter=Q(registrations__checked_in_at__isnull=False)),
    )


@router.get("/programmes/{code}/workshops", response=list[WorkshopOut])
@paginated(MAX_LIMIT)
def list_workshops(request: HttpRequest, code: str):
    """The programme's workshops, newest first, with registrations, places taken and attendance."""
    return _workshops(request, code).order_by("-starts_at", "-id")


@router.get("/programmes/{code}/workshops/{int:workshop_id}", response=WorkshopDetailOut)
def get_workshop(request: HttpRequest, code: str, workshop_id: int):
    """One workshop with its registrations counted per status, organisers and partners, agenda
    and discussion questions with their conclusions."""
    workshops = _workshops(request, code).prefetch_related("organisations__organisation", "agenda", "questions")
    return get_object_or_404(workshops, pk=workshop_id)


@router.get("/programmes/{code}/workshops/{int:workshop_id}/registrations", response=list[RegistrationOut])
@paginated(MAX_LIMIT)
def list_registrations(request: HttpRequest, code: str, workshop_id: int):
    """Who registered, in the order they did, with their status and check-in — coordinators only,
    as these are people's contacts."""
    programme = programme_access.get_programme_for_user(request.user, code)
    workshop = access.get_workshop_for_user(request.user, programme, workshop_id)
    if not access.can_organise(request.user, programme):
        raise PermissionDenied(_("Chỉ điều phối viên của chương trình mới xem được danh sách đăng ký."))
    registrations = workshop.registrations.select_related(
        "person__organisation", "person__province", "organisation", "province"
    )
    return registrations.order_by("created_at", "id")
