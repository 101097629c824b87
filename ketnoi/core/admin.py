"""The back office's own models, and the read-only bases the apps' admins share: where a service
must do the writing (its rules, the audit log, derived data kept in step), staff only look."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from .models import ApiToken, AuditEntry, CalendarFeedToken, OutgoingEmail, User

admin.site.register(User, UserAdmin)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Viewing only: a change made here would bypass the services (no rules, no audit)."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class ReadOnlyInline(admin.TabularInline):
    """Rows shown on their parent's page, read-only; `select_related` names the foreign keys each
    row shows (its fields and its `__str__`, which the table prints too), so a long list costs
    one query."""

    extra = 0
    can_delete = False
    show_change_link = False
    select_related: tuple[str, ...] = ()

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), *(self.fields or ())]

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        return queryset.select_related(*self.select_related) if self.select_related else queryset


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["created_at", "actor", "action", "object_repr"]
    list_filter = ["action", "content_type"]
    search_fields = ["object_repr", "action"]
    readonly_fields = [f.name for f in AuditEntry._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "prefix", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = ["key_hash", "prefix", "created_at", "last_used_at"]


@admin.register(CalendarFeedToken)
class CalendarFeedTokenAdmin(admin.ModelAdmin):
    """To see who subscribed to what; links are made and revoked by their owners
    (core.services.calendar_links), so nothing here is editable."""

    list_display = ["user", "scope", "object_id", "prefix", "created_at", "last_used_at", "revoked_at"]
    list_filter = ["scope"]
    list_select_related = ["user"]
    search_fields = ["user__username", "scope", "object_id"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(OutgoingEmail)
class OutgoingEmailAdmin(ReadOnlyAdmin):
    """Every e-mail the platform queued, delivered or not; the task results of the background
    queue (django_tasks_db, also read-only) hold each attempt's traceback."""

    list_display = ["created_at", "subject", "status", "attempts", "caused_by", "sent_at"]
    list_filter = ["status", "template"]
    list_select_related = ["caused_by"]
    search_fields = ["subject", "to", "about_label"]
    # The text is left out: a password-reset link is a secret until it is sent.
    fields = readonly_fields = [
        "created_at",
        "sent_at",
        "status",
        "attempts",
        "last_error",
        "to",
        "subject",
        "template",
        "language",
        "caused_by",
        "about_label",
        "about_url",
    ]
