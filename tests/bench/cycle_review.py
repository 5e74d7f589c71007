"""`make bench` section "cycle_review" (issue 9): read This week every Monday of a whole cycle.

A busy synthetic student (Match year 2027: 60 contacts, a PI met every week, 8 rotations with
their teams, 5 letters, the interview season, Match Day) who leaves every nudge alone. Each day
the engine's answer is stored as the nightly refresh stores it (reminders.nudges.lifecycle), in
memory; each Monday the page's lines are drawn as This week draws them (reminders.engine.week: most
at stake first, groups as one line, at most `week_items_max`). Printed per Monday: the lines
shown, the nudges folded under "more", and the items dated in the past; then the longest run
of one nudge (consecutive Mondays the same key is shown) and the share of past-dated items.
"""

from __future__ import annotations

import dataclasses
import datetime
import random
import re

from tests.bench import harness

YEAR = 2027
START = datetime.date(YEAR - 1, 6, 1)
END = datetime.date(YEAR, 4, 30)
DAY = datetime.timedelta(days=1)
_MONTHS = "Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec"
# A deadline the sentence asks the student to meet ("ask Dr. Rao by Aug 17").
_BY_DATE = re.compile(rf"\bby ({_MONTHS}) (\d{{1,2}})\b")


def busy_student():
    from tests.reminders.engine_world import RecordsBuilder

    rng = random.Random(42)
    b = RecordsBuilder(
        match_year=YEAR,
        match_outcome="matched",
        target_specialties=("Internal Medicine",),
        target_cities=("Chicago, IL",),
    )
    roles = ["faculty", "senior_resident", "program_director", "clerkship_director", "fellow",
             "chief_resident", "junior_resident", "peer", "staff", "research_pi"]  # fmt: skip
    people = [
        b.contact(f"Dr. {chr(65 + n % 26)}{n:02d}", role=rng.choice(roles),
                  specialty=rng.choice(["Internal Medicine", "Surgery"]),
                  city="Chicago", setting=rng.choice(["academic", "community"]),
                  would_vouch=rng.random() < 0.15, created_on=datetime.date(YEAR - 2, 9, 1))
        for n in range(60)
    ]  # fmt: skip
    pi = people[0]
    # A weekly research meeting with the PI, all year.
    day = datetime.date(YEAR - 2, 9, 7)
    while day <= END:
        b.interaction(pi, day, kind="meeting", context="research")
        day += 7 * DAY
    # Eight rotations of four weeks, a team of four each, and the conversations on them.
    start = datetime.date(YEAR - 1, 5, 3)
    for n in range(8):
        team = rng.sample(people[1:], 4)
        end = start + 27 * DAY
        b.rotation(f"Rotation {n + 1}", start, end,
                   team=[(person, rng.randint(1, 4)) for person in team])  # fmt: skip
        for person in team:
            for _ in range(rng.randint(1, 3)):
                when = start + rng.randint(0, 27) * DAY
                b.interaction(person, when, kind=rng.choice(["meeting", "feedback", "email"]))
        start = end + rng.choice([7, 14, 21]) * DAY
    # Scattered conversations with everyone else over the two years.
    for person in people[1:]:
        for _ in range(rng.randint(0, 5)):
            when = datetime.date(YEAR - 2, 6, 1) + rng.randint(0, 700) * DAY
            b.interaction(person, when, kind=rng.choice(["email", "meeting", "call", "update",
                                                        "conference"]),
                          direction=rng.choice(["outbound", "inbound"]))  # fmt: skip
    # Five letters for the September deadline, at every step.
    due = datetime.date(YEAR - 1, 9, 15)
    for writer, status in zip(
        people[1:6], ["considering", "asked", "agreed", "materials_sent", "submitted"], strict=True
    ):
        agreed = datetime.date(YEAR - 1, 6, 25) if status != "asked" else None
        submitted = datetime.date(YEAR - 1, 9, 1) if status == "submitted" else None
        b.letter(writer, status=status, due=due, asked_on=datetime.date(YEAR - 1, 6, 20),
                 agreed_on=agreed, submitted_on=submitted)  # fmt: skip
    return b.records()


