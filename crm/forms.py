import zoneinfo

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.forms.renderers import TemplatesSetting

from crm.match import EDITABLE_DATES

from .models import User


class FieldGroupRenderer(TemplatesSetting):
    """Fields render through templates/forms/field.html (settings.FORM_RENDERER)."""

    field_template_name = "forms/field.html"


def _timezone_choices():
    zones = sorted(
        z
        for z in zoneinfo.available_timezones()
        if "/" in z and not z.startswith(("Etc/", "SystemV/"))
    )
    return [(z, z.replace("_", " ")) for z in zones] + [("UTC", "UTC")]


class HtmlDateInput(forms.DateInput):
    """The phone's own date picker; ISO values so the browser can read them back."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class ChipsSelect(forms.RadioSelect):
    """A short choice as big tap targets (templates/forms/chips.html, the quick-log's look): one
    tap, a default already on, never a drop-down left at "---------"."""

    template_name = "forms/chips.html"


class ListField(forms.CharField):
    """A list typed as lines or commas: "Internal Medicine, Pediatrics"."""

    def prepare_value(self, value):
        if isinstance(value, list):
            return ", ".join(value)
        return value

    def to_python(self, value):
        text = super().to_python(value) or ""
        parts = [p.strip() for chunk in text.splitlines() for p in chunk.split(";")]
        items = []
        for part in parts:
            # Cities carry a comma ("Chicago, IL"), so only lines and semicolons split them.
            if part and part not in items:
                items.append(part)
        return items


class CommaListField(ListField):
    def to_python(self, value):
        text = forms.CharField.to_python(self, value) or ""
        items = []
        for part in text.replace("\n", ",").split(","):
            part = part.strip()
            if part and part not in items:
                items.append(part)
        return items


class EmailLoginForm(AuthenticationForm):
    username = forms.EmailField(
        label="Email", widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"})
    )

    error_messages = {
        **AuthenticationForm.error_messages,
        # Email is not case-sensitive here (clean_username); only the password is.
        "invalid_login": "That email and password don't match an account. The password is "
        "case-sensitive; the email is not.",
    }

    def clean_username(self):
        return self.cleaned_data["username"].lower()


class SignupForm(forms.ModelForm):
    password = forms.CharField(
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    # Preset from the browser's own time zone (static/js/app.js), shown to be confirmed: the
    # weekly email's hour and every "today" follow it.
    timezone = forms.ChoiceField(
        label="Time zone",
        choices=_timezone_choices,
        initial="America/New_York",
        required=False,  # an older page or a script without it keeps the default
        help_text="Your dates and the weekly email follow it. We set it from this device; "
        "change it if it is wrong.",
        widget=forms.Select(attrs={"data-detect-timezone": ""}),
    )

    field_order = ["name", "email", "match_year", "timezone", "password"]

    def clean_timezone(self) -> str:
        return self.cleaned_data["timezone"] or User._meta.get_field("timezone").default

    class Meta:
        model = User
        fields = ["name", "email", "match_year"]
        widgets = {"email": forms.EmailInput(attrs={"autocomplete": "email"})}
        labels = {"name": "Your name", "match_year": "Match year"}

    def clean_email(self):
        email = self.cleaned_data["email"].lower()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(
                "An account with this email already exists. Log in instead?"
            )
        return email

    def clean(self):
        cleaned = super().clean()
        password = cleaned.get("password")
        if password:
            candidate = User(email=cleaned.get("email", ""), name=cleaned.get("name", ""))
            try:
                password_validation.validate_password(password, candidate)
            except forms.ValidationError as error:
                self.add_error("password", error)
        return cleaned


class ProfileForm(forms.ModelForm):
    timezone = forms.ChoiceField(choices=_timezone_choices, label="Time zone")
    target_specialties = CommaListField(
        required=False, help_text="Separate with commas, e.g. Internal Medicine, Pediatrics."
    )
    target_cities = ListField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One per line, e.g. Chicago, IL.",
    )
    match_outcome = forms.ChoiceField(
        label="Match outcome (after Match Week)",
        required=False,
        choices=[("", "Not yet"), *User.MatchOutcome.choices],
        help_text="If you did not match, Advocate helps you plan SOAP with your advocates.",
    )

    class Meta:
        model = User
        fields = [
            "name",
            "timezone",
            "match_year",
            "target_specialties",
            "target_cities",
            "match_outcome",
            "school_name",
            "school_city",
            "school_state",
        ]
        labels = {"school_city": "School city", "school_state": "School state"}
        help_texts = {
            "school_name": "As your contacts' institution is named: its people are your home "
            "program, and its program director speaks for you first."
        }


class CycleCalendarForm(forms.Form):
    """The dates of the student's Match year, prefilled with the calendar in force."""

    def __init__(self, *args, calendar, **kwargs):
        super().__init__(*args, **kwargs)
        for name, label in EDITABLE_DATES.items():
            self.fields[name] = forms.DateField(
                label=label,
                initial=getattr(calendar, name),
                widget=HtmlDateInput(),
            )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("interview_start"), cleaned.get("interview_end")
        if start and end and end < start:
            self.add_error("interview_end", "Interview season must end after it starts.")
        rank, match_day = cleaned.get("rank_deadline"), cleaned.get("match_day")
        if rank and match_day and match_day <= rank:
            self.add_error("match_day", "Match Day comes after the rank-list deadline.")
        return cleaned
