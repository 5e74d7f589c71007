from django.apps import AppConfig

# Django's stock words for the common form errors, said the way the rest of Advocate speaks
# (every form in every app uses them; a form's own message still wins).
FRIENDLY_ERRORS = {
    "Field": {"required": "Please fill this in."},
    "CharField": {
        "max_length": "Please keep it to %(limit_value)d characters (this has %(show_value)d)."
    },
    "EmailField": {"invalid": "That doesn't look like an email address. Check for a typo?"},
    "DateField": {"invalid": "Pick a date, or type it like 2027-07-10."},
    "IntegerField": {"invalid": "Type a whole number, like 4."},
    "ChoiceField": {"invalid_choice": "Please choose one of the options shown."},
    "ModelChoiceField": {"invalid_choice": "That one isn't in your list any more. Choose again?"},
    "FileField": {"required": "Choose a file first.", "empty": "That file is empty."},
}


class CrmConfig(AppConfig):
    name = "crm"
    verbose_name = "Accounts"

    def ready(self):
        from django import forms
        from django.conf import settings
        from django.core.mail.utils import DNS_NAME

        # Message-IDs name the public domain (settings.EMAIL_DOMAIN), not the container's host:
        # Django reads DNS_NAME's cached name when it builds each message.
        if not settings.DEBUG:
            DNS_NAME._fqdn = settings.EMAIL_DOMAIN

        for class_name, messages in FRIENDLY_ERRORS.items():
            field_class = getattr(forms, class_name)
            # Each class's own copy, so a subclass's words never leak into its parent's.
            field_class.default_error_messages = {
                **field_class.default_error_messages,
                **messages,
            }
