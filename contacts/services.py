"""Writes to a student's records. Each function takes the owner explicitly and validates
before saving, so a view, a command and an import all go through the same rules.

Each public write ends with one `crm.events.records_changed(...)` call: that stamps the
student (the key of the engine's cached standing) and tells the engine, which listens from
above (reminders.reactions). Inner helpers take `announce=False` when a caller that does
several writes announces once at the end."""

import datetime
import uuid
from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Max, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce, Greatest

from crm.events import records_changed

from .models import (
    Contact,
    Institution,
    Interaction,
    LetterRequest,
    MatchStory,
    Program,
    RedFlag,
    Rotation,
    TeamMember,
    Tie,
)
from .vocabulary import LETTER_FLOW, LETTER_MOVES, LETTER_STATUS_DATE_FIELD, LetterStatus


def _check_owner(owner_id: int, *records) -> None:
    for record in records:
        if record is not None and record.owner_id != owner_id:
            # Never reachable from a form (querysets are scoped); guards scripts and imports.
            raise ValidationError(f"{record._meta.verbose_name} belongs to another student.")


def _save_record(record, *related) -> None:
    """Validate and save one of a student's records, then announce the change once. `related`
    are the records it points to, which must be the same student's."""
    _check_owner(record.owner_id, *related)
    record.full_clean()
    record.save()
    records_changed(owner_id=record.owner_id)


def institution_get_or_create(
    *, owner, name: str, city: str = "", state: str = "", setting: str = ""
) -> Institution | None:
    """The student's institution called `name`, created if new; details fill blanks only."""
    name = (name or "").strip()
    if not name:
        return None
    institution = Institution.objects.filter(owner=owner, name__iexact=name).first()
    if institution is None:
        institution = Institution(owner=owner, name=name, city=city, state=state, setting=setting)
        # Unique (owner, name) is the database's job: checking it here would only race.
        institution.full_clean(validate_constraints=False)
        try:
            # A savepoint, so a concurrent create of the same name does not break the caller's
            # transaction: the loser reads the winner's row instead of answering a 500.
            with transaction.atomic():
                institution.save()
        except IntegrityError:
            institution = Institution.objects.filter(owner=owner, name__iexact=name).first()
            if institution is None:
                raise
            return institution
        records_changed(owner_id=owner.pk)
        return institution
    changed = False
    for field, value in (("city", city), ("state", state), ("setting", setting)):
        if value and not getattr(institution, field):
            setattr(institution, field, value)
            changed = True
    if changed:
        institution.full_clean()
        institution.save()
        records_changed(owner_id=owner.pk)
    return institution


def contact_create(*, owner, name: str, **fields) -> Contact:
    contact = Contact(owner=owner, name=name.strip(), **fields)
    _save_record(contact, contact.institution)
    return contact


def contact_update(*, contact: Contact, **fields) -> Contact:
    for field, value in fields.items():
        setattr(contact, field, value)
    _save_record(contact, contact.institution)
    return contact


def contact_archive(*, contact: Contact, archived: bool = True, announce: bool = True) -> Contact:
    contact.archived = archived
    contact.save(update_fields=["archived", "updated_at"])
    if announce:
        records_changed(owner_id=contact.owner_id)
    return contact


def contact_delete(*, contact: Contact) -> None:
    """Deletes the contact with its interactions, letters and team places."""
    owner_id = contact.owner_id
    contact.delete()
    records_changed(owner_id=owner_id)


def interaction_create(*, owner, contact: Contact, date: datetime.date, kind: str, **fields):
    _check_owner(owner.pk, contact)
    interaction = Interaction(owner=owner, contact=contact, date=date, kind=kind, **fields)
    # The owner and the contact are rows in hand, checked above: not read again to validate.
    interaction.full_clean(exclude=["owner", "contact"])
    with transaction.atomic():
        interaction.save()
        _note_contact_on(contact, date)
        if contact.archived:
            # Talking to someone again brings them back from the archive.
            contact_archive(contact=contact, archived=False, announce=False)
        # With the interaction, the engine closes the nudges it answers.
        records_changed(owner_id=owner.pk, interaction=interaction, since=owner.records_changed_at)
    return interaction


def interaction_update(*, interaction: Interaction, **fields) -> Interaction:
    contact_before = interaction.contact_id
    for field, value in fields.items():
        setattr(interaction, field, value)
    _check_owner(interaction.owner_id, interaction.contact)
    interaction.full_clean()
    with transaction.atomic():
        interaction.save()
        contacts_refresh_last_contact(
            owner_id=interaction.owner_id, contact_ids={contact_before, interaction.contact_id}
        )
        records_changed(owner_id=interaction.owner_id)
    return interaction


