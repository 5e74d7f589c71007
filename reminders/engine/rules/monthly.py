"""The network as a whole: where the student stands against the 3–5 advocates goal (and the
month's nudge to invest in someone), where the network is thin (the month's gap check), and
one small action for a quiet week."""

from __future__ import annotations

import datetime
from collections.abc import Callable

from contacts.vocabulary import ROLE_GROUP_WORDS, ROLE_GROUPS, Setting, Tier
from crm.dates import week_end, week_start
from crm.phrases import names_list, plural, times_a_year
from reminders.engine.conf import EngineConf
from reminders.engine.records import ContactRecord, ProgramRecord, StudentRecords
from reminders.engine.rules.base import Context, Gap, NudgeSpec, Progress, last_outbound, who
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
    scores: dict[int, ContactScore], focus: tuple[int, ...], conf: EngineConf
) -> Progress:
    active = [score for score in scores.values() if not score.contact.archived]
    advocates = sum(1 for score in active if score.tier == Tier.ADVOCATE)
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
        next_step=_next_step(advocates, candidates, conf),
        candidate_ids=tuple(score.contact.id for score in candidates),
    )


def _next_step(advocates: int, candidates: list[ContactScore], conf: EngineConf) -> str:
    """What would change the count, in words."""
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
            "No one else is close yet. On your next rotation, pick one attending or senior "
            "resident, ask for feedback at the midpoint, and circle back."
        )
    return (
        "No one knows your work closely yet. On your next rotation, pick one attending or "
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
    if progress.on_track or month is None:
        return []
    return [
        ctx.spec(
            NudgeKind.INVEST,
            f"invest:{month:%Y-%m}",
            None,
            month + datetime.timedelta(days=ctx.conf.gap_due_days),
            invest_reason(progress),
            month,
        )
    ]


# --- Gaps in the network -----------------------------------------------------------------------


def _matches_specialty(contact: ContactRecord, target: str) -> bool:
    target = target.strip().lower()
    specialty = contact.specialty.strip().lower()
    return bool(target) and bool(specialty) and (target in specialty or specialty in target)


def _matches_city(contact: ContactRecord, target: str) -> bool:
    city, _, state = (part.strip().lower() for part in target.partition(","))
    if not city or contact.city.strip().lower() != city:
        return False
    return not state or not contact.state or contact.state.strip().lower() == state


def gaps_for(records: StudentRecords, scores: dict[int, ContactScore]) -> tuple[Gap, ...]:
    """Where the network is thin: target specialties and cities, settings, kinds of role."""
    active = [
        s.contact for s in scores.values() if not s.contact.archived and s.tier != Tier.DORMANT
    ]
    gaps = []
    for specialty in records.target_specialties:
        if specialty.strip() and not any(_matches_specialty(c, specialty) for c in active):
            gaps.append(
                Gap(
                    "specialty",
                    specialty,
                    f"No one in {specialty} knows you yet: an elective, a research project or a "
                    "specialty interest group meeting could change that.",
                )
            )
    for city in records.target_cities:
        if city.strip() and not any(_matches_city(c, city) for c in active):
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
        ctx.spec(
            NudgeKind.GAP,
            f"gap:{month:%Y-%m}",
            None,
            month + datetime.timedelta(days=ctx.conf.gap_due_days),
            reason,
            month,
        )
    ]


# --- The target programs where nobody can vouch ------------------------------------------------


def program_witnesses(ctx: Context) -> tuple[tuple[ProgramRecord, ...], dict[int, int]]:
    """The target programs nobody who knows the student's work can vouch at, and a witness
    for each of the others (vouch.target_coverage)."""
    return target_coverage(ctx.records.programs, ctx.scores, ctx.records.ties, ctx.conf)


def program_gap_reason(programs: tuple[ProgramRecord, ...]) -> str:
    first = programs[0]
    where = f"{first.name} ({first.place})" if first.place else first.name
    if len(programs) == 1:
        at = where
    else:
        at = f"{where} and {plural(len(programs) - 1, 'more of your target program')}"
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
        ctx.spec(
            NudgeKind.GAP,
            f"gap:programs:{month:%Y-%m}",
            None,
            month + datetime.timedelta(days=ctx.conf.gap_due_days),
            program_gap_reason(uncovered),
            month,
        )
    ]


# --- One small action for a quiet week ---------------------------------------------------------

# A focus contact quiet this long could use a short update (when nothing else is due).
_QUIET_FOR_AN_UPDATE_DAYS = 60


def small_action(ctx: Context) -> list[NudgeSpec]:
    """One small action for a quiet week, chosen by the week so it varies."""
    today, conf = ctx.today, ctx.conf
    cal = ctx.calendar
    if cal is not None and week_start(today) == week_start(cal.match_week_start):
        return []  # Match Week is not the week for coffee with a resident
    monday = week_start(today)
    due = week_end(today)
    key = f"small_action:{monday.isoformat()}"

    def update_someone() -> NudgeSpec | None:
        quiet = []
        for contact_id in ctx.focus:
            score = ctx.scores[contact_id]
            last = score.depth.last_contact_on
            outbound = last_outbound(ctx.interactions(contact_id))
            recent_outreach = outbound is not None and (
                (today - outbound).days < conf.outreach_quiet_days
            )
            if (
                last is not None
                and (today - last).days >= _QUIET_FOR_AN_UPDATE_DAYS
                and not recent_outreach
            ):
                quiet.append(score)
        if not quiet:
            return None
        score = quiet[0]
        reason = (
            f"Send {score.contact.name} a 3-line update: what you're working on, and one "
            "thing their advice changed."
        )
        return ctx.spec(NudgeKind.SMALL_ACTION, key, score.contact, due, reason, monday)

    def thank_someone() -> NudgeSpec | None:
        reason = (
            "Thank someone who helped you lately (a resident who taught you, a nurse who had "
            "your back) in a sentence or two."
        )
        return ctx.spec(NudgeKind.SMALL_ACTION, key, None, due, reason, monday)

    def grand_rounds() -> NudgeSpec | None:
        reason = (
            "Go to grand rounds or a department conference this week, and introduce yourself "
            "to the speaker afterwards with one question about the talk."
        )
        return ctx.spec(NudgeKind.SMALL_ACTION, key, None, due, reason, monday)

    def coffee() -> NudgeSpec | None:
        reason = (
            "Ask a resident you admire for ten minutes over coffee: how they chose their "
            "program, and what they wish they had known."
        )
        return ctx.spec(NudgeKind.SMALL_ACTION, key, None, due, reason, monday)

    options: list[Callable[[], NudgeSpec | None]] = [
        update_someone,
        thank_someone,
        grand_rounds,
        coffee,
    ]
    found = [spec for spec in (option() for option in options) if spec is not None]
    return [found[monday.isocalendar().week % len(found)]]
