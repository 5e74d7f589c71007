from django.apps import AppConfig


class AdvisorsConfig(AppConfig):
    name = "advisors"
    verbose_name = "Advisors"

    def ready(self):
        # The weekly email (reminders) carries the advisors' open recommendations without
        # importing this app: it asks the sources registered here.
        from reminders.email.notes import register_note_source

        from .selectors import open_recommendation_notes

        register_note_source(open_recommendation_notes)
