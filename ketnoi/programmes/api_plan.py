"""/api/v1/programmes/: programmes, components, agreements, objectives and activities.

Every write goes through `services` (rules, one transaction, audit); a refused input is a 400
with the service's message per field, a missing right a 403, a programme out of sight a 404.
"""

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Status

from ketnoi.core.api_pagination import paginated

from . import access, queries, services
from . import api_helpers as h
from .api_schemas import (
    ActivityIn,
    ActivityOut,
    ActivityPatch,
    AgreementIn,
    AgreementOut,
    AgreementPatch,
    ComponentIn,
    ComponentOut,
    ComponentPatch,
    ObjectiveIn,
    ObjectiveOut,
    ObjectivePatch,
    ProgrammeDetailOut,
    ProgrammeIn,
    ProgrammeOut,
    ProgrammePatch,
)

router = Router(tags=["programmes"])


# Programmes ----------------------------------------------------------------------------------


@router.get("", response=list[ProgrammeOut])
@paginated(h.MAX_LIMIT)
def list_programmes(request: HttpRequest):
    """The programmes the token's user holds a role on (staff admins: all)."""
    return access.programmes_for(request.user)


@router.post("", response={201: ProgrammeDetailOut})
def create_programme(request: HttpRequest, payload: ProgrammeIn):
    """Staff admins only."""
    h.require_programme_creator(request)
    data = payload.model_dump()
    data["coordinators"] = h.users_named(data["coordinators"], "coordinators")
    programme = services.programme_create(actor=request.user, **data)
    return Status(201, programme)


@router.get("/{code}", response=ProgrammeDetailOut)
def get_programme(request: HttpRequest, code: str):
    return h.programme_for(request, code)


@router.patch("/{code}", response=ProgrammeDetailOut)
def update_programme(request: HttpRequest, code: str, payload: ProgrammePatch):
    programme = h.programme_for(request, code)
    changes = h.changes(payload)
    if "second_approver" in changes:
        h.require_planner(request, programme)  # before a username is looked up
        name = changes["second_approver"]
        changes["second_approver"] = h.users_named([name], "second_approver")[0] if name else None
    return services.programme_update(actor=request.user, programme=programme, **changes)


# Components ----------------------------------------------------------------------------------


@router.get("/{code}/components", response=list[ComponentOut], tags=["components"])
@paginated(h.MAX_LIMIT)
def list_components(request: HttpRequest, code: str):
    return h.programme_for(request, code).components.all()


@router.post("/{code}/components", response={201: ComponentOut}, tags=["components"])
def create_component(request: HttpRequest, code: str, payload: ComponentIn):
    programme = h.programme_for(request, code)
    return Status(201, services.component_create(actor=request.user, programme=programme, **payload.model_dump()))


@router.get("/{code}/components/{int:component_id}", response=ComponentOut, tags=["components"])
def get_component(request: HttpRequest, code: str, component_id: int):
    return get_object_or_404(h.programme_for(request, code).components, pk=component_id)


@router.patch("/{code}/components/{int:component_id}", response=ComponentOut, tags=["components"])
def update_component(request: HttpRequest, code: str, component_id: int, payload: ComponentPatch):
    component = get_object_or_404(h.programme_for(request, code).components, pk=component_id)
    return services.component_update(actor=request.user, component=component, **h.changes(payload))


# Agreements ----------------------------------------------------------------------------------


@router.get("/{code}/agreements", response=list[AgreementOut], tags=["agreements"])
@paginated(h.MAX_LIMIT)
def list_agreements(request: HttpRequest, code: str):
    return queries.agreements_of(h.programme_for(request, code))


@router.post("/{code}/agreements", response={201: AgreementOut}, tags=["agreements"])
def create_agreement(request: HttpRequest, code: str, payload: AgreementIn):
    programme = h.programme_for(request, code)
    h.require_planner(request, programme)
    data = h.resolve_references(request, programme, payload.model_dump())
    agreement = services.agreement_create(actor=request.user, programme=programme, **data)
    return Status(201, queries.agreements_of(programme).get(pk=agreement.pk))