@dataclasses.dataclass
class _Row:
    """A stored nudge, in memory, with what the page reads."""

    id: int
    key: str
    kind: str
    state: str
    due: datetime.date
    reason: str
    contact_id: int | None
    occasion_on: datetime.date
    snoozed_until: datetime.date | None
    stakes: int
    group: str
    contact: object = None


def _refresh(rows: dict[str, _Row], evaluation, today, names, next_id) -> int:
    from reminders.nudges.lifecycle import StoredNudge, plan_refresh

    stored = [
        StoredNudge(id=r.id, key=r.key, kind=r.kind, state=r.state, due=r.due, reason=r.reason,
                    contact_id=r.contact_id, occasion_on=r.occasion_on,
                    snoozed_until=r.snoozed_until, stakes=r.stakes, group=r.group)
        for r in rows.values()
    ]  # fmt: skip
    plan = plan_refresh(evaluation.nudges, stored, today)
    by_id = {row.id: row for row in rows.values()}
    for spec in plan.create:
        next_id += 1
        rows[spec.key] = _Row(next_id, spec.key, spec.kind, "open", spec.due, spec.reason,
                              spec.contact_id, spec.occasion_on, None, spec.stakes, spec.group,
                              names.get(spec.contact_id))  # fmt: skip
    for change in plan.change:
        row = by_id[change.id]
        for field in ("kind", "state", "due", "reason", "contact_id", "occasion_on",
                      "snoozed_until", "stakes", "group"):  # fmt: skip
            setattr(row, field, getattr(change, field))
    for row_id in plan.expire:
        by_id[row_id].state, by_id[row_id].snoozed_until = "expired", None
    return next_id


class _Contact:
    def __init__(self, name):
        self.name = name


def _student_file(name: str):
    """An advocate/v1 student of tests/reminders/students, imported and loaded as the nightly
    refresh loads it."""
    import json
    import pathlib

    from contacts import datafile
    from reminders.evaluation.loader import load_records

    path = pathlib.Path(__file__).parents[1] / "reminders" / "students" / name
    student = datafile.import_document(json.loads(path.read_text())).student
    return load_records([student.pk])[student.pk][0]


# Issue 19: the DO student (a red flag, two away rotations), an MS3 with few contacts (Match
# 2029, read through MS3), and a matched student followed to October of intern year.
STUDENTS = (
    ("do_red_flag.json", "DO student, Match 2027", datetime.date(2026, 3, 2),
     datetime.date(2027, 4, 26)),
    ("ms3_few_contacts.json", "MS3, Match 2029", datetime.date(2026, 7, 6),
     datetime.date(2027, 6, 28)),
    ("matched_intern.json", "Matched, Match 2027", datetime.date(2026, 7, 6),
     datetime.date(2027, 10, 25)),
)  # fmt: skip


def cycle_review() -> None:
    _review(busy_student(), f"Match {YEAR}", START, END)
    for name, label, start, end in STUDENTS:
        _review(_student_file(name), label, start, end)


def _silent_letters(records, evaluation, day, conf) -> int:
    """Letters with a due date not yet in, in the weeks their ask window opens before it, about
    which the engine says nothing this day (must be 0: never silent before a due date)."""
    silent = 0
    for letter in records.letters:
        if letter.due is None or letter.status in ("submitted", "thanked", "declined"):
            continue
        opens = letter.due - datetime.timedelta(weeks=conf.letter_ask_weeks)
        if not (opens <= day < letter.due):
            continue
        if not any(
            n.contact_id == letter.writer_id or n.key.endswith(f":{letter.id}")
            for n in evaluation.nudges
        ):
            silent += 1
    return silent


