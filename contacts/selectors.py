"""Reads of a student's records, each in a fixed number of queries."""

import dataclasses
import datetime
import itertools
import re
import unicodedata
from collections.abc import Iterable
from typing import NamedTuple

from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    Count,
    F,
    IntegerField,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.expressions import RawSQL

from .models import (
    Contact,
    Institution,
    Interaction,
    LetterRequest,
    Program,
    Rotation,
    TeamMember,
    Tie,
)
from .services import letter_allowed_moves
from .vocabulary import LETTER_DONE, LETTER_FLOW, LETTER_STATUS_DATE_FIELD, LetterStatus, Material


def contacts_with_last_contact(owner) -> QuerySet[Contact]:
    """The student's contacts with their institution; `last_contact_on` is stored on each
    contact (kept by the services), so sorting on it uses an index, not a subquery per row."""
    return Contact.objects.owned_by(owner).select_related("institution")


def contact_search(
    owner, query: str, *, limit: int = 8, archived: bool = True, exclude: Iterable[int] = ()
) -> list[Contact]:
    """Contacts whose name, specialty or institution matches `query`, for the search picker
    (archived people last; `archived=False` leaves them out; `exclude`: ids already chosen)."""
    query = (query or "").strip()
    # ContactSearchForm refuses these with a message; here, a NUL (which PostgreSQL cannot
    # compare) finds no one rather than failing.
    if not query or "\x00" in query:
        return []
    return list(
        _pickable(Contact.objects.owned_by(owner), archived=archived, exclude=exclude)
        .filter(
            Q(name__icontains=query)
            | Q(specialty__icontains=query)
            | Q(institution__name__icontains=query)
        )
        .select_related("institution")
        .order_by("archived", "name")[:limit]
    )


def _pickable(contacts: QuerySet[Contact], *, archived: bool, exclude: Iterable[int]):
    if not archived:
        contacts = contacts.filter(archived=False)
    if ids := list(exclude):
        contacts = contacts.exclude(pk__in=ids)
    return contacts


# Words that say what someone is, not who: "Dr. Maya Chen, MD" is Maya Chen.
NAME_TITLES = frozenset(
    ["dr", "doctor", "prof", "professor", "md", "do", "phd", "mph", "mba", "rn", "np", "pa"]
    + ["mr", "mrs", "ms", "mx", "miss", "sir", "jr", "sr"]
)


def name_tokens(name: str) -> tuple[str, ...]:
    """A name's words, accents, case, punctuation and titles set aside."""
    text = unicodedata.normalize("NFKD", name or "").encode("ascii", "ignore").decode().lower()
    return tuple(word for word in re.findall(r"[a-z0-9]+", text) if word not in NAME_TITLES)


def similar_contacts(
    owner,
    name: str,
    *,
    email: str = "",
    institution_name: str = "",
    limit: int = 5,
    archived: bool = True,
    exclude: Iterable[int] = (),
) -> list[Contact]:
    """The student's contacts who may be the person about to be created as `name`: the same
    email, or the same name once normalised, or one name inside the other ("Maya" and
    "Dr. Maya Chen") unless both sit at different institutions. Strongest match first.
    One query, narrowed in the database to names sharing a word. `archived` and `exclude` as
    for contact_search."""
    tokens = set(name_tokens(name))
    email = (email or "").strip()
    if not tokens and not email:
        return []
    condition = Q(email__iexact=email) if email else Q(pk__in=[])
    for token in tokens:
        condition |= Q(name__icontains=token)
    candidates = (
        _pickable(Contact.objects.owned_by(owner), archived=archived, exclude=exclude)
        .filter(condition)
        .select_related("institution")[:200]
    )
    wanted_institution = set(name_tokens(institution_name))
    ranked = []
    for contact in candidates:
        theirs = set(name_tokens(contact.name))
        if email and contact.email and contact.email.lower() == email.lower():
            rank = 0
        elif theirs and theirs == tokens:
            rank = 1
        elif theirs and (theirs <= tokens or tokens <= theirs):
            elsewhere = (
                wanted_institution
                and contact.institution
                and set(name_tokens(contact.institution.name)) != wanted_institution
            )
            if elsewhere:
                continue
            rank = 2
        else:
            continue
        ranked.append((rank, contact.archived, contact.name.lower(), contact))
    return [contact for *_, contact in sorted(ranked, key=lambda row: row[:3])][:limit]


