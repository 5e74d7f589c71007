from django.contrib import admin

from reminders.models import AdvocateSnapshot, BeatTick, Digest, DigestRun, Nudge, SoapAlert


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


@admin.register(Digest)
class DigestAdmin(admin.ModelAdmin):
    """The weekly emails, one row per student per week: what was sent, and what failed why."""

    list_display = ["student", "week", "status", "attempts", "sent_at", "subject"]
    list_filter = ["status", "week"]
    search_fields = ["student__email", "subject", "last_error"]
    raw_id_fields = ["student", "run"]
    date_hierarchy = "week"
    list_select_related = ["student"]
    # The claim fields are the exactly-once bookkeeping: shown, never edited by hand.
    readonly_fields = ["claimed_at", "claim_token", "sent_at", "attempts", "created_at"]


@admin.register(DigestRun)
class DigestRunAdmin(admin.ModelAdmin):
    list_display = ["started_at", "finished_at", "trigger", "planned", "sent", "failed", "skipped"]
    list_filter = ["trigger"]
    date_hierarchy = "started_at"


@admin.register(BeatTick)
class BeatTickAdmin(admin.ModelAdmin):
    list_display = ["ticked_at"]
    date_hierarchy = "ticked_at"


@admin.register(SoapAlert)
class SoapAlertAdmin(admin.ModelAdmin):
    """The SOAP emails, one row per student per Match year."""

    list_display = ["student", "year", "status", "attempts", "sent_at"]
    list_filter = ["status", "year"]
    search_fields = ["student__email", "last_error"]
    raw_id_fields = ["student"]
    list_select_related = ["student"]
    readonly_fields = ["claimed_at", "claim_token", "sent_at", "attempts", "created_at"]
