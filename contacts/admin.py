from django.contrib import admin

from crm.events import records_changed

from .models import (
    Contact,
    Institution,
    Interaction,
    LetterRequest,
    Program,
    Rotation,
    TeamMember,
    Tie,
)
from .services import contacts_refresh_last_contact as refresh_last_contact


class RecordAdmin(admin.ModelAdmin):
    """An edit in the admin is a change to the student's records like any other: announce it
    (crm.events), so the engine's cached standing and the nudges follow."""

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        records_changed(owner_id=form.instance.owner_id)

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        records_changed(owner_id=obj.owner_id)

    def delete_queryset(self, request, queryset):
        owner_ids = set(queryset.values_list("owner_id", flat=True))
        super().delete_queryset(request, queryset)
        for owner_id in owner_ids:
            records_changed(owner_id=owner_id)


@admin.register(Institution)
class InstitutionAdmin(RecordAdmin):
    list_display = ["name", "city", "state", "setting", "owner"]
    list_filter = ["setting"]
    search_fields = ["name", "city", "owner__email"]
    list_select_related = ["owner"]
    raw_id_fields = ["owner"]


@admin.register(Contact)
class ContactAdmin(RecordAdmin):
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
class RotationAdmin(RecordAdmin):
    list_display = ["name", "kind", "specialty", "institution", "start", "end", "owner"]
    list_filter = ["kind"]
    search_fields = ["name", "specialty", "institution__name", "owner__email"]
    list_select_related = ["owner", "institution"]
    raw_id_fields = ["owner", "institution"]
    date_hierarchy = "start"
    inlines = [TeamMemberInline]


@admin.register(Interaction)
class InteractionAdmin(RecordAdmin):
    list_display = ["date", "contact", "kind", "direction", "context", "follow_up_by", "owner"]
    list_filter = ["kind", "direction", "context"]
    search_fields = ["contact__name", "summary", "owner__email"]
    list_select_related = ["owner", "contact"]
    raw_id_fields = ["owner", "contact"]
    date_hierarchy = "date"

    # As the services do: every interaction write keeps its contacts' last contact.
    def save_model(self, request, obj, form, change):
        before = form.initial.get("contact")
        super().save_model(request, obj, form, change)
        refresh_last_contact(owner_id=obj.owner_id, contact_ids={before, obj.contact_id})

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        refresh_last_contact(owner_id=obj.owner_id, contact_ids=[obj.contact_id])

    def delete_queryset(self, request, queryset):
        touched = set(queryset.values_list("owner_id", "contact_id"))
        super().delete_queryset(request, queryset)
        for owner_id, contact_id in touched:
            refresh_last_contact(owner_id=owner_id, contact_ids=[contact_id])


@admin.register(LetterRequest)
class LetterRequestAdmin(RecordAdmin):
    list_display = ["writer", "purpose", "status", "due", "submitted_on", "owner"]
    list_filter = ["status", "purpose"]
    search_fields = ["writer__name", "specialty", "owner__email"]
    list_select_related = ["owner", "writer"]
    raw_id_fields = ["owner", "writer"]
    date_hierarchy = "due"


@admin.register(Program)
class ProgramAdmin(RecordAdmin):
    list_display = ["name", "specialty", "institution", "target", "owner"]
    list_filter = ["target"]
    search_fields = ["name", "specialty", "institution__name", "owner__email"]
    list_select_related = ["owner", "institution"]
    raw_id_fields = ["owner", "institution"]


@admin.register(Tie)
class TieAdmin(RecordAdmin):
    list_display = ["contact", "kind", "program", "institution", "owner"]
    list_filter = ["kind"]
    search_fields = ["contact__name", "program__name", "institution__name", "owner__email"]
    list_select_related = ["owner", "contact", "program", "institution"]
    raw_id_fields = ["owner", "contact", "program", "institution"]
