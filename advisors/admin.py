from django.contrib import admin

from .models import AdvisorAccess, Invitation, Recommendation


@admin.register(AdvisorAccess)
class AdvisorAccessAdmin(admin.ModelAdmin):
    list_display = ["student", "advisor", "share_notes", "granted_at", "revoked_at"]
    list_filter = ["share_notes"]
    search_fields = ["student__email", "student__name", "advisor__email", "advisor__name"]
    raw_id_fields = ["student", "advisor"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["student", "email", "created_at", "accepted_at", "cancelled_at"]
    search_fields = ["student__email", "email"]
    raw_id_fields = ["student", "accepted_by"]


@admin.register(Recommendation)
class RecommendationAdmin(admin.ModelAdmin):
    list_display = ["student", "advisor", "created_at", "done_at"]
    search_fields = ["student__email", "advisor__email", "text"]
    raw_id_fields = ["student", "advisor"]
