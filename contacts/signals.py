"""Stamp the student's `records_changed_at` whenever one of their records changes.

Signals rather than service calls, because records change by many paths (services, the
data-file import, the admin, cascaded deletes) and a stale stamp would show a stale page.
The stamp carries no rule: it only tells caches of derived figures when to recompute."""

from django.db.models.signals import post_delete, post_save
from django.utils import timezone

from crm.models import User

from .models import Contact, Institution, Interaction, LetterRequest, Rotation, TeamMember


def _owner_id(instance) -> int | None:
    if isinstance(instance, TeamMember):
        if TeamMember.rotation.is_cached(instance):  # as the services build it: no query
            return instance.rotation.owner_id
        return (
            Rotation.objects.filter(pk=instance.rotation_id)
            .values_list("owner_id", flat=True)
            .first()
        )
    return instance.owner_id


def stamp_records_changed(sender, instance, **kwargs) -> None:
    if kwargs.get("raw"):  # fixtures load as they are
        return
    owner_id = _owner_id(instance)
    if owner_id is not None:
        User.objects.filter(pk=owner_id).update(records_changed_at=timezone.now())


def connect() -> None:
    for model in (Contact, Institution, Interaction, LetterRequest, Rotation, TeamMember):
        post_save.connect(
            stamp_records_changed, sender=model, dispatch_uid=f"stamp-{model.__name__}"
        )
        post_delete.connect(
            stamp_records_changed, sender=model, dispatch_uid=f"stamp-del-{model.__name__}"
        )
