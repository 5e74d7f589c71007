"""What the weekly email says, as plain data: `digest_content(student, today)`.

No clock reads and no links in the content: it is a function of the student's records and
`today`, so the preview page, the sender and the tests all see the same thing. Links are minted
per email by `render_digest` (below), because each email carries its own one-use tokens.

It covers what falls due before the student's next email (`next_send_on`): the stored nudges
due by then, ranked, grouped and capped as on This week (reminders.engine.week), and what the engine
will only ask on a later day of that stretch (`_later`: reminders.engine.horizon, one evaluation
for the whole stretch, from the same records), said now so it is not missed.

Nine queries whatever the size of the student's network, and nine for a whole batch of
students (`digest_contents`, what the sender uses): the engine's records (six, through
reminders.evaluation.loader.load_records, evaluated once by reminders.engine.horizon), this
week's nudges as the "This week" page shows them, the letters due soon, and the advisors' open
recommendations (reminders.email.notes.notes_for: the advisors app registers its source, one
query). The sender passes its refresh's records and evaluation: then none are read again and
the engine is not asked twice.
"""

from __future__ import annotations

import dataclasses
import datetime
import re
from collections import defaultdict
from collections.abc import Mapping, Sequence

from django.conf import settings
from django.template.loader import render_to_string

from contacts.models import LetterRequest
from contacts.vocabulary import LETTER_DONE, LetterPurpose, LetterStatus
from crm.dates import week_start
from crm.models import User
from crm.phrases import names_list, plural, short_date
from reminders.email import links
from reminders.email.notes import Note, notes_for
from reminders.engine import week
from reminders.engine.conf import get_conf
from reminders.engine.cycle import Phase
from reminders.engine.horizon import Ahead, horizon
from reminders.engine.kinds import THINGS, spec_for
from reminders.engine.rules import Progress
from reminders.evaluation.loader import load_records
from reminders.models import Nudge, NudgeKind

WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]

SMALL_ACTION_TITLE = "If you have ten minutes"


@dataclasses.dataclass(frozen=True)
class DigestItem:
    """One nudge as the email shows it; `nudge_id` is what its one-click links act on."""

    nudge_id: int
    kind: str
    title: str  # "Thank-you · Dr. Rao"
    reason: str
    due: datetime.date
    due_label: str  # "Today", "By Thu, Sep 11": what to do now, never "was due"
    name: str = ""  # the contact's name, for a group's Done per person


@dataclasses.dataclass(frozen=True)
class DigestLine:
    """One line of the week (reminders.engine.week): a nudge, or a group of same-kind nudges as one
    sentence with one-click links per person (`people`)."""

    kind: str
    title: str
    sentence: str
    due_label: str
    people: tuple[DigestItem, ...]

    @property
    def is_group(self) -> bool:
        return len(self.people) > 1


@dataclasses.dataclass(frozen=True)
class LaterLine:
    """Something the engine will ask before the next email, though not yet today (a rotation's
    midpoint on Friday, a letter's reminder on Wednesday): said now, so it is not missed.
    No links: there is nothing to mark done yet."""

    kind: str
    title: str
    reason: str
    from_label: str  # "From Wed, Sep 8"
    stakes: int = 50


@dataclasses.dataclass(frozen=True)
class LetterLine:
    letter_id: int
    writer: str
    what: str  # "Residency application letter, agreed"
    due: datetime.date
    due_label: str  # "Due Sep 15, in 9 days"
    path: str  # the letter's page, relative to the site


@dataclasses.dataclass(frozen=True)
class RecommendationLine:
    text: str
    advisor: str


