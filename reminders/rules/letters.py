"""Letters of recommendation, one step at a time: ask early enough, send the materials soon
after a yes, one polite reminder before the due date, and a thank-you once it is in."""

from __future__ import annotations

import datetime

from contacts.vocabulary import LETTER_PURPOSE_WORDS, LetterStatus, Material
from crm.phrases import count_words, short_date

from ..conf import EngineConf
from ..records import ContactRecord, LetterRecord
from ..vocabulary import NudgeKind
from .base import Context, NudgeSpec, shows

# The materials a writer needs, as the sentence names them.
_MATERIAL_WORDS = ((Material.CV, "CV"), (Material.PERSONAL_STATEMENT, "personal-statement draft"))
# Still with the writer: one reminder before the due date is welcome.
_WITH_THE_WRITER = (LetterStatus.ASKED, LetterStatus.AGREED, LetterStatus.MATERIALS_SENT)


def letter_ask_reason(
    letter: LetterRecord, writer: ContactRecord, ask_by: datetime.date, conf: EngineConf
) -> str:
    purpose = LETTER_PURPOSE_WORDS.get(letter.purpose, letter.purpose)
    return (
        f"Your {purpose} letter is due {short_date(letter.due)}. Writers need at least "
        f"{count_words(conf.letter_ask_deadline_weeks, 'week')}: asking {writer.name} by "
        f"{short_date(ask_by)} gives them time to write a strong one."
    )


def letter_materials_reason(letter: LetterRecord, writer: ContactRecord, conf: EngineConf) -> str:
    missing = [label for slug, label in _MATERIAL_WORDS if slug not in letter.materials] or [
        "materials"
    ]
    return (
        f"{writer.name} said yes. Sending your {' and '.join(missing)} within "
        f"{count_words(conf.letter_materials_days, 'day')} makes their letter easier to write "
        "(and shows you are organised)."
    )


def letter_reminder_reason(letter: LetterRecord, writer: ContactRecord, conf: EngineConf) -> str:
    return (
        f"{writer.name}'s letter is due {short_date(letter.due)}. One polite reminder "
        f"{count_words(conf.letter_reminder_weeks, 'week')} ahead is welcome; one is enough."
    )


def letter_thanks_reason(writer: ContactRecord) -> str:
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
    """What this letter asks of the student on `ctx.today`: one message at a time."""
    conf, today = ctx.conf, ctx.today
    due = letter.due
    found = []
    if letter.status == LetterStatus.CONSIDERING and due is not None:
        show_from = due - datetime.timedelta(weeks=conf.letter_ask_weeks)
        ask_by = due - datetime.timedelta(weeks=conf.letter_ask_deadline_weeks)
        if shows(today, show_from, due):
            found.append(
                ctx.spec(
                    NudgeKind.LETTER_ASK,
                    f"letter_ask:{letter.id}",
                    writer,
                    ask_by,
                    letter_ask_reason(letter, writer, ask_by, conf),
                    show_from,
                )
            )
    if letter.status == LetterStatus.AGREED and letter.materials_sent_on is None:
        agreed = letter.agreed_on or letter.asked_on or letter.created_on
        if agreed is not None and shows(today, agreed, due):
            found.append(
                ctx.spec(
                    NudgeKind.LETTER_MATERIALS,
                    f"letter_materials:{letter.id}",
                    writer,
                    agreed + datetime.timedelta(days=conf.letter_materials_days),
                    letter_materials_reason(letter, writer, conf),
                    agreed,
                )
            )
            return found  # one message at a time: the reminder can wait for the materials
    if letter.status in _WITH_THE_WRITER and due:
        remind_on = due - datetime.timedelta(weeks=conf.letter_reminder_weeks)
        until = due + datetime.timedelta(days=conf.letter_reminder_grace_days)
        if shows(today, remind_on, until):
            found.append(
                ctx.spec(
                    NudgeKind.LETTER_REMINDER,
                    f"letter_reminder:{letter.id}",
                    writer,
                    remind_on,
                    letter_reminder_reason(letter, writer, conf),
                    remind_on,
                )
            )
    if letter.status == LetterStatus.SUBMITTED:
        submitted = letter.submitted_on or letter.due or letter.created_on
        if submitted is not None and submitted <= today:
            found.append(
                ctx.spec(
                    NudgeKind.LETTER_THANKS,
                    f"letter_thanks:{letter.id}",
                    writer,
                    submitted + datetime.timedelta(days=conf.letter_thanks_days),
                    letter_thanks_reason(writer),
                    submitted,
                )
            )
    return found
