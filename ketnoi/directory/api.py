"""/api/v1/directory/: organisations and people, scoped exactly like the web pages.

Reads need a programme role (or staff); an object out of sight is 404; a write without edit
rights is 403; a refused input is 400 with the service's message (see ketnoi/api.py).
"""

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from ketnoi.core.api_pagination import paginated
from ketnoi.core.api_types import patch_changes
from ketnoi.core.parsing import whole_number
from ketnoi.core.permissions import can_edit_directory, can_read_directory

from . import queries, services
from .models import Organisation, OrganisationType, Person, Province, Sex

router = Router(tags=["directory"])
MAX_LIMIT = 200


class ProvinceOut(Schema):
    code: str
    name: str
    scheme: str = Field(description='"2025" for the 34 current units, "legacy" for the 63 older ones')


class OrganisationRef(Schema):
    id: int
    name: str
    short_name: str


class OrganisationOut(Schema):
    id: int
    name: str
    short_name: str
    type: OrganisationType
    type_label: str
    parent: OrganisationRef | None
    province: ProvinceOut | None
    website: str
    email: str
    phone: str
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_type_label(obj: Organisation) -> str:
        return str(obj.get_type_display())


class OrganisationIn(Schema):
    name: str
    type: OrganisationType
    short_name: str = ""
    parent_id: int | None = None
    province_code: str | None = Field(None, description="code of one of the 34 current provinces, e.g. 01")
    website: str = ""
    email: str = ""
    phone: str = ""


class OrganisationPatch(Schema):
    name: str | None = None
    type: OrganisationType | None = None
    short_name: str | None = None
    parent_id: int | None = None
    province_code: str | None = None
    website: str | None = None
    email: str | None = None
    phone: str | None = None


class OrganisationFilters(Schema):
    q: str = Field("", description="search in the name and short name, with or without diacritics")
    type: OrganisationType | None = None
    province: str | None = Field(None, description="current province code; legacy units count under it")


class PersonOut(Schema):
    id: int
    full_name: str
    sex: Sex
    birth_year: int | None
    position: str
    organisation: OrganisationRef | None
    email: str
    phone: str
    province: ProvinceOut | None
    erased: bool
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_erased(obj: Person) -> bool:
        return obj.erased_at is not None


class PersonIn(Schema):
    full_name: str
    sex: Sex = Sex.UNKNOWN
    birth_year: int | None = None
    position: str = ""
    organisation_id: int | None = None
    email: str = ""
    phone: str = ""
    province_code: str | None = None
    allow_duplicate: bool = Field(False, description="create even if someone with the same name and contact exists")


class PersonPatch(Schema):
    full_name: str | None = None
    sex: Sex | None = None
    birth_year: int | None = None
    position: str | None = None
    organisation_id: int | None = None
    email: str | None = None
    phone: str | None = None
    province_code: str | None = None


class PersonFilters(Schema):
    q: str = Field("", description="search in names (with or without diacritics), e-mail and phone")
    sex: Sex | None = None
    organisation_id: int | None = None
    province: str | None = Field(None, description="current province code; legacy units count under it")


def _require_reader(request: HttpRequest) -> None:
    if not can_read_directory(request.user):
        raise PermissionDenied(_("Bạn cần có vai trò trong một chương trình để xem danh bạ."))


def _require_editor(request: HttpRequest) -> None:
    # Checked before the input is resolved, so a reader learns "no right" rather than "bad id".
    if not can_edit_directory(request.user):
        raise PermissionDenied(_("Chỉ điều phối viên hoặc quản trị viên mới được sửa danh bạ."))


def _current_province(code: str | None, *, field: str = "province_code") -> Province | None:
    if not code:
        return None
    province = queries.current_provinces().filter(code=code).first()
    if province is None:
        raise ValidationError({field: _("Không có tỉnh/thành hiện hành nào mã “%(code)s”.") % {"code": code}})
    return province


def _organisation(request: HttpRequest, pk: int | None, *, field: str) -> Organisation | None:
    if pk is None:
        return None
    organisation = None
    if whole_number(pk, low=1) is not None:  # an id no column holds is simply unknown
        organisation = queries.organisations_for(request.user).filter(pk=pk).first()
    if organisation is None:
        raise ValidationError({field: _("Không có tổ chức nào mã %(id)s.") % {"id": pk}})
    return organisation


def _resolve_references(request: HttpRequest, data: dict) -> dict:
    """Turn *_id and province_code into objects, the way the services take them."""
    if "province_code" in data:
        data["province"] = _current_province(data.pop("province_code"))
    if "parent_id" in data:
        data["parent"] = _organisation(request, data.pop("parent_id"), field="parent_id")
    if "organisation_id" in data:
        data["organisation"] = _organisation(request, data.pop("organisation_id"), field="organisation_id")
    return data


# Organisations -------------------------------------------------------------------------------


@router.get("/organisations", response=list[OrganisationOut])
@paginated(MAX_LIMIT)
def list_organisations(request: HttpRequest, filters: Query[OrganisationFilters]):
    _require_reader(request)
    return queries.search_organisations(
        queries.organisations_for(request.user),
        q=filters.q,
        type=filters.type or "",
        province=_current_province(filters.province, field="province"),
    )


@router.get("/organisations/{int:organisation_id}", response=OrganisationOut)
def get_organisation(request: HttpRequest, organisation_id: int):
    return queries.get_organisation_for_user(request.user, organisation_id)


@router.post("/organisations", response={201: OrganisationOut})
def create_organisation(request: HttpRequest, payload: OrganisationIn):
    _require_editor(request)
    data = _resolve_references(request, payload.model_dump())
    return Status(201, services.organisation_create(actor=request.user, **data))


@router.patch("/organisations/{int:organisation_id}", response=OrganisationOut)
def update_organisation(request: HttpRequest, organisation_id: int, payload: OrganisationPatch):
    organisation = queries.get_organisation_for_user(request.user, organisation_id)
    _require_editor(request)
    data = _resolve_references(request, patch_changes(payload))
    services.organisation_update(actor=request.user, organisation=organisation, **data)
    return queries.get_organisation_for_user(request.user, organisation_id)


# People --------------------------------------------------------------------------------------


@router.get("/people", response=list[PersonOut])
@paginated(MAX_LIMIT)
def list_people(request: HttpRequest, filters: Query[PersonFilters]):
    _require_reader(request)
    return queries.search_people(
        queries.people_for(request.user),
        q=filters.q,
        sex=filters.sex or "",
        organisation=_organisation(request, filters.organisation_id, field="organisation_id"),
        province=_current_province(filters.province, field="province"),
    )


@router.get("/people/{int:person_id}", response=PersonOut)
def get_person(request: HttpRequest, person_id: int):
    return queries.get_person_for_user(request.user, person_id)


@router.post("/people", response={201: PersonOut})
def create_person(request: HttpRequest, payload: PersonIn):
    _require_editor(request)
    data = _resolve_references(request, payload.model_dump())
    return Status(201, services.person_create(actor=request.user, **data))


@router.patch("/people/{int:person_id}", response=PersonOut)
def update_person(request: HttpRequest, person_id: int, payload: PersonPatch):
    person = queries.get_person_for_user(request.user, person_id)
    _require_editor(request)
    data = _resolve_references(request, patch_changes(payload))
    services.person_update(actor=request.user, person=person, **data)
    return queries.get_person_for_user(request.user, person_id)