@dataclasses.dataclass(frozen=True)
class DigestContent:
    first_name: str
    greeting: str  # "Good morning, Ada."
    today: datetime.date
    week_of: str  # "Week of Sep 8"
    subject: str
    summary: str  # the first sentence, also the inbox preview text
    lines: tuple[DigestLine, ...]  # at most week_items_max, most at stake first
    more: tuple[DigestLine | LaterLine, ...]  # the rest: named, to do from This week
    later: tuple[LaterLine, ...]  # what comes due before the next email, from a later day
    small_action: DigestItem | None
    covers_until: datetime.date  # the day before the next weekly email
    letters: tuple[LetterLine, ...]
    letter_days: int
    advocates: int
    goal_min: int
    goal_max: int
    progress_headline: str  # "2 of 3–5 deep advocates"
    progress_next_step: str
    phase_label: str
    phase_advice: str
    recommendations: tuple[RecommendationLine, ...]
    schedule: str  # "Mondays at 07:00, America/Chicago time"

    @property
    def items(self) -> tuple[DigestItem, ...]:
        """Every item with one-click links, in the order the email shows them."""
        people = tuple(item for line in self.lines for item in line.people)
        return people + ((self.small_action,) if self.small_action else ())

    @property
    def is_quiet(self) -> bool:
        return not (self.lines or self.later or self.letters)

    @property
    def advocate_dots(self) -> list[bool]:
        """One dot per place in the 3–5 goal, filled for each advocate (capped at the top)."""
        return [index < self.advocates for index in range(self.goal_max)]


# --- Words -------------------------------------------------------------------------------------


def _counted(count: int, nouns: tuple[str, str]) -> str:
    return plural(count, nouns[0], nouns[1])


def _in_days(days: int) -> str:
    if days == 0:
        return "today"
    if days == 1:
        return "tomorrow"
    return f"in {days} days"


def due_label(due: datetime.date, today: datetime.date) -> str:
    """When to do it, said as what to do now: never "overdue" or "was due"."""
    if due <= today:
        return "Today"
    return f"By {due:%a}, {short_date(due)}"


def next_send_on(student: User, today: datetime.date) -> datetime.date:
    """The day of the student's next weekly email after `today` (their chosen weekday)."""
    days = (student.digest_weekday - today.weekday()) % 7 or 7
    return today + datetime.timedelta(days=days)


def greeting(student: User) -> str:
    hour = student.digest_hour
    part = "morning" if hour < 12 else "afternoon" if hour < 17 else "evening"
    name = first_name(student)
    return f"Good {part}, {name}." if name else f"Good {part}."


def first_name(student: User) -> str:
    return student.name.split()[0] if student.name.strip() else ""


def schedule_words(student: User) -> str:
    return (
        f"{WEEKDAYS[student.digest_weekday]}s at {student.digest_hour:02d}:00, "
        f"{student.timezone.replace('_', ' ')} time"
    )


def counted(items: tuple[DigestItem, ...] | list[DigestItem], *, kinds: int | None = 2) -> str:
    """ "2 follow-ups", "2 follow-ups and 1 thank-you"; with more than `kinds` kinds, "5
    things" (the subject line stays short; the summary, `kinds=None`, names every kind)."""
    counts: dict[tuple[str, str], int] = {}
    for item in items:
        nouns = spec_for(item.kind).words(about_someone=bool(item.name)).nouns
        counts[nouns] = counts.get(nouns, 0) + 1
    if kinds is not None and len(counts) > kinds:
        return _counted(len(items), THINGS)
    return names_list([_counted(count, nouns) for nouns, count in counts.items()])


def subject_for(
    items: list[DigestItem], letters: tuple[LetterLine, ...], small_action: DigestItem | None
) -> str:
    """Say what is inside: "2 follow-ups this week, letter from Dr. Rao due Sep 15"."""
    parts = []
    if items:
        parts.append(f"{counted(items)} this week")
    if letters:
        first = letters[0]
        letter = f"letter from {first.writer} due {short_date(first.due)}"
        if len(letters) > 1:
            letter += f" (+{len(letters) - 1} more)"
        parts.append(letter)
    if not parts:
        return (
            "Nothing due this week: one small idea inside"
            if small_action
            else "Nothing due this week: your people are in good shape"
        )
    subject = ", ".join(parts)
    return subject[0].upper() + subject[1:]


