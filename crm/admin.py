from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .models import AdvisorAccess, Invitation, Recommendation, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "name", "role", "match_year", "timezone", "is_staff", "date_joined"]
    list_filter = ["role", "match_year", "is_staff", "is_active"]
    search_fields = ["email", "name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (
            "Profile",
            {
                "fields": [
                    "name",
                    "role",
                    "timezone",
                    "match_year",
                    "target_specialties",
                    "target_cities",
                    "match_outcome",
                ]
            },
        ),
        (
            "Permissions",
            {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]},
        ),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]})]


# --- Sharing with advisors -------------------------------------------------------------------


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
