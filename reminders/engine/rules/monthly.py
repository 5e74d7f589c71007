"""The network as a whole: where the student stands against the 3–5 advocates goal (and the
month's nudge to invest in someone), where the network is thin (the month's gap check), and
one small action for a quiet week."""

from __future__ import annotations

import datetime
from collections.abc import Mapping

from contacts.vocabulary import ROLE_GROUP_WORDS, ROLE_GROUPS, Setting, Tier
from crm.dates import week_end, week_start
from crm.phrases import names_list, plural, times_a_year
from reminders.engine.conf import EngineConf
from reminders.engine.cycle import MatchCalendar
from reminders.engine.records import ContactRecord, ProgramRecord, StudentRecords
from reminders.engine.rules.base import Context, Gap, NudgeSpec, Progress, last_outbound, who
from reminders.engine.rules.residency import Circle, circle_progress, in_residency
from reminders.engine.scoring import (
    ContactScore,
    can_advocate,
    next_step_for,
    ranked,
    strongest_evidence,
)
from reminders.engine.vouch import target_coverage
from reminders.vocabulary import NudgeKind

# --- Progress, and investing in a relationship -------------------------------------------------


def progress_for(
    scores: dict[int, ContactScore],
    focus: tuple[int, ...],
    conf: EngineConf,
    circle: Circle | None = None,
    moment: str = "",
) -> Progress:
    """Where the student stands against the 3-5 goal. In the residency phase (`circle`, from
    rules.residency.resident_circle) the line speaks of the resident's circle: the old
    circle's quiet months say nothing about an intern in orientation."""
    active = [score for score in scores.values() if not score.contact.archived]
    advocates = sum(1 for score in active if score.tier == Tier.ADVOCATE)
    if circle is not None:
        return circle_progress(circle, conf, advocates)
    # Whom to invest in: never a classmate or staff (who calls matters), however well they know
    # the student's work.
    developing = ranked(
        score
        for score in active
        if score.tier == Tier.DEVELOPING and can_advocate(score.contact, conf)
    )
    # The developing contacts the focus set leans on, strongest first.
    candidates = [score for score in developing if score.contact.id in focus] or developing
    candidates = candidates[: max(1, conf.focus_min - advocates)] if candidates else []
    goal = f"{conf.focus_min}\u2013{conf.focus_max}"
    headline = f"{advocates} of {goal} deep advocates"
    if advocates > conf.focus_max:
        # "12 of 3-5" reads like a mistake; say what the number means instead.
        headline = f"{advocates} deep advocates (the goal is {goal})"
    return Progress(
        advocates=advocates,
        goal_min=conf.focus_min,
        goal_max=conf.focus_max,
        headline=headline,
        next_step=_next_step(advocates, candidates, conf, moment),
        candidate_ids=tuple(score.contact.id for score in candidates),
    )


def progress_moment(records: StudentRecords, today: datetime.date, cal) -> str:
    """What the progress line's advice may lean on today: "settled" from the rank-list
    deadline (lists are locked: no "on your next rotation"), else "on <rotation>" while a
    rotation is under way, else "". Every rotation comes with every load (live too)."""
    if cal is not None and today >= cal.rank_deadline:
        return "settled"
    current = [r for r in records.rotations if r.start <= today <= r.end]
    return f"on {max(current, key=lambda r: (r.start, r.id)).name}" if current else ""


def _next_step(
    advocates: int, candidates: list[ContactScore], conf: EngineConf, moment: str = ""
) -> str:
    """What would change the count, in words (`moment`: progress_moment)."""
    if moment == "settled" and advocates < conf.focus_min and not candidates:
        return (
            "Lists are locked: now is for thanking the people who helped. Your next circle "
            "starts where you train next."
        )
    where = f"{moment[3:]}, pick" if moment.startswith("on ") else "your next rotation, pick"
    if advocates > conf.focus_max:
        return (
            f"More than enough. The {conf.focus_max} in your focus get the follow-up reminders; "
            f"keep the others warm with an update {times_a_year(conf.keep_warm_days)}."
        )
    if advocates == conf.focus_max:
        return "Keep them warm: a brief, genuine update every few months."
    if advocates >= conf.focus_min:
        next_step = "That's the goal. Keep them warm with a brief update every few months."
        if candidates:
            best = candidates[0]
            next_step += f" {best.contact.name} could become another: {next_step_for(best, conf)}."
        return next_step
    if candidates:
        best = candidates[0]
        next_step = (
            f"{who(best)} is closest ({strongest_evidence(best)}): {next_step_for(best, conf)}."
        )
        if len(candidates) > 1:
            others = names_list([score.contact.name for score in candidates[1:]])
            next_step += f" {others} could follow."
        return next_step
    if advocates:
        # Agree with the count beside it: someone does know your work.
        return (
            f"No one else is close yet. On {where} one attending or senior "
            "resident, ask for feedback at the midpoint, and circle back."
        )
    return (
        f"No one knows your work closely yet. On {where} one attending or "
        "senior resident, ask for feedback at the midpoint, and circle back."
    )