def _note_contact_on(contact: Contact, date: datetime.date) -> None:
    """A new interaction on `date`: the contact's last contact is the later of the two.

    GREATEST over the stored value (read under the row lock, not from `contact`), so two
    interactions logged at once both count, whichever commits first."""
    Contact.objects.filter(pk=contact.pk).update(
        last_contact_on=Greatest(Coalesce(F("last_contact_on"), Value(date)), Value(date))
    )
    if contact.last_contact_on is None or contact.last_contact_on < date:
        contact.last_contact_on = date


def contacts_refresh_last_contact(*, owner_id: int, contact_ids: Iterable[int]) -> int:
    """Recompute `Contact.last_contact_on` for these contacts of one student from their
    interactions, in one UPDATE; for writers that add, move or delete interactions in bulk
    (an import, a delete). Announces nothing: the caller's own records_changed covers it.
    Returns the number of contacts updated."""
    ids = [pk for pk in set(contact_ids) if pk is not None]
    if not ids:
        return 0
    latest = (
        Interaction.objects.filter(contact=OuterRef("pk"))
        .values("contact")
        .annotate(latest=Max("date"))
        .values("latest")
    )
    return Contact.objects.filter(owner_id=owner_id, pk__in=ids).update(
        last_contact_on=Subquery(latest)
    )


def rotation_create(*, owner, name: str, kind: str, start, end, **fields) -> Rotation:
    rotation = Rotation(owner=owner, name=name.strip(), kind=kind, start=start, end=end, **fields)
    _save_record(rotation, rotation.institution)
    return rotation


def rotation_update(*, rotation: Rotation, **fields) -> Rotation:
    for field, value in fields.items():
        setattr(rotation, field, value)
    _save_record(rotation, rotation.institution)
    return rotation


def team_member_add(*, rotation: Rotation, contact: Contact, weeks_together: int = 1):
    _check_owner(rotation.owner_id, contact)
    member = TeamMember(rotation=rotation, contact=contact, weeks_together=weeks_together)
    member.full_clean()
    member.save()
    records_changed(owner_id=rotation.owner_id)
    return member


def letter_create(*, owner, writer: Contact, **fields) -> LetterRequest:
    letter = LetterRequest(owner=owner, writer=writer, **fields)
    _save_record(letter, writer)
    return letter


def letter_update(*, letter: LetterRequest, **fields) -> LetterRequest:
    for field, value in fields.items():
        setattr(letter, field, value)
    _save_record(letter, letter.writer)
    return letter


def letter_next_status(letter: LetterRequest) -> str | None:
    """The status after this one on the board, or None at the end (or once declined)."""
    if letter.status not in LETTER_FLOW:
        return None
    index = LETTER_FLOW.index(letter.status)
    return LETTER_FLOW[index + 1] if index + 1 < len(LETTER_FLOW) else None


def letter_set_status(*, letter: LetterRequest, status: str, on: datetime.date) -> LetterRequest:
    """Move a letter to `status`, recording `on` as the date of that step (kept if already set).

    Only the moves of vocabulary.LETTER_MOVES are allowed (the next step, or "declined" once
    asked); editing a letter's form may set any status, but the board and scripts move it."""
    if status not in LetterStatus.values:
        raise ValidationError({"status": f'Unknown letter status "{status}".'})
    if status not in LETTER_MOVES[letter.status]:
        raise ValidationError(
            {
                "status": f"A letter that is {LetterStatus(letter.status).label.lower()} "
                f"cannot move to {LetterStatus(status).label.lower()}."
            }
        )
    expected = letter.status
    letter.status = status
    date_field = LETTER_STATUS_DATE_FIELD[status]
    if date_field and getattr(letter, date_field) is None:
        setattr(letter, date_field, on)
    letter.full_clean()
    # Conditional on the status we read: of two moves at once (agreed and declined from two
    # tabs), one wins and the other changes nothing, instead of the last write erasing a step.
    written = ["status", date_field] if date_field else ["status"]
    moved = LetterRequest.objects.filter(pk=letter.pk, status=expected).update(
        **{name: getattr(letter, name) for name in written}
    )
    if not moved:
        letter.refresh_from_db()
        raise LetterMoveConflict(letter, wanted=status)
    records_changed(owner_id=letter.owner_id)
    return letter


