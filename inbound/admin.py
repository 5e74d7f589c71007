from django.contrib import admin

from .models import DroppedMessage, InboundMessage, SenderAddress


@admin.register(DroppedMessage)
class DroppedMessageAdmin(admin.ModelAdmin):
    list_display = ["day", "reason", "count"]
    list_filter = ["reason"]


@admin.register(InboundMessage)
class InboundMessageAdmin(admin.ModelAdmin):
    list_display = ["student", "channel", "interactions", "strangers", "received_at"]


@admin.register(SenderAddress)
class SenderAddressAdmin(admin.ModelAdmin):
    list_display = ["student", "email", "confirmed_at"]