@router.get("/{code}/agreements/{int:agreement_id}", response=AgreementOut, tags=["agreements"])
def get_agreement(request: HttpRequest, code: str, agreement_id: int):
    return get_object_or_404(queries.agreements_of(h.programme_for(request, code)), pk=agreement_id)


@router.patch("/{code}/agreements/{int:agreement_id}", response=AgreementOut, tags=["agreements"])
def update_agreement(request: HttpRequest, code: str, agreement_id: int, payload: AgreementPatch):
    programme = h.programme_for(request, code)
    agreement = get_object_or_404(programme.agreements, pk=agreement_id)
    h.require_planner(request, programme)
    data = h.resolve_references(request, programme, h.changes(payload))
    services.agreement_update(actor=request.user, agreement=agreement, **data)
    return queries.agreements_of(programme).get(pk=agreement.pk)


# Objectives ----------------------------------------------------------------------------------


@router.get("/{code}/objectives", response=list[ObjectiveOut], tags=["objectives"])
@paginated(h.MAX_LIMIT)
def list_objectives(request: HttpRequest, code: str):
    return queries.objectives_of(h.programme_for(request, code))


@router.post("/{code}/objectives", response={201: ObjectiveOut}, tags=["objectives"])
def create_objective(request: HttpRequest, code: str, payload: ObjectiveIn):
    programme = h.programme_for(request, code)
    h.require_planner(request, programme)
    data = h.resolve_references(request, programme, payload.model_dump())
    objective = services.objective_create(actor=request.user, programme=programme, **data)
    return Status(201, queries.objectives_of(programme).get(pk=objective.pk))


@router.get("/{code}/objectives/{int:objective_id}", response=ObjectiveOut, tags=["objectives"])
def get_objective(request: HttpRequest, code: str, objective_id: int):
    return get_object_or_404(queries.objectives_of(h.programme_for(request, code)), pk=objective_id)


@router.patch("/{code}/objectives/{int:objective_id}", response=ObjectiveOut, tags=["objectives"])
def update_objective(request: HttpRequest, code: str, objective_id: int, payload: ObjectivePatch):
    programme = h.programme_for(request, code)
    objective = get_object_or_404(programme.objectives, pk=objective_id)
    h.require_planner(request, programme)
    data = h.resolve_references(request, programme, h.changes(payload))
    services.objective_update(actor=request.user, objective=objective, **data)
    return queries.objectives_of(programme).get(pk=objective.pk)


# Activities ----------------------------------------------------------------------------------


@router.get("/{code}/activities", response=list[ActivityOut], tags=["activities"])
@paginated(h.MAX_LIMIT)
def list_activities(request: HttpRequest, code: str):
    return queries.activities_of(h.programme_for(request, code))


@router.post("/{code}/activities", response={201: ActivityOut}, tags=["activities"])
def create_activity(request: HttpRequest, code: str, payload: ActivityIn):
    programme = h.programme_for(request, code)
    h.require_planner(request, programme)
    data = h.resolve_references(request, programme, payload.model_dump())
    activity = services.activity_create(actor=request.user, programme=programme, **data)
    return Status(201, queries.activities_of(programme).get(pk=activity.pk))


@router.get("/{code}/activities/{int:activity_id}", response=ActivityOut, tags=["activities"])
def get_activity(request: HttpRequest, code: str, activity_id: int):
    return get_object_or_404(queries.activities_of(h.programme_for(request, code)), pk=activity_id)


@router.patch("/{code}/activities/{int:activity_id}", response=ActivityOut, tags=["activities"])
def update_activity(request: HttpRequest, code: str, activity_id: int, payload: ActivityPatch):
    programme = h.programme_for(request, code)
    activity = get_object_or_404(queries.activities_of(programme), pk=activity_id)
    h.require_planner(request, programme)
    data = h.resolve_references(request, programme, h.changes(payload), kept_places=activity.places.all())
    services.activity_update(actor=request.user, activity=activity, **data)
    return queries.activities_of(programme).get(pk=activity.pk)