class LetterMoveConflict(ValidationError):
    """A letter moved by someone else (another tab, a double tap) since it was read."""

    def __init__(self, letter: LetterRequest, *, wanted: str):
        self.letter = letter
        current = LetterStatus(letter.status).label.lower()
        super().__init__(
            {
                "status": f"This letter was just marked {current} elsewhere, so it was not "
                f"marked {LetterStatus(wanted).label.lower()}. Nothing else changed."
            }
        )


# --- Contacts and interactions (views/people.py, views/interactions.py) ---------------------


def _hold_student(owner) -> None:
    """Take the student's row lock until the transaction ends, so one student's find-or-create
    and keyed quick-logs run one at a time: two taps that arrive together see each other's
    writes instead of both creating. A per-student lock (not a unique name) keeps namesakes
    possible through the contact form, and costs nothing across students."""
    get_user_model().objects.select_for_update().filter(pk=owner.pk).values_list("pk").first()


def interaction_log(
    *,
    owner,
    date: datetime.date,
    kind: str,
    contact: Contact | None = None,
    new_contact_name: str = "",
    new_contact_role: str = "",
    client_key: uuid.UUID | None = None,
    **fields,
) -> Interaction:
    """The quick-log: record an interaction with `contact`, or with the person called
    `new_contact_name` (found by exact name, else created), all or nothing.

    `client_key` is the form's idempotency key: a second post with the same key (a double
    tap, or a phone replaying an offline entry) returns the first interaction and writes
    nothing."""
    with transaction.atomic():
        _hold_student(owner)
        if client_key is not None:
            earlier = Interaction.objects.filter(owner=owner, client_key=client_key).first()
            if earlier is not None:
                return earlier
        if contact is None:
            details = {"role": new_contact_role} if new_contact_role else {}
            contact = contact_find_or_create(owner=owner, name=new_contact_name, **details)
        return interaction_create(
            owner=owner, contact=contact, date=date, kind=kind, client_key=client_key, **fields
        )


def interaction_delete(*, interaction: Interaction) -> None:
    with transaction.atomic():
        interaction.delete()
        contacts_refresh_last_contact(
            owner_id=interaction.owner_id, contact_ids=[interaction.contact_id]
        )
        records_changed(owner_id=interaction.owner_id)


# --- Rotations, teams and letters (views/rotations.py, views/letters.py) ---------------------


def contact_find_or_create(*, owner, name: str, **fields) -> Contact:
    """The student's contact with exactly this name (any case), or a new one with `fields`.

    Typing a name someone already has reuses that person: a duplicate of a mentor splits
    their history in two, which is worse than the rare namesake.
    """
    with transaction.atomic():
        _hold_student(owner)
        existing = Contact.objects.owned_by(owner).filter(name__iexact=name.strip()).first()
        return existing or contact_create(owner=owner, name=name, **fields)


def team_member_join(
    *,
    rotation: Rotation,
    weeks_together: int,
    contact: Contact | None = None,
    new_name: str = "",
    new_role: str = "",
) -> TeamMember:
    """Put `contact` (or a person called `new_name`, created if new) on the rotation's team."""
    with transaction.atomic():
        if contact is None:
            contact = contact_find_or_create(
                owner=rotation.owner,
                name=new_name,
                institution=rotation.institution,
                specialty=rotation.specialty,
                **({"role": new_role} if new_role else {}),
            )
        if rotation.members.filter(contact=contact).exists():
            raise ValidationError(f"{contact.name} is already on the team.")
        try:
            with transaction.atomic():
                return team_member_add(
                    rotation=rotation, contact=contact, weeks_together=weeks_together
                )
        except IntegrityError as error:
            # A double submit can pass the check above; the unique constraint still holds.
            raise ValidationError(f"{contact.name} is already on the team.") from error


def team_member_remove(*, member: TeamMember) -> None:
    """Takes the person off the team; they stay in the student's contacts."""
    owner_id = member.rotation.owner_id
    member.delete()
    records_changed(owner_id=owner_id)


def rotation_delete(*, rotation: Rotation) -> None:
    """Deletes the rotation and its team places; the people stay in the student's contacts."""
    rotation.delete()
    records_changed(owner_id=rotation.owner_id)


def letter_allowed_moves(letter: LetterRequest) -> list[str]:
    """The statuses a letter can move to from the board: the next step, or "declined" once asked."""
    return list(LETTER_MOVES[letter.status])


def letter_delete(*, letter: LetterRequest) -> None:
    letter.delete()
    records_changed(owner_id=letter.owner_id)


