"""The dashboard: what it shows, its chart, and a query count that does not grow with rows."""

from datetime import date

import pytest
from django.urls import reverse

from ketnoi.programmes import services
from ketnoi.programmes.charts import period_chart
from ketnoi.programmes.progress import programme_progress

from .factories import Y2017, Y2018, approved, build_plan, indicator, organisation
from .query_counts import page_queries

pytestmark = pytest.mark.django_db


def dashboard(client, prog) -> str:
    response = client.get(reverse("programmes:detail", args=[prog.code]))
    assert response.status_code == 200
    return response.content.decode()


def test_dashboard_shows_the_plan_with_progress(client_for, coordinator, lecturer, viewer, prog):
    plan = build_plan(coordinator, prog)
    approved(lecturer, coordinator, plan.indicator, plan.periods[0], 30)
    approved(lecturer, coordinator, plan.indicator, plan.periods[0], 18, disaggregation="sex", category="female")
    approved(lecturer, coordinator, plan.indicator, plan.periods[0], 12, disaggregation="sex", category="male")
    approved(lecturer, coordinator, plan.indicator, plan.periods[0], 30, disaggregation="province", category="01")
    content = dashboard(client_for(viewer), prog)
    # agreements summary: parties and signed date
    assert "Thoả thuận hợp tác MSD – ViLEAP" in content and "MSD, ViLEAP" in content and "15/03/2017" in content
    # objective and activity with responsible organisation, places, quantity and its basis
    assert "Mục tiêu 1. Đưa vai trò của tổ chức xã hội vào chương trình thạc sĩ" in content
    assert "Hoạt động 1. Đồng giảng dạy" in content
    assert "<strong>10 tiết</strong> – mỗi học kỳ, mỗi lớp, mỗi cơ sở" in content
    assert "Hà Nội, Hồ Chí Minh" in content
    # indicator: target against actual, a bar with its percentage as text, the period table
    assert "CT1" in content and "Thực hiện <strong>30</strong> / chỉ tiêu 80 người" in content
    assert '<progress value="37.5" max="100"' in content and "37,5%" in content
    assert "75%" in content  # 2017: 30 of 40
    # breakdowns by sex and province, labelled, with shares
    assert 'Nữ</th><td class="figure">18</td><td class="figure">60%' in content
    assert "Giới tính" in content and "Tỉnh/thành phố" in content
    # the chart has its title and description
    assert "<svg" in content and '<title id="chart-' in content and "2017: chỉ tiêu 40, thực hiện 30" in content
    # a viewer sees no edit links and no audit trail
    assert reverse("programmes:edit", args=[prog.code]) not in content and "Nhật ký thay đổi" not in content


def test_coordinator_sees_edit_links_pending_values_and_the_audit(client_for, coordinator, lecturer, prog):
    plan = build_plan(coordinator, prog)
    services.indicator_value_submit(
        actor=lecturer, indicator=plan.indicator, period=plan.periods[1], value=7, evidence="Danh sách"
    )
    content = dashboard(client_for(coordinator), prog)
    assert reverse("programmes:objective_edit", args=[prog.code, plan.objective.pk]) in content
    assert reverse("programmes:indicator_create", args=[prog.code]) in content
    assert "1 giá trị chờ phê duyệt" in content
    assert reverse("programmes:approvals", args=[prog.code]) in content
    assert "Nhật ký thay đổi" in content


def test_metric_indicators_say_they_are_computed_live(client_for, coordinator, viewer, prog):
    a, b = organisation("Tổ chức A"), organisation("Tổ chức B")
    services.agreement_create(actor=coordinator, programme=prog, title="TT", parties=[a, b], signed_on=date(2017, 5, 1))
    indicator(coordinator, prog, "M1", source="metric", metric_key="programmes.agreements_signed")
    content = dashboard(client_for(viewer), prog)
    assert "Số liệu tự động: tính trực tiếp" in content
    assert "Thực hiện <strong>1</strong>" in content


