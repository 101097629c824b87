"""Loads the demo content of data.py through the services, the way people would enter it.

Accounts are made directly (they are not audited domain data); everything else goes through a
service with an actor: the staff admin plans, a reporter enters each value, the coordinator
approves it. The whole load is one transaction, so the database never holds half a demo.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from faker import Faker

from ketnoi.core.audit import audit_record
from ketnoi.core.roles import Role
from ketnoi.core.text import fold
from ketnoi.directory.models import Consent, Organisation, Person, Province, Sex
from ketnoi.directory.services import DirectoryAction, consent_record, organisation_create, person_create
from ketnoi.programmes.models import Disaggregation, Indicator, IndicatorPeriod, Programme
from ketnoi.programmes.services import (
    activity_create,
    agreement_create,
    component_create,
    indicator_create,
    indicator_period_create,
    indicator_value_review,
    indicator_value_submit,
    objective_create,
    programme_create,
    programme_role_grant,
)

from . import data
from .events import load_events
from .library import load_library
from .news import load_news
from .surveys import load_surveys
from .training import load_training
from .training_review import load_training_review

# Vietnamese given names carry a middle name that usually says the sex ("Thị", "Văn").
MIDDLE_NAMES = {
    Sex.FEMALE: ("Thị", "Thị", "Ngọc", "Thu", "Thanh", "Hồng", "Phương", "Minh"),
    Sex.MALE: ("Văn", "Văn", "Đức", "Quang", "Minh", "Hữu", "Thanh", "Xuân"),
}
# Mobile network prefixes in use since the 2018 renumbering (Viettel, VinaPhone, MobiFone…).
MOBILE_PREFIXES = (
    [f"03{d}" for d in range(2, 10)]
    + [f"07{d}" for d in (0, 6, 7, 8, 9)]
    + [f"08{d}" for d in (1, 2, 3, 4, 5, 6, 8, 9)]
    + [f"09{d}" for d in (0, 1, 3, 4, 6, 7, 8)]
)


class DemoDataError(Exception):
    """data.py names something the database does not have (e.g. a province)."""


@dataclass
class Identity:
    full_name: str
    sex: str
    birth_year: int
    email: str
    phone: str


class IdentityMaker:
    """Vietnamese names, birth years, e-mails and mobile numbers from a seeded Faker("vi_VN").

    Faker's vi_VN `name()` puts the family name last and may prefix "Ông"/"Bà"; a directory
    record wants "Family Middle Given" with the sex the name suggests, so the parts are drawn
    separately from the same seeded generator.
    """

    def __init__(self, seed: int):
        self.fake = Faker("vi_VN")
        self.fake.seed_instance(seed)
        self.emails: set[str] = set()
        self.phones: set[str] = set()

    def make(self, domain: str) -> Identity:
        sex = Sex.FEMALE if self.fake.boolean() else Sex.MALE
        given = self.fake.first_name_female() if sex == Sex.FEMALE else self.fake.first_name_male()
        full_name = f"{self.fake.last_name()} {self.fake.random_element(MIDDLE_NAMES[sex])} {given}"
        return Identity(
            full_name=full_name,
            sex=sex,
            birth_year=self.fake.random_int(1962, 1996),
            email=self._email(full_name, domain),
            phone=self._phone(),
        )

    def _email(self, full_name: str, domain: str) -> str:
        local = fold(full_name).replace(" ", ".")
        email, n = f"{local}@{domain}", 1
        while email in self.emails:
            n += 1
            email = f"{local}{n}@{domain}"
        self.emails.add(email)
        return email

    def _phone(self) -> str:
        while True:
            phone = f"{self.fake.random_element(MOBILE_PREFIXES)}{self.fake.numerify('# ### ###')}"
            if phone not in self.phones:
                self.phones.add(phone)
                return phone


def email_domain(organisation_key: str | None) -> str:
    return f"{organisation_key or 'ketnoi'}.{data.EMAIL_DOMAIN}"


@dataclass
class LoadResult:
    users: dict = field(default_factory=dict)
    existing_users: list[str] = field(default_factory=list)
    organisations: dict = field(default_factory=dict)
    people: int = 0
    programmes: list[Programme] = field(default_factory=list)
    survey_responses: int = 0


def codes_present() -> set[str]:
    codes = {spec["code"] for spec in data.PROGRAMMES}
    return set(Programme.objects.filter(code__in=codes).values_list("code", flat=True))


# Durable: the load is the outermost transaction by design (manage.py demo_load); run inside
# another one by mistake, it fails loudly instead of leaving half a demo to that caller.
@transaction.atomic(durable=True)
def load() -> LoadResult:
    result = LoadResult()
    identities = IdentityMaker(data.FAKER_SEED)
    provinces = {p.short_name: p for p in Province.objects.filter(scheme=Province.Scheme.CURRENT)}
    if not provinces:
        raise DemoDataError("Chưa có danh mục tỉnh/thành: hãy chạy `manage.py migrate` trước.")

    # Accounts first: the admin is the actor of everything that follows.
    user_identities = {}
    for username, _description, _roles, organisation_key, is_staff in data.USERS:
        identity = identities.make(email_domain(organisation_key))
        user_identities[username] = identity
        result.users[username] = _account(username, identity, is_staff, result)
    admin = next(result.users[u[0]] for u in data.USERS if u[4])
    if not admin.is_staff:
        raise DemoDataError(f"Tài khoản “{admin.username}” đã có nhưng không phải quản trị viên.")

    result.organisations = _organisations(admin, provinces)
    result.people = _people(admin, identities, result.organisations)
    result.people += _account_people(admin, result.users, user_identities, result.organisations)
    for spec in data.PROGRAMMES:
        result.programmes.append(_programme(spec, admin, result.users, result.organisations, provinces))
    result.survey_responses = load_surveys({p.code: p for p in result.programmes}, result.users)
    load_news({p.code: p for p in result.programmes}, result.users)
    load_events({p.code: p for p in result.programmes}, result.users, result.organisations)
    load_training({p.code: p for p in result.programmes}, result.users)
    load_training_review({p.code: p for p in result.programmes}, result.users)
    load_library({p.code: p for p in result.programmes}, result.users)
    return result


def _account(username: str, identity: Identity, is_staff: bool, result: LoadResult):
    User = get_user_model()
    existing = User.objects.filter(username=username).first()
    if existing is not None:
        # Someone's real account: never reset its password or name.
        result.existing_users.append(username)
        return existing
    create = User.objects.create_superuser if is_staff else User.objects.create_user
    return create(username=username, email=identity.email, password=data.PASSWORD, first_name=identity.full_name)


def _province(provinces: dict[str, Province], short_name: str | None) -> Province | None:
    if not short_name:
        return None
    try:
        return provinces[short_name]
    except KeyError:
        raise DemoDataError(f"Không có tỉnh/thành “{short_name}” trong 34 đơn vị hiện hành.") from None


def _organisations(admin, provinces) -> dict[str, Organisation]:
    organisations: dict[str, Organisation] = {}
    for key, name, short_name, kind, parent_key, province, website in data.ORGANISATIONS:
        organisations[key] = organisation_create(
            actor=admin,
            name=name,
            short_name=short_name,
            type=kind,
            parent=organisations[parent_key] if parent_key else None,
            province=_province(provinces, province),
            website=website,
        )
    return organisations


def _person(admin, identity: Identity, organisation: Organisation | None, position: str) -> Person:
    person = person_create(
        actor=admin,
        full_name=identity.full_name,
        sex=identity.sex,
        birth_year=identity.birth_year,
        position=position,
        organisation=organisation,
        email=identity.email,
        phone=identity.phone,
        province=organisation.province if organisation else None,
    )
    consent_record(
        actor=admin,
        person=person,
        purpose=data.CONSENT_PURPOSE,
        given_on=data.CONSENT_GIVEN_ON,
        method=Consent.Method.WRITTEN,
    )
    return person


def _people(admin, identities: IdentityMaker, organisations: dict[str, Organisation]) -> int:
    count = 0
    for key, _name, *_rest in data.ORGANISATIONS:
        for n in range(data.PEOPLE_PER_ORGANISATION.get(key, 0)):
            # Each organisation has one head; the others hold the remaining positions.
            position = data.POSITIONS[0] if n == 0 else identities.fake.random_element(data.POSITIONS[1:])
            _person(admin, identities.make(email_domain(key)), organisations[key], position)
            count += 1
    return count


def _account_people(admin, users, user_identities, organisations) -> int:
    """Each demo account that belongs to an organisation is also a person in the directory."""
    count = 0
    for username, _description, _roles, organisation_key, _staff in data.USERS:
        user = users[username]
        if organisation_key is None or username not in data.USER_POSITIONS or hasattr(user, "person"):
            continue
        identity = user_identities[username]
        person = _person(admin, identity, organisations[organisation_key], data.USER_POSITIONS[username])
        # No directory service links an account (accounts are managed apart): set the link and
        # audit it the way person_update records a changed field.
        Person.objects.filter(pk=person.pk).update(user=user)
        audit_record(actor=admin, action=DirectoryAction.PERSON_UPDATE, obj=person, changes={"user": [None, username]})
        count += 1
    return count


def _programme(spec: dict, admin, users, organisations, provinces) -> Programme:
    code = spec["code"]
    roles = [(users[u[0]], u[2][code]) for u in data.USERS if code in u[2]]
    programme = programme_create(
        actor=admin,
        name=spec["name"],
        code=code,
        description=spec["description"],
        is_public=spec.get("is_public", False),
        start_date=spec["start_date"],
        end_date=spec["end_date"],
        coordinators=[user for user, role in roles if role == Role.COORDINATOR],
    )
    for user, role in roles:
        if role != Role.COORDINATOR:
            programme_role_grant(actor=admin, programme=programme, user=user, role=role)

    component = component_create(actor=admin, programme=programme, name=spec["component"])
    terms = spec["agreement"]
    agreement = agreement_create(
        actor=admin,
        programme=programme,
        component=component,
        title=terms["title"],
        parties=[organisations[key] for key in terms["parties"]],
        signed_on=terms["signed_on"],
        start_date=terms["start_date"],
        end_date=terms["end_date"],
        purpose=terms["purpose"],
    )
    objectives = {
        number: objective_create(actor=admin, programme=programme, number=number, title=title, agreement=agreement)
        for number, title in spec["objectives"]
    }
    activities = {}
    for number, objective, title, responsible, quantity, unit, basis, places in spec["activities"]:
        activities[number] = activity_create(
            actor=admin,
            programme=programme,
            number=number,
            objective=objectives[objective],
            agreement=agreement,
            title=title,
            responsible=organisations[responsible],
            planned_quantity=quantity,
            unit=unit,
            quantity_basis=basis,
            places=[_province(provinces, p) for p in places],
        )

    reporter = users[data.VALUE_REPORTERS[code]]
    approver = users[data.VALUE_APPROVER]
    indicators: dict[str, Indicator] = {}
    periods: dict[tuple[str, str], IndicatorPeriod] = {}
    for row in spec["indicators"]:
        ind_code, name, unit, objective, activity, frequency, cumulative, splits, source, metric, period_rows = row
        indicator = indicator_create(
            actor=admin,
            programme=programme,
            code=ind_code,
            name=name,
            unit=unit,
            objective=objectives.get(objective),
            activity=activities.get(activity),
            frequency=frequency,
            cumulative=cumulative,
            disaggregations=splits,
            source=source,
            metric_key=metric,
        )
        indicators[ind_code] = indicator
        for label, start, end, target, value in period_rows:
            period = indicator_period_create(
                actor=admin, indicator=indicator, label=label, start_date=start, end_date=end, target=target
            )
            periods[ind_code, label] = period
            if value is not None:
                _approved_value(reporter, approver, indicator, period, value)
    for ind_code, label, split, category, value in spec["disaggregated_values"]:
        _approved_value(
            reporter, approver, indicators[ind_code], periods[ind_code, label], value, split=split, category=category
        )
    if spec["pending_value"]:
        ind_code, label, value, evidence = spec["pending_value"]
        indicator_value_submit(
            actor=reporter,
            indicator=indicators[ind_code],
            period=periods[ind_code, label],
            value=value,
            evidence=evidence,
        )
    return programme


def _approved_value(reporter, approver, indicator, period, value, *, split: str = "", category: str = "") -> None:
    evidence = f"Dữ liệu mẫu: báo cáo kỳ {period.label}"
    if split:
        evidence += f", danh sách phân theo {str(Disaggregation(split).label).lower()}"
    entry = indicator_value_submit(
        actor=reporter,
        indicator=indicator,
        period=period,
        value=Decimal(str(value)),
        disaggregation=split,
        category=category,
        evidence=evidence + ".",
    )
    indicator_value_review(actor=approver, value=entry, approve=True)