def recent_interactions(owner, *, limit: int = 10) -> list[Interaction]:
    return list(
        Interaction.objects.owned_by(owner)
        .select_related("contact")
        .order_by("-date", "-created_at")[:limit]
    )


# --- Contacts and interactions (views/people.py, views/interactions.py, views/home.py) -------

CONTACT_SORT_CHOICES = [
    ("recent", "Most recent contact"),
    ("longest", "Longest since contact"),
    ("name", "Name"),
]
_CONTACT_ORDERINGS = {
    "recent": [F("last_contact_on").desc(nulls_last=True), "name", "pk"],
    # Never contacted is the longest ago of all.
    "longest": [F("last_contact_on").asc(nulls_first=True), "name", "pk"],
    "name": ["name", "pk"],
}


def _pk_among(ids: list[int]) -> Q | RawSQL:
    """`pk IN ids` for a list that may hold thousands: on PostgreSQL one array parameter
    (`= ANY(%s)`) rather than a placeholder per id, which costs the page tens of ms."""
    if connection.vendor == "postgresql":
        column = f'"{Contact._meta.db_table}"."id"'
        return RawSQL(f"{column} = ANY(%s)", (list(ids),), output_field=BooleanField())
    return Q(pk__in=ids)


def contacts_for_list(
    owner,
    *,
    search: str = "",
    among: list[int] | None = None,
    role: str = "",
    specialty: str = "",
    institution: Institution | None = None,
    sort: str = "recent",
    include_archived: bool = False,
) -> QuerySet[Contact]:
    """The contact list: `contacts_with_last_contact` filtered and sorted, ready to paginate.

    `among` keeps only those ids: the page passes the engine's answer for a tier filter
    (reminders.selectors.contact_ids_by_tier), so the records never ask the engine."""
    contacts = contacts_with_last_contact(owner)
    if among is not None:
        contacts = contacts.filter(_pk_among(among))
    if not include_archived:
        contacts = contacts.filter(archived=False)
    if search := search.strip():
        contacts = contacts.filter(
            Q(name__icontains=search)
            | Q(specialty__icontains=search)
            | Q(institution__name__icontains=search)
            | Q(tags__icontains=search)
        )
    if role:
        contacts = contacts.filter(role=role)
    if specialty:
        contacts = contacts.filter(specialty__iexact=specialty)
    if institution is not None:
        contacts = contacts.filter(institution=institution)
    return contacts.order_by(*_CONTACT_ORDERINGS.get(sort, _CONTACT_ORDERINGS["recent"]))


def with_tiers(contacts: Iterable[Contact], tiers: dict[int, str]) -> list:
    """A page of contacts, each with `.tier` from `tiers` (the engine's, by contact id)."""
    contacts = list(contacts)
    for contact in contacts:
        contact.tier = tiers.get(contact.pk, "")
    return contacts


def contact_specialties(owner) -> list[str]:
    """The specialties the student's contacts have, for filters and the form's suggestions."""
    return list(
        Contact.objects.owned_by(owner)
        .exclude(specialty="")
        .order_by("specialty")
        .values_list("specialty", flat=True)
        .distinct()
    )


HISTORY_PAGE_SIZE = 20


class InteractionFacts(NamedTuple):
    """What scoring reads of an interaction: the contact page scores from all of them but
    shows only a page, so the rest are loaded as plain tuples, not model instances."""

    pk: int
    contact_id: int
    date: datetime.date
    kind: str
    direction: str
    context: str
    follow_up_by: datetime.date | None


@dataclasses.dataclass
class ContactHistory:
    """Everything the student has done with one contact, newest first.

    `interactions` is the page of the timeline on show (the newest `HISTORY_PAGE_SIZE`, or
    the `page` asked for); `facts` are all of them, for the scores; `page` paginates."""

    interactions: list[Interaction]
    team_places: list[TeamMember]
    letters: list[LetterRequest]
    facts: list[InteractionFacts] = dataclasses.field(default_factory=list)
    page: Page | None = None

    @property
    def is_empty(self) -> bool:
        return not (self.facts or self.interactions or self.team_places or self.letters)

    @property
    def interaction_count(self) -> int:
        return len(self.facts)