def test_empty_programme_guides_the_coordinator(client_for, coordinator, viewer, prog):
    content = dashboard(client_for(coordinator), prog)
    assert "Chưa có mục tiêu nào. Thêm mục tiêu đầu tiên" in content
    assert reverse("programmes:objective_create", args=[prog.code]) in content
    assert "Chưa có thoả thuận hợp tác nào." in content
    assert reverse("programmes:objective_create", args=[prog.code]) not in dashboard(client_for(viewer), prog)


def test_indicator_without_periods_asks_for_them(client_for, coordinator, prog):
    made = services.indicator_create(actor=coordinator, programme=prog, code="X1", name="Chưa có kỳ", unit="người")
    content = dashboard(client_for(coordinator), prog)
    assert "Chưa có kỳ báo cáo và chỉ tiêu." in content
    assert reverse("programmes:period_create", args=[prog.code, made.pk]) in content


def test_phone_layout_basics(client_for, coordinator, prog):
    """Nothing on the page may force a 390 px screen to scroll sideways: tables sit in
    .table-wrap, the chart scales with its viewBox."""
    build_plan(coordinator, prog)
    content = dashboard(client_for(coordinator), prog)
    assert 'name="viewport" content="width=device-width, initial-scale=1"' in content
    assert content.count("<table") == content.count('<div class="table-wrap"><table')
    assert 'viewBox="0 0 320 180"' in content and 'width="320"' not in content


# The chart -----------------------------------------------------------------------------------


def test_chart_of_a_cumulative_indicator_uses_running_totals(coordinator, lecturer, prog):
    made, (p17, p18) = indicator(coordinator, prog, "C1", [(Y2017, 40), (Y2018, 60)], kind="amount")
    approved(lecturer, coordinator, made, p17, 30)
    approved(lecturer, coordinator, made, p18, "12.5")
    (item,) = programme_progress(prog).indicators
    chart = period_chart(item)
    assert "luỹ kế" in chart.title
    assert chart.desc == "2017: chỉ tiêu 40, thực hiện 30; 2018: chỉ tiêu 100, thực hiện 42,5."
    assert [t.label for t in chart.ticks] == ["0", "50", "100"]
    # heights are proportional: the 2018 target bar (100) is the full plot height
    assert float(chart.columns[1].target.height) == pytest.approx(140.0)
    assert "," not in chart.columns[1].actual.height  # SVG coordinates never take a decimal comma


def test_chart_of_a_level_indicator_uses_each_periods_value(coordinator, lecturer, prog):
    made, (p17, _p18) = indicator(coordinator, prog, "L1", [(Y2017, 4), (Y2018, 5)], cumulative=False)
    approved(lecturer, coordinator, made, p17, "4.2")
    (item,) = programme_progress(prog).indicators
    chart = period_chart(item)
    assert chart.desc == "2017: chỉ tiêu 4, thực hiện 4,2; 2018: chỉ tiêu 5, thực hiện chưa có số liệu."
    assert chart.columns[1].actual is None


def test_chart_thins_labels_when_periods_are_many(coordinator, prog):
    periods = [((f"Q{m}", date(2020, m, 1), date(2020, m, 28)), 5) for m in range(1, 13)]
    indicator(coordinator, prog, "Q1", periods)
    chart = period_chart(programme_progress(prog).indicators[0])
    assert len(chart.columns) == 12 and sum(c.show_label for c in chart.columns) == 6


# Query counts --------------------------------------------------------------------------------