def _month_start(today: datetime.date) -> datetime.date:
    return today.replace(day=1)


def _monthly_moment(today: datetime.date, conf: EngineConf, cal=None) -> datetime.date | None:
    """The month's start while its monthly items show (from the 1st, `monthly_show_days`
    long), else None: a reflection, not a standing task. Never from the rank-list deadline
    until residency starts (lists are locked; Match Week is about the Match), issue 19."""
    month = _month_start(today)
    if cal is not None and cal.rank_deadline < today < cal.residency_start:
        return None
    return month if (today - month).days < conf.monthly_show_days else None


def invest_reason(progress: Progress) -> str:
    count = progress.advocates
    have = (
        "You don't have a deep advocate yet"
        if count == 0
        else f"You have {plural(count, 'deep advocate')}"
    )
    return f"{have}; {progress.goal_min}\u2013{progress.goal_max} is the goal. " + (
        progress.next_step
    )


def invest(ctx: Context, progress: Progress) -> list[NudgeSpec]:
    """Once a month while the student has fewer advocates than the goal."""
    month = _monthly_moment(ctx.today, ctx.conf, ctx.calendar)
    if progress.on_track or month is None or in_residency(ctx.records, ctx.today, ctx.calendar):
        return []  # in residency, the circle's monthly line is rules.residency's
    return [
        ctx.reflection(
            NudgeKind.INVEST,
            f"invest:{month:%Y-%m}",
            month,
            invest_reason(progress),
        )
    ]


# --- Gaps in the network -----------------------------------------------------------------------


def _matches_specialty(contact: ContactRecord, target: str) -> bool:
    target = target.strip().lower()
    specialty = contact.specialty.strip().lower()
    return bool(target) and bool(specialty) and (target in specialty or specialty in target)


def _same_place(city: str, state: str, target: str) -> bool:
    want_city, _, want_state = (part.strip().lower() for part in target.partition(","))
    if not want_city or city.strip().lower() != want_city:
        return False
    state = state.strip().lower()
    # "WA" and "Washington" are one state: compare what both spell out, or nothing.
    return not want_state or not state or state == want_state or len(state) != len(want_state)


def _matches_city(contact: ContactRecord, target: str, places: dict[str, str]) -> bool:
    """In the city: where their institution is (its city, or the place of a program there)."""
    if _same_place(contact.city, contact.state, target):
        return True
    place = places.get(contact.institution.strip().casefold(), "")
    city, _, state = place.partition(",")
    return bool(place) and _same_place(city, state, target)


def gaps_for(
    records: StudentRecords,
    scores: dict[int, ContactScore],
    today: datetime.date | None = None,
    cal: MatchCalendar | None = None,
) -> tuple[Gap, ...]:
    """Where the network is thin: target specialties and cities, settings, kinds of role.

    Phase-aware (issue 19): from the rank-list deadline the Match's target cities are settled
    (no city gap after lists lock, nor in residency), and until residency the target
    specialties too. A city counts every contact there, quiet ones too (a dormant contact in
    Seattle is still someone in Seattle), by their institution's city or its programs' place."""
    active = [
        s.contact for s in scores.values() if not s.contact.archived and s.tier != Tier.DORMANT
    ]
    present = [s.contact for s in scores.values() if not s.contact.archived]
    settled = today is not None and cal is not None and today >= cal.rank_deadline
    resident = today is not None and in_residency(records, today, cal)
    places = {p.institution.strip().casefold(): p.place for p in records.programs if p.place}
    gaps = []
    for specialty in records.target_specialties if not settled or resident else ():
        if specialty.strip() and not any(_matches_specialty(c, specialty) for c in active):
            gaps.append(
                Gap(
                    "specialty",
                    specialty,
                    f"No one in {specialty} knows you yet: an elective, a research project or a "
                    "specialty interest group meeting could change that.",
                )
            )
    for city in records.target_cities if not settled else ():
        if city.strip() and not any(_matches_city(c, city, places) for c in present):
            gaps.append(
                Gap(
                    "city",
                    city,
                    f"No contacts in {city} yet: an away rotation, a conference or an alum there "
                    "would give programs someone to ask.",
                )
            )
    settings = {c.setting for c in active if c.setting}
    if len(settings) == 1:
        (have,) = settings
        missing = Setting.COMMUNITY if have == Setting.ACADEMIC else Setting.ACADEMIC
        gaps.append(
            Gap(
                "setting",
                missing.value,
                f"Everyone you know works in {have} settings: someone from a {missing.value} "
                "program would widen the view.",
            )
        )
    # A role not known yet ("") says nothing about diversity either way.
    groups = {ROLE_GROUPS.get(c.role, c.role) for c in active if c.role}
    if len(groups) == 1:
        (group,) = groups
        label = ROLE_GROUP_WORDS.get(group, group)
        gaps.append(
            Gap(
                "role_group",
                str(group),
                f"All your contacts are {label}. Residents, fellows, faculty and staff talk to "
                "each other: diversify who knows your work.",
            )
        )
    return tuple(gaps)


