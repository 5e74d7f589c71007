"""Letters of recommendation, one step at a time: ask early enough, send the materials soon
after a yes, one polite reminder before the due date, and a thank-you once it is in."""

from __future__ import annotations

import datetime
from collections.abc import Mapping

from contacts.vocabulary import (
    LETTER_PURPOSE_WORDS,
    ROLE_WORDS,
    LetterPurpose,
    LetterStatus,
    Material,
)
from crm.dates import week_end
from crm.phrases import count_words, days_in_words, names_list, short_date
from reminders.engine.conf import EngineConf
from reminders.engine.cycle import MatchCalendar
from reminders.engine.records import ContactRecord, LetterRecord
from reminders.engine.red_flags import home_program_leaders, tell_reason
from reminders.engine.rules.base import DAY, Context, NudgeSpec, shows
from reminders.engine.scoring import ContactScore, can_advocate, strongest_evidence
from reminders.vocabulary import NudgeKind

# The materials a writer needs, as the sentence names them.
_MATERIAL_WORDS = ((Material.CV, "CV"), (Material.PERSONAL_STATEMENT, "personal-statement draft"))
# Still with the writer: one reminder before the due date is welcome.
_WITH_THE_WRITER = (LetterStatus.ASKED, LetterStatus.AGREED, LetterStatus.MATERIALS_SENT)


def letter_ask_reason(
    letter: LetterRecord,
    writer: ContactRecord,
    ask_by: datetime.date,
    conf: EngineConf,
    today: datetime.date | None = None,
) -> str:
    purpose = LETTER_PURPOSE_WORDS.get(letter.purpose, letter.purpose)
    weeks = count_words(conf.letter_ask_deadline_weeks, "week")
    if today is not None and today > ask_by:
        # Past the mark: still true, and still something to do now.
        return (
            f"Your {purpose} letter is due {short_date(letter.due)}, less than {weeks} away. "
            f"Ask {writer.name} this week, saying when it is due, or choose another writer who "
            "knows your work."
        )
    return (
        f"Your {purpose} letter is due {short_date(letter.due)}. Writers need at least "
        f"{weeks}: asking {writer.name} by {short_date(ask_by)} gives them time to write a "
        "strong one."
    )


def _missing(letter: LetterRecord) -> list[str]:
    return [label for slug, label in _MATERIAL_WORDS if slug not in letter.materials] or [
        "materials"
    ]


def letter_materials_reason(
    letter: LetterRecord, writer: ContactRecord, conf: EngineConf, *, late: bool = False
) -> str:
    missing = " and ".join(_missing(letter))
    if late:
        return (
            f"{writer.name} agreed to write your letter. Send your {missing} today: it makes "
            "their letter easier to write (and shows you are organised)."
        )
    return (
        f"{writer.name} said yes. Sending your {missing} within "
        f"{count_words(conf.letter_materials_days, 'day')} makes their letter easier to write "
        "(and shows you are organised)."
    )


def letter_reminder_reason(
    letter: LetterRecord,
    writer: ContactRecord,
    conf: EngineConf,
    *,
    materials_missing: bool = False,
    today: datetime.date | None = None,
) -> str:
    if materials_missing:
        return (
            f"{writer.name}'s letter is due {short_date(letter.due)} and they don't have your "
            f"{' and '.join(_missing(letter))} yet. Send them today with one polite note "
            "about the date; one is enough."
        )
    remind_on = letter.due - datetime.timedelta(weeks=conf.letter_reminder_weeks)
    if today is not None and (today - remind_on).days >= _FIRST_DAYS_OF_THE_REMINDER:
        # Later in the window "two weeks ahead" is no longer true: say when it is due.
        left = (letter.due - today).days
        when = "today" if left == 0 else f"in {days_in_words(left)}"
        return (
            f"{writer.name}'s letter is due {short_date(letter.due)}, {when}. One polite "
            "reminder now is welcome; one is enough."
        )
    return (
        f"{writer.name}'s letter is due {short_date(letter.due)}. One polite reminder "
        f"{count_words(conf.letter_reminder_weeks, 'week')} ahead is welcome; one is enough."
    )


# The reminder's "two weeks ahead" is true for its first few days.
_FIRST_DAYS_OF_THE_REMINDER = 4


def letter_check_reason(letter: LetterRecord, writer: ContactRecord) -> str:
    return (
        f"The deadline for {writer.name}'s letter has passed ({short_date(letter.due)}). If it "
        "went in, mark it submitted so you can thank them; if not, ask the program whether it "
        "can still arrive, and line up another writer if it can't."
    )