def _review(records, label: str, start: datetime.date, end: datetime.date) -> None:
    from reminders.engine import week
    from reminders.engine.conf import get_conf
    from reminders.engine.rules import evaluate
    from reminders.vocabulary import shown_due

    conf = get_conf()
    names = {c.id: _Contact(c.name) for c in records.contacts}
    rows: dict[str, _Row] = {}
    next_id = 0
    print(
        f"\n== Cycle review: {label}, {len(records.contacts)} contacts, "
        f"{len(records.interactions)} interactions, {len(records.rotations)} rotations, "
        f"{len(records.letters)} letters; every Monday {start:%b %Y} to {end:%b %Y}"
    )
    silent = 0
    print(f"{'Monday':>10} {'shown':>5} {'more':>5} {'past':>5}  lines")
    mondays = []
    day = start
    while day <= end:
        evaluation = evaluate(records, day, conf)
        next_id = _refresh(rows, evaluation, day, names, next_id)
        if day.weekday() == 0:
            silent += _silent_letters(records, evaluation, day, conf)
            actionable = [
                row for row in rows.values()
                if (row.state == "open" or (row.state == "snoozed" and row.snoozed_until <= day))
                and row.due <= day + 6 * DAY
            ]  # fmt: skip
            # In the week's order by the date each shows (Nudge.objects.in_week_order).
            actionable.sort(key=lambda r: (-r.stakes, shown_due(r.due, day), r.kind, r.id))
            small = [r for r in actionable if r.kind == "small_action"]
            tasks = [r for r in actionable if r.kind != "small_action"]
            cap = conf.week_items_max - (1 if small else 0)
            shown, more = week.split(week.week_items(tasks), cap)
            shown_rows = [n for item in shown for n in item.nudges] + small[-1:]
            engine_due = {spec.key: spec.due for spec in evaluation.nudges}
            past = [row for row in shown_rows if _dated_in_the_past(row, day, engine_due)]
            lines = len(shown) + (1 if small else 0)
            mondays.append((day, lines, shown_rows, past))
            words = "; ".join(
                f"{item.kind}{'×' + str(len(item.nudges)) if item.is_group else ''}"
                for item in shown
            ) + ("; small_action" if small else "")
            print(
                f"{day.isoformat():>10} {lines:>5} {sum(len(i.nudges) for i in more):>5} "
                f"{len(past):>5}  {words}"
            )
        day += DAY

    runs: dict[str, int] = {}
    longest = ("", 0)
    current: dict[str, int] = {}
    for _day, _lines, shown_rows, _past in mondays:
        keys = {row.key for row in shown_rows}
        current = {key: current.get(key, 0) + 1 for key in keys}
        for key, run in current.items():
            runs[key] = max(runs.get(key, 0), run)
            if run > longest[1]:
                longest = (key, run)
    total = sum(len(shown_rows) for *_, shown_rows, _ in mondays)
    past = sum(len(p) for *_, p in mondays)
    figures = {
        "mondays": len(mondays),
        "max_lines": max(lines for _, lines, *_ in mondays),
        "mondays_over_cap": sum(1 for _, lines, *_ in mondays if lines > conf.week_items_max),
        "mean_lines": round(sum(lines for _, lines, *_ in mondays) / len(mondays), 2),
        "quiet_mondays": sum(1 for _, lines, *_ in mondays if lines == 0),
        "longest_run_mondays": longest[1],
        "longest_run_key": longest[0],
        "items_shown": total,
        "items_dated_in_the_past": past,
        "share_dated_in_the_past": round(past / total, 3) if total else 0.0,
        "letter_weeks_silent_before_due": silent,
    }
    harness.record("cycle_review", label, figures)
    print(
        f"Summary: {figures['mondays']} Mondays, at most {figures['max_lines']} lines "
        f"({figures['mondays_over_cap']} Mondays over {conf.week_items_max}), "
        f"{figures['mean_lines']} on average, {figures['quiet_mondays']} quiet; longest run "
        f"{figures['longest_run_mondays']} Mondays ({figures['longest_run_key']}); "
        f"{past} of {total} items shown dated in the past "
        f"({figures['share_dated_in_the_past']:.1%}); {silent} letter-weeks silent before a "
        "due date."
    )


def _dated_in_the_past(row: _Row, today: datetime.date, engine_due: dict) -> bool:
    """Shown as due before today, or dated so by the engine today (a late nudge's stored date
    stays the first day it was due; the pages show shown_due), or asking for something by a
    day already gone."""
    from reminders.vocabulary import shown_due

    due = min(shown_due(row.due, today), engine_due.get(row.key, today))
    return due < today or any(_past_deadline(m, today) for m in _BY_DATE.finditer(row.reason))


def _past_deadline(match: re.Match, today: datetime.date) -> bool:
    month = _MONTHS.split("|").index(match.group(1)) + 1
    day = int(match.group(2))
    for year in (today.year, today.year - 1):
        try:
            when = datetime.date(year, month, day)
        except ValueError:
            return False
        if abs((when - today).days) < 200:
            return when < today
    return False


ALL = {"cycle_review": cycle_review}