def gap(ctx: Context, gaps: tuple[Gap, ...]) -> list[NudgeSpec]:
    """Once a month, the first two gaps (and how many more the map shows)."""
    month = _monthly_moment(ctx.today, ctx.conf, ctx.calendar)
    if not gaps or month is None:
        return []
    reason = " ".join(gap.text for gap in gaps[:2])
    if len(gaps) > 2:
        reason += f" ({len(gaps) - 2} more on your map.)"
    return [
        ctx.reflection(
            NudgeKind.GAP,
            f"gap:{month:%Y-%m}",
            month,
            reason,
        )
    ]


# --- The target programs where nobody can vouch ------------------------------------------------


def program_witnesses(ctx: Context) -> tuple[tuple[ProgramRecord, ...], dict[int, int]]:
    """The target programs nobody who knows the student's work can vouch at, and a witness
    for each of the others (vouch.target_coverage)."""
    uncovered, witnesses = target_coverage(
        ctx.records.programs, ctx.scores, ctx.records.ties, ctx.conf
    )
    # A rotation there is a tie (issue 19): after an away rotation at a program's institution,
    # its team knows the student's work there, whoever the records name.
    rotated = {
        rotation.institution.strip().casefold()
        for rotation in ctx.records.rotations
        if rotation.institution and rotation.start <= ctx.today
    }
    kept = tuple(p for p in uncovered if p.institution.strip().casefold() not in rotated)
    return kept, witnesses


def program_gap_reason(programs: tuple[ProgramRecord, ...]) -> str:
    first = programs[0]
    where = f"{first.name} ({first.place})" if first.place else first.name
    if len(programs) == 1:
        at = where
    else:
        at = f"{where} and {plural(len(programs) - 1, 'more target program')}"
    return (
        f"Nobody who knows your work can vouch for you at {at} yet. A faculty member who "
        "trained there, an away rotation or an alum could change that: each program's page "
        "shows who has a tie."
    )


def program_gap(ctx: Context, uncovered: tuple[ProgramRecord, ...]) -> list[NudgeSpec]:
    """Once a month, until the rank lists lock (after that a tie can no longer help there):
    the target programs nobody can vouch at."""
    month = _monthly_moment(ctx.today, ctx.conf, ctx.calendar)
    cal = ctx.calendar
    if not uncovered or month is None or (cal is not None and ctx.today > cal.rank_deadline):
        return []
    return [
        ctx.reflection(
            NudgeKind.GAP,
            f"gap:programs:{month:%Y-%m}",
            month,
            program_gap_reason(uncovered),
        )
    ]


# --- One small action for a quiet week ---------------------------------------------------------


def words_phase(ctx: Context) -> str:
    """The phase the small actions speak to: "early" (MS1-MS3, before applications open),
    "applying" (applications to interview season), "interviews" (to the rank-list deadline),
    "quiet" (from the rank-list deadline until residency starts, or after the Match without a
    residency), "resident" (from July 1 after matching)."""
    cal, today = ctx.calendar, ctx.today
    if cal is None or today < cal.applications_open:
        return "early"
    if in_residency(ctx.records, today, cal):
        return "resident"
    if today >= cal.rank_deadline:
        return "quiet"
    return "applying" if today < cal.interview_start else "interviews"


