"""The back office's view of surveys: staff look things up here. Everything is read-only — the
survey pages go through the services, which check a definition before it becomes a version,
keep a collection's rules (its times, its cap), write the audit log and keep the tallies in
step with the responses they count."""

from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from ketnoi.core.admin import ReadOnlyAdmin, ReadOnlyInline

from .models import Collection, CollectionTally, Form, FormAttachment, FormVersion, Response, ResponseAttachment


class VersionInline(ReadOnlyInline):
    model = FormVersion
    fields = ["number", "created_at", "created_by"]
    select_related = ("form", "created_by")


@admin.register(Form)
class FormAdmin(ReadOnlyAdmin):
    list_display = ["title", "code", "programme", "version", "updated_at"]
    list_filter = ["programme"]
    search_fields = ["title", "code"]
    list_select_related = ["programme", "current_version"]
    inlines = [VersionInline]

    @admin.display(description=_("phiên bản"), ordering="current_version__number")
    def version(self, obj: Form) -> int | None:
        return obj.current_version.number if obj.current_version else None


@admin.register(FormVersion)
class FormVersionAdmin(ReadOnlyAdmin):
    list_display = ["form", "number", "created_by", "created_at"]
    list_filter = [("form__programme", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["form__title", "form__code"]
    list_select_related = ["form", "created_by"]


@admin.register(Collection)
class CollectionAdmin(ReadOnlyAdmin):
    list_display = ["title", "form", "mode", "opens_at", "closes_at", "max_responses", "response_count"]
    list_filter = ["mode", ("form__programme", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["title", "token", "target_label", "form__title"]
    date_hierarchy = "opens_at"
    list_select_related = ["form"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(response_count=Count("responses"))

    @admin.display(description=_("phiếu trả lời"), ordering="response_count")
    def response_count(self, obj: Collection) -> int:
        return obj.response_count


@admin.register(Response)
class ResponseAdmin(ReadOnlyAdmin):
    list_display = ["uuid", "collection", "version", "submitted_at", "respondent"]
    list_filter = [("collection__form__programme", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["collection__title", "collection__form__title"]
    date_hierarchy = "submitted_at"
    list_select_related = ["collection", "version__form", "respondent"]


@admin.register(CollectionTally)
class CollectionTallyAdmin(ReadOnlyAdmin):
    list_display = ["collection", "responses", "through_id", "updated_at"]
    search_fields = ["collection__title"]
    list_select_related = ["collection"]


@admin.register(ResponseAttachment)
class ResponseAttachmentAdmin(ReadOnlyAdmin):
    # The file itself is not linked: it is personal data, served only by surveys:response_media.
    list_display = ["name", "response", "content_type", "size"]
    list_filter = ["content_type"]
    search_fields = ["name", "response__uuid", "sha256"]
    list_select_related = ["response"]
    exclude = ["file"]


@admin.register(FormAttachment)
class FormAttachmentAdmin(ReadOnlyAdmin):
    list_display = ["name", "form_version", "content_type", "size"]
    list_filter = [("form_version__form__programme", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["name", "form_version__form__title", "sha256"]
    list_select_related = ["form_version__form"]
    exclude = ["file"]
