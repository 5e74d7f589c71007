"""Forms for a student's records. Querysets of related records are always scoped to the owner."""

import uuid
from collections.abc import Iterable
from functools import cached_property

from django import forms
from django.core.exceptions import ValidationError

from crm.forms import ChipsSelect, CommaListField, HtmlDateInput

from . import selectors
from .fields import FORM_FIELDS
from .models import (
    NO_PATIENT_INFO,
    Contact,
    Institution,
    Interaction,
    LetterRequest,
    Program,
    RedFlag,
    Rotation,
)
from .selectors import CONTACT_SORT_CHOICES, contact_search, contact_specialties
from .vocabulary import (
    LETTER_STATUS_DATE_FIELD,
    Context,
    Direction,
    InteractionKind,
    LetterPurpose,
    Material,
    RedFlagKind,
    Role,
    RotationKind,
    Setting,
    TieKind,
    Tier,
)


def _institution_name_field() -> forms.CharField:
    """The institution typed by name, with the student's own as suggestions (a datalist);
    the service finds it or creates it."""
    return forms.CharField(
        label="Institution",
        max_length=200,
        required=False,
        help_text="Pick one you have used or type a new one.",
        widget=forms.TextInput(attrs={"list": "institution-names", "autocomplete": "off"}),
    )


# The one list of roles, in the vocabulary's words, most met on a rotation first: the
# quick-log's chips, the team and letter forms, the contact form and the list's filter all
# read it, so a role is called the same everywhere.
ROLE_ORDER = [
    Role.FACULTY,
    Role.SENIOR_RESIDENT,
    Role.JUNIOR_RESIDENT,
    Role.FELLOW,
    Role.CHIEF_RESIDENT,
    Role.CLERKSHIP_DIRECTOR,
    Role.PROGRAM_DIRECTOR,
    Role.ASSOCIATE_PROGRAM_DIRECTOR,
    Role.CHAIR,
    Role.DEAN,
    Role.RESEARCH_PI,
    Role.STAFF,
    Role.PEER,
]
ROLE_CHOICES = [("", "Not sure yet"), *((role.value, role.label) for role in ROLE_ORDER)]


def _new_person_role_field(label="Their role") -> forms.ChoiceField:
    """Asked wherever a person is created: a typed name is never silently an attending."""
    return forms.ChoiceField(
        label=label,
        choices=ROLE_CHOICES,
        required=False,
        initial="",
        widget=ChipsSelect,
        help_text="Only if you are adding a new person; you can change it later.",
    )


# The quick-log's chips, most frequent first: a tired student taps the first row.
QUICK_LOG_KINDS = [
    (kind.value, kind.label)
    for kind in [
        InteractionKind.MEETING,
        InteractionKind.EMAIL,
        InteractionKind.CALL,
        InteractionKind.FEEDBACK,
        InteractionKind.WORKED_TOGETHER,
        InteractionKind.THANK_YOU,
        InteractionKind.CONFERENCE,
        InteractionKind.UPDATE,
        InteractionKind.LETTER,
    ]
]


def require_one_of(form, chosen: str, typed: str, *, both: str, neither: str) -> None:
    """A form where the student picks an existing record (`chosen`) or types a new one
    (`typed`): exactly one of the two, with the message at the field that needs it."""
    data = form.cleaned_data
    if data.get(chosen) and data.get(typed):
        form.add_error(typed, both)
    elif not data.get(chosen) and not data.get(typed) and chosen not in form.errors:
        form.add_error(chosen, neither)


