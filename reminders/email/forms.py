"""Forms of the reminders app: the weekly email's settings (the settings page's "Weekly email"
section, templates/reminders/_digest_settings.html; the page's view passes it as `digest_form`)."""

from django import forms

from crm.models import User


class DigestSettingsForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["digest_weekday", "digest_hour", "digest_opt_out"]
        labels = {
            "digest_weekday": "Day",
            "digest_hour": "Time",
            "digest_opt_out": "Don't send me the weekly email",
        }
