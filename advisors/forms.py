"""Forms for sharing with advisors: the invitation, the advisor's sign-up through it, and a
recommendation."""

from django import forms
from django.contrib.auth import password_validation

from crm.models import User

from .models import Invitation, Recommendation


class InvitationForm(forms.ModelForm):
    class Meta:
        model = Invitation
        fields = ["email", "share_notes"]
        widgets = {"email": forms.EmailInput(attrs={"autocomplete": "off"})}
        labels = {"share_notes": "Also share my private notes (contact and letter notes)"}
        help_texts = {
            "email": "They get a link by email. It works once and expires in two weeks.",
        }


class StudentSearchForm(forms.Form):
    """The advisor's search box (`?q=`). A form, like every query parameter: a NUL or an
    over-long value is a message at the box, never a database error."""

    q = forms.CharField(max_length=200, required=False)

    def search(self) -> str:
        return self.cleaned_data["q"] if self.is_valid() else ""


class ShareNotesForm(forms.Form):
    share_notes = forms.BooleanField(required=False)


class AdvisorSignupForm(forms.Form):
    """The invited advisor's account: the email is the invitation's, so only a name and a
    password are asked for."""

    name = forms.CharField(label="Your name", max_length=150)
    password = forms.CharField(
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )

    def __init__(self, *args, email: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.email = email

    def clean(self):
        cleaned = super().clean()
        if User.objects.filter(email__iexact=self.email).exists():
            raise forms.ValidationError("You already have an account: log in instead.")
        password = cleaned.get("password")
        if password:
            candidate = User(email=self.email, name=cleaned.get("name", ""))
            try:
                password_validation.validate_password(password, candidate)
            except forms.ValidationError as error:
                self.add_error("password", error)
        return cleaned


class RecommendationForm(forms.ModelForm):
    class Meta:
        model = Recommendation
        fields = ["text"]
        labels = {"text": "Recommendation"}
        widgets = {
            "text": forms.Textarea(
                attrs={
                    "rows": 3,
                    "placeholder": "e.g. Ask Dr. Chen for a mid-rotation feedback meeting",
                }
            )
        }
        help_texts = {"text": "The student sees it on their home page and can mark it done."}


class ClassFilterForm(forms.Form):
    """The class view's filters (`?year=&specialty=`); a bad value means no filter."""

    year = forms.IntegerField(required=False, min_value=2000, max_value=2100)
    specialty = forms.CharField(max_length=100, required=False)

    def filters(self) -> dict:
        if not self.is_valid():
            return {"year": None, "specialty": ""}
        return {
            "year": self.cleaned_data["year"],
            "specialty": self.cleaned_data["specialty"].strip(),
        }


class FlagCloseForm(forms.Form):
    """ "Addressed": one line on what the advisor did about a reason."""

    reason = forms.CharField(max_length=32, widget=forms.HiddenInput)
    note = forms.CharField(
        label="What you did",
        max_length=200,
        widget=forms.TextInput(attrs={"placeholder": "e.g. met Tue, plan for a 4th letter"}),
        help_text="The student sees it as a recommendation; other advisors see who handled it.",
    )
