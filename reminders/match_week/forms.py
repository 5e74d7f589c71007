"""The Match Week page's forms: the story, the outcome, the note to a program, and where the
student matched. Each only checks what was typed; the services (contacts.services.
match_story_save, crm.services.profile_update) save it."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django import forms

from contacts.forms import require_one_of
from contacts.models import Contact, MatchStory, Program
from contacts.vocabulary import ROLE_WORDS
from crm.forms import CommaListField
from crm.match import MatchOutcome
from reminders.engine.scoring import ContactScore

CALLERS_SHOWN = 6  # the strongest in view; everyone else one tap away


def _model_field(name: str) -> forms.Field:
    """The story's own field (its label, length and one-line check), as a form field."""
    return MatchStory._meta.get_field(name).formfield()


class StoryForm(forms.Form):
    """Whom you would call (your own contacts, at most three), 1-3 realistic specialties, and
    the lines a program director asks about. The people are offered strongest first."""

    callers = forms.TypedMultipleChoiceField(
        label="Whom you would call",
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Two or three people whose word weighs most and who know your work best.",
    )
    specialties = CommaListField(
        label="Your 1\u20133 realistic specialties",
        max_length=300,
        error_messages={"required": "Name at least one specialty you would gladly train in."},
        help_text="Separated by commas, e.g. Internal Medicine, Preliminary Medicine.",
    )
    pitch = _model_field("pitch")
    scores = _model_field("scores")
    red_flag = _model_field("red_flag")

    def __init__(self, *args, owner, scores: Mapping[int, ContactScore], **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.owner = owner
        people = list(Contact.objects.owned_by(owner).filter(archived=False).only("id", "name"))
        people.sort(key=lambda c: (-(scores[c.pk].weight if c.pk in scores else 0), c.name))
        self.people = {contact.pk: contact for contact in people}
        self.fields["callers"].choices = [
            (contact.pk, _caller_label(contact, scores.get(contact.pk))) for contact in people
        ]

    def caller_boxes(self) -> dict:
        """The people's checkboxes: the ticked and the strongest in view, the rest folded."""
        boxes = list(self["callers"])
        ticked = [box for box in boxes if box.data["selected"]]
        others = [box for box in boxes if not box.data["selected"]]
        room = max(0, CALLERS_SHOWN - len(ticked))
        return {"shown": ticked + others[:room], "more": others[room:]}

    def clean_callers(self) -> list[Contact]:
        # How many, and how long each specialty, are the story's own rules: match_story_save
        # refuses them with the message at the field (add_service_errors).
        return [self.people[pk] for pk in self.cleaned_data["callers"]]

    def story_fields(self) -> dict:
        data = self.cleaned_data
        return {name: data[name] for name in ("specialties", "pitch", "scores", "red_flag")}


def _caller_label(contact: Contact, score: ContactScore | None) -> str:
    if score is None:
        return contact.name
    record = score.contact
    role = ROLE_WORDS.get(record.role, record.role)
    where = f" at {record.institution}" if record.institution else ""
    about = f"{role}{where}".strip()
    return f"{contact.name} ({about})" if about else contact.name


def story_initial(story: MatchStory | None, suggested: Iterable[ContactScore], targets) -> dict:
    """The story as saved, else the engine's strongest callers and the target specialties."""
    if story is not None and story.saved_on is not None:
        return {
            "callers": [contact.pk for contact in story.callers.all()],
            "specialties": story.specialties,
            "pitch": story.pitch,
            "scores": story.scores,
            "red_flag": story.red_flag,
        }
    return {
        "callers": [score.contact.id for score in suggested][: MatchStory.CALLERS_MAX],
        "specialties": list(targets or [])[: MatchStory.SPECIALTIES_MAX],
    }


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(choices=MatchOutcome.choices)


class NoteForm(forms.Form):
    note = forms.CharField(
        label="The note, yours to edit",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 14}),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class ProgramPickForm(forms.Form):
    """One of the student's programs, or a new one by name (a program may not be in their list
    yet). Subclasses say what the program is (`program_label`) and what to ask for when
    neither is given (`neither`)."""

    program_label = "One of your programs"
    neither = "Choose one of your programs, or type its name."

    program = forms.ModelChoiceField(
        queryset=Program.objects.none(), required=False, empty_label="Choose a program\u2026"
    )
    new_program_name = forms.CharField(
        label="Or its name, if it is not in your list", max_length=200, required=False
    )

    def __init__(self, *args, owner, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.fields["program"].queryset = Program.objects.owned_by(owner).order_by("name")
        self.fields["program"].label = self.program_label

    def clean(self):
        cleaned_data = super().clean()
        require_one_of(
            self,
            "program",
            "new_program_name",
            both="Choose a program or type a new name, not both.",
            neither=self.neither,
        )
        return cleaned_data


class WhereMatchedForm(ProgramPickForm):
    """Where the student matched."""


class ContactedForm(ProgramPickForm):
    """SOAP: "Program X contacted me"."""

    program_label = "A program that contacted you"
    neither = "Choose the program that contacted you, or type its name."
