from django.contrib import admin

from .models import Broadcast, Delivery, PushSubscription, QuietHours


@admin.register(Broadcast)
class BroadcastAdmin(admin.ModelAdmin):
    list_display = ["created_at", "event", "key", "module", "urgent", "fanned_out_at", "cancelled_at"]
    list_filter = ["module", "urgent"]
    search_fields = ["key", "event"]
    exclude = ["recipient_ids"]
    readonly_fields = ["event", "key", "module", "school", "title", "url", "urgent", "fanned_out_at", "cancelled_at"]


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ["pk", "channel", "status", "attempts", "not_before", "sent_at"]
    list_filter = ["channel", "status"]
    raw_id_fields = ["broadcast", "recipient", "subscription"]


@admin.register(PushSubscription)
class PushSubscriptionAdmin(admin.ModelAdmin):
    list_display = ["label", "user", "enabled", "created_at", "last_success_at"]
    raw_id_fields = ["user"]


admin.site.register(QuietHours)
