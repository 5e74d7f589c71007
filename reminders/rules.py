"""The advocate engine's rules: a student's records and a date in, nudges with reasons out.

Pure on purpose: no ORM, no clock, no settings lookups. `evaluate(records, today, conf)` is the
whole answer for one student on one day, so it can be asked about any date (the `nudges`
command), tested without a database, and run for thousands of students in a loop.

Each nudge carries an occasion key: the same occasion always yields the same key, so storing
nudges under a unique (owner, key) makes a second refresh a no-op and a dismissal final.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Callable, Iterable

from . import vocab
from .conf import EngineConf
from .cycle import MatchCalendar, Phase, cycle_phase, match_calendar
from .records import ContactRecord, InteractionRecord, StudentRecords
from .scoring import (
    ACQUAINTANCE,
    ADVOCATE,
    DEVELOPING,
    DORMANT,
    ContactScore,
    StudentIndex,
    focus_set,
    index_records,
    next_step_for,
    ranked,
    score_contacts,
    strongest_evidence,
)

DAY = datetime.timedelta(days=1)


@dataclasses.dataclass(frozen=True, slots=True)
class NudgeSpec:
    kind: str
    key: str  # the occasion: unique per student, stable from day to day
    contact_id: int | None
    contact_name: str | None
    due: datetime.date
    reason: str
    occasion_on: datetime.date  # interactions on/after this date may answer it

    def as_json(self) -> dict:
        """The `nudges` command's line: exactly these four keys."""
        return {
            "kind": self.kind,
            "contact": self.contact_name,
            "due": self.due.isoformat(),
            "reason": self.reason,
        }


@dataclasses.dataclass(frozen=True, slots=True)
class Gap:
    kind: str  # specialty, city, setting, role_group
    subject: str
    text: str


@dataclasses.dataclass(frozen=True, slots=True)
class Progress:
    advocates: int
    goal_min: int
    goal_max: int
    headline: str  # "2 of 3–5 deep advocates"
    next_step: str  # what would change it
    candidate_ids: tuple[int, ...]  # whom to invest in, strongest first

    @property
    def on_track(self) -> bool:
        return self.advocates >= self.goal_min


@dataclasses.dataclass(frozen=True)
class Evaluation:
    today: datetime.date
    scores: dict[int, ContactScore]
    focus: tuple[int, ...]
    progress: Progress
    gaps: tuple[Gap, ...]
    calendar: MatchCalendar | None
    phase: Phase
    nudges: tuple[NudgeSpec, ...]

    def tier_of(self, contact_id: int) -> str:
        return self.scores[contact_id].tier

    def tier_counts(self) -> dict[str, int]:
        counts = {tier: 0 for tier in (ADVOCATE, DEVELOPING, ACQUAINTANCE, DORMANT)}
        for score in self.scores.values():
            if not score.contact.archived:
                counts[score.tier] += 1
        return counts


