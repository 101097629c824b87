from django.contrib import admin

from .models import Comment, Post, Tag


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name", "slug"]


@admin.register(Post)
class PostAdmin(admin.ModelAdmin):
    list_display = ["title", "programme", "status", "published_at"]
    list_filter = ["status", "programme"]
    search_fields = ["title", "slug"]
    autocomplete_fields = ["tags"]
    readonly_fields = [
        "created_at",
        "updated_at",
        "created_by",
        "updated_by",
        "source_content_type",
        "source_object_id",
    ]


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ["__str__", "post", "name", "status", "created_at"]
    list_filter = ["status"]
    search_fields = ["name", "email", "body"]
    list_select_related = ["post"]
    readonly_fields = ["ip_hash", "created_at", "moderated_by", "moderated_at"]
    raw_id_fields = ["post"]
