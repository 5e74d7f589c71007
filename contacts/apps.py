from django.apps import AppConfig


class ContactsConfig(AppConfig):
    name = "contacts"
    verbose_name = "Records"

    def ready(self):
        from . import signals

        signals.connect()