# --- Words -------------------------------------------------------------------------------------


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def _how_long(days: int) -> str:
    if days < 14:
        return _plural(days, "day")
    if days < 60:
        return _plural(days // 7, "week")
    months = round(days / 30.4)
    return _plural(months, "month") if months < 12 else "over a year"


def _day(date: datetime.date) -> str:
    return f"{date:%b} {date.day}"


def _names(names: list[str]) -> str:
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def _who(score: ContactScore) -> str:
    role = vocab.ROLE_LABELS.get(score.contact.role, score.contact.role)
    return f"{score.contact.name} ({role})"


# --- Which interactions answer a nudge (shared with reminders.services) -----------------------


def is_reply(interaction: InteractionRecord) -> bool:
    return interaction.direction == vocab.INBOUND or interaction.kind in vocab.TWO_WAY_KINDS


_CONVERSATION_KINDS = frozenset({vocab.EMAIL, vocab.UPDATE, vocab.CALL, vocab.MEETING})


def answers(kind: str, occasion_on: datetime.date, interaction: InteractionRecord) -> bool:
    """Whether logging `interaction` (with the nudge's contact) does what the nudge asked."""
    when = interaction.date
    if when < occasion_on:
        return False
    if kind == vocab.FOLLOW_UP:
        # The occasion is the last contact itself; anything later is the follow-up.
        return when > occasion_on
    if kind == vocab.THANK_YOU:
        if interaction.kind == vocab.THANK_YOU_NOTE:
            return True
        # A note sent afterwards surely said thank you too.
        return (
            interaction.direction == vocab.OUTBOUND
            and interaction.kind in {vocab.EMAIL, vocab.UPDATE, vocab.CALL}
            and when > occasion_on
        )
    if kind == vocab.LETTER_THANKS:
        return interaction.kind == vocab.THANK_YOU_NOTE
    if kind in (vocab.LETTER_ASK, vocab.LETTER_MATERIALS, vocab.LETTER_REMINDER):
        return interaction.kind == vocab.LETTER
    if kind == vocab.FEEDBACK:
        return interaction.kind == vocab.FEEDBACK_SESSION
    if kind == vocab.CYCLE_UPDATE:
        return interaction.kind in _CONVERSATION_KINDS | {vocab.FEEDBACK_SESSION}
    if kind == vocab.MATCH_THANKS:
        return interaction.kind in _CONVERSATION_KINDS | {vocab.THANK_YOU_NOTE}
    if kind == vocab.OVER_CONTACT:
        return is_reply(interaction)
    # soap_plan, invest, gap are about the whole network, not one person.
    return kind == vocab.SMALL_ACTION


# --- The evaluation ----------------------------------------------------------------------------


@dataclasses.dataclass
class _Context:
    records: StudentRecords
    today: datetime.date
    conf: EngineConf
    index: StudentIndex
    scores: dict[int, ContactScore]
    focus: tuple[int, ...]
    calendar: MatchCalendar | None

    def active(self) -> Iterable[ContactScore]:
        for score in self.scores.values():
            if not score.contact.archived:
                yield score

    def interactions(self, contact_id: int) -> list[InteractionRecord]:
        return self.index.interactions.get(contact_id, [])

    def latest_rotation_name(self) -> str | None:
        started = [rotation for rotation in self.index.rotations if rotation.start <= self.today]
        return started[-1].name if started else None

    def latest_rotation_start(self) -> datetime.date | None:
        started = [rotation for rotation in self.index.rotations if rotation.start <= self.today]
        return started[-1].start if started else None

    def spec(
        self,
        kind: str,
        key: str,
        contact: ContactRecord | None,
        due: datetime.date,
        reason: str,
        occasion_on: datetime.date,
    ) -> NudgeSpec:
        return NudgeSpec(
            kind=kind,
            key=key,
            contact_id=contact.id if contact else None,
            contact_name=contact.name if contact else None,
            due=due,
            reason=reason,
            occasion_on=occasion_on,
        )


def _shows(today: datetime.date, show_from: datetime.date, until: datetime.date | None) -> bool:
    return show_from <= today and (until is None or today <= until)


def _since(
    interactions: list[InteractionRecord], horizon: datetime.date
) -> list[InteractionRecord]:
    """The tail of a date-ordered history from `horizon` on."""
    start = len(interactions)
    while start and interactions[start - 1].date >= horizon:
        start -= 1
    return interactions[start:]


def _last_outbound(interactions: list[InteractionRecord]) -> datetime.date | None:
    for interaction in reversed(interactions):
        if interaction.direction == vocab.OUTBOUND:
            return interaction.date
    return None


def _follow_ups(ctx: _Context) -> list[NudgeSpec]:
    conf, today = ctx.conf, ctx.today
    found = []
    for score in ctx.active():
        if score.tier == DORMANT:
            continue
        contact = score.contact
        interactions = ctx.interactions(contact.id)
        anchor = score.depth.last_contact_on
        met = bool(interactions) or any(
            rotation.start <= today for rotation, _ in ctx.index.teams.get(contact.id, ())
        )
        if anchor is None or not met:
            continue  # never actually met: nothing to follow up on
        cadence = None
        in_peak = False
        if contact.id in ctx.focus:
            cadence = conf.follow_up_days
            # Backchannel traffic peaks from interview season to the rank-list deadline.
            peak_due = anchor + datetime.timedelta(days=conf.follow_up_peak_days)
            if ctx.calendar is not None and ctx.calendar.in_backchannel_peak(peak_due):
                cadence, in_peak = conf.follow_up_peak_days, True
        elif score.tier == ADVOCATE:
            cadence = conf.keep_warm_days
        planned = None
        if interactions and interactions[-1].date == anchor:
            dates = [i.follow_up_by for i in interactions if i.date == anchor and i.follow_up_by]
            planned = max(dates) if dates else None
        candidates = [anchor + datetime.timedelta(days=cadence)] if cadence else []
        if planned is not None and planned > anchor:
            candidates.append(planned)
        if not candidates:
            continue
        due = min(candidates)
        # The guardrail: never a follow-up within 30 days of the last outreach.
        last_outbound = _last_outbound(interactions)
        if last_outbound is not None:
            due = max(due, last_outbound + datetime.timedelta(days=conf.outreach_quiet_days))
        if today < due - datetime.timedelta(days=conf.lookahead_days):
            continue
        name = contact.name
        rotation = ctx.latest_rotation_name()
        rotation_start = ctx.latest_rotation_start()
        news = (
            f"your {rotation}" if rotation and rotation_start and rotation_start > anchor else None
        )
        quiet = _how_long((due - anchor).days)
        planned_wins = planned is not None and planned == min(candidates)
        if planned_wins and due > planned:
            # The guardrail moved the student's own date: say why it is later than planned.
            reason = (
                f"You planned to follow up with {name} by {_day(planned)}; your last note went "
                f"out on {_day(last_outbound)}, so a month on is the right moment. "
                "A short, friendly note is all it takes."
            )
        elif planned_wins:
            reason = (
                f"You planned to follow up with {name} by {_day(planned)}. "
                "A short, friendly note is all it takes."
            )
        elif in_peak:
            reason = (
                f"Programs are quietly asking around now, and it's been {quiet} since you last "
                f"spoke with {name}. A 3-line update "
                f"{'on ' + news if news else 'on what you are working on'} keeps your name fresh."
            )
        elif contact.id in ctx.focus:
            reason = (
                f"It's been {quiet} since you last spoke with {name}. A 3-line update "
                f"{'on ' + news if news else 'on what you are working on'} "
                "would keep them in the loop."
            )
        else:
            reason = (
                f"{name} knows your work well, and it's been {quiet}. A short hello every six "
                "months keeps that warm."
            )
        found.append(
            ctx.spec(
                vocab.FOLLOW_UP,
                f"follow_up:{contact.id}:{anchor.isoformat()}",
                contact,
                due,
                reason,
                anchor,
            )
        )
    return found


def _thank_yous(ctx: _Context) -> list[NudgeSpec]:
    conf, today = ctx.conf, ctx.today
    found = []
    # Only recent conversations can still want a thank-you: read each history from the end.
    horizon = today - datetime.timedelta(
        days=max(conf.thank_you_meeting_days, conf.thank_you_conference_days)
        + conf.thank_you_grace_days
    )
    for score in ctx.active():
        contact = score.contact
        for interaction in _since(ctx.interactions(contact.id), horizon):
            if interaction.kind in (vocab.MEETING, vocab.CALL, vocab.FEEDBACK_SESSION):
                within = conf.thank_you_meeting_days
            elif interaction.kind == vocab.CONFERENCE:
                within = conf.thank_you_conference_days
            else:
                continue
            occasion = interaction.date
            due = occasion + datetime.timedelta(days=within)
            if not _shows(
                today, occasion, due + datetime.timedelta(days=conf.thank_you_grace_days)
            ):
                continue
            if interaction.kind == vocab.CONFERENCE:
                reason = (
                    f"You talked with {contact.name} at a conference on {_day(occasion)}. "
                    "A brief note within three days, naming what you discussed, turns a chat "
                    "into a connection."
                )
            else:
                what = {
                    vocab.MEETING: "met with",
                    vocab.CALL: "spoke with",
                    vocab.FEEDBACK_SESSION: "got feedback from",
                }[interaction.kind]
                reason = (
                    f"You {what} {contact.name} on {_day(occasion)}. A short thank-you within "
                    "two days, naming one thing you took away, is remembered."
                )
            found.append(
                ctx.spec(
                    vocab.THANK_YOU,
                    f"thank_you:{contact.id}:{occasion.isoformat()}",
                    contact,
                    due,
                    reason,
                    occasion,
                )
            )
    # The end of a rotation: the people the student worked closely with.
    for rotation in ctx.index.rotations:
        show_from = rotation.end - datetime.timedelta(days=conf.rotation_thanks_lead_days)
        due = rotation.end + datetime.timedelta(days=conf.rotation_thanks_days)
        if not _shows(today, show_from, due + datetime.timedelta(days=conf.thank_you_grace_days)):
            continue
        for contact_id, weeks in rotation.team:
            score = ctx.scores.get(contact_id)
            if score is None or score.contact.archived or weeks < conf.worked_closely_weeks:
                continue
            reason = (
                f"{rotation.name} ends {_day(rotation.end)}. You worked beside "
                f"{score.contact.name} for {_plural(weeks, 'week')}: a specific thank-you "
                "before you go is how they remember you months later."
            )
            found.append(
                ctx.spec(
                    vocab.THANK_YOU,
                    f"thank_you:rotation:{rotation.id}:{contact_id}",
                    score.contact,
                    due,
                    reason,
                    show_from,
                )
            )
    return found


def _feedback(ctx: _Context) -> list[NudgeSpec]:
    conf, today = ctx.conf, ctx.today
    found = []
    for rotation in ctx.index.rotations:
        length = (rotation.end - rotation.start).days + 1
        if length < conf.feedback_min_rotation_days:
            continue
        midpoint = rotation.start + datetime.timedelta(days=(length - 1) // 2)
        show_from = midpoint - datetime.timedelta(days=conf.feedback_lead_days)
        if not _shows(today, show_from, rotation.end):
            continue
        team_ids = {contact_id for contact_id, _ in rotation.team}
        already = any(
            interaction.kind == vocab.FEEDBACK_SESSION and rotation.start <= interaction.date
            for contact_id in team_ids
            for interaction in ctx.interactions(contact_id)
        )
        if already:
            continue
        supervisors = []
        for contact_id, weeks in rotation.team:
            score = ctx.scores.get(contact_id)
            if score is None or score.contact.archived:
                continue
            if score.contact.role in vocab.NOT_SUPERVISING_ROLES:
                continue
            supervisors.append((-weeks, -score.influence.base, score.contact.name, score))
        supervisors.sort(key=lambda item: item[:3])
        for _weeks, _influence, _name, score in supervisors[: conf.feedback_max_contacts]:
            reason = (
                f"You're halfway through {rotation.name}. Ask {score.contact.name}: "
                "\u201cWhat is one thing I could do better this week?\u201d Then apply it and "
                "circle back: that is how supervisors come to know your work."
            )
            found.append(
                ctx.spec(
                    vocab.FEEDBACK,
                    f"feedback:{rotation.id}:{score.contact.id}",
                    score.contact,
                    midpoint,
                    reason,
                    rotation.start,
                )
            )
    return found


def _letters(ctx: _Context) -> list[NudgeSpec]:
    conf, today = ctx.conf, ctx.today
    found = []
    for letter in ctx.records.letters:
        score = ctx.scores.get(letter.writer_id)
        if score is None:
            continue
        writer = score.contact
        purpose = vocab.LETTER_PURPOSE_LABELS.get(letter.purpose, letter.purpose)
        due = letter.due
        if letter.status == vocab.CONSIDERING and due is not None:
            show_from = due - datetime.timedelta(weeks=conf.letter_ask_weeks)
            ask_by = due - datetime.timedelta(weeks=conf.letter_ask_deadline_weeks)
            if _shows(today, show_from, due):
                reason = (
                    f"Your {purpose} letter is due {_day(due)}. Writers need at least six weeks: "
                    f"asking {writer.name} by {_day(ask_by)} gives them time to write a "
                    "strong one."
                )
                found.append(
                    ctx.spec(
                        vocab.LETTER_ASK,
                        f"letter_ask:{letter.id}",
                        writer,
                        ask_by,
                        reason,
                        show_from,
                    )
                )
        if letter.status == vocab.AGREED and letter.materials_sent_on is None:
            agreed = letter.agreed_on or letter.asked_on or letter.created_on
            if agreed is not None and _shows(today, agreed, due):
                missing = [
                    label
                    for slug, label in (
                        (vocab.CV, "CV"),
                        (vocab.PERSONAL_STATEMENT, "personal-statement draft"),
                    )
                    if slug not in letter.materials
                ] or ["materials"]
                reason = (
                    f"{writer.name} said yes. Sending your {' and '.join(missing)} within three "
                    "days makes their letter easier to write (and shows you are organised)."
                )
                found.append(
                    ctx.spec(
                        vocab.LETTER_MATERIALS,
                        f"letter_materials:{letter.id}",
                        writer,
                        agreed + datetime.timedelta(days=conf.letter_materials_days),
                        reason,
                        agreed,
                    )
                )
                continue  # one message at a time: the reminder can wait for the materials
        if letter.status in (vocab.ASKED, vocab.AGREED, vocab.MATERIALS_SENT) and due:
            remind_on = due - datetime.timedelta(weeks=conf.letter_reminder_weeks)
            until = due + datetime.timedelta(days=conf.letter_reminder_grace_days)
            if _shows(today, remind_on, until):
                reason = (
                    f"{writer.name}'s letter is due {_day(due)}. One polite reminder two weeks "
                    "ahead is welcome; one is enough."
                )
                found.append(
                    ctx.spec(
                        vocab.LETTER_REMINDER,
                        f"letter_reminder:{letter.id}",
                        writer,
                        remind_on,
                        reason,
                        remind_on,
                    )
                )
        if letter.status == vocab.SUBMITTED:
            submitted = letter.submitted_on or letter.due or letter.created_on
            if submitted is not None and submitted <= today:
                reason = (
                    f"{writer.name} submitted your letter. A heartfelt thank-you now, and news "
                    "of your Match later, closes the loop."
                )
                found.append(
                    ctx.spec(
                        vocab.LETTER_THANKS,
                        f"letter_thanks:{letter.id}",
                        writer,
                        submitted + datetime.timedelta(days=conf.letter_thanks_days),
                        reason,
                        submitted,
                    )
                )
    return found


def _cycle(ctx: _Context) -> list[NudgeSpec]:
    cal, conf, today = ctx.calendar, ctx.conf, ctx.today
    if cal is None:
        return []
    found = []
    year = cal.year
    focus_scores = [ctx.scores[contact_id] for contact_id in ctx.focus]
    # Before interview season: tell advocates where you applied.
    show_from = cal.interview_start - datetime.timedelta(days=conf.cycle_applied_lead_days)
    due = cal.interview_start - DAY
    if _shows(today, show_from, due + datetime.timedelta(days=conf.cycle_applied_grace_days)):
        for score in focus_scores:
            reason = (
                f"Interview season starts {_day(cal.interview_start)}. Tell {score.contact.name} "
                "where you applied: when a program asks around, they'll be ready to speak "
                "for you."
            )
            found.append(
                ctx.spec(
                    vocab.CYCLE_UPDATE,
                    f"cycle_update:applied:{year}:{score.contact.id}",
                    score.contact,
                    due,
                    reason,
                    show_from,
                )
            )
    # Before the rank-list deadline: a brief update.
    show_from = cal.rank_deadline - datetime.timedelta(days=conf.cycle_rank_lead_days)
    due = cal.rank_deadline - datetime.timedelta(days=conf.cycle_rank_due_days_before)
    if _shows(today, show_from, cal.rank_deadline):
        for score in focus_scores:
            reason = (
                f"Rank-list meetings are under way (lists lock {_day(cal.rank_deadline)}). A "
                f"brief update to {score.contact.name} (interviews done, the programs you "
                "loved) helps them speak for you."
            )
            found.append(
                ctx.spec(
                    vocab.CYCLE_UPDATE,
                    f"cycle_update:rank:{year}:{score.contact.id}",
                    score.contact,
                    due,
                    reason,
                    show_from,
                )
            )
    # Match Week: the SOAP plan, for a student who did not match (or only to a prelim year).
    outcome = ctx.records.match_outcome
    if outcome in (vocab.UNMATCHED, vocab.PARTIAL) and cal.in_soap(today):
        helpers = [
            score for score in ranked(ctx.active()) if score.weight > 0 and score.tier != DORMANT
        ][: conf.soap_contacts]
        if helpers:
            who = _names([_who(score) for score in helpers])
            ask = (
                f"Ask {who} to each reach 3\u20135 programs in range where they have ties. "
                if len(helpers) > 1
                else f"Ask {who} to reach 3\u20135 programs in range where they have ties. "
            )
        else:
            ask = "Ask your advisor and dean's office whom to call for 3\u20135 programs in range. "
        reason = (
            "SOAP this week: this is exactly what advocates are for. "
            + ask
            + "Tuesday programs filter, Wednesday morning they build preference lists (the "
            "sweet spot), Thursday brings offers. Keep your own note brief and calm."
        )
        found.append(
            ctx.spec(
                vocab.SOAP_PLAN,
                f"soap_plan:{year}",
                None,
                cal.match_week_start + DAY,
                reason,
                cal.match_week_start,
            )
        )
    # After Match Day: thank every letter writer and advocate.
    due = cal.match_day + datetime.timedelta(days=conf.match_thanks_days)
    if _shows(today, cal.match_day, due + datetime.timedelta(days=conf.match_thanks_grace_days)):
        writers = {
            letter.writer_id
            for letter in ctx.records.letters
            if letter.status in vocab.WRITTEN_STATUSES
        }
        for score in ranked(ctx.active()):
            is_writer = score.contact.id in writers
            if not is_writer and score.tier != ADVOCATE:
                continue
            role = "wrote for you" if is_writer else "spoke for you"
            if outcome in (vocab.UNMATCHED, vocab.PARTIAL):
                news = "how the week went and what comes next"
            else:
                news = "where you matched"
            reason = (
                f"Match Day. {score.contact.name} {role}: tell them {news}, and thank them. "
                "They will remember it for years."
            )
            found.append(
                ctx.spec(
                    vocab.MATCH_THANKS,
                    f"match_thanks:{year}:{score.contact.id}",
                    score.contact,
                    due,
                    reason,
                    cal.match_day,
                )
            )
    return found


def _over_contact(ctx: _Context) -> list[NudgeSpec]:
    conf, today = ctx.conf, ctx.today
    found = []
    window = conf.over_contact_window_days - 1
    # A warning shows for a week after the outreach that triggers it, and the outreach spans a
    # week at most: only the last two weeks of each history matter.
    horizon = today - datetime.timedelta(days=2 * window)
    for score in ctx.active():
        interactions = _since(ctx.interactions(score.contact.id), horizon)
        last_reply = max((i.date for i in interactions if is_reply(i)), default=None)
        sent = [
            i.date
            for i in interactions
            if i.direction == vocab.OUTBOUND
            and i.kind in vocab.MESSAGE_KINDS
            and (last_reply is None or i.date > last_reply)
        ]
        trigger = None
        count = conf.over_contact_count
        for position in range(count - 1, len(sent)):
            if (sent[position] - sent[position - count + 1]).days <= window:
                trigger = sent[position]
                break
        if trigger is None:
            continue
        if not _shows(today, trigger, trigger + datetime.timedelta(days=window)):
            continue
        reason = (
            f"You've reached out to {score.contact.name} {count} times in a week without a "
            "reply. Give them room: people get busy, and one unhurried note later lands better "
            "than several now."
        )
        found.append(
            ctx.spec(
                vocab.OVER_CONTACT,
                f"over_contact:{score.contact.id}:{trigger.isoformat()}",
                score.contact,
                trigger,
                reason,
                trigger,
            )
        )
    return found


def progress_for(
    scores: dict[int, ContactScore], focus: tuple[int, ...], conf: EngineConf
) -> Progress:
    active = [score for score in scores.values() if not score.contact.archived]
    advocates = sum(1 for score in active if score.tier == ADVOCATE)
    developing = ranked(score for score in active if score.tier == DEVELOPING)
    # Whom to invest in: the developing contacts the focus set leans on, strongest first.
    candidates = [score for score in developing if score.contact.id in focus] or developing
    candidates = candidates[: max(1, conf.focus_min - advocates)] if candidates else []
    goal = f"{conf.focus_min}\u2013{conf.focus_max}"
    headline = f"{advocates} of {goal} deep advocates"
    if advocates > conf.focus_max:
        # "12 of 3-5" reads like a mistake; say what the number means instead.
        headline = f"{advocates} deep advocates (the goal is {goal})"
        next_step = (
            f"More than enough. The {conf.focus_max} in your focus get the follow-up reminders; "
            "keep the others warm with an update twice a year."
        )
    elif advocates == conf.focus_max:
        next_step = "Keep them warm: a brief, genuine update every few months."
    elif advocates >= conf.focus_min:
        next_step = "That's the goal. Keep them warm with a brief update every few months."
        if candidates:
            best = candidates[0]
            next_step += f" {best.contact.name} could become another: {next_step_for(best, conf)}."
    elif candidates:
        best = candidates[0]
        next_step = (
            f"{_who(best)} is closest ({strongest_evidence(best)}): {next_step_for(best, conf)}."
        )
        if len(candidates) > 1:
            others = _names([score.contact.name for score in candidates[1:]])
            next_step += f" {others} could follow."
    else:
        next_step = (
            "No one knows your work closely yet. On your next rotation, pick one attending or "
            "senior resident, ask for feedback at the midpoint, and circle back."
        )
    return Progress(
        advocates=advocates,
        goal_min=conf.focus_min,
        goal_max=conf.focus_max,
        headline=headline,
        next_step=next_step,
        candidate_ids=tuple(score.contact.id for score in candidates),
    )


def _month_start(today: datetime.date) -> datetime.date:
    return today.replace(day=1)


def _invest(ctx: _Context, progress: Progress) -> list[NudgeSpec]:
    if progress.on_track:
        return []
    month = _month_start(ctx.today)
    count = progress.advocates
    have = (
        "You don't have a deep advocate yet"
        if count == 0
        else f"You have {_plural(count, 'deep advocate')}"
    )
    reason = f"{have}; {progress.goal_min}\u2013{progress.goal_max} is the goal. " + (
        progress.next_step
    )
    return [
        ctx.spec(
            vocab.INVEST,
            f"invest:{month:%Y-%m}",
            None,
            month + datetime.timedelta(days=ctx.conf.gap_due_days),
            reason,
            month,
        )
    ]


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
    active = [s.contact for s in scores.values() if not s.contact.archived and s.tier != DORMANT]
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
        missing = "community" if have == "academic" else "academic"
        gaps.append(
            Gap(
                "setting",
                missing,
                f"Everyone you know works in {have} settings: someone from a {missing} program "
                "would widen the view.",
            )
        )
    groups = {vocab.ROLE_GROUPS.get(c.role, c.role) for c in active}
    if len(groups) == 1:
        (group,) = groups
        label = vocab.ROLE_GROUP_LABELS.get(group, group)
        gaps.append(
            Gap(
                "role_group",
                group,
                f"All your contacts are {label}. Residents, fellows, faculty and staff talk to "
                "each other: diversify who knows your work.",
            )
        )
    return tuple(gaps)


def _gap(ctx: _Context, gaps: tuple[Gap, ...]) -> list[NudgeSpec]:
    if not gaps:
        return []
    month = _month_start(ctx.today)
    reason = " ".join(gap.text for gap in gaps[:2])
    if len(gaps) > 2:
        reason += f" ({len(gaps) - 2} more on your map.)"
    return [
        ctx.spec(
            vocab.GAP,
            f"gap:{month:%Y-%m}",
            None,
            month + datetime.timedelta(days=ctx.conf.gap_due_days),
            reason,
            month,
        )
    ]


def _small_action(ctx: _Context) -> list[NudgeSpec]:
    """One small action for a quiet week, chosen by the week so it varies."""
    today, conf = ctx.today, ctx.conf
    monday = today - datetime.timedelta(days=today.weekday())
    due = monday + datetime.timedelta(days=6)
    key = f"small_action:{monday.isoformat()}"

    def update_someone() -> NudgeSpec | None:
        quiet = []
        for contact_id in ctx.focus:
            score = ctx.scores[contact_id]
            last = score.depth.last_contact_on
            last_outbound = _last_outbound(ctx.interactions(contact_id))
            recent_outreach = last_outbound is not None and (
                (today - last_outbound).days < conf.outreach_quiet_days
            )
            if last is not None and (today - last).days >= 60 and not recent_outreach:
                quiet.append(score)
        if not quiet:
            return None
        score = quiet[0]
        reason = (
            f"Send {score.contact.name} a 3-line update: what you're working on, and one "
            "thing their advice changed."
        )
        return ctx.spec(vocab.SMALL_ACTION, key, score.contact, due, reason, monday)

    def thank_someone() -> NudgeSpec | None:
        reason = (
            "Thank someone who helped you lately (a resident who taught you, a nurse who had "
            "your back) in a sentence or two."
        )
        return ctx.spec(vocab.SMALL_ACTION, key, None, due, reason, monday)

    def grand_rounds() -> NudgeSpec | None:
        reason = (
            "Go to grand rounds or a department conference this week, and introduce yourself "
            "to the speaker afterwards with one question about the talk."
        )
        return ctx.spec(vocab.SMALL_ACTION, key, None, due, reason, monday)

    def coffee() -> NudgeSpec | None:
        reason = (
            "Ask a resident you admire for ten minutes over coffee: how they chose their "
            "program, and what they wish they had known."
        )
        return ctx.spec(vocab.SMALL_ACTION, key, None, due, reason, monday)

    options: list[Callable[[], NudgeSpec | None]] = [
        update_someone,
        thank_someone,
        grand_rounds,
        coffee,
    ]
    found = [spec for spec in (option() for option in options) if spec is not None]
    return [found[monday.isocalendar().week % len(found)]]


# Outreach kinds that one message to a person covers, so they are not asked for twice.
_OUTREACH = {vocab.FOLLOW_UP, vocab.CYCLE_UPDATE, vocab.SMALL_ACTION}


def _one_voice_per_person(specs: list[NudgeSpec]) -> list[NudgeSpec]:
    """Drop redundant asks: a follow-up when something more specific goes to the same person;
    any outreach to someone already contacted too often this week; duplicate thank-yous."""
    by_contact: dict[int, set[str]] = {}
    for spec in specs:
        if spec.contact_id is not None:
            by_contact.setdefault(spec.contact_id, set()).add(spec.kind)
    latest_thanks: dict[int, NudgeSpec] = {}
    for spec in specs:
        if spec.kind == vocab.THANK_YOU and spec.contact_id is not None:
            current = latest_thanks.get(spec.contact_id)
            if current is None or (spec.occasion_on, spec.key) > (current.occasion_on, current.key):
                latest_thanks[spec.contact_id] = spec
    kept = []
    for spec in specs:
        kinds = by_contact.get(spec.contact_id, set()) if spec.contact_id is not None else set()
        if spec.kind in _OUTREACH and vocab.OVER_CONTACT in kinds:
            continue
        if spec.kind == vocab.FOLLOW_UP and kinds - {vocab.FOLLOW_UP, vocab.OVER_CONTACT}:
            continue
        if spec.kind == vocab.THANK_YOU and latest_thanks.get(spec.contact_id) is not spec:
            continue
        kept.append(spec)
    return kept


# Monthly reflections and warnings: they do not crowd out the week's one small action.
_NOT_TASKS = frozenset({vocab.GAP, vocab.INVEST, vocab.OVER_CONTACT})

_ORDER = {kind: position for position, kind in enumerate(vocab.NUDGE_KINDS)}


def evaluate(
    records: StudentRecords, today: datetime.date, conf: EngineConf, *, with_nudges: bool = True
) -> Evaluation:
    """Everything the engine says about one student on `today`.

    Pages that show only where the student stands (scores, focus set, progress, phase) pass
    `with_nudges=False`: the rules are skipped, and `nudges` and `gaps` come back empty."""
    index = index_records(records, today)
    scores = score_contacts(index, conf)
    focus = focus_set(scores.values(), conf)
    calendar = (
        match_calendar(records.match_year, conf, dict(records.cycle_dates))
        if records.match_year
        else None
    )
    progress = progress_for(scores, focus, conf)
    if not with_nudges:
        return Evaluation(
            today=today,
            scores=scores,
            focus=focus,
            progress=progress,
            gaps=(),
            calendar=calendar,
            phase=cycle_phase(today, calendar),
            nudges=(),
        )
    ctx = _Context(records, today, conf, index, scores, focus, calendar)
    gaps = gaps_for(records, scores)

    specs: list[NudgeSpec] = []
    for rule in (_follow_ups, _thank_yous, _feedback, _letters, _cycle, _over_contact):
        specs.extend(rule(ctx))
    # What was already done (an interaction that answers it) is not asked again.
    specs = [
        spec
        for spec in specs
        if spec.contact_id is None
        or not any(
            answers(spec.kind, spec.occasion_on, interaction)
            for interaction in index.interactions.get(spec.contact_id, ())
        )
    ]
    specs = _one_voice_per_person(specs)
    specs.extend(_invest(ctx, progress))
    specs.extend(_gap(ctx, gaps))
    # One small action, only in a week when nothing else asks for the student's time.
    week_end = today + datetime.timedelta(days=6 - today.weekday())
    if not any(spec.kind not in _NOT_TASKS and spec.due <= week_end for spec in specs):
        for spec in _small_action(ctx):
            interactions = index.interactions.get(spec.contact_id, ()) if spec.contact_id else ()
            if not any(answers(spec.kind, spec.occasion_on, i) for i in interactions):
                specs.append(spec)

    unique: dict[str, NudgeSpec] = {}
    for spec in specs:
        unique.setdefault(spec.key, spec)
    ordered = sorted(
        unique.values(),
        key=lambda spec: (spec.due, _ORDER.get(spec.kind, 99), spec.contact_name or "", spec.key),
    )
    return Evaluation(
        today=today,
        scores=scores,
        focus=focus,
        progress=progress,
        gaps=gaps,
        calendar=calendar,
        phase=cycle_phase(today, calendar),
        nudges=tuple(ordered),
    )