def letter_thanks_reason(writer: ContactRecord, *, late: bool = False) -> str:
    if late:
        return (
            f"{writer.name} submitted your letter. A heartfelt thank-you is still worth "
            "sending this week; news of your Match later closes the loop."
        )
    return (
        f"{writer.name} submitted your letter. A heartfelt thank-you now, and news "
        "of your Match later, closes the loop."
    )


def _held(natural_due: datetime.date, today: datetime.date) -> datetime.date:
    """A step of a letter with a deadline: past its own date it is due today (never retired by
    the step-back, never shown as a day gone)."""
    return max(natural_due, today)


def letter_answer_reason(
    letter: LetterRecord,
    writer: ContactRecord,
    asked: datetime.date,
    answer_by: datetime.date,
    today: datetime.date,
) -> str:
    if today >= answer_by:
        return (
            f"{writer.name} hasn't said yes since you asked on {short_date(asked)}, and the "
            f"letter is due {short_date(letter.due)}. A short, friendly note this week; if "
            "still nothing, choose another writer who knows your work."
        )
    return (
        f"You asked {writer.name} on {short_date(asked)} (due {short_date(letter.due)}). "
        f"If there is no yes by {short_date(answer_by)}, one short, friendly note; then "
        "another writer."
    )


def letter_wait_reason(letter: LetterRecord, writer: ContactRecord, remind_on) -> str:
    return (
        f"{writer.name}'s letter is in hand (due {short_date(letter.due)}). Nothing to do "
        f"until one polite reminder around {short_date(remind_on)}."
    )


# --- Who could write a strong letter -----------------------------------------------------------


def _clinical_weeks_in(ctx: Context, contact_id: int, specialty: str) -> int:
    target = specialty.strip().lower()
    weeks = 0
    for rotation, count in ctx.index.teams.get(contact_id, ()):
        if rotation.start > ctx.today or rotation.kind == "research":
            continue
        named = rotation.specialty.strip().lower()
        if not target or (named and (target in named or named in target)):
            weeks += count
    return weeks


def writer_is_strong(score: ContactScore, ctx: Context, letter: LetterRecord | None = None) -> bool:
    """Seed 003: a strong letter comes from someone who knows the work in detail. Would vouch,
    deep enough, or weeks together on a clinical team in the specialty."""
    conf = ctx.conf
    if score.contact.would_vouch or round(score.depth.raw) >= conf.letter_strong_min_depth:
        return True
    specialty = _letter_specialty(ctx, letter)
    return _clinical_weeks_in(ctx, score.contact.id, specialty) >= conf.worked_closely_weeks


def _letter_specialty(ctx: Context, letter: LetterRecord | None) -> str:
    targets = ctx.records.target_specialties
    return targets[0] if targets else ""


def weak_writer_reason(letter: LetterRecord, score: ContactScore, ctx: Context) -> str:
    """Named only as weak: never "ask this week" (the words read no one else's record, so a
    live refresh of this writer says the same as the full evaluation)."""
    return (
        f"Your {LETTER_PURPOSE_WORDS.get(letter.purpose, letter.purpose)} letter is due "
        f"{short_date(letter.due)}. {score.contact.name} knows you from "
        f'{strongest_evidence(score)}: a letter from them may read generic ("performed '
        'adequately"). An attending who worked with you for weeks, on a sub-I, would be '
        "stronger: choose the writer who knows your work best."
    )


# Who writes letters: faculty and above (a resident's letter carries little weight).
_WRITER_MIN_INFLUENCE = "faculty"


def _writers(ctx: Context, scores: Mapping[int, ContactScore]) -> list[ContactScore]:
    """Everyone who could write, strongest first: would vouch, then depth, then influence."""
    floor = ctx.conf.influence.get(_WRITER_MIN_INFLUENCE, 70)
    found = [
        score
        for score in scores.values()
        if not score.contact.archived
        and can_advocate(score.contact, ctx.conf)
        and ctx.conf.influence.get(score.contact.role, 0) >= floor
        and score.tier != "dormant"
    ]
    return sorted(
        found,
        key=lambda s: (
            not writer_is_strong(s, ctx),
            not s.contact.would_vouch,
            -s.depth.raw,
            -s.influence.base,
            s.contact.name,
            s.contact.id,
        ),
    )


