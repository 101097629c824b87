"""The back office's view of workshops. Registrations are read-only here: their status follows
the places rule, which only services.py applies (the organiser's pages use it)."""

from django.contrib import admin

from .models import AgendaItem, DiscussionQuestion, Invitation, Material, Registration, Workshop, WorkshopOrganisation


class OrganisationInline(admin.TabularInline):
    model = WorkshopOrganisation
    extra = 0
    autocomplete_fields = ["organisation"]


class AgendaInline(admin.TabularInline):
    model = AgendaItem
    extra = 0


class QuestionInline(admin.StackedInline):
    model = DiscussionQuestion
    extra = 0


@admin.register(Workshop)
class WorkshopAdmin(admin.ModelAdmin):
    list_display = ["title", "programme", "kind", "starts_at", "province", "capacity", "held"]
    list_filter = ["kind", "held", "programme"]
    search_fields = ["title", "venue"]
    date_hierarchy = "starts_at"
    inlines = [OrganisationInline, AgendaInline, QuestionInline]
    readonly_fields = ["created_at", "updated_at", "created_by", "updated_by"]


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    list_display = ["person", "workshop", "status", "checkin_code", "walk_in", "checked_in_at"]
    list_filter = ["status", "walk_in", "workshop__programme"]
    search_fields = ["person__full_name", "person__email", "workshop__title", "=checkin_code"]
    list_select_related = ["person", "workshop"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["workshop", "person", "organisation", "created_at"]
    list_select_related = ["workshop", "person", "organisation"]
    readonly_fields = ["code"]


@admin.register(Material)
class MaterialAdmin(admin.ModelAdmin):
    list_display = ["title", "workshop", "kind"]
    list_select_related = ["workshop"]
