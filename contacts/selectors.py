"""Reads of a student's records, each in a fixed number of queries."""

from django.db.models import Max, OuterRef, Q, QuerySet, Subquery

from .models import Contact, Interaction


def contacts_with_last_contact(owner) -> QuerySet[Contact]:
    """The student's contacts, each annotated with `last_contact_on` (None if never)."""
    latest = (
        Interaction.objects.filter(contact=OuterRef("pk")).order_by("-date").values("date")[:1]
    )
    return (
        Contact.objects.owned_by(owner)
        .select_related("institution")
        .annotate(last_contact_on=Subquery(latest))
    )


def contact_search(owner, query: str, *, limit: int = 8) -> list[Contact]:
    """Contacts whose name, specialty or institution matches `query`, for the quick-log picker."""
    query = (query or "").strip()
    if not query:
        return []
    return list(
        Contact.objects.owned_by(owner)
        .filter(
            Q(name__icontains=query)
            | Q(specialty__icontains=query)
            | Q(institution__name__icontains=query)
        )
        .select_related("institution")
        .order_by("archived", "name")[:limit]
    )


def recent_interactions(owner, *, limit: int = 10) -> list[Interaction]:
    return list(
        Interaction.objects.owned_by(owner).select_related("contact").order_by(
            "-date", "-created_at"
        )[:limit]
    )


def last_contact_dates(owner) -> dict[int, object]:
    """contact id → date of the latest interaction, in one query."""
    rows = (
        Interaction.objects.owned_by(owner).values("contact_id").annotate(last=Max("date"))
    )
    return {row["contact_id"]: row["last"] for row in rows}
