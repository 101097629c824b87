"""Builders for programme tests and for the apps above that need a programme's rows. The plan
is written through the services, as a coordinator would, so the data obeys the same rules as
real data; the bare rows at the top (a programme, a role, an objective and an activity, no
audit) are for tests that need them only to hang their own rows on."""

from dataclasses import dataclass
from datetime import date

from ketnoi.directory.models import Organisation, OrganisationType, Province
from ketnoi.programmes import services
from ketnoi.programmes.models import (
    Activity,
    Agreement,
    Indicator,
    IndicatorPeriod,
    Objective,
    Programme,
    ProgrammeRole,
)

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
Y2017 = ("2017", date(2017, 1, 1), date(2017, 12, 31))
Y2018 = ("2018", date(2018, 1, 1), date(2018, 12, 31))


# Bare rows --------------------------------------------------------------------------------------


def make_programme(name: str = "Chương trình thử nghiệm", code: str = "thu-nghiem", **extra) -> Programme:
    return Programme.objects.create(name=name, code=code, **extra)


def grant(user, programme: Programme, role: str):
    """Give `user` the `role` on `programme`; returns the user."""
    ProgrammeRole.objects.create(user=user, programme=programme, role=role)
    return user


def make_objective(programme: Programme, number: int = 1, title: str = "Mục tiêu 1", **extra) -> Objective:
    return Objective.objects.create(programme=programme, number=number, title=title, **extra)


def make_activity(programme: Programme, number: int = 1, title: str = "Hoạt động", **extra) -> Activity:
    return Activity.objects.create(programme=programme, number=number, title=title, **extra)


# The plan, through the services -----------------------------------------------------------------


def organisation(name: str, type: str = OrganisationType.CSO, **extra) -> Organisation:
    return Organisation.objects.create(name=name, type=type, **extra)


def current_province(short_name: str) -> Province:
    return Province.objects.get(short_name=short_name, scheme=Province.Scheme.CURRENT)


def indicator(actor, programme: Programme, code: str, periods=((Y2017, 40), (Y2018, 40)), **extra):
    made = services.indicator_create(
        actor=actor, programme=programme, code=code, name=extra.pop("name", f"Chỉ số {code}"), unit="người", **extra
    )
    made_periods = [
        services.indicator_period_create(actor=actor, indicator=made, label=label, start_date=s, end_date=e, target=t)
        for (label, s, e), t in periods
    ]
    return made, made_periods


def approved(reporter, approver, indicator: Indicator, period: IndicatorPeriod, value, **extra):
    entry = services.indicator_value_submit(
        actor=reporter, indicator=indicator, period=period, value=value, evidence="Biên bản", **extra
    )
    return services.indicator_value_review(actor=approver, value=entry, approve=True)


@dataclass
class Plan:
    msd: Organisation
    vileap: Organisation
    agreement: Agreement
    objective: Objective
    activity: Activity
    indicator: Indicator
    periods: list[IndicatorPeriod]


def build_plan(coordinator, programme: Programme) -> Plan:
    """The co-teaching commitment of document 000 in small: one agreement, objective, activity
    (10 periods per semester, class and campus) and an indicator with two yearly periods."""
    msd = organisation("Trung tâm Nghiên cứu Quản lý và Phát triển bền vững", short_name="MSD")
    vileap = organisation("Viện Lãnh đạo học và Chính sách công", type=OrganisationType.ACADEMIC, short_name="ViLEAP")
    agreement = services.agreement_create(
        actor=coordinator,
        programme=programme,
        title="Thoả thuận hợp tác MSD – ViLEAP",
        parties=[msd, vileap],
        signed_on=date(2017, 3, 15),
        purpose="Nâng cao năng lực vận động chính sách của các tổ chức xã hội.",
    )
    objective = services.objective_create(
        actor=coordinator,
        programme=programme,
        title="Đưa vai trò của tổ chức xã hội vào chương trình thạc sĩ",
        agreement=agreement,
    )
    activity = services.activity_create(
        actor=coordinator,
        programme=programme,
        title="Đồng giảng dạy trong chương trình Thạc sĩ Chính sách công",
        objective=objective,
        agreement=agreement,
        responsible=msd,
        places=[current_province("Hà Nội"), current_province("Hồ Chí Minh")],
        planned_quantity=10,
        unit="tiết",
        quantity_basis="mỗi học kỳ, mỗi lớp, mỗi cơ sở",
    )
    made, periods = indicator(
        coordinator,
        programme,
        "CT1",
        name="Số học viên được học về tổ chức xã hội",
        activity=activity,
        disaggregations=["sex", "province"],
    )
    return Plan(msd, vileap, agreement, objective, activity, made, periods)
