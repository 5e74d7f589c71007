from django.contrib import admin

from .models import Contact, Institution, Interaction, LetterRequest, Rotation, TeamMember


@admin.register(Institution)
class InstitutionAdmin(admin.ModelAdmin):
    list_display = ["name", "city", "state", "setting", "owner"]
    list_filter = ["setting"]
    search_fields = ["name", "city", "owner__email"]
    list_select_related = ["owner"]
    raw_id_fields = ["owner"]


@admin.register(Contact)
class ContactAdmin(admin.ModelAdmin):
    list_display = ["name", "role", "specialty", "institution", "would_vouch", "archived", "owner"]
    list_filter = ["role", "would_vouch", "archived"]
    search_fields = ["name", "email", "specialty", "institution__name", "owner__email"]
    list_select_related = ["owner", "institution"]
    raw_id_fields = ["owner", "institution"]


class TeamMemberInline(admin.TabularInline):
    model = TeamMember
    raw_id_fields = ["contact"]
    extra = 0


@admin.register(Rotation)
class RotationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "specialty", "institution", "start", "end", "owner"]
    list_filter = ["kind"]
    search_fields = ["name", "specialty", "institution__name", "owner__email"]
    list_select_related = ["owner", "institution"]
    raw_id_fields = ["owner", "institution"]
    date_hierarchy = "start"
    inlines = [TeamMemberInline]


@admin.register(Interaction)
class InteractionAdmin(admin.ModelAdmin):
    list_display = ["date", "contact", "kind", "direction", "context", "follow_up_by", "owner"]
    list_filter = ["kind", "direction", "context"]
    search_fields = ["contact__name", "summary", "owner__email"]
    list_select_related = ["owner", "contact"]
    raw_id_fields = ["owner", "contact"]
    date_hierarchy = "date"


@admin.register(LetterRequest)
class LetterRequestAdmin(admin.ModelAdmin):
    list_display = ["writer", "purpose", "status", "due", "submitted_on", "owner"]
    list_filter = ["status", "purpose"]
    search_fields = ["writer__name", "specialty", "owner__email"]
    list_select_related = ["owner", "writer"]
    raw_id_fields = ["owner", "writer"]
    date_hierarchy = "due"