def small_action(ctx: Context, scores: Mapping[int, ContactScore]) -> list[NudgeSpec]:
    """One small action for a quiet week: something new or nothing (issue 19).

    Each candidate is tied to a record that makes it true this week (a focus contact gone
    quiet, a rotation under way, one just ended) and runs at most `small_action_run_weeks`
    Mondays from its moment; the week's line is one of those true this week, chosen by the ISO
    week (a pure function of the records and the date: no stored history). No line for a
    phase it does not fit: nothing from the rank-list deadline until residency, no "ask a
    resident how they chose their program" for a resident or an applicant in interviews."""
    today, conf = ctx.today, ctx.conf
    phase = words_phase(ctx)
    if phase == "quiet":
        return []
    monday = week_start(today)
    due = week_end(today)
    key = f"small_action:{monday.isoformat()}"
    run = datetime.timedelta(weeks=conf.small_action_run_weeks)

    def fresh(moment: datetime.date) -> bool:
        """Its moment came within the last `small_action_run_weeks` Mondays."""
        return moment <= due and monday < moment + run

    found: list[NudgeSpec] = []
    # A focus contact quiet for a while, from the day they went quiet, for a few weeks.
    for contact_id in ctx.focus:
        score = ctx.scores[contact_id]
        last = score.depth.last_contact_on
        outbound = last_outbound(ctx.interactions(contact_id))
        if last is None or not can_advocate(score.contact, conf):
            continue
        if outbound is not None and (today - outbound).days < conf.outreach_quiet_days:
            continue
        if fresh(last + datetime.timedelta(days=conf.small_action_quiet_days)):
            words = (
                "where you are in residency, and one thing their advice changed"
                if phase == "resident"
                else "what you're working on, and one thing their advice changed"
            )
            found.append(
                ctx.spec(
                    NudgeKind.SMALL_ACTION,
                    key,
                    score.contact,
                    due,
                    f"Send {score.contact.name} a 3-line update: {words}.",
                    monday,
                )
            )
    for rotation in ctx.index.rotations:
        ended = rotation.end + datetime.timedelta(days=1)
        if rotation.start <= today <= rotation.end and fresh(rotation.start):
            if not rotation.team:
                found.append(
                    _action(
                        ctx,
                        key,
                        due,
                        monday,
                        f"Add the people you work with on {rotation.name} (the attending and "
                        "the senior resident who see your work): a contact is how an advocate "
                        "starts.",
                    )
                )
            if phase == "early" or (phase == "applying" and today < ctx.calendar.interview_start):
                found.append(
                    _action(
                        ctx,
                        key,
                        due,
                        monday,
                        f"On {rotation.name}, ask a resident you admire for ten minutes over "
                        "coffee: how they chose their program, and what they wish they had "
                        "known.",
                    )
                )
            found.append(
                _action(
                    ctx,
                    key,
                    due,
                    monday,
                    f"While on {rotation.name}, go to its grand rounds or department "
                    "conference, and introduce yourself to the speaker afterwards with one "
                    "question about the talk.",
                )
            )
        elif rotation.end < today and fresh(ended) and rotation.team:
            found.append(
                _action(
                    ctx,
                    key,
                    due,
                    monday,
                    f"Thank someone from {rotation.name} who helped you (a resident who taught "
                    "you, a nurse who had your back) in a sentence or two.",
                )
            )
    # A network too small to have an advocate in it yet: one way to start, four Mondays on
    # and four off (the weeks counted from a fixed Monday, so it is a function of the date).
    # Counted over the whole network's `scores`: a live refresh loads only some contacts.
    starting = sum(
        1
        for score in scores.values()
        if not score.contact.archived and can_advocate(score.contact, conf)
    )
    weeks = (monday.toordinal() // 7 + 1) // conf.small_action_run_weeks
    if starting < conf.focus_min and weeks % 2 == 1:
        found.append(_action(ctx, key, due, monday, _START[phase]))
    if not found:
        return []
    return [found[monday.isocalendar().week % len(found)]]


_START = {
    "early": "Add two or three people who have seen your work (an attending, a senior resident, "
    "a research mentor) and when you last spoke: every advocate starts as a contact.",
    "applying": "Add the attendings and senior residents from your rotations this year, and "
    "when you last spoke: programs ask the people who saw your work.",
    "interviews": "Add the people you met on interview days who took an interest (a program "
    "director, a resident who showed you around), with a line on what you talked about.",
    "resident": "Add the people you meet in your first weeks (your program director, your "
    "chiefs, an attending you would like as a mentor), with a line on what you talked about.",
}


def _action(
    ctx: Context, key: str, due: datetime.date, monday: datetime.date, reason: str
) -> NudgeSpec:
    return ctx.spec(NudgeKind.SMALL_ACTION, key, None, due, reason, monday)
