"""The Match Week page's forms: the story, the outcome, the note to a program, and where the
student matched. Each only checks what was typed; the services (contacts.services.
match_story_save, crm.services.profile_update) save it."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable

from django import forms
from django.core.exceptions import ValidationError

from contacts.forms import picker_matches, require_one_of
from contacts.models import Contact, MatchStory, Program
from contacts.vocabulary import ROLE_WORDS
from crm.forms import CommaListField
from crm.match import MatchOutcome
from reminders.engine.records import ContactRecord
from reminders.engine.scoring import ContactScore

CALLERS_SHOWN = 6  # rows of people in view before any search: the ticked and the strongest
IDS_MAX = 12  # more people than the page ever shows is no real request
ID_MAX = 2**63 - 1  # a primary key (BigAutoField); anything larger is nobody


def _model_field(name: str) -> forms.Field:
    """The story's own field (its label, length and one-line check), as a form field."""
    return MatchStory._meta.get_field(name).formfield()


def contact_ids(values: Iterable) -> list[int]:
    """Contact ids from posted values, each once; anything that is not one is dropped."""
    ids: list[int] = []
    for value in values:
        text = str(value).strip()
        if not (text.isascii() and text.isdigit() and len(text) <= 19):
            continue
        if 0 < (pk := int(text)) <= ID_MAX and pk not in ids:
            ids.append(pk)
    return ids


class ContactIdsField(forms.Field):
    """Several of the student's contacts, posted as repeated values (checkboxes, hidden
    inputs): their ids, each once. Whose they are is the form's check."""

    widget = forms.MultipleHiddenInput
    default_error_messages = {"invalid": "Choose people from your own contacts."}

    def to_python(self, value) -> list[int]:
        values = [value] if isinstance(value, str) else list(value or [])
        ids = contact_ids(values)
        if len(ids) > IDS_MAX or any(not contact_ids([item]) for item in values):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return ids


@dataclasses.dataclass(frozen=True)
class CallerRow:
    """One person in the story's list of callers: a checkbox, ticked or not."""

    pk: int
    name: str
    about: str  # "program director at Lakeshore University Hospital"
    ticked: bool


def _about(role: str, institution: str) -> str:
    role = ROLE_WORDS.get(role, role) if role else ""
    where = f" at {institution}" if institution else ""
    return f"{role}{where}".strip()


def _row_of_contact(contact: Contact, ticked: bool) -> CallerRow:
    institution = contact.institution.name if contact.institution_id else ""
    return CallerRow(contact.pk, contact.name, _about(contact.role, institution), ticked)


def _row_of_record(record: ContactRecord, ticked: bool) -> CallerRow:
    return CallerRow(record.id, record.name, _about(record.role, record.institution), ticked)


def caller_row(contact: Contact) -> CallerRow:
    """A person just found by the search (the picker's choice), ticked."""
    return _row_of_contact(contact, True)


