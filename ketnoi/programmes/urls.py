from django.urls import path

from . import views, views_bulk, views_files, views_indicators, views_plan

app_name = "programmes"
urlpatterns = [
    path("", views.programme_list, name="list"),
    path("new/", views.programme_create, name="create"),
    path("<slug:code>/", views.programme_detail, name="detail"),
    path("<slug:code>/export.xlsx", views.programme_export, name="export"),
    path("<slug:code>/edit/", views.programme_edit, name="edit"),
    path("<slug:code>/members/", views.members, name="members"),
    path("<slug:code>/members/<int:pk>/revoke/", views.member_revoke, name="member_revoke"),
    # The plan
    path("<slug:code>/components/new/", views_plan.component_create, name="component_create"),
    path("<slug:code>/components/<int:pk>/edit/", views_plan.component_edit, name="component_edit"),
    path("<slug:code>/agreements/", views_plan.agreement_list, name="agreement_list"),
    path("<slug:code>/agreements/new/", views_plan.agreement_create, name="agreement_create"),
    path("<slug:code>/agreements/<int:pk>/", views_plan.agreement_detail, name="agreement_detail"),
    path("<slug:code>/agreements/<int:pk>/edit/", views_plan.agreement_edit, name="agreement_edit"),
    path("<slug:code>/agreements/<int:pk>/document/", views_files.agreement_document, name="agreement_document"),
    path("<slug:code>/objectives/new/", views_plan.objective_create, name="objective_create"),
    path("<slug:code>/objectives/<int:pk>/edit/", views_plan.objective_edit, name="objective_edit"),
    path("<slug:code>/activities/new/", views_plan.activity_create, name="activity_create"),
    path("<slug:code>/activities/<int:pk>/", views_plan.activity_detail, name="activity_detail"),
    path("<slug:code>/activities/<int:pk>/edit/", views_plan.activity_edit, name="activity_edit"),
    # Indicators and their values
    path("<slug:code>/indicators/new/", views_indicators.indicator_create, name="indicator_create"),
    path("<slug:code>/indicators/<int:pk>/", views_indicators.indicator_detail, name="indicator_detail"),
    path("<slug:code>/indicators/<int:pk>/edit/", views_indicators.indicator_edit, name="indicator_edit"),
    path("<slug:code>/indicators/<int:pk>/periods/new/", views_indicators.period_create, name="period_create"),
    path(
        "<slug:code>/indicators/<int:pk>/periods/<int:period_pk>/edit/",
        views_indicators.period_edit,
        name="period_edit",
    ),
    path("<slug:code>/indicators/<int:pk>/values/new/", views_indicators.value_create, name="value_create"),
    path("<slug:code>/values/<int:pk>/evidence/", views_files.value_evidence, name="value_evidence"),
    path("<slug:code>/approvals/", views_indicators.approvals, name="approvals"),
    path("<slug:code>/approvals/<int:pk>/review/", views_indicators.value_review, name="value_review"),
    path("<slug:code>/approvals/bulk/", views_bulk.approvals_bulk, name="approvals_bulk"),
]