# --- Programs and ties (views/programs.py, the contact page) ----------------------------------


def program_create(*, owner, name: str, **fields) -> Program:
    program = Program(owner=owner, name=name.strip(), **fields)
    _save_record(program, program.institution)
    return program


def program_update(*, program: Program, **fields) -> Program:
    for field, value in fields.items():
        setattr(program, field, value.strip() if field == "name" else value)
    _save_record(program, program.institution)
    return program


def program_delete(*, program: Program) -> None:
    """Deletes the program and the ties recorded to it; the people stay."""
    owner_id = program.owner_id
    program.delete()
    records_changed(owner_id=owner_id)


def tie_create(
    *,
    owner,
    contact: Contact,
    kind: str,
    program: Program | None = None,
    institution: Institution | None = None,
    note: str = "",
) -> Tie:
    """Record that `contact` trained at, works at or knows someone at `program` (or at the
    whole `institution`, which ties them to its programs). The same tie twice is refused."""
    _check_owner(owner.pk, contact, program, institution)
    tie = Tie(
        owner=owner,
        contact=contact,
        kind=kind,
        program=program,
        institution=institution,
        note=note.strip(),
    )
    tie.full_clean()
    try:
        # A savepoint: a double submit can pass full_clean; the unique constraint still holds.
        with transaction.atomic():
            tie.save()
    except IntegrityError as error:
        raise ValidationError("This tie is already recorded.") from error
    records_changed(owner_id=owner.pk)
    return tie


def tie_delete(*, tie: Tie) -> None:
    owner_id = tie.owner_id
    tie.delete()
    records_changed(owner_id=owner_id)


# --- The Match Week story (reminders' Match Week page) -----------------------------------------

_STORY_FIELDS = ("specialties", "pitch", "scores", "red_flag", "note", "matched_program")


def program_find_or_create(*, owner, name: str) -> Program:
    """The student's program with this name (any case, as the unique constraint has it), or a
    new one."""
    existing = Program.objects.owned_by(owner).filter(name__iexact=name.strip()).first()
    return existing or program_create(owner=owner, name=name)


@transaction.atomic
def match_story_save(
    *, owner, year: int, on: datetime.date, callers: Iterable[Contact] | None = None, **fields
) -> MatchStory:
    """Create or update the student's story for Match `year` (saved `on` that day); `callers`,
    when given, replaces whom they would call (at most three, all their own contacts). Two
    tabs saving at once both land on the one row (unique per student and year)."""
    unknown = set(fields) - set(_STORY_FIELDS)
    if unknown:
        raise TypeError(f"not story fields: {sorted(unknown)}")
    story, _ = MatchStory.objects.select_for_update().get_or_create(owner=owner, year=year)
    for field, value in fields.items():
        setattr(story, field, value.strip() if isinstance(value, str) else value)
    story.saved_on = on
    chosen = list(callers) if callers is not None else None
    if chosen is not None and len(chosen) > MatchStory.CALLERS_MAX:
        raise ValidationError({"callers": "Choose up to three people: two or three is the plan."})
    _save_record(story, story.matched_program, *(chosen or ()))
    if chosen is not None:
        story.callers.set(chosen)
    return story


# --- Red flags (Settings → Red flags): only the student writes them ----------------------------


def red_flag_create(*, owner, kind: str, note: str, shared: bool = False) -> RedFlag:
    red_flag = RedFlag(owner=owner, kind=kind, note=note, shared=shared)
    _save_record(red_flag)
    return red_flag


def red_flag_update(*, red_flag: RedFlag, **fields) -> RedFlag:
    for field, value in fields.items():
        setattr(red_flag, field, value)
    _save_record(red_flag)
    return red_flag


def red_flag_delete(*, red_flag: RedFlag) -> None:
    red_flag.delete()
    records_changed(owner_id=red_flag.owner_id)


@transaction.atomic
def soap_contact_mark(*, owner, year: int, program: Program, contacted: bool = True) -> MatchStory:
    """SOAP: "`program` contacted me" (or, `contacted=False`, take it back). Only a program
    that has contacted the student may be spoken to before SOAP ends (NRMP's rule), so the
    plan names who could speak to it from here on. Marking twice changes nothing."""
    _check_owner(owner.pk, program)
    story, _ = MatchStory.objects.select_for_update().get_or_create(owner=owner, year=year)
    if contacted:
        story.contacted_programs.add(program)
    else:
        story.contacted_programs.remove(program)
    records_changed(owner_id=owner.pk)
    return story
