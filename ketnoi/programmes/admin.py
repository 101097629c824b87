"""Back office for staff. Everyday work happens on the programme pages, which go through the
services (rules, approval, audit); the admin is for looking things up and repairing data."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import (
    Activity,
    Agreement,
    Component,
    Indicator,
    IndicatorPeriod,
    IndicatorValue,
    Objective,
    Programme,
    ProgrammeRole,
)

STAMPS = ["created_at", "created_by", "updated_at", "updated_by"]


class ProgrammeRoleInline(admin.TabularInline):
    model = ProgrammeRole
    extra = 0
    fields = ["user", "role", "granted_at"]
    readonly_fields = ["granted_at"]
    autocomplete_fields = ["user"]


class ComponentInline(admin.TabularInline):
    model = Component
    extra = 0
    fields = ["order", "name", "description"]


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "start_date", "end_date"]
    search_fields = ["name", "code"]
    readonly_fields = STAMPS
    inlines = [ProgrammeRoleInline, ComponentInline]


@admin.register(Agreement)
class AgreementAdmin(admin.ModelAdmin):
    list_display = ["title", "programme", "component", "signed_on", "start_date", "end_date"]
    list_filter = ["programme"]
    search_fields = ["title"]
    list_select_related = ["programme", "component"]
    filter_horizontal = ["parties"]
    readonly_fields = STAMPS


@admin.register(Objective)
class ObjectiveAdmin(admin.ModelAdmin):
    list_display = ["number", "title", "programme", "agreement"]
    list_display_links = ["number", "title"]
    list_filter = ["programme"]
    search_fields = ["title"]
    list_select_related = ["programme", "agreement"]
    readonly_fields = STAMPS


@admin.register(Activity)
class ActivityAdmin(admin.ModelAdmin):
    list_display = ["number", "title", "programme", "objective", "responsible", "planned_quantity", "unit"]
    list_display_links = ["number", "title"]
    list_filter = ["programme"]
    search_fields = ["title"]
    list_select_related = ["programme", "objective", "responsible"]
    autocomplete_fields = ["responsible", "places"]
    readonly_fields = STAMPS


class IndicatorPeriodInline(admin.TabularInline):
    model = IndicatorPeriod
    extra = 0
    fields = ["label", "start_date", "end_date", "target"]


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "programme", "unit", "kind", "frequency", "source", "cumulative"]
    list_display_links = ["code", "name"]
    list_filter = ["programme", "kind", "source", "frequency"]
    search_fields = ["code", "name"]
    list_select_related = ["programme"]
    readonly_fields = STAMPS
    inlines = [IndicatorPeriodInline]


@admin.register(IndicatorValue)
class IndicatorValueAdmin(admin.ModelAdmin):
    list_display = ["indicator", "period", "value", "breakdown", "status", "created_by", "reviewed_by", "reviewed_at"]
    list_filter = ["status", ("indicator__programme", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["indicator__code", "indicator__name", "evidence"]
    list_select_related = ["indicator", "period", "created_by", "reviewed_by"]
    raw_id_fields = ["indicator", "period"]
    readonly_fields = ["reviewed_by", "reviewed_at", *STAMPS]

    @admin.display(description=_("nhóm"))
    def breakdown(self, obj: IndicatorValue) -> str:
        return f"{obj.get_disaggregation_display()}: {obj.category}" if obj.disaggregation else "—"
