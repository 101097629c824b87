"""Back office for staff. Everyday work happens on the directory pages, which go through the
services (rules, audit); the admin is for looking things up and repairing data."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from ketnoi.core.admin import ReadOnlyAdmin, ReadOnlyInline
from ketnoi.core.text import fold

from .models import Consent, ErasureRequest, ErasureStep, Organisation, Person, PersonImport, Province


class FoldedSearchMixin:
    """Admin search on the folded columns, so "dao tao" finds "Đào tạo"."""

    def get_search_results(self, request, queryset, search_term):
        return super().get_search_results(request, queryset, fold(search_term))


@admin.register(Province)
class ProvinceAdmin(FoldedSearchMixin, admin.ModelAdmin):
    list_display = ["short_name", "name", "code", "scheme", "successor"]
    list_filter = ["scheme"]
    search_fields = ["name_folded", "code"]
    list_select_related = ["successor"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Organisation)
class OrganisationAdmin(FoldedSearchMixin, admin.ModelAdmin):
    list_display = ["name", "short_name", "type", "parent", "province"]
    list_filter = ["type", ("province", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["name_folded"]
    list_select_related = ["parent", "province"]
    autocomplete_fields = ["parent", "province"]
    readonly_fields = ["created_at", "created_by", "updated_at", "updated_by"]


class ConsentInline(admin.TabularInline):
    model = Consent
    extra = 0
    fields = ["purpose", "given_on", "method", "guardian_name", "withdrawn_on"]


@admin.register(Person)
class PersonAdmin(FoldedSearchMixin, admin.ModelAdmin):
    list_display = ["full_name", "sex", "organisation", "province", "email", "phone", "erased_at"]
    list_filter = ["sex", ("erased_at", admin.EmptyFieldListFilter), "organisation__type"]
    search_fields = ["name_folded", "email_normalised", "phone_normalised"]
    list_select_related = ["organisation", "province"]
    autocomplete_fields = ["organisation", "province", "user"]
    readonly_fields = ["erased_at", "created_at", "created_by", "updated_at", "updated_by"]
    inlines = [ConsentInline]


@admin.register(PersonImport)
class PersonImportAdmin(admin.ModelAdmin):
    list_display = ["filename", "status", "summary_text", "created_by", "created_at", "confirmed_at"]
    list_filter = ["status"]
    list_select_related = ["created_by"]
    readonly_fields = [
        "filename",
        "status",
        "summary",
        "progress",
        "failure",
        "confirmed_at",
        "created_at",
        "created_by",
    ]
    exclude = ["updated_by", "upload", "header"]

    def has_add_permission(self, request) -> bool:
        return False

    @admin.display(description=_("Tóm tắt"))
    def summary_text(self, obj: PersonImport) -> str:
        return ", ".join(f"{key}: {value}" for key, value in obj.summary.items() if isinstance(value, int))


class ErasureStepInline(ReadOnlyInline):
    model = ErasureStep
    fields = ["programme_name", "done_at", "done_by", "erased"]
    select_related = ("done_by",)


@admin.register(ErasureRequest)
class ErasureRequestAdmin(ReadOnlyAdmin):
    """The record of erasures: who asked, who erased which programme's part, when. Requests are
    completed on the directory's pages (Yêu cầu xoá dữ liệu), through the services."""

    list_display = ["id", "person", "requested_by", "requested_at", "completed_at", "completed_by"]
    list_filter = [("completed_at", admin.EmptyFieldListFilter)]
    list_select_related = ["person", "requested_by", "completed_by"]
    fields = ["person", "requested_by", "requested_at", "completed_at", "completed_by"]
    readonly_fields = fields
    inlines = [ErasureStepInline]