class StoryForm(forms.Form):
    """Whom you would call (your own contacts, at most three), 1-3 realistic specialties, and
    the lines a program director asks about. The people are the search picker's: the ones
    Advocate suggests (or the story's, once saved) in view, anyone else found by typing.

    Without JS, ticking and unticking the people in view works as any checkbox; a name typed
    in the search box is looked up on save: exactly one of the student's contacts by that
    name is added, otherwise the matches come back to choose from (`search_results`, each a
    submit button naming `caller_pick`). `callers_shown` carries the people in view, ticked or
    not, so a refused save shows the same list."""

    callers = ContactIdsField(
        label="Whom you would call",
        required=False,
        help_text="Two or three people whose word weighs most and who know your work best.",
    )
    callers_shown = ContactIdsField(required=False)
    contact_search = forms.CharField(label="Someone else?", max_length=200, required=False)
    caller_pick = forms.IntegerField(
        required=False, min_value=1, max_value=ID_MAX, widget=forms.HiddenInput
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

    def __init__(
        self,
        *args,
        owner,
        story: MatchStory | None = None,
        suggested: Iterable[ContactScore] = (),
        **kwargs,
    ):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.owner = owner
        # Already loaded with the story (callers prefetched, with their institution).
        self.saved = {contact.pk: contact for contact in story.callers.all()} if story else {}
        self.suggested = tuple(suggested)
        self.search_results: list[Contact] = []
        self.search_resolved = False
        self.chosen: list[Contact] = []  # whom the story would call, once cleaned
        self._people: dict[int, Contact] = {}

    # --- Whom they are -------------------------------------------------------------------------

    def _load(self, ids: Iterable[int]) -> dict[int, Contact]:
        """The student's own contacts among `ids` (one query for those not loaded yet)."""
        missing = [pk for pk in ids if pk not in self._people]
        if missing:
            found = Contact.objects.owned_by(self.owner).filter(pk__in=missing)
            self._people.update((c.pk, c) for c in found.select_related("institution"))
        return self._people

    def _may_call(self, pk: int) -> bool:
        """One of the student's contacts, not archived (unless already on the saved story)."""
        contact = self._people.get(pk)
        return contact is not None and (not contact.archived or pk in self.saved)

    def clean(self):
        data = super().clean()
        ticked = data.get("callers") or []
        pick = data.get("caller_pick")
        wanted = ticked + ([pick] if pick and pick not in ticked else [])
        self._load(wanted + (data.get("callers_shown") or []))
        if "callers" in data and not all(self._may_call(pk) for pk in ticked):
            self.add_error("callers", ContactIdsField.default_error_messages["invalid"])
        if pick and not self._may_call(pick):
            self.add_error("contact_search", "Choose someone from your own contacts.")
        chosen = [self._people[pk] for pk in wanted if self._may_call(pk)]
        query = (data.get("contact_search") or "").strip()
        if query and not pick:
            self._look_up(query, chosen)
        data["callers"] = self.chosen = chosen
        return data

    def _look_up(self, query: str, chosen: list[Contact]) -> None:
        """A name typed and saved without tapping a match (no JS, or no tap): exactly one of
        the student's contacts by that name is added; otherwise the matches are offered."""
        if any(contact.name.casefold() == query.casefold() for contact in chosen):
            return  # already among them
        taken = [contact.pk for contact in chosen]
        exact = list(
            Contact.objects.owned_by(self.owner)
            .filter(archived=False, name__iexact=query)
            .exclude(pk__in=taken)
            .select_related("institution")[:2]
        )
        if len(exact) == 1:
            chosen.append(exact[0])
            self._people[exact[0].pk] = exact[0]
            self.search_resolved = True
            return
        self.search_results = picker_matches(self.owner, query, archived=False, exclude=taken)
        if self.search_results:
            message = "Is it one of these? Tap one to add them."
        else:
            message = f"No one called \u201c{query}\u201d among your contacts."
        self.add_error("contact_search", message)

    def caller_rows(self) -> list[CallerRow]:
        """The people in view: before a save, the story's callers (or Advocate's suggestion)
        ticked and the strongest others up to CALLERS_SHOWN; after a refused save, the same
        list as posted, with what the student ticked."""
        if not self.is_bound:
            return self._initial_rows()
        ticked = contact_ids(self.data.getlist("callers"))[:IDS_MAX]
        shown = contact_ids(self.data.getlist("callers_shown"))[:IDS_MAX]
        # With the one tapped and a typed name found (clean()), even if the save was refused.
        ticked += [contact.pk for contact in self.chosen if contact.pk not in ticked]
        order = shown + [pk for pk in ticked if pk not in shown]
        self._load(order)
        return [
            _row_of_contact(self._people[pk], pk in ticked) for pk in order if self._may_call(pk)
        ]

    def _initial_rows(self) -> list[CallerRow]:
        people = {score.contact.id: score.contact for score in self.suggested}
        rows = []
        for pk in self.initial.get("callers") or []:
            if pk in self.saved:
                rows.append(_row_of_contact(self.saved[pk], True))
            elif pk in people:
                rows.append(_row_of_record(people[pk], True))
        in_view = {row.pk for row in rows}
        for pk, record in people.items():
            if len(rows) >= CALLERS_SHOWN:
                break
            if pk not in in_view:
                rows.append(_row_of_record(record, False))
        return rows

    def story_fields(self) -> dict:
        data = self.cleaned_data
        return {name: data[name] for name in ("specialties", "pitch", "scores", "red_flag")}


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
