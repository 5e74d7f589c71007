"""Letters of recommendation, one step at a time: ask early enough, send the materials soon
after a yes, one polite reminder before the due date, and a thank-you once it is in."""

from __future__ import annotations

import datetime

from contacts.vocabulary import LETTER_PURPOSE_WORDS, LetterStatus, Material
from crm.phrases import count_words, days_in_words, short_date
from reminders.engine.conf import EngineConf
from reminders.engine.records import ContactRecord, LetterRecord
from reminders.engine.rules.base import DAY, Context, NudgeSpec, shows
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
        # After the mark it becomes "ask now, or choose another writer", for a few weeks.
        if shows(today, show_from, min(due - DAY, ask_by + step_back)):
            late = today > ask_by
            found.append(
                ctx.spec(
                    NudgeKind.LETTER_ASK,
                    f"letter_ask:{letter.id}",
                    writer,
                    ask_by,
                    letter_ask_reason(letter, writer, ask_by, conf, today),
                    show_from,
                    stakes=85 if late else None,
                )
            )
    remind_on = due - datetime.timedelta(weeks=conf.letter_reminder_weeks) if due else None
    materials_missing = letter.status == LetterStatus.AGREED and letter.materials_sent_on is None
    in_reminder_window = remind_on is not None and shows(today, remind_on, due)
    if materials_missing and not in_reminder_window:
        agreed = letter.agreed_on or letter.asked_on or letter.created_on
        if agreed is not None and (due is None or today < due) and agreed <= today:
            materials_due = agreed + datetime.timedelta(days=conf.letter_materials_days)
            if today <= materials_due + step_back:
                found.append(
                    ctx.spec(
                        NudgeKind.LETTER_MATERIALS,
                        f"letter_materials:{letter.id}",
                        writer,
                        materials_due,
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
