"""The advisor's class view, pure: why a student needs attention this month (each reason in
words, with the cause that closing it holds against), and the class pictures drawn as SVG
geometry with their table. Plain rows in, plain data out: advisors.selectors.class_view loads
them in a fixed number of queries.
"""

from __future__ import annotations

import dataclasses
import datetime
import hashlib
from collections import Counter
from collections.abc import Iterable, Sequence

from crm.phrases import days_in_months, plural
from reminders.engine.match_week import DID_NOT_MATCH
from reminders.evaluation.loader import student_calendar

# The reasons, in the order a row lists them (FlagClosure.reason holds the code).
FEW_ADVOCATES = "few_advocates"
LETTER_AT_RISK = "letter_at_risk"
QUIET = "quiet"
RED_FLAG = "red_flag"
UNVOUCHED = "unvouched"
NO_PROGRAM_CONTACT = "no_program_contact"
REASON_CODES = (FEW_ADVOCATES, LETTER_AT_RISK, QUIET, RED_FLAG, UNVOUCHED, NO_PROGRAM_CONTACT)

# Advocate counts as the first picture groups them (PRODUCT.md: 3-5 deep advocates).
ADVOCATE_BUCKETS = (("0", 0, 0), ("1–2", 1, 2), ("3–5", 3, 5), ("6 or more", 6, None))


@dataclasses.dataclass(frozen=True)
class Reason:
    code: str
    words: str
    cause: str  # what closing it holds against: a change here brings the reason back


@dataclasses.dataclass(frozen=True)
class Rules:
    goal_min: int  # advocates the goal starts at (3)
    letter_risk_days: int  # settings.ADVISOR_LETTER_RISK_DAYS
    quiet_days: int  # settings.ADVISOR_QUIET_DAYS


def application_year_start(match_year: int) -> datetime.date:
    """September 1 of the application year: programs have the applications by then."""
    return datetime.date(match_year - 1, 9, 1)


def cycle_year(today: datetime.date) -> int:
    """The Match year whose cycle `today` falls in (the Match is in March)."""
    return today.year if today.month <= 3 else today.year + 1


def nearest_year(years: Iterable[int], today: datetime.date) -> int:
    """The Match year closest to the current cycle, the later one on a tie (default filter)."""
    current = cycle_year(today)
    return min(years, key=lambda year: (abs(year - current), -year), default=current)