def letters_plan(ctx: Context, scores: Mapping[int, ContactScore]) -> list[NudgeSpec]:
    """Once a month (the monthly moment), from `letters_plan_months_before` applications open
    until programs receive them, while fewer residency letters are agreed than needed: how many,
    and who could write a strong one, with why; a weak candidate only as weak."""
    cal, conf, today = ctx.calendar, ctx.conf, ctx.today
    if cal is None:
        return []
    start = _plan_start(cal, conf)
    month = today.replace(day=1)
    if (
        not (start <= today < cal.programs_receive)
        or (today - month).days >= conf.monthly_show_days
    ):
        return []
    purpose = LetterPurpose.RESIDENCY
    needed = int(conf.letters_needed.get(purpose, 3))
    wanted = int(conf.letters_wanted.get(purpose, needed))
    # From the whole network's scores (a live refresh holds only some letters): a writer who
    # agreed or wrote carries it in their depth's letter part.
    agreed = {cid for cid, score in scores.items() if score.depth.part("letter").facts[0]}
    writers = _writers(ctx, scores)
    if len(agreed) >= needed or not writers:
        return []  # enough, or nobody yet who could write (the invest line speaks then)
    return [
        ctx.reflection(
            NudgeKind.LETTER_ASK,
            f"letter_ask:plan:{month:%Y-%m}",
            month,
            letters_plan_reason(ctx, writers, needed, wanted, agreed),
            stakes=30,
        )
    ]


def letters_plan_reason(
    ctx: Context, writers: list[ContactScore], needed: int, wanted: int, agreed: set[int]
) -> str:
    span = f"{needed}\u2013{wanted}" if wanted > needed else str(needed)
    line = f"Letters: {len(agreed)} of {span} residency letters agreed."
    for specialty in ctx.records.target_specialties:
        note = ctx.conf.letters_specialty_notes.get(specialty.strip().lower())
        if note:
            line += f" Note: {note}."
    candidates = [s for s in writers if s.contact.id not in agreed]
    strong = [s for s in candidates if writer_is_strong(s, ctx)][: max(1, needed - len(agreed))]
    # A writer with a letter of their own is named weak by that letter's line: not twice.
    weak = [s for s in candidates if not writer_is_strong(s, ctx) and not s.letters]
    if strong:
        names = names_list(
            [
                f"{s.contact.name} ({ROLE_WORDS.get(s.contact.role, s.contact.role)}: "
                f"{'would vouch for you; ' if s.contact.would_vouch else ''}"
                f"{strongest_evidence(s)})"
                for s in strong
            ]
        )
        line += f" Who could write a strong one: {names}."
    else:
        line += (
            " Nobody knows your work closely enough for a strong letter yet: on your next "
            "clinical rotation in your specialty, work closely with one attending and ask for "
            "feedback at the midpoint."
        )
    if weak:
        w = weak[0]
        evidence = strongest_evidence(w)
        knows = (
            f"{w.contact.name} has not seen your work yet"
            if evidence == "you have met"
            else f"{w.contact.name} knows you from {evidence}"
        )
        line += (
            f" {knows}: a letter from them may read generic; a sub-I attending would be stronger."
        )
    return line


def letters_plan_days(
    cal: MatchCalendar | None, conf: EngineConf, first: datetime.date, last: datetime.date
) -> set[datetime.date]:
    """When a month's letters plan may first show over [first, last]: the first of a month,
    and the first day of the plan's season; else only when who could write changes (a writer
    going dormant: the caller knows those days). Read by the look-ahead
    (reminders.engine.horizon)."""
    if cal is None:
        return set()
    start = _plan_start(cal, conf)
    days = {start} if first <= start <= last else set()
    month = first.replace(day=1)
    while month <= last:
        if month >= first:
            days.add(month)
        month = (month + datetime.timedelta(days=31)).replace(day=1)
    return days


