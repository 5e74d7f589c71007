from django.apps import AppConfig


class RemindersConfig(AppConfig):
    name = "reminders"
    verbose_name = "Reminders"

    def ready(self):
        # The engine hears of record changes through crm.events.changed (see receivers.py).
        from reminders import reactions  # noqa: F401