def _short(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def program_contact_reason(
    student, today: datetime.date, programs_contacted: int | None
) -> Reason | None:
    """In SOAP (Monday to Thursday of the student's own Match Week), a student who did not
    match and whom no program has contacted yet (`programs_contacted`, from their story; None
    when not known): an advisor can help them stay reachable and ready, inside NRMP's rule."""
    if programs_contacted is None or programs_contacted > 0:
        return None
    if student.match_outcome not in DID_NOT_MATCH:
        return None
    cal = student_calendar(student)
    if cal is None or not cal.match_week_start <= today < cal.match_day:
        return None
    return Reason(
        NO_PROGRAM_CONTACT,
        "In SOAP, and no program has contacted them yet",
        f"{cal.year}:{student.match_outcome}",
    )


def reasons_for(
    student,
    standing,
    today: datetime.date,
    rules: Rules,
    programs_contacted: int | None = None,
) -> list[Reason]:
    """Why `student` needs attention this month, from their standing row (None before the
    engine's first answer), profile and, in SOAP, how many programs have contacted them.
    Empty: they don't."""
    reasons = []
    if standing is not None:
        if (
            student.match_year
            and today >= application_year_start(student.match_year)
            and standing.advocates < rules.goal_min
        ):
            reasons.append(
                Reason(
                    FEW_ADVOCATES,
                    f"{plural(standing.advocates, 'advocate')} with applications out "
                    f"(goal {rules.goal_min}+)",
                    str(standing.advocates),
                )
            )
        due = standing.next_letter_due
        if due is not None and (due - today).days <= rules.letter_risk_days:
            writer = f" from {standing.next_letter_writer}" if standing.next_letter_writer else ""
            days = (due - today).days
            when = (
                f"was due {plural(-days, 'day')} ago"
                if days < 0
                else "due today"
                if days == 0
                else f"due in {plural(days, 'day')}"
            )
            reasons.append(
                Reason(
                    LETTER_AT_RISK,
                    f"Letter{writer} {when}, not submitted",
                    f"{due.isoformat()}:{_short(standing.next_letter_writer)}",
                )
            )
    days_known = [
        day
        for day in (
            standing.last_activity if standing is not None else None,
            student.records_changed_at.date() if student.records_changed_at else None,
        )
        if day is not None
    ]
    last = max(days_known) if days_known else None
    if last is None or (today - last).days >= rules.quiet_days:
        words = (
            "Nothing logged yet"
            if last is None
            else f"No activity in {days_in_months((today - last).days)}"
        )
        reasons.append(Reason(QUIET, words, last.isoformat() if last else "-"))
    if standing is not None:
        if standing.red_flags_untold:
            reasons.append(
                Reason(
                    RED_FLAG,
                    "A shared red flag not yet told to letter writers",
                    str(standing.red_flags_untold),
                )
            )
        programs = list(standing.unvouched_programs or ())
        if programs:
            more = (
                f" and {plural(len(programs) - 1, 'more target program')}"
                if len(programs) > 1
                else ""
            )
            reasons.append(
                Reason(
                    UNVOUCHED,
                    f"Nobody can vouch at {programs[0]}{more}",
                    _short("|".join(sorted(programs))),
                )
            )
    match_week = program_contact_reason(student, today, programs_contacted)
    if match_week is not None:
        reasons.append(match_week)
    return reasons


# --- Pictures: bars drawn on the server, each with its table ---------------------------------


@dataclasses.dataclass(frozen=True)
class Bar:
    label: str
    value: float
    text: str  # the value as the table and the bar's label say it
    x: float
    y: float
    width: float
    height: float


@dataclasses.dataclass(frozen=True)
class BarChart:
    title: str
    bars: tuple[Bar, ...]
    width: int
    height: int
    horizontal: bool
    summary: str  # one sentence for screen readers and the caption

    @property
    def is_empty(self) -> bool:
        return not any(bar.value for bar in self.bars)


LABEL_WIDTH = 80
ROW = 30
PLOT = 170


def horizontal_bars(
    title: str, items: Sequence[tuple[str, float, str]], *, summary: str
) -> BarChart:
    """(label, value, text) rows as horizontal bars, longest = the plot's width."""
    top = max((value for _label, value, _text in items), default=0) or 1
    bars = tuple(
        Bar(label, value, text, LABEL_WIDTH, 6 + index * ROW, PLOT * value / top, ROW - 10)
        for index, (label, value, text) in enumerate(items)
    )
    return BarChart(title, bars, LABEL_WIDTH + PLOT + 40, 12 + ROW * len(items), True, summary)


COLUMN = 36
COLUMN_PLOT = 120


def columns(
    title: str, items: Sequence[tuple[str, float | None, str]], *, summary: str
) -> BarChart:
    """(label, percent or None, text) as columns on a 0-100 scale (None: no data that month)."""
    bars = tuple(
        Bar(
            label,
            value or 0,
            text,
            8 + index * COLUMN,
            20 + COLUMN_PLOT - COLUMN_PLOT * (value or 0) / 100,
            COLUMN - 10,
            COLUMN_PLOT * (value or 0) / 100,
        )
        for index, (label, value, text) in enumerate(items)
    )
    return BarChart(title, bars, 16 + COLUMN * max(len(items), 1), COLUMN_PLOT + 46, False, summary)


def advocate_distribution(counts: Iterable[int]) -> BarChart:
    counts = list(counts)
    tally = Counter()
    for count in counts:
        for label, low, high in ADVOCATE_BUCKETS:
            if count >= low and (high is None or count <= high):
                tally[label] += 1
    items = [
        (label, tally[label], plural(tally[label], "student")) for label, _l, _h in ADVOCATE_BUCKETS
    ]
    at_goal = tally["3–5"] + tally["6 or more"]
    return horizontal_bars(
        "Advocates per student",
        items,
        summary=f"{at_goal} of {plural(len(counts), 'student')} counted have 3 or more advocates.",
    )


def letters_distribution(pairs: Iterable[tuple[int, int]]) -> BarChart:
    """(agreed, needed) per student, grouped by how many of the needed letters are agreed."""
    pairs = list(pairs)
    needed = max((n for _a, n in pairs), default=3) or 3
    tally = Counter(min(agreed, needed) for agreed, _n in pairs)
    items = [
        (
            f"{k} of {needed}" if k < needed else f"{needed}+ of {needed}",
            tally[k],
            plural(tally[k], "student"),
        )
        for k in range(needed + 1)
    ]
    agreed = sum(min(a, n) for a, n in pairs)
    wanted = sum(n for _a, n in pairs)
    return horizontal_bars(
        "Letters agreed against needed",
        items,
        summary=f"{agreed} of {wanted} letters needed are agreed; "
        f"{tally[needed]} of {plural(len(pairs), 'student')} have all they need.",
    )


def cycle_months(match_year: int, today: datetime.date) -> list[datetime.date]:
    """The first of each month from June of the application year (applications open) to March
    of the Match year, up to this month."""
    months, month = [], datetime.date(match_year - 1, 6, 1)
    last = min(datetime.date(match_year, 3, 1), today.replace(day=1))
    while month <= last:
        months.append(month)
        month = (month + datetime.timedelta(days=32)).replace(day=1)
    return months


def share_by_month(
    snapshots: Iterable[tuple[int, datetime.date, int]],
    months: Sequence[datetime.date],
    *,
    goal_min: int,
) -> BarChart:
    """The share of the class at `goal_min`+ advocates each month, from each student's last
    weekly snapshot in that month ((student id, week, advocates) rows)."""
    latest: dict[tuple[datetime.date, int], tuple[datetime.date, int]] = {}
    for student_id, week, advocates in snapshots:
        key = (week.replace(day=1), student_id)
        if key not in latest or week > latest[key][0]:
            latest[key] = (week, advocates)
    items = []
    for month in months:
        counts = [adv for (m, _s), (_w, adv) in latest.items() if m == month]
        if counts:
            share = 100 * sum(adv >= goal_min for adv in counts) / len(counts)
            text = f"{share:.0f}% of {len(counts)}"
            items.append((month.strftime("%b"), share, text))
        else:
            items.append((month.strftime("%b"), None, "no data"))
    done = [value for _l, value, _t in items if value is not None]
    summary = (
        f"{done[-1]:.0f}% of the class had {goal_min} or more advocates in the latest month."
        if done
        else "No weekly counts yet this cycle."
    )
    return columns(f"Share at {goal_min}+ advocates, month by month", items, summary=summary)


@dataclasses.dataclass(frozen=True)
class ProgramGap:
    program: str
    students: tuple[str, ...]  # names of the students targeting it with nobody to vouch


def programs_nobody_can_vouch(rows: Iterable[tuple[str, Sequence[str]]]) -> list[ProgramGap]:
    """(student name, their unvouched target programs) → programs, most-targeted first."""
    by_program: dict[str, list[str]] = {}
    for name, programs in rows:
        for program in programs:
            by_program.setdefault(program, []).append(name)
    gaps = [ProgramGap(program, tuple(sorted(names))) for program, names in by_program.items()]
    gaps.sort(key=lambda gap: (-len(gap.students), gap.program.lower()))
    return gaps
