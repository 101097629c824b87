"""The back office for the library: staff look things up here; the everyday work (describing,
uploading, curating) happens on the library's own pages, whose services keep the search index
and the audit log in step. So the admin mostly reads, and passages (the index's source) are
never edited by hand."""

from django.contrib import admin

from .models import Collection, CollectionItem, Creator, Document, DocumentFile, Passage, PhysicalCopy, Subject


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class CreatorInline(ReadOnlyInline):
    model = Creator
    fields = ["position", "name", "is_organisation", "person", "organisation"]


class FileInline(ReadOnlyInline):
    model = DocumentFile
    fields = ["original_name", "media_type", "size", "status", "failure", "page_count", "extracted_at"]


class CopyInline(ReadOnlyInline):
    model = PhysicalCopy
    fields = ["location", "shelf", "call_number", "count", "note"]


class ReadMostlyAdmin(admin.ModelAdmin):
    """Viewing only: a change made here would bypass the services (no audit, stale index)."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Document)
class DocumentAdmin(ReadMostlyAdmin):
    list_display = ["title", "programme", "type", "year", "language", "access", "embargo_until", "updated_at"]
    list_filter = ["programme", "type", "access", "language"]
    search_fields = ["title", "isbn", "doi"]
    date_hierarchy = "created_at"
    list_select_related = ["programme"]
    inlines = [CreatorInline, FileInline, CopyInline]


@admin.register(DocumentFile)
class DocumentFileAdmin(ReadMostlyAdmin):
    list_display = ["original_name", "document", "status", "size", "page_count", "extracted_at"]
    list_filter = ["status", "media_type"]
    search_fields = ["original_name", "sha256", "document__title"]
    list_select_related = ["document"]


@admin.register(Subject)
class SubjectAdmin(ReadMostlyAdmin):
    list_display = ["name", "folded"]
    search_fields = ["name", "folded"]


@admin.register(Passage)
class PassageAdmin(ReadMostlyAdmin):
    list_display = ["__str__", "document", "file", "page", "number"]
    list_select_related = ["document", "file"]
    search_fields = ["document__title"]
    raw_id_fields = ["document", "file"]


@admin.register(PhysicalCopy)
class PhysicalCopyAdmin(ReadMostlyAdmin):
    list_display = ["document", "location", "shelf", "call_number", "count"]
    search_fields = ["location", "shelf", "call_number", "document__title"]
    list_select_related = ["document"]


class ItemInline(ReadOnlyInline):
    model = CollectionItem
    fields = ["document", "status", "decided_at", "decided_by", "delivered_on", "delivered_by", "delivery_note"]


@admin.register(Collection)
class CollectionAdmin(ReadMostlyAdmin):
    list_display = ["name", "programme", "partner"]
    list_filter = ["programme"]
    search_fields = ["name"]
    list_select_related = ["programme", "partner"]
    inlines = [ItemInline]


@admin.register(CollectionItem)
class CollectionItemAdmin(ReadMostlyAdmin):
    list_display = ["document", "collection", "status", "delivered_on", "delivered_by"]
    list_filter = ["status"]
    list_select_related = ["document", "collection", "delivered_by"]
