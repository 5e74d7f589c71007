from django.contrib import admin

from .models import AdvocateSnapshot, Nudge


@admin.register(Nudge)
class NudgeAdmin(admin.ModelAdmin):
    list_display = ["owner", "kind", "contact", "due", "state", "snoozed_until", "updated_at"]
    list_filter = ["state", "kind", "due"]
    search_fields = ["owner__email", "contact__name", "key", "reason"]
    raw_id_fields = ["owner", "contact"]
    date_hierarchy = "due"
    readonly_fields = ["key", "occasion_on", "created_at", "updated_at", "closed_at"]
    list_select_related = ["owner", "contact"]


@admin.register(AdvocateSnapshot)
class AdvocateSnapshotAdmin(admin.ModelAdmin):
    list_display = [
        "owner",
        "week",
        "advocates",
        "developing",
        "acquaintances",
        "dormant",
        "focus_size",
        "open_nudges",
    ]
    list_filter = ["week"]
    search_fields = ["owner__email"]
    raw_id_fields = ["owner"]
    date_hierarchy = "week"
    list_select_related = ["owner"]