class PersonPickerForm(forms.Form):
    """Who a form is about, through the search picker (templates/contacts/_picker.html): an
    existing contact (hidden `contact`, filled by the picker) or a new one by name, with a role.
    Without JS, `contact_search` is resolved on submit. A new name that looks like someone
    already there (contacts.selectors.similar_contacts) is asked about first ("did you mean");
    `confirm_new` says the student has seen the question and means someone new."""

    contact = forms.ModelChoiceField(
        queryset=Contact.objects.none(), required=False, widget=forms.HiddenInput
    )
    contact_search = forms.CharField(label="Who?", max_length=200, required=False)
    new_contact_name = forms.CharField(max_length=200, required=False, widget=forms.HiddenInput)
    new_contact_role = forms.ChoiceField(
        label="Their role", choices=ROLE_CHOICES, required=False, widget=forms.RadioSelect
    )
    confirm_new = forms.BooleanField(required=False, widget=forms.HiddenInput)

    picker_fields = ("contact", "contact_search", "new_contact_name")
    picker_empty_message = "Who was it? Start typing a name."

    def __init__(self, *args, owner, **kwargs):
        super().__init__(*args, **kwargs)
        self.owner = owner
        self.picker_results: list[Contact] = []
        self.similar: list[Contact] = []
        self.offer_new_contact = False
        self.fields["contact"].queryset = Contact.objects.owned_by(owner).select_related(
            "institution"
        )
        self.fields["new_contact_role"].initial = ""

    def clean(self):
        cleaned_data = super().clean()
        if cleaned_data.get("contact"):
            return cleaned_data
        if name := cleaned_data.get("new_contact_name"):
            # Exactly that name is that person (the service reuses them): nothing to ask.
            exact = self.fields["contact"].queryset.filter(name__iexact=name.strip()).exists()
            if not cleaned_data.get("confirm_new") and not exact:
                self.similar = selectors.similar_contacts(self.owner, name)
                if self.similar:
                    self.add_error(
                        "new_contact_name",
                        f"Did you mean someone already here? Tap them, or log “{name}” "
                        "as someone new.",
                    )
            return cleaned_data
        if any(name in self.errors for name in self.picker_fields):
            return cleaned_data
        query = cleaned_data.get("contact_search", "")
        contacts = self.fields["contact"].queryset
        exact = list(contacts.filter(name__iexact=query)[:2]) if query else []
        if len(exact) == 1:
            # Typed the whole name and pressed submit without tapping: that is the person.
            cleaned_data["contact"] = exact[0]
        elif query:
            # Never a dead end: the matches (if any) and always "add as new", with a role.
            self.picker_results = picker_matches(self.owner, query)
            self.offer_new_contact = True
            if self.picker_results:
                message = f"Is it one of these? Tap them, or add “{query}” as new."
            else:
                message = f"No one called “{query}” yet. Add them as new below."
            self.add_error("contact_search", message)
        else:
            self.add_error("contact_search", self.picker_empty_message)
        return cleaned_data

    @property
    def chosen_contact(self) -> Contact | None:
        if self.is_bound:
            return getattr(self, "cleaned_data", {}).get("contact")
        return self.initial.get("contact")

    @property
    def new_contact_name_value(self) -> str:
        return (self["new_contact_name"].value() or "").strip() if self.is_bound else ""

    @property
    def picker_errors(self) -> list[str]:
        return [error for name in self.picker_fields for error in self.errors.get(name, [])]

    def person_kwargs(self) -> dict:
        """The person: `contact`, or `new_contact_name` and `new_contact_role`."""
        data = self.cleaned_data
        return {key: data[key] for key in ("contact", "new_contact_name", "new_contact_role")}


def picker_matches(
    owner, query: str, *, archived: bool = True, exclude: Iterable[int] = ()
) -> list[Contact]:
    """The picker's matches for a typed name: what the search finds, then anyone the name may
    be ("Dr. Maya Chen" finds "Maya"), each once. `archived=False` leaves archived people out;
    `exclude`: ids already chosen (a picker of several people)."""
    exclude = list(exclude)
    results = contact_search(owner, query, archived=archived, exclude=exclude)
    seen = {contact.pk for contact in results}
    similar = selectors.similar_contacts(owner, query, archived=archived, exclude=exclude)
    return results + [c for c in similar if c.pk not in seen]