def summary_for(
    items: list[DigestItem],
    letters: tuple[LetterLine, ...],
    letter_days: int,
    more: int = 0,
) -> str:
    sentences = []
    if items:
        sentences.append(f"This week: {counted(items, kinds=None)}.")
    if more:
        sentences.append(f"{plural(more, 'more thing')} can wait for a quieter day.")
    if letters:
        noun = "letter is" if len(letters) == 1 else "letters are"
        sentences.append(f"{len(letters)} {noun} due in the next {letter_days} days.")
    if not sentences:
        return "Nothing is due this week. Your people are in good shape."
    return " ".join(sentences)


# --- Reads -------------------------------------------------------------------------------------


def _item(nudge: Nudge, today: datetime.date) -> DigestItem:
    small = nudge.kind == NudgeKind.SMALL_ACTION
    # The week's small action is an idea, not a debt: no kind label, no due date.
    words = spec_for(nudge.kind).words(about_someone=bool(nudge.contact_id))
    label = SMALL_ACTION_TITLE if small else words.title
    title = f"{label} · {nudge.contact.name}" if nudge.contact_id else label
    return DigestItem(
        nudge_id=nudge.pk,
        kind=nudge.kind,
        title=title,
        reason=nudge.reason,
        due=nudge.shown_due(today),
        due_label="Any day this week" if small else due_label(nudge.shown_due(today), today),
        name=nudge.contact.name if nudge.contact_id else "",
    )


def _line(item: week.WeekItem, today: datetime.date) -> DigestLine:
    people = tuple(_item(nudge, today) for nudge in item.nudges)
    if not item.is_group:
        only = people[0]
        return DigestLine(only.kind, only.title, only.reason, only.due_label, people)
    return DigestLine(
        kind=item.kind,
        title=spec_for(item.kind).label,
        sentence=item.sentence,
        due_label=due_label(min(nudge.shown_due(today) for nudge in item.nudges), today),
        people=people,
    )


def _later(ahead: tuple[Ahead, ...]) -> tuple[LaterLine, ...]:
    """What the engine will ask from a later day up to the day before the next email (the
    horizon's tasks said ahead, most at stake first): the email cannot wait for the next one
    to say it."""
    lines = []
    for item in ahead:
        spec, day = item.spec, item.day
        label = spec_for(spec.kind).label
        title = f"{label} · {spec.contact_name}" if spec.contact_name else label
        lines.append(
            LaterLine(spec.kind, title, spec.reason, f"From {day:%a}, {short_date(day)}",
                      spec.stakes)
        )  # fmt: skip
    return tuple(lines)


def _letter_line(letter: LetterRequest, today: datetime.date) -> LetterLine:
    purpose = LetterPurpose(letter.purpose).label if letter.purpose else "Letter"
    status = LetterStatus(letter.status).label.lower()
    return LetterLine(
        letter_id=letter.pk,
        writer=letter.writer.name,
        what=f"{purpose} letter, {status}",
        due=letter.due,
        due_label=f"Due {short_date(letter.due)}, {_in_days((letter.due - today).days)}",
        path=letter.get_absolute_url(),
    )


def _recommendation_line(note: Note) -> RecommendationLine:
    return RecommendationLine(text=note.text, advisor=note.author)


# The week's order (week.ORDER: most at stake, soonest, then kind and pk) but for the date: what
# the database sorts by; _in_week_order then sorts by stakes and the date shown on each
# student's own day, keeping this order among equals.
_TIE_ORDER = tuple(field for field in week.ORDER if field != "due")


def _in_week_order(nudges: list[Nudge], today: datetime.date) -> list[Nudge]:
    """Nudges already in _TIE_ORDER, in the week's order on `today` (Nudge.objects.in_week_order,
    for a batch whose students are not all on the same date): a stable sort by the date shown."""
    return sorted(nudges, key=lambda nudge: (-nudge.stakes, nudge.shown_due(today)))


def _before_next_email(nudge: Nudge, today: datetime.date, until: datetime.date) -> bool:
    """Actionable on `today` and due before the next weekly email."""
    return nudge.due <= until and nudge.is_actionable(today)


