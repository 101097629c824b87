"""The back office for the library: staff look things up here; the everyday work (describing,
uploading, curating) happens on the library's own pages, whose services keep the search index
and the audit log in step. So the admin only reads: a change made here would bypass the services
(no audit, a stale index), and passages (the index's source) are never edited by hand."""

from django.contrib import admin
from django.db import models

from ketnoi.core.admin import ReadOnlyAdmin, ReadOnlyInline

from .models import (
    Collection,
    CollectionItem,
    Creator,
    Document,
    DocumentFile,
    Passage,
    PhysicalCopy,
    Subject,
    TermStat,
    WithdrawnRecord,
)


class CreatorInline(ReadOnlyInline):
    model = Creator
    fields = ["position", "name", "is_organisation", "person", "organisation"]
    select_related = ("person", "organisation")


class FileInline(ReadOnlyInline):
    model = DocumentFile
    fields = ["original_name", "media_type", "size", "status", "failure", "page_count", "extracted_at"]


class CopyInline(ReadOnlyInline):
    model = PhysicalCopy
    fields = ["location", "shelf", "call_number", "count", "note"]


@admin.register(Document)
class DocumentAdmin(ReadOnlyAdmin):
    list_display = ["title", "programme", "type", "year", "language", "access", "embargo_until", "updated_at"]
    list_filter = ["programme", "type", "access", "language"]
    search_fields = ["title", "isbn", "doi"]
    date_hierarchy = "created_at"
    list_select_related = ["programme"]
    inlines = [CreatorInline, FileInline, CopyInline]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}  # as the library's own form


@admin.register(DocumentFile)
class DocumentFileAdmin(ReadOnlyAdmin):
    list_display = ["original_name", "document", "status", "size", "page_count", "extracted_at"]
    list_filter = ["status", "media_type"]
    search_fields = ["original_name", "sha256", "document__title"]
    list_select_related = ["document"]


@admin.register(Subject)
class SubjectAdmin(ReadOnlyAdmin):
    list_display = ["name", "folded"]
    search_fields = ["name", "folded"]


@admin.register(Passage)
class PassageAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "document", "file", "page", "number"]
    list_select_related = ["document", "file"]
    search_fields = ["document__title"]
    raw_id_fields = ["document", "file"]


@admin.register(PhysicalCopy)
class PhysicalCopyAdmin(ReadOnlyAdmin):
    list_display = ["document", "location", "shelf", "call_number", "count"]
    search_fields = ["location", "shelf", "call_number", "document__title"]
    list_select_related = ["document"]


class ItemInline(ReadOnlyInline):
    model = CollectionItem
    fields = ["document", "status", "decided_at", "decided_by", "delivered_on", "delivered_by", "delivery_note"]
    select_related = ("collection", "document", "decided_by", "delivered_by")


@admin.register(Collection)
class CollectionAdmin(ReadOnlyAdmin):
    list_display = ["name", "programme", "partner"]
    list_filter = ["programme"]
    search_fields = ["name"]
    list_select_related = ["programme", "partner"]
    inlines = [ItemInline]


@admin.register(CollectionItem)
class CollectionItemAdmin(ReadOnlyAdmin):
    list_display = ["document", "collection", "status", "delivered_on", "delivered_by"]
    list_filter = ["status"]
    list_select_related = ["document", "collection", "delivered_by"]


@admin.register(WithdrawnRecord)
class WithdrawnRecordAdmin(ReadOnlyAdmin):
    """What OAI-PMH harvesters are told to delete; the services add and remove these rows."""

    list_display = ["document_id", "withdrawn_at", "set_specs"]
    search_fields = ["document_id__exact", "set_specs"]
    date_hierarchy = "withdrawn_at"


@admin.register(TermStat)
class TermStatAdmin(ReadOnlyAdmin):
    """How common each search term is, kept with the index."""

    list_display = ["term", "rows"]
    search_fields = ["term"]