def contact_history(contact: Contact, *, page: object = 1) -> ContactHistory:
    """The contact page's timeline (one page of it), the facts behind the scores, rotations
    shared and letters, in three queries whatever the length of the history.

    The interactions come back as plain rows in one query; only the page on show becomes
    model instances (and is rendered), the rest stay tuples for the scores."""
    columns = [field.attname for field in Interaction._meta.concrete_fields]
    rows = list(contact.interactions.order_by("-date", "-created_at", "-pk").values_list(*columns))
    at = {name: index for index, name in enumerate(columns)}
    at["pk"] = at[Interaction._meta.pk.attname]
    facts = [
        InteractionFacts(*(row[at[name]] for name in InteractionFacts._fields)) for row in rows
    ]
    shown = Paginator(rows, HISTORY_PAGE_SIZE).get_page(page)
    interactions = [Interaction.from_db(None, columns, row) for row in shown.object_list]
    for interaction in interactions:
        interaction.contact = contact  # the row knows its contact: no query per row
    return ContactHistory(
        interactions=interactions,
        team_places=list(
            contact.team_memberships.select_related("rotation__institution").order_by(
                "-rotation__start"
            )
        ),
        letters=list(contact.letters.all()),
        facts=facts,
        page=shown,
    )


# --- Rotations, teams and letters (views/rotations.py, views/letters.py) ---------------------

ROTATION_TIMING_LABELS = {"current": "Now", "upcoming": "Coming up", "past": "Past"}
# Database order of the groups on the rotations page: what is happening now comes first.
_TIMING_ORDER = {"current": 0, "upcoming": 1, "past": 2}


def rotation_timing(rotation: Rotation, today: datetime.date) -> str:
    """Whether the rotation is "current", "upcoming" or "past" on `today`."""
    if rotation.start > today:
        return "upcoming"
    return "past" if rotation.end < today else "current"


def rotations_for_list(owner, today: datetime.date) -> QuerySet[Rotation]:
    """The student's rotations with `team_size` and `timing_order`: current, then upcoming
    (soonest first), then past (latest first). Ready to paginate: one query a page."""
    timing_order = Case(
        When(start__gt=today, then=Value(_TIMING_ORDER["upcoming"])),
        When(end__lt=today, then=Value(_TIMING_ORDER["past"])),
        default=Value(_TIMING_ORDER["current"]),
        output_field=IntegerField(),
    )
    upcoming_start = Case(When(start__gt=today, then=F("start")), default=None)
    return (
        Rotation.objects.owned_by(owner)
        .select_related("institution")
        .annotate(timing_order=timing_order, team_size=Count("members"))
        .order_by("timing_order", upcoming_start.asc(), "-start", "pk")
    )


@dataclasses.dataclass
class RotationGroup:
    timing: str
    label: str
    rotations: list[Rotation]


def group_rotations(rotations: Iterable[Rotation]) -> list[RotationGroup]:
    """Rotations from `rotations_for_list` (already in order) grouped under Now / Coming up /
    Past, skipping empty groups."""
    timing_by_order = {order: timing for timing, order in _TIMING_ORDER.items()}
    groups: list[RotationGroup] = []
    for order, rows in itertools.groupby(rotations, key=lambda rotation: rotation.timing_order):
        timing = timing_by_order[order]
        groups.append(RotationGroup(timing, ROTATION_TIMING_LABELS[timing], list(rows)))
    return groups


def rotation_team(rotation: Rotation) -> list[TeamMember]:
    """The rotation's team with each contact, in one query (closest colleagues first)."""
    return list(rotation.members.select_related("contact"))


def institution_names(owner) -> list[str]:
    return list(Institution.objects.owned_by(owner).values_list("name", flat=True))


@dataclasses.dataclass
class LetterCard:
    """A letter as the board shows it, with what the due date means today."""

    letter: LetterRequest
    due_in_days: int | None
    is_overdue: bool
    is_due_soon: bool  # within the engine's reminder window: the board flags it
    moves: list[str]
    material_labels: list[str]

    @property
    def days_overdue(self) -> int:
        return -self.due_in_days if self.is_overdue else 0

    @property
    def next_status(self) -> str | None:
        forward = [status for status in self.moves if status != LetterStatus.DECLINED]
        return forward[0] if forward else None

    @property
    def next_status_label(self) -> str:
        return LetterStatus(self.next_status).label if self.next_status else ""

    @property
    def can_decline(self) -> bool:
        return LetterStatus.DECLINED in self.moves


