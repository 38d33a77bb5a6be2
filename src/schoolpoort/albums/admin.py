from django.contrib import admin

from schoolpoort.core.models import Consent

from .models import Album, Photo


@admin.register(Album)
class AlbumAdmin(admin.ModelAdmin):
    list_display = ["title", "school", "audience", "date", "published_at"]
    list_filter = ["school", "audience"]
    search_fields = ["title"]
    raw_id_fields = ["created_by"]
    filter_horizontal = ["groups"]


@admin.register(Photo)
class PhotoAdmin(admin.ModelAdmin):
    # No file links here: files are only served through the album pages, after the access check.
    list_display = ["original_name", "album", "kind", "status", "created_at"]
    list_filter = ["kind", "status"]
    fields = ["album", "kind", "status", "original_name", "content_type", "size", "width", "height", "taken_at",
              "error", "uploaded_by"]
    readonly_fields = fields


@admin.register(Consent)
class ConsentAdmin(admin.ModelAdmin):
    list_display = ["student", "school_year", "use", "given", "answered_by", "answered_at"]
    list_filter = ["school_year", "use", "given"]
    raw_id_fields = ["student", "answered_by"]