class QuickLogForm(PersonPickerForm):
    """'I met / talked to / emailed X': an existing contact or a new one by name (the picker)."""

    # The idempotency key: made when the form is drawn, sent with it (and kept with an offline
    # entry on the phone), honoured by services.interaction_log.
    client_key = forms.UUIDField(required=False, widget=forms.HiddenInput)
    kind = forms.ChoiceField(
        label="What happened?",
        choices=QUICK_LOG_KINDS,
        initial=InteractionKind.MEETING,
        widget=forms.RadioSelect,
    )
    date = forms.DateField(label="When?", widget=HtmlDateInput())
    direction = forms.ChoiceField(
        label="Who reached out?",
        choices=Direction.choices,
        initial=Direction.OUTBOUND,
        widget=forms.RadioSelect,
    )
    context = forms.ChoiceField(
        label="Context", choices=[("", "Not sure"), *Context.choices], required=False
    )
    summary = forms.CharField(
        label="One line about it", max_length=300, required=False, help_text=NO_PATIENT_INFO
    )
    follow_up_by = forms.DateField(label="Follow up by", required=False, widget=HtmlDateInput())

    detail_fields = ("direction", "context", "follow_up_by")

    def __init__(self, *args, owner, today, **kwargs):
        super().__init__(*args, owner=owner, **kwargs)
        self.fields["date"].initial = today
        self.fields["client_key"].initial = uuid.uuid4

    @property
    def details_have_errors(self) -> bool:
        return any(name in self.errors for name in self.detail_fields)

    def service_kwargs(self) -> dict:
        """What services.interaction_log takes."""
        data = self.cleaned_data
        return {
            key: data[key]
            for key in [
                "contact",
                "new_contact_name",
                "new_contact_role",
                "date",
                "kind",
                "direction",
                "context",
                "summary",
                "follow_up_by",
                "client_key",
            ]
        }


class InstitutionByNameMixin:
    """For a form whose record sits at an institution typed by name, with its city, state and
    setting beside it (`institution_name` and `institution_detail_fields`); the service finds
    or creates the institution. Needs `self.owner` and a model instance."""

    institution_detail_fields = ("institution_city", "institution_state", "institution_setting")

    def initial_institution(self) -> None:
        institution = self.instance.institution if self.instance.institution_id else None
        if institution is not None:
            self.initial.setdefault("institution_name", institution.name)
            self.initial.setdefault("institution_city", institution.city)
            self.initial.setdefault("institution_state", institution.state)
            self.initial.setdefault("institution_setting", institution.setting)

    def institution_details(self) -> list[forms.BoundField]:
        return [self[name] for name in self.institution_detail_fields]

    def institution_names(self) -> list[str]:
        return selectors.institution_names(self.owner)

    def specialties(self) -> list[str]:
        return contact_specialties(self.owner)

    def institution_kwargs(self) -> dict:
        """What services.institution_get_or_create takes."""
        data = self.cleaned_data
        return {
            "name": data["institution_name"],
            "city": data["institution_city"],
            "state": data["institution_state"],
            "setting": data["institution_setting"],
        }