def _plan_start(cal: MatchCalendar, conf: EngineConf) -> datetime.date:
    """The plan's first day: the first of the month `letters_plan_months_before` applications
    open."""
    opens = cal.applications_open
    start_month = (opens.year * 12 + opens.month - 1) - conf.letters_plan_months_before
    return datetime.date(start_month // 12, start_month % 12 + 1, 1)


def red_flag_show_from(
    cal: MatchCalendar, conf: EngineConf, letters: list[LetterRecord]
) -> datetime.date:
    """The first day the red-flag line shows: from the ask window of the earliest letter, or
    the spring before applications."""
    starts = [
        letter.due - datetime.timedelta(weeks=conf.letter_ask_weeks)
        for letter in letters
        if letter.due is not None
    ]
    return min(starts + [cal.applications_open - datetime.timedelta(days=61)])


def tell_about_red_flags(ctx: Context, scores: Mapping[int, ContactScore]) -> list[NudgeSpec]:
    """Before letters are asked (from the ask window of the earliest letter, or the spring
    before applications), once: tell each writer and the home PD, naming them. It reads every
    writer and leader from the whole network's `scores` (their letters ride with the score),
    never from `ctx.records`, which a live refresh fills with only some contacts."""
    records, cal, conf, today = ctx.records, ctx.calendar, ctx.conf, ctx.today
    if not records.red_flags or cal is None:
        return []
    people = sorted(scores.values(), key=lambda s: s.contact.id)
    letters = [letter for s in people for letter in s.letters]
    show_from = red_flag_show_from(cal, conf, letters)
    if not shows(today, show_from, show_from + datetime.timedelta(days=conf.step_back_days)):
        return []
    by_letter = sorted(letters, key=lambda letter: letter.id)
    names = {s.contact.id: s.contact.name for s in people}
    writers = [names[x.writer_id] for x in by_letter if x.writer_id in names]
    leaders = [c.name for c in home_program_leaders((s.contact for s in people), records.school)]
    return [
        ctx.spec(
            NudgeKind.LETTER_ASK,
            f"letter_ask:red_flag:{cal.year}",
            None,
            show_from + datetime.timedelta(days=conf.lookahead_days),
            tell_reason(records.red_flags, writers, leaders),
            show_from,
            stakes=72,
        )
    ]


def letters(ctx: Context) -> list[NudgeSpec]:
    found = []
    for letter in ctx.records.letters:
        score = ctx.scores.get(letter.writer_id)
        if score is None:
            continue
        found += _letter_steps(ctx, letter, score.contact)
    return found


def _letter_steps(ctx: Context, letter: LetterRecord, writer: ContactRecord) -> list[NudgeSpec]:
    """What this letter asks of the student on `ctx.today`: one message at a time, each
    ending when its moment does (nothing about a letter shows after its due date but the one
    "has it gone in?" check)."""
    conf, today = ctx.conf, ctx.today
    due = letter.due
    step_back = datetime.timedelta(days=conf.step_back_days)
    found = []
    if letter.status == LetterStatus.CONSIDERING and due is not None:
        show_from = due - datetime.timedelta(weeks=conf.letter_ask_weeks)
        ask_by = due - datetime.timedelta(weeks=conf.letter_ask_deadline_weeks)
        # A letter with a due date is never silent before it (issue 19): after the mark it is
        # "ask now, or choose another writer" every week until the due date; the step-back is
        # for items without a deadline.
        if shows(today, show_from, due - DAY):
            late = today > ask_by
            score = ctx.scores[writer.id]
            weak = not writer_is_strong(score, ctx, letter)
            reason = (
                weak_writer_reason(letter, score, ctx)
                if weak
                else letter_ask_reason(letter, writer, ask_by, conf, today)
            )
            found.append(
                ctx.spec(
                    NudgeKind.LETTER_ASK,
                    f"letter_ask:{letter.id}",
                    writer,
                    _held(ask_by, today),
                    reason,
                    show_from,
                    stakes=(85 if late else None) if not weak else 60,
                )
            )
    if letter.status == LetterStatus.ASKED and due is not None and letter.agreed_on is None:
        remind_on = due - datetime.timedelta(weeks=conf.letter_reminder_weeks)
        asked = letter.asked_on or letter.created_on
        if asked is not None and asked <= today < remind_on:
            answer_by = asked + datetime.timedelta(days=conf.letter_answer_days)
            found.append(
                ctx.spec(
                    NudgeKind.LETTER_ASK,
                    f"letter_answer:{letter.id}",
                    writer,
                    _held(min(answer_by, remind_on - DAY), today),
                    letter_answer_reason(letter, writer, asked, answer_by, today),
                    asked,
                    stakes=75 if today >= answer_by else 45,
                )
            )
            return found
    remind_on = due - datetime.timedelta(weeks=conf.letter_reminder_weeks) if due else None
    materials_missing = letter.status == LetterStatus.AGREED and letter.materials_sent_on is None
    in_reminder_window = remind_on is not None and shows(today, remind_on, due)
    if materials_missing and not in_reminder_window:
        agreed = letter.agreed_on or letter.asked_on or letter.created_on
        if agreed is not None and (due is None or today < due) and agreed <= today:
            materials_due = agreed + datetime.timedelta(days=conf.letter_materials_days)
            # With a due date it holds until the reminder carries it: never silent.
            if due is not None or today <= materials_due + step_back:
                found.append(
                    ctx.spec(
                        NudgeKind.LETTER_MATERIALS,
                        f"letter_materials:{letter.id}",
                        writer,
                        _held(materials_due, today) if due is not None else materials_due,
                        letter_materials_reason(
                            letter, writer, conf, late=ctx.is_late(materials_due)
                        ),
                        agreed,
                    )
                )
            return found  # one message at a time: the reminder can wait for the materials
    if letter.status in _WITH_THE_WRITER and due:
        if in_reminder_window:
            # Two weeks out, missing materials or not: the reminder carries them.
            found.append(
                ctx.spec(
                    NudgeKind.LETTER_REMINDER,
                    f"letter_reminder:{letter.id}",
                    writer,
                    remind_on,
                    letter_reminder_reason(
                        letter, writer, conf, materials_missing=materials_missing, today=today
                    ),
                    remind_on,
                )
            )
        elif today < remind_on and today >= due - datetime.timedelta(weeks=conf.letter_ask_weeks):
            # With the writer, before the reminder: the one true line is that it is in hand.
            found.append(
                ctx.spec(
                    NudgeKind.LETTER_REMINDER,
                    f"letter_wait:{letter.id}",
                    writer,
                    min(week_end(today), remind_on - DAY),
                    letter_wait_reason(letter, writer, remind_on),
                    today,
                    stakes=20,
                )
            )
        elif due < today <= due + step_back:
            found.append(
                ctx.spec(
                    NudgeKind.LETTER_REMINDER,
                    f"letter_check:{letter.id}",
                    writer,
                    today,
                    letter_check_reason(letter, writer),
                    due,
                    stakes=70,
                )
            )
    if letter.status == LetterStatus.SUBMITTED:
        submitted = letter.submitted_on or letter.due or letter.created_on
        if submitted is not None and submitted <= today:
            thanks_due = submitted + datetime.timedelta(days=conf.letter_thanks_days)
            # Left alone it steps back; the thanks after Match Day is its next moment.
            if today <= thanks_due + step_back:
                found.append(
                    ctx.spec(
                        NudgeKind.LETTER_THANKS,
                        f"letter_thanks:{letter.id}",
                        writer,
                        thanks_due,
                        letter_thanks_reason(writer, late=ctx.is_late(thanks_due)),
                        submitted,
                    )
                )
    return found


def letter_days(
    letter: LetterRecord, conf: EngineConf, today: datetime.date
) -> tuple[set[datetime.date], set[datetime.date]]:
    """The days after `today` on which a step of this letter may start, and stop, with nothing
    logged after `today` and its status as it stands (as `_letter_steps` takes them: each
    step's window, and the step back where one has no deadline to hold it). The waiting line
    names the day itself as its occasion: it starts afresh the day after `today`. Read by the
    look-ahead (reminders.engine.horizon)."""
    status, due = letter.status, letter.due
    step_back = datetime.timedelta(days=conf.step_back_days)
    one = datetime.timedelta(days=1)
    starts: set[datetime.date] = set()
    stops: set[datetime.date] = set()
    remind_on = due - datetime.timedelta(weeks=conf.letter_reminder_weeks) if due else None
    if status == LetterStatus.CONSIDERING and due is not None:
        starts.add(due - datetime.timedelta(weeks=conf.letter_ask_weeks))
        stops.add(due)
    if status == LetterStatus.ASKED and due is not None and letter.agreed_on is None:
        asked = letter.asked_on or letter.created_on
        if asked is not None:  # the answer's window, which holds the others back
            starts |= {asked, remind_on}
            stops |= {asked, remind_on}
    if status == LetterStatus.AGREED and letter.materials_sent_on is None:
        agreed = letter.agreed_on or letter.asked_on or letter.created_on
        if agreed is not None:
            starts.add(agreed)
            if due is None:  # nothing holds it past its step back
                materials_due = agreed + datetime.timedelta(days=conf.letter_materials_days)
                stops.add(materials_due + step_back + one)
            else:  # until the reminder carries it, or the due date
                stops |= {remind_on, due}
    if status in _WITH_THE_WRITER and due:
        wait_from = due - datetime.timedelta(weeks=conf.letter_ask_weeks)
        starts |= {wait_from, remind_on, due + one}
        stops |= {remind_on, remind_on + step_back + one, due + one, due + step_back + one}
        if wait_from <= today + one < remind_on:
            starts.add(today + one)
    if status == LetterStatus.SUBMITTED:
        submitted = letter.submitted_on or letter.due or letter.created_on
        if submitted is not None:
            starts.add(submitted)
            thanks_due = submitted + datetime.timedelta(days=conf.letter_thanks_days)
            stops.add(thanks_due + step_back + one)
    return {day for day in starts if day > today}, {day for day in stops if day > today}