def _build(coordinator, lecturer, prog, first: int, n: int) -> None:
    """n objectives, each with an activity and a manual indicator over 3 periods with values
    (headline and broken down), plus an agreement and a component."""
    parties = [organisation(f"Bên A{first}"), organisation(f"Bên B{first}")]
    for k in range(first, first + n):
        services.agreement_create(actor=coordinator, programme=prog, title=f"Thoả thuận {k}", parties=parties)
        services.component_create(actor=coordinator, programme=prog, name=f"Mảng {k}")
        objective = services.objective_create(actor=coordinator, programme=prog, title=f"Mục tiêu {k}")
        activity = services.activity_create(
            actor=coordinator, programme=prog, title=f"Hoạt động {k}", objective=objective, responsible=parties[0]
        )
        made, periods = indicator(
            coordinator,
            prog,
            f"K{k}",
            [((f"{y}", date(y, 1, 1), date(y, 12, 31)), 10) for y in (2017, 2018, 2019)],
            activity=activity,
            disaggregations=["sex", "province"],
        )
        services.indicator_create(
            actor=coordinator, programme=prog, code=f"D{k}", name="Trực tiếp", unit="người", objective=objective
        )
        for period in periods:
            approved(lecturer, coordinator, made, period, 3)
            approved(lecturer, coordinator, made, period, 2, disaggregation="sex", category="female")
            approved(lecturer, coordinator, made, period, 1, disaggregation="province", category="01")
            services.indicator_value_submit(actor=lecturer, indicator=made, period=period, value=1, evidence="chờ")


@pytest.mark.parametrize("persona", ["coordinator", "viewer", "staff_admin"])
def test_dashboard_query_count_does_not_grow_with_rows(request, client_for, coordinator, lecturer, prog, persona):
    n = 2
    _build(coordinator, lecturer, prog, 0, n)
    client = client_for(request.getfixturevalue(persona))
    url = reverse("programmes:detail", args=[prog.code])
    small = page_queries(client, url)
    _build(coordinator, lecturer, prog, n, 2 * n)  # now 3n of everything
    large = page_queries(client, url)
    assert large == small, f"{persona}: {small} queries with {n} objectives, {large} with {3 * n}"


def test_list_query_count_does_not_grow_with_programmes(client_for, coordinator, lecturer, prog, make_user):
    from ketnoi.programmes.models import Programme, ProgrammeRole

    def add_programmes(first: int, n: int) -> None:
        for k in range(first, first + n):
            programme = Programme.objects.create(name=f"Chương trình {k}", code=f"ct-{k}")
            ProgrammeRole.objects.create(programme=programme, user=coordinator, role="coordinator")
            ProgrammeRole.objects.create(programme=programme, user=lecturer, role="lecturer")
            _build(coordinator, lecturer, programme, 0, 1)

    add_programmes(0, 2)
    client = client_for(coordinator)
    url = reverse("programmes:list")
    small = page_queries(client, url)
    add_programmes(2, 6)
    large = page_queries(client, url)
    assert large == small
    assert "Chương trình 7" in client.get(url).content.decode()


def test_dashboard_query_count_is_small(client_for, coordinator, lecturer, prog, django_assert_max_num_queries):
    _build(coordinator, lecturer, prog, 0, 3)
    client = client_for(coordinator)
    url = reverse("programmes:detail", args=[prog.code])
    client.get(url)
    with django_assert_max_num_queries(17):  # 16, and the header's roles anywhere
        client.get(url)


@pytest.mark.parametrize("persona", ["outsider", "other_coordinator"])
def test_no_role_on_the_programme_gets_404(request, client_for, coordinator, prog, persona):
    build_plan(coordinator, prog)
    client = client_for(request.getfixturevalue(persona))
    assert client.get(reverse("programmes:detail", args=[prog.code])).status_code == 404


def test_percentages_read_91_percent_in_english_too(client_for, coordinator, lecturer, viewer, prog):
    """One formatter (ketnoi.core.figures): no space before the sign, the language's decimal mark."""
    plan = build_plan(coordinator, prog)
    approved(lecturer, coordinator, plan.indicator, plan.periods[0], 30)
    approved(lecturer, coordinator, plan.indicator, plan.periods[0], 18, disaggregation="sex", category="female")
    client = client_for(viewer)
    client.cookies["ketnoi_language"] = "en"
    content = dashboard(client, prog)
    assert "37.5%" in content and "75%" in content and "100%" in content  # 18 of 18 are women
    assert " %" not in content
    detail = client.get(reverse("programmes:indicator_detail", args=[prog.code, plan.indicator.pk])).content.decode()
    assert "37.5%" in detail and "75%" in detail and " %" not in detail
