"""How the engine hears of record changes: crm.events.changed, sent once per change by the
records' services (contacts never imports reminders). Connected in RemindersConfig.ready()."""

from django.dispatch import receiver

from crm.events import changed

from .services import close_nudges_answered_by


@receiver(changed, dispatch_uid="reminders.close_nudges_answered_by")
def close_answered_nudges(sender, *, owner_id: int, interaction=None, **kwargs) -> None:
    """A newly logged interaction marks done the live nudges it answers."""
    if interaction is None:
        return
    close_nudges_answered_by(interaction=interaction)