def digest_contents(
    students: Sequence[User],
    today_by_student: Mapping[int, datetime.date],
    *,
    evaluated: Mapping[int, tuple] | None = None,
) -> dict[int, DigestContent]:
    """The weekly email of each student (by id), each on their own local date, in nine queries
    for the whole batch: the engine's records (six), this week's nudges, the letters due soon
    and the advisors' open recommendations. The sender renders a chunk of emails this way.

    `evaluated` (the sender's refresh just before: each student's records and evaluation on
    the same date) spares loading the records again and evaluating them again: the look ahead
    (reminders.engine.horizon) starts from that evaluation. Without it, each student is
    evaluated once, by the horizon."""
    if not students:
        return {}
    ids = [student.pk for student in students]
    earliest, latest = min(today_by_student.values()), max(today_by_student.values())
    until = {
        student.pk: next_send_on(student, today_by_student[student.pk]) - datetime.timedelta(days=1)
        for student in students
    }
    letter_days = settings.DIGEST_LETTER_DAYS
    conf = get_conf()
    evaluated = {
        pk: answer
        for pk, answer in (evaluated or {}).items()
        if pk in today_by_student and answer[1].today == today_by_student[pk]
    }
    missing = [pk for pk in ids if pk not in evaluated]
    records = {pk: (answer[0], None) for pk, answer in evaluated.items()}
    if missing:
        records.update(load_records(missing))
    nudges: dict[int, list[Nudge]] = defaultdict(list)
    # Every student's week at once, up to the latest next email: narrowed to each below, and
    # put in the week's order on each one's own date (_in_week_order).
    rows = (
        Nudge.objects.filter(owner_id__in=ids)
        .actionable(latest, due_by=max(until.values()))
        .select_related("contact")
        .order_by("owner_id", *_TIE_ORDER)
    )
    for nudge in rows:
        nudges[nudge.owner_id].append(nudge)
    letters: dict[int, list[LetterRequest]] = defaultdict(list)
    rows = (
        LetterRequest.objects.filter(
            owner_id__in=ids,
            due__gte=earliest,
            due__lte=latest + datetime.timedelta(days=letter_days),
        )
        .exclude(status__in=LETTER_DONE)
        .select_related("writer")
        .order_by("owner_id", "due", "pk")
    )
    for letter in rows:
        letters[letter.owner_id].append(letter)
    # The advisors' open recommendations, from the apps above that registered a source.
    advice = {
        student_id: [_recommendation_line(note) for note in notes]
        for student_id, notes in notes_for(ids).items()
    }

    contents = {}
    for student in students:
        today = today_by_student[student.pk]
        # One evaluation per email: the refresh's when the sender passes it, else the horizon's.
        ahead = horizon(
            records[student.pk][0],
            today,
            until[student.pk],
            conf,
            evaluation=evaluated[student.pk][1] if student.pk in evaluated else None,
        )
        evaluation = ahead.evaluation
        last_letter_day = today + datetime.timedelta(days=letter_days)
        contents[student.pk] = _compose(
            student,
            today,
            nudges=_in_week_order(
                [
                    nudge
                    for nudge in nudges[student.pk]
                    if _before_next_email(nudge, today, until[student.pk])
                ],
                today,
            ),
            until=until[student.pk],
            later=_later(ahead.ahead),
            letters=tuple(
                _letter_line(letter, today)
                for letter in letters[student.pk]
                if today <= letter.due <= last_letter_day
            ),
            recommendations=tuple(advice.get(student.pk, ())),
            progress=evaluation.progress,
            phase=evaluation.phase,
        )
    return contents


def digest_content(student: User, today: datetime.date) -> DigestContent:
    """Everything the weekly email says to `student` on their local date `today`. Nine
    queries, whatever the size of the student's network."""
    return digest_contents([student], {student.pk: today})[student.pk]


