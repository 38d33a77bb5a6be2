from django.contrib import admin

from .models import Event


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["title", "starts_on", "ends_on", "audience", "school", "board", "category", "cancelled"]
    list_filter = ["category", "audience", "cancelled"]
    search_fields = ["title", "location"]
    raw_id_fields = ["school", "board", "created_by"]
    filter_horizontal = ["groups"]
    readonly_fields = ["uid", "sequence", "last_day", "source_key", "created_at", "updated_at"]