class ContactForm(InstitutionByNameMixin, forms.ModelForm):
    """A contact; the institution is typed by name and found or created by the service."""

    institution_name = _institution_name_field()
    institution_city = forms.CharField(
        label="City", max_length=Institution._meta.get_field("city").max_length, required=False
    )
    institution_state = forms.CharField(
        label="State", max_length=Institution._meta.get_field("state").max_length, required=False
    )
    institution_setting = forms.ChoiceField(
        label="Setting", choices=[("", "Not sure"), *Setting.choices], required=False
    )
    tags = CommaListField(
        required=False, help_text="Separated by commas, e.g. research, mentor, cardiology."
    )

    class Meta:
        model = Contact
        fields = FORM_FIELDS  # contacts.fields: the ones edited as themselves
        labels = {"how_met": "How you met"}
        widgets = {
            "specialty": forms.TextInput(attrs={"list": "specialties", "autocomplete": "off"}),
            "phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
            "notes": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {"how_met": "e.g. Attending on my medicine clerkship"}

    field_order = [
        "name",
        "role",
        "specialty",
        "institution_name",
        "institution_city",
        "institution_state",
        "institution_setting",
        "email",
        "phone",
        "how_met",
        "would_vouch",
        "tags",
        "notes",
    ]

    def __init__(self, *args, owner, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.owner = owner
        self.fields["role"].choices = ROLE_CHOICES
        self.fields["role"].widget = ChipsSelect(choices=ROLE_CHOICES)
        self.initial_institution()

    def contact_kwargs(self) -> dict:
        return {name: self.cleaned_data[name] for name in self._meta.fields}


class InteractionForm(forms.ModelForm):
    class Meta:
        model = Interaction
        fields = ["contact", "date", "kind", "direction", "context", "summary", "follow_up_by"]
        labels = {"summary": "One line about it"}
        widgets = {"date": HtmlDateInput(), "follow_up_by": HtmlDateInput()}

    def __init__(self, *args, owner, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contact"].queryset = Contact.objects.owned_by(owner).order_by("name")
        self.fields["contact"].empty_label = None
        self.fields["context"].choices = [("", "Not sure"), *Context.choices]

    def interaction_kwargs(self) -> dict:
        return {name: self.cleaned_data[name] for name in self._meta.fields}


class ContactSearchForm(forms.Form):
    """The quick-log picker's search (`?contact_search=`), validated like every query
    parameter: a NUL or an over-long value is refused at the box, never a database error.
    `query()` is the stripped text, or "" when there is nothing valid to search for."""

    contact_search = forms.CharField(label="Who?", max_length=200, required=False)

    def query(self) -> str:
        return self.cleaned_data["contact_search"] if self.is_valid() else ""


class ContactFilterForm(forms.Form):
    """The contact list's filters. Each field names a keyword of selectors.contacts_for_list,
    so a new filter (the engine's tier) is one field here and one keyword there."""

    q = forms.CharField(
        label="Search",
        required=False,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": "Name, specialty, institution or tag"}
        ),
    )
    tier = forms.ChoiceField(
        label="Tier", choices=[("", "Any tier"), *Tier.choices], required=False
    )
    role = forms.ChoiceField(
        label="Role", choices=[("", "Any role"), *ROLE_CHOICES[1:]], required=False
    )
    specialty = forms.ChoiceField(label="Specialty", required=False)
    institution = forms.ModelChoiceField(
        label="Institution", queryset=None, required=False, empty_label="Any institution"
    )
    sort = forms.ChoiceField(label="Sort by", choices=CONTACT_SORT_CHOICES, required=False)
    archived = forms.BooleanField(label="Show archived", required=False)

    # Form field name → keyword of selectors.contacts_for_list.
    selector_keywords = {"q": "search", "archived": "include_archived"}

    def __init__(self, *args, owner, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["institution"].queryset = owner.institutions.all()
        specialties = contact_specialties(owner)
        self.fields["specialty"].choices = [("", "Any specialty")] + [(s, s) for s in specialties]

    def filters(self) -> dict:
        """The valid, non-empty filters as selector keywords; a bad value is simply ignored."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            self.selector_keywords.get(name, name): value
            for name, value in data.items()
            if value not in (None, "", False)
        }

    @property
    def is_filtered(self) -> bool:
        """Whether the list is narrowed, so an empty page means "no match", not "no one yet"."""
        return bool(set(self.filters()) - {"sort", "include_archived"})


def add_service_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: beside a field the form has, else on top."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        form.add_error(field if field in form.fields else None, errors)


class RotationForm(forms.ModelForm):
    institution_name = _institution_name_field()

    class Meta:
        model = Rotation
        fields = ["name", "specialty", "kind", "start", "end"]
        labels = {"name": "Rotation", "start": "Starts", "end": "Ends"}
        widgets = {"start": HtmlDateInput(), "end": HtmlDateInput(), "kind": ChipsSelect}

    field_order = ["name", "specialty", "kind", "institution_name", "start", "end"]

    def __init__(self, *args, owner, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.owner = owner
        # Chips with the commonest kind already on, so the first rotation saves first time.
        self.fields["kind"].choices = RotationKind.choices
        self.fields["kind"].initial = RotationKind.CORE_CLERKSHIP
        if self.instance.institution_id:
            self.initial.setdefault("institution_name", self.instance.institution.name)

    @cached_property
    def institution_names(self) -> list[str]:
        """For the datalist; read only when the form is shown."""
        return selectors.institution_names(self.owner)

    def clean(self):
        cleaned_data = super().clean()
        start, end = cleaned_data.get("start"), cleaned_data.get("end")
        if start and end and end < start:
            # The database refuses this too (rotation_ends_after_it_starts); an error on "end"
            # also keeps the model's own check from repeating it at the top of the form.
            self.add_error("end", "A rotation must end on or after the day it starts.")
        return cleaned_data


class TeamMemberForm(forms.Form):
    contact = forms.ModelChoiceField(
        queryset=Contact.objects.none(),
        required=False,
        label="Someone in your contacts",
        empty_label="Choose a person…",
    )
    new_name = forms.CharField(max_length=200, required=False, label="Or a new person's name")
    new_role = _new_person_role_field()
    # Shown (as a checkbox) only once a new name looked like someone already there.
    confirm_new = forms.BooleanField(
        label="Yes, this is someone new", required=False, widget=forms.HiddenInput
    )

    def __init__(self, *args, owner, rotation: Rotation, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.owner = owner
        self.similar: list[Contact] = []
        self.fields["contact"].queryset = Contact.objects.owned_by(owner).order_by("name")
        # Nobody works beside the student for longer than the rotation lasts.
        weeks = min(rotation.weeks, 52)
        self.fields["weeks_together"] = forms.IntegerField(
            label="Weeks on the same team",
            min_value=0,
            max_value=weeks,
            initial=weeks,
            help_text=f"The rotation lasts {weeks} week{'s' if weeks != 1 else ''}.",
        )

    def clean(self):
        cleaned_data = super().clean()
        require_one_of(
            self,
            "contact",
            "new_name",
            both="Choose someone or type a new name, not both.",
            neither="Choose someone from your contacts, or type a new name.",
        )
        name = cleaned_data.get("new_name")
        asked = name and not cleaned_data.get("contact") and not cleaned_data.get("confirm_new")
        # Exactly that name is that person (the service reuses them): nothing to ask.
        if asked and not self.fields["contact"].queryset.filter(name__iexact=name).exists():
            self.similar = selectors.similar_contacts(self.owner, name)
            if self.similar:
                names = " or ".join(f"“{contact.name}”" for contact in self.similar[:3])
                self.add_error(
                    "new_name",
                    f"Did you mean {names}? Choose them above, or tick the box to add "
                    f"“{name}” as someone new.",
                )
                self.fields["confirm_new"].widget = forms.CheckboxInput()
        return cleaned_data


class LetterAskForm(PersonPickerForm):
    """Asking for a letter in three fields: who writes it (the picker, as in the quick-log),
    what for, and when it is due. The rest (specialty, programs, materials, each step's date)
    is recorded on the letter's page as it happens."""

    purpose = forms.ChoiceField(
        label="What is it for?",
        choices=LetterPurpose.choices,
        initial=LetterPurpose.RESIDENCY,
        widget=ChipsSelect,
    )
    due = forms.DateField(
        label="Due", required=False, widget=HtmlDateInput(), help_text="Leave empty if not known."
    )
    picker_empty_message = "Who will write it? Start typing a name."

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    def letter_kwargs(self) -> dict:
        return {"purpose": self.cleaned_data["purpose"], "due": self.cleaned_data["due"]}


class LetterForm(forms.ModelForm):
    writer_name = forms.CharField(
        max_length=200,
        required=False,
        label="Or a new person's name",
        help_text="Adds them to your contacts.",
    )
    writer_role = _new_person_role_field()
    programs = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One per line.",
    )
    materials = forms.MultipleChoiceField(
        choices=Material.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Materials sent",
    )

    step_date_fields = [field for field in LETTER_STATUS_DATE_FIELD.values() if field]

    class Meta:
        model = LetterRequest
        fields = [
            "writer",
            "purpose",
            "specialty",
            "programs",
            "due",
            "status",
            "materials",
            *[field for field in LETTER_STATUS_DATE_FIELD.values() if field],
            "notes",
        ]
        labels = {
            "due": "Due",
            "asked_on": "Asked on",
            "agreed_on": "Agreed on",
            "declined_on": "Declined on",
            "materials_sent_on": "Materials sent on",
            "submitted_on": "Submitted on",
            "thanked_on": "Thanked on",
        }
        widgets = {
            "due": HtmlDateInput(),
            "notes": forms.Textarea(attrs={"rows": 3}),
            **{field: HtmlDateInput() for field in LETTER_STATUS_DATE_FIELD.values() if field},
        }

    field_order = [
        "writer",
        "writer_name",
        "writer_role",
        "purpose",
        "specialty",
        "programs",
        "due",
    ]

    def __init__(self, *args, owner, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        writer = self.fields["writer"]
        writer.queryset = Contact.objects.owned_by(owner).order_by("name")
        writer.required = False
        writer.empty_label = "Choose a person…"
        self.initial["programs"] = "\n".join(self.instance.programs or [])

    def main_fields(self):
        return [field for field in self if field.name not in self.step_date_fields]

    def step_fields(self):
        return [self[name] for name in self.step_date_fields]

    def clean_programs(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["programs"].splitlines() if line.strip()]

    def clean(self):
        cleaned_data = super().clean()
        require_one_of(
            self,
            "writer",
            "writer_name",
            both="Choose someone or type a new name, not both.",
            neither="Choose who will write it, or type a new name.",
        )
        return cleaned_data


# --- Programs and ties ------------------------------------------------------------------------


class ProgramForm(InstitutionByNameMixin, forms.ModelForm):
    """A program; its institution is typed by name (city, state and setting beside it) and
    found or created by the service, as on the contact form."""

    institution_name = forms.CharField(
        label="Hospital or institution",
        max_length=200,
        help_text="Pick one you have used or type a new one; the program is where it is.",
        widget=forms.TextInput(attrs={"list": "institution-names", "autocomplete": "off"}),
    )
    institution_city = forms.CharField(
        label="City", max_length=Institution._meta.get_field("city").max_length, required=False
    )
    institution_state = forms.CharField(
        label="State", max_length=Institution._meta.get_field("state").max_length, required=False
    )
    institution_setting = forms.ChoiceField(
        label="Setting", choices=[("", "Not sure"), *Setting.choices], required=False
    )

    class Meta:
        model = Program
        fields = ["name", "specialty", "target"]
        labels = {"name": "Program", "target": "On my list (applying or ranking)"}
        widgets = {
            "specialty": forms.TextInput(attrs={"list": "specialties", "autocomplete": "off"})
        }

    field_order = [
        "name",
        "specialty",
        "institution_name",
        *InstitutionByNameMixin.institution_detail_fields,
        "target",
    ]

    def __init__(self, *args, owner, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.owner = owner
        self.instance.owner = owner  # so the unique-name check is the student's own
        self.initial_institution()

    def program_kwargs(self) -> dict:
        return {name: self.cleaned_data[name] for name in self._meta.fields}


_TIE_NOTE = forms.CharField(
    label="Note",
    max_length=200,
    required=False,
    help_text="Whom they know, or when they trained there. " + NO_PATIENT_INFO,
)


class ContactTieForm(forms.Form):
    """From a contact's page: their tie to one of the student's programs, or to a whole
    institution (which ties them to every program there)."""

    program = forms.ModelChoiceField(
        queryset=Program.objects.none(),
        required=False,
        label="One of your programs",
        empty_label="Choose a program…",
    )
    institution_name = forms.CharField(
        label="Or a whole hospital or institution",
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"list": "institution-names", "autocomplete": "off"}),
    )
    kind = forms.ChoiceField(
        label="Their tie",
        choices=TieKind.choices,
        initial=TieKind.TRAINED_AT,
        widget=forms.RadioSelect,
    )
    note = _TIE_NOTE

    def __init__(self, *args, owner, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.owner = owner
        self.fields["program"].queryset = Program.objects.owned_by(owner).select_related(
            "institution"
        )

    @cached_property
    def institution_names(self) -> list[str]:
        return selectors.institution_names(self.owner)

    def clean(self):
        cleaned_data = super().clean()
        require_one_of(
            self,
            "program",
            "institution_name",
            both="Choose a program or type an institution, not both.",
            neither="Choose a program, or type a hospital or institution.",
        )
        return cleaned_data


class ProgramTieForm(forms.Form):
    """From a program's page: someone in the student's contacts with a tie to it."""

    contact = forms.ModelChoiceField(
        queryset=Contact.objects.none(), label="Who?", empty_label="Choose a person…"
    )
    kind = forms.ChoiceField(
        label="Their tie",
        choices=TieKind.choices,
        initial=TieKind.TRAINED_AT,
        widget=forms.RadioSelect,
    )
    note = _TIE_NOTE

    def __init__(self, *args, owner, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.fields["contact"].queryset = (
            Contact.objects.owned_by(owner).filter(archived=False).order_by("name")
        )


class RedFlagForm(forms.ModelForm):
    """A red flag on the student's record: its kind, one line in their words, and whether their
    advisor may see it (Settings → Red flags)."""

    class Meta:
        model = RedFlag
        fields = ["kind", "note", "shared"]
        widgets = {"kind": ChipsSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Chips with the commonest kind on (an exam attempt), never a "---------" drop-down.
        self.fields["kind"].choices = RedFlagKind.choices
        self.fields["kind"].initial = self.instance.kind or RedFlagKind.EXAM