def _compose(
    student: User,
    today: datetime.date,
    *,
    nudges: list[Nudge],
    until: datetime.date,
    later: tuple[LaterLine, ...],
    letters: tuple[LetterLine, ...],
    recommendations: tuple[RecommendationLine, ...],
    progress: Progress,
    phase: Phase,
) -> DigestContent:
    small_action = None
    tasks = []
    for nudge in nudges:
        if nudge.kind == NudgeKind.SMALL_ACTION:
            # The week's small action stands apart: a suggestion, not a debt. If last week's is
            # still open too, this week's (the latest) wins, as on the "This week" page.
            if small_action is None or nudge.shown_due(today) >= small_action.due:
                small_action = _item(nudge, today)
        else:
            tasks.append(nudge)
    # The same lines as the This week page: ranked, grouped, capped (the small action counts).
    cap = max(0, get_conf().week_items_max - (1 if small_action else 0))
    shown, rest = week.split(week.week_items(tasks), cap)
    lines = tuple(_line(item, today) for item in shown)
    more: tuple[DigestLine | LaterLine, ...] = tuple(_line(item, today) for item in rest)
    # What comes later in the week shares the same few places, after what is asked now.
    room = max(0, cap - len(lines))
    later, more = later[:room], more + later[room:]
    letter_days = settings.DIGEST_LETTER_DAYS
    items = [person for line in lines for person in line.people]
    more_count = sum(len(getattr(line, "people", ())) or 1 for line in more)
    return DigestContent(
        first_name=first_name(student),
        greeting=greeting(student),
        today=today,
        week_of=f"Week of {short_date(week_start(today))}",
        subject=subject_for(items, letters, small_action),
        summary=summary_for(items, letters, letter_days, more_count),
        lines=lines,
        more=more,
        later=later,
        small_action=small_action,
        covers_until=until,
        letters=letters,
        letter_days=letter_days,
        advocates=progress.advocates,
        goal_min=progress.goal_min,
        goal_max=progress.goal_max,
        progress_headline=progress.headline,
        progress_next_step=progress.next_step,
        phase_label=phase.label,
        phase_advice=phase.advice,
        recommendations=recommendations,
        schedule=schedule_words(student),
    )


# --- Rendering: the same words as HTML and as plain text, with this email's links -----------


@dataclasses.dataclass(frozen=True)
class RenderedDigest:
    subject: str
    text: str
    html: str
    unsubscribe_url: str


def render_digest(
    student: User, content: DigestContent, *, nonce: str, subject_prefix: str = ""
) -> RenderedDigest:
    """Both parts of the email, with one-click links minted for this email (`nonce`)."""

    def entry(item: DigestItem) -> dict:
        def url(action: str) -> str:
            return links.action_url(
                student_id=student.pk, nudge_id=item.nudge_id, action=action, nonce=nonce
            )

        return {"item": item, "done_url": url(links.DONE), "snooze_url": url(links.SNOOZE)}

    site = settings.SITE_URL
    unsubscribe_url = links.unsubscribe_url(student)
    context = {
        "c": content,
        "subject": subject_prefix + content.subject,
        "lines": [
            {"line": line, "people": [entry(item) for item in line.people]}
            for line in content.lines
        ],
        "more": content.more,
        "later": content.later,
        "small_action": entry(content.small_action) if content.small_action else None,
        "letters": [{"line": line, "url": site + line.path} for line in content.letters],
        "home_url": site + links.path_to("home"),
        "settings_url": site + links.path_to("settings"),
        "unsubscribe_url": unsubscribe_url,
        "link_days": settings.DIGEST_LINK_MAX_AGE_DAYS,
    }
    return RenderedDigest(
        subject=subject_prefix + content.subject,
        # Template tags leave blank lines behind: keep at most one between paragraphs.
        text=re.sub(r"\n{3,}", "\n\n", render_to_string("reminders/email/digest.txt", context))
        .strip()
        .replace(" \n", "\n")
        + "\n",
        html=render_to_string("reminders/email/digest.html", context),
        unsubscribe_url=unsubscribe_url,
    )