def letter_card(letter: LetterRequest, today: datetime.date, *, soon_days: int) -> LetterCard:
    """The letter as the board shows it on `today`; due within `soon_days` is "due soon" (the
    page passes the engine's reminder window, so the board and the reminders agree)."""
    due_in_days = (letter.due - today).days if letter.due else None
    # Once submitted, thanked or declined a past due date is history, not a worry.
    is_open = letter.status not in LETTER_DONE
    return LetterCard(
        letter=letter,
        due_in_days=due_in_days if is_open else None,
        is_overdue=is_open and due_in_days is not None and due_in_days < 0,
        is_due_soon=is_open and due_in_days is not None and 0 <= due_in_days <= soon_days,
        moves=letter_allowed_moves(letter),
        material_labels=[
            Material(slug).label for slug in letter.materials if slug in Material.values
        ],
    )


@dataclasses.dataclass
class BoardColumn:
    status: str
    label: str
    cards: list[LetterCard]


@dataclasses.dataclass
class LetterBoard:
    columns: list[BoardColumn]
    declined: list[LetterCard]

    @property
    def is_empty(self) -> bool:
        return not self.declined and not any(column.cards for column in self.columns)


def letter_board(owner, today: datetime.date, *, soon_days: int) -> LetterBoard:
    """The student's letters in a column per step of LETTER_FLOW (declined apart), soonest due
    first, in one query."""
    letters = LetterRequest.objects.owned_by(owner).select_related("writer")
    cards: dict[str, list[LetterCard]] = {status: [] for status in LetterStatus.values}
    for letter in letters:
        cards[letter.status].append(letter_card(letter, today, soon_days=soon_days))
    columns = [
        BoardColumn(status, LetterStatus(status).label, cards[status]) for status in LETTER_FLOW
    ]
    return LetterBoard(columns=columns, declined=cards[LetterStatus.DECLINED])


@dataclasses.dataclass
class LetterStep:
    status: str
    label: str
    on: datetime.date | datetime.datetime | None
    reached: bool
    current: bool


def letter_timeline(letter: LetterRequest) -> list[LetterStep]:
    """Each step of the letter's path with the date it was reached; "considering" dates from
    when the letter was added. A declined letter's path ends at "declined"."""
    path = list(LETTER_FLOW)
    if letter.status == LetterStatus.DECLINED:
        path = [LetterStatus.CONSIDERING, LetterStatus.ASKED, LetterStatus.DECLINED]
    current = path.index(letter.status)
    steps = []
    for index, status in enumerate(path):
        date_field = LETTER_STATUS_DATE_FIELD[status]
        on = getattr(letter, date_field) if date_field else letter.created_at
        label = LetterStatus(status).label
        steps.append(LetterStep(status, label, on, index <= current, index == current))
    return steps


# --- Programs and ties (views/programs.py, the contact page) -----------------------------------


def programs_for_list(owner) -> list[Program]:
    """The student's programs with their institution, targets first, then by name."""
    return list(Program.objects.owned_by(owner).select_related("institution"))


def program_ties(program: Program) -> list[Tie]:
    """The ties recorded to this program or to its whole institution, with each contact, in
    one query (the program page lists them with a Remove button each)."""
    ties = Tie.objects.filter(owner_id=program.owner_id)
    place = Q(program=program)
    if program.institution_id:
        place |= Q(institution_id=program.institution_id)
    return list(
        ties.filter(place).select_related("contact", "institution").order_by("contact__name", "pk")
    )


@dataclasses.dataclass
class ContactTies:
    """A contact's ties as their page shows them: the recorded ones, and the programs at their
    own institution (a tie too, without typing it)."""

    ties: list[Tie]
    home_programs: list[Program]

    @property
    def is_empty(self) -> bool:
        return not (self.ties or self.home_programs)


def contact_ties(contact: Contact) -> ContactTies:
    """Two queries: the contact's ties (with their program or institution), and the student's
    programs at the contact's own institution (none asked for without one)."""
    ties = list(
        contact.ties.select_related("program__institution", "institution").order_by(
            "program__name", "institution__name", "pk"
        )
    )
    home_programs = []
    if contact.institution_id:
        home_programs = list(
            Program.objects.filter(owner_id=contact.owner_id, institution_id=contact.institution_id)
        )
    return ContactTies(ties=ties, home_programs=home_programs)


def program_names(owner) -> list[str]:
    return list(Program.objects.owned_by(owner).values_list("name", flat=True))
