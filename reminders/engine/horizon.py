"""What the engine will ask between today and a later day, in one pass: the weekly email's look
ahead (issue 23).

`horizon(records, today, until, conf)` answers, beside today's evaluation, every task the engine
will first ask on a later day up to `until` and due by then (KindSpec.said_ahead: not the
month's reflections, a warning or the week's idea), with the words, due date and stakes it will
have on that day: exactly what `evaluate` says when asked about each of those days with the
records as they stand today (nothing logged for a later date has happened yet), without asking
it about each day. One scoring (today's, reused from `evaluation` when the caller has it: the
weekly email's refresh) and one pass over the rules' calendars.

How. With nothing newly logged, what the engine says about a contact changes only on a few
days, and each rule can name them: when its occasions start and stop showing
(`follow_up_days`, `thank_you_days`, `feedback_days`, `letter_days`, `over_contact_days`),
when a score may move (`scoring.score_changes`: a rotation under way, a quiet spell crossing a
line, ...) and with it the focus set. So the rules are asked about a contact on those days
only, for that contact alone, and their answer is filtered as `evaluate` filters it (what is
current, what was already done, one voice per person); the moments of the Match year
(`cycle_windows`) on each day of their windows; the lines about the whole network (the letters
plan, the red-flag line, the residency phase) on the days they could start. Between two such
days nothing about a contact changes, so nothing new could be asked.
tests/reminders/test_horizon.py holds it to the day-by-day answer over random networks.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence

from contacts.vocabulary import Direction, Tier
from reminders.engine.conf import EngineConf
from reminders.engine.kinds import spec_for
from reminders.engine.records import StudentRecords
from reminders.engine.replies import MESSAGE_KINDS
from reminders.engine.rules import (
    _PERSON_RULES,
    Evaluation,
    _answered,
    _current,
    _one_voice_per_person,
    evaluate,
)
from reminders.engine.rules.base import DAY, Context, NudgeSpec
from reminders.engine.rules.cycle_moments import cycle_moments, cycle_windows
from reminders.engine.rules.feedback import feedback, feedback_days
from reminders.engine.rules.follow_ups import (
    follow_up_cadences,
    follow_up_days,
    follow_up_reach,
    follow_ups,
    planned_follow_up,
)
from reminders.engine.rules.letters import (
    letter_days,
    letters,
    letters_plan,
    letters_plan_days,
    red_flag_show_from,
    tell_about_red_flags,
)
from reminders.engine.rules.over_contact import over_contact, over_contact_days, over_contact_reach
from reminders.engine.rules.residency import in_residency, residency, residency_days
from reminders.engine.rules.thank_yous import (
    thank_you_days,
    thank_you_within_days,
    thank_yous,
    thanks_reach,
)
from reminders.engine.scoring import (
    STEADY,
    ContactScore,
    ScoreChanges,
    can_advocate,
    focus_of,
    holds_focus_slot,
    index_records,
    last_contact_on,
    moved_score,
    ranked,
    score_changes,
    score_contact,
    tops_up_focus,
)

__all__ = ["Ahead", "Horizon", "horizon"]


@dataclasses.dataclass(frozen=True, slots=True)
class Ahead:
    """A task the engine asks first on `day`, as it will say it then."""

    spec: NudgeSpec
    day: datetime.date


@dataclasses.dataclass(frozen=True)
class Horizon:
    evaluation: Evaluation  # today's
    until: datetime.date
    ahead: tuple[Ahead, ...]  # most at stake first, then the earliest, then by key


def horizon(
    records: StudentRecords,
    today: datetime.date,
    until: datetime.date,
    conf: EngineConf,
    *,
    evaluation: Evaluation | None = None,
) -> Horizon:
    """Today's evaluation (`evaluation`, when the caller has it: the same records on `today`)
    and what the engine will first ask from tomorrow to `until`, due by `until`."""
    if evaluation is None:
        evaluation = evaluate(records, today, conf)
    elif evaluation.today != today:
        raise ValueError(f"The evaluation is of {evaluation.today}, not {today}.")
    if until <= today:
        return Horizon(evaluation, until, ())
    found = _Stretch(records, evaluation, until, conf).ahead()
    ordered = sorted(found, key=lambda item: (-item.spec.stakes, item.day, item.spec.key))
    return Horizon(evaluation, until, tuple(ordered))


# The person rules asked about one contact at a time: what they say of a contact reads that
# contact's records and score alone. The others are asked about the whole day (feedback ranks a
# rotation's team; the cycle moments read the focus set and the whole network).
_ONE_AT_A_TIME = (follow_ups, thank_yous, letters, over_contact)
_WHOLE_DAY = (feedback, cycle_moments)
# Rules that read of a score only what no day changes (who the contact is, their role and
# standing: feedback ranks a team by weeks together and role): today's scores serve any day.
_READS_WHAT_STAYS = (feedback,)
if set(_PERSON_RULES) != set(_ONE_AT_A_TIME + _WHOLE_DAY):  # a new rule needs its days here
    raise ImportError("reminders.engine.horizon does not know every person rule's days.")


class _Stretch:
    """One student from tomorrow to `until`, from today's evaluation."""

    def __init__(
        self,
        records: StudentRecords,
        evaluation: Evaluation,
        until: datetime.date,
        conf: EngineConf,
    ):
        today = evaluation.today
        self.today, self.first, self.until, self.conf = today, today + DAY, until, conf
        # One pass over what was logged: who spoke lately (a thank-you may still stop), who
        # was sent enough messages lately ("give them room" may start or stop), whose
        # conversation leaves the 12-month window (a score turns), and whether anything is
        # dated after today.
        thanked_from = self.first - datetime.timedelta(days=thanks_reach(conf))
        messaged_from = self.first - datetime.timedelta(days=over_contact_reach(conf))
        lately = min(thanked_from, messaged_from)
        window = datetime.timedelta(days=conf.interaction_window_days)
        leaving_from, leaving_to = self.first - window, until - window
        self.thanked: set[int] = set()
        self.planners: set[int] = set()  # a "follow up by" date of the student's own
        leaving: set[int] = set()
        messages: Counter[int] = Counter()
        later = False
        for interaction in records.interactions:
            if interaction.follow_up_by is not None:
                self.planners.add(interaction.contact_id)
            if interaction.date >= lately:
                if interaction.date > today:
                    later = True
                    continue
                if (
                    interaction.date >= thanked_from
                    and thank_you_within_days(interaction.kind, conf) is not None
                ):
                    self.thanked.add(interaction.contact_id)
                if (
                    interaction.date >= messaged_from
                    and interaction.direction == Direction.OUTBOUND
                    and interaction.kind in MESSAGE_KINDS
                ):
                    messages[interaction.contact_id] += 1
            if leaving_from <= interaction.date <= leaving_to:
                leaving.add(interaction.contact_id)
        self.messaged = {
            contact_id for contact_id, sent in messages.items() if sent >= conf.over_contact_count
        }
        # The days ahead as they stand today: nothing logged for a later date has happened yet.
        if later:
            records = dataclasses.replace(
                records, interactions=tuple(i for i in records.interactions if i.date <= today)
            )
        self.records = records
        # Today's evaluation indexed these records already (unless it saw only some of them).
        index = evaluation.index
        self.index = index if index is not None else index_records(records, today)
        self.scores = evaluation.scores
        self.focus = evaluation.focus
        self.calendar = evaluation.calendar
        self.asked = {spec.key for spec in evaluation.nudges}
        # A last contact on one of these days crosses a quiet line (a decay, dormant) over the
        # stretch.
        self._quiet_lines = {
            day - datetime.timedelta(days=days + 1)
            for days in (
                conf.decay_half_after_days,
                conf.decay_quarter_after_days,
                conf.dormant_after_days,
            )
            for day in self.window()
        }
        ends = self.index.evidence_until
        self._evidence_ends = ends is not None and self.first <= ends <= until
        self.changes: dict[int, ScoreChanges] = {
            contact_id: self._score_changes(score, leaving)
            for contact_id, score in self.scores.items()
        }
        # The first day each contact's score may move (from then on, it is scored again), and
        # the first day it may turn (before, only a rotation under way moves it).
        self.moves_from: dict[int, datetime.date] = {}
        self.turns_from: dict[int, datetime.date] = {}
        for contact_id, changes in self.changes.items():
            if not changes.steady:
                self.moves_from[contact_id] = min(changes.turns | changes.moving)
            if changes.turns:
                self.turns_from[contact_id] = min(changes.turns)
        self._steady_focus: tuple[list[ContactScore], list[ContactScore]] | None = None
        self._focus_movers: dict[int, datetime.date] | None = None
        self._flips: dict[int, frozenset[datetime.date]] = {}
        self._reaches: dict[int, frozenset[int]] = {}
        self._focus_days: list[datetime.date] | None = None
        # Whether a follow-up to the contact may show on a day of the stretch (_contact_days).
        self._touches: dict[int, bool] = {}
        self.today_context = Context(
            self.records, today, conf, self.index, self.scores, self.focus, self.calendar
        )
        self._days: dict[datetime.date, _Day] = {}
        self.found: dict[str, Ahead] = {}

    def day(self, day: datetime.date) -> _Day:
        if day not in self._days:
            self._days[day] = _Day(self, day)
        return self._days[day]

    def _score_changes(self, score: ContactScore, leaving: set[int]) -> ScoreChanges:
        """scoring.score_changes, with the common case first: no rotation, no letter, no
        conversation leaving the window, no quiet line crossed, nothing starting."""
        contact, index, first, until = score.contact, self.index, self.first, self.until
        if (
            contact.id in leaving
            or contact.id in index.teams
            or contact.id in index.letters
            or (contact.created_on is not None and first <= contact.created_on <= until)
            or (score.evidence and self._evidence_ends)
        ):
            return score_changes(contact, index, self.conf, first, until)
        if score.depth.last_contact_on in self._quiet_lines:
            return score_changes(contact, index, self.conf, first, until)
        return STEADY

    def focus_movers(self) -> dict[int, datetime.date]:
        """The contacts whose scores move over the stretch and who may count for the focus set
        on some day of it (an advocate, or a developing contact who could be one), with the
        first day each moves: nobody else's move can change the focus set. A score that only
        a rotation under way moves only rises, so its last day tells; one that only turns,
        each of its turns."""
        if self._focus_movers is None:
            conf = self.conf
            self._focus_movers = {}
            for contact_id, moves in self.moves_from.items():
                score = self.scores[contact_id]
                if score.contact.archived:
                    continue
                changes = self.changes[contact_id]
                if changes.turns and changes.moving:
                    counts = True  # both: not worth the bound
                else:
                    days = sorted(changes.turns) if changes.turns else [self.until]
                    counts = _may_be_in_focus(score, conf) or any(
                        _may_be_in_focus(self.day(day).scores[contact_id], conf) for day in days
                    )
                if counts:
                    self._focus_movers[contact_id] = moves
        return self._focus_movers

    def steady_focus(self) -> tuple[list[ContactScore], list[ContactScore]]:
        """The contacts whose moves cannot change the focus set, ranked as the focus set ranks
        them: its advocates and those who could top it up (only the first few are read)."""
        if self._steady_focus is None:
            conf, movers = self.conf, self.focus_movers()
            steady = [
                score
                for contact_id, score in self.scores.items()
                if contact_id not in movers and not score.contact.archived
            ]
            self._steady_focus = (
                ranked(score for score in steady if holds_focus_slot(score, conf))[
                    : conf.focus_max
                ],
                ranked(score for score in steady if tops_up_focus(score, conf))[
                    : conf.focus_min + conf.focus_max
                ],
            )
        return self._steady_focus

    def window(self) -> Iterator[datetime.date]:
        day = self.first
        while day <= self.until:
            yield day
            day += DAY

    def offer(self, spec: NudgeSpec, day: datetime.date) -> None:
        """`spec`, as the engine says it on `day` (filtered): kept if it is a task said ahead,
        not asked today nor found on an earlier day, and due by `until`."""
        if (
            spec.key in self.asked
            or spec.key in self.found
            or not spec_for(spec.kind).said_ahead
            or spec.due > self.until
        ):
            return
        self.found[spec.key] = Ahead(spec, day)

    # --- The pass ----------------------------------------------------------------------------

    def ahead(self) -> list[Ahead]:
        cycle_changes = self._cycle_moments()
        index = self.index
        # Who may have something new, worked out for the whole student at once: most contacts
        # are steady (no score change) and quiet (nothing logged lately, no rotation or
        # letter), and for them only a follow-up could start: from a last contact some round
        # of some cadence reaches (follow_up_reach).
        candidates = (
            set(cycle_changes)
            | self.thanked
            | self.messaged
            | self.planners
            | index.teams.keys()
            | index.letters.keys()
            | {contact_id for contact_id, changes in self.changes.items() if changes is not STEADY}
        )
        anchors: dict[int, list[int]] = {}
        for contact_id, score in self.scores.items():
            last = score.depth.last_contact_on
            if (
                contact_id in candidates
                or last is None
                or score.contact.archived
                or score.tier == Tier.DORMANT
                # An acquaintance, as it stays: no focus place, nobody to keep warm, no cadence.
                or (
                    score.tier == Tier.ACQUAINTANCE
                    and score.depth.decay_factor == 1
                    and self.conf.developing_min_depth <= self.conf.advocate_min_depth
                )
            ):
                continue
            anchors.setdefault(last.toordinal(), []).append(contact_id)
        for cadence in follow_up_cadences(self.conf) - {None}:
            for day in anchors.keys() & self._reach(cadence):
                candidates.update(anchors[day])
        for contact_id in sorted(candidates):
            days = self._contact_days(contact_id) | cycle_changes.get(contact_id, set())
            for day in sorted(days):
                self._ask(contact_id, day)
        self._network()
        # Found contact by contact: the earliest day of each key comes first within its contact.
        return list(self.found.values())

    def focus_days(self) -> list[datetime.date]:
        """The days the focus set may change: a score that counts for it moves."""
        if self._focus_days is None:
            self._focus_days = sorted(
                {
                    day
                    for contact_id in self.focus_movers()
                    for day in self.changes[contact_id].turns | self.changes[contact_id].moving
                }
            )
        return self._focus_days

    def _ask(self, contact_id: int, day: datetime.date) -> None:
        """What the person rules say about this contact on `day`, filtered as `evaluate` does."""
        view = self.day(day)
        one = view.context_for(contact_id)
        specs: list[NudgeSpec] = []
        for rule in _PERSON_RULES:
            if rule in _ONE_AT_A_TIME:
                specs += rule(one)
            else:
                specs += view.whole(rule).get(contact_id, ())
        specs = _current(specs, day, self.conf)
        interactions = self.index.interactions.get(contact_id, ())
        specs = [spec for spec in specs if not _answered(spec, interactions)]
        for spec in _one_voice_per_person(specs):
            self.offer(spec, day)

    # --- When each contact may change ----------------------------------------------------------

    def _contact_days(self, contact_id: int) -> set[datetime.date]:
        """The days a rule may say something new about this contact (a sound bound): when one
        of its occasions starts, and when one stops that may have held another back (another
        kind holds its follow-up, a later thank-you an earlier one, "give them room" every
        message to them: reminders.engine.rules._one_voice_per_person)."""
        conf, first, until = self.conf, self.first, self.until
        score = self.scores[contact_id]
        changes = self.changes[contact_id]
        interactions = self.index.interactions.get(contact_id, [])
        days = set(changes.dormant)  # a former advocate's reconnect
        shows: set[datetime.date] = set()  # the days a follow-up to them may show
        if not score.contact.archived:
            starts, shows = self._follow_up_days(contact_id, score, changes)
            days |= starts
        self._touches[contact_id] = bool(shows)
        index = self.index
        if not (
            shows
            or contact_id in self.thanked
            or contact_id in self.messaged
            or contact_id in index.teams
            or contact_id in index.letters
        ):
            return days  # the common case: nothing else of theirs could start or stop
        if shows:
            # On a day it may show, a follow-up changes with its cadence (the focus set, the
            # backchannel peak, the tier), its last contact, Match Week, or when another
            # kind stops holding it back.
            turns = changes.turns | changes.settles | self._follow_up_turns()
            days |= shows & (turns | self._focus_flips(contact_id))
        if contact_id in self.thanked or contact_id in index.teams:
            starts, stops, occasions = thank_you_days(self.today_context, contact_id, first, until)
            days |= starts
            days |= stops if occasions > 1 else stops & shows
        for rotation, _weeks in index.teams.get(contact_id, ()):
            starts, stops = feedback_days(self.today_context, rotation)
            days.update(starts)
            days.update(day for day in stops if day in shows)
        for letter in index.letters.get(contact_id, ()):
            starts, stops = letter_days(letter, conf, self.today)
            days |= starts | (stops & shows)
        if contact_id in self.messaged:
            days |= over_contact_days(interactions, conf, first)
        return {day for day in days if first <= day <= until}

    def _follow_up_days(
        self, contact_id: int, score: ContactScore, changes: ScoreChanges
    ) -> tuple[set[datetime.date], set[datetime.date]]:
        """When a follow-up to this contact may start over the stretch, and the days one may
        show. Between two of its score's turns the last contact stays put, or is the day
        itself (a rotation under way), when no cadence is short enough to show one. A
        steady score keeps its tier: only the focus set may change its cadence."""
        conf, contact = self.conf, score.contact
        interactions = self.index.interactions.get(contact_id, [])
        teams = self.index.teams.get(contact_id, ())
        if changes.steady:
            anchor = score.depth.last_contact_on
            if score.tier == Tier.DORMANT or anchor is None or not (interactions or teams):
                return set(), set()
            cadences = self._cadences(contact_id, score)
            # Most contacts: no round of theirs reaches the stretch (and no date of their own).
            since = anchor.toordinal()
            if not any(cadence and since in self._reach(cadence) for cadence in cadences) and (
                planned_follow_up(interactions, anchor) is None
            ):
                return set(), set()
            return follow_up_days(conf, interactions, anchor, self.first, self.until, cadences)
        cadences = follow_up_cadences(conf)
        shortest = min((cadence for cadence in cadences if cadence), default=None)
        segments = sorted({self.first} | changes.turns | changes.settles)
        starts: set[datetime.date] = set()
        shows: set[datetime.date] = set()
        for position, start in enumerate(segments):
            end = segments[position + 1] - DAY if position + 1 < len(segments) else self.until
            if start in changes.moving:
                # The last contact is each day itself: due a cadence on, shown `lookahead_days`
                # ahead, so only a cadence that short could show one.
                if shortest is not None and shortest <= conf.lookahead_days:
                    moving = {day for day in changes.moving if start <= day <= end}
                    starts |= moving
                    shows |= moving
                continue
            anchor = last_contact_on(contact, interactions, teams, start)
            if anchor is None:
                continue
            more, showing = follow_up_days(conf, interactions, anchor, start, end, cadences)
            starts |= more
            shows |= showing
        return starts, shows

    def _reach(self, cadence: int) -> frozenset[int]:
        reach = self._reaches.get(cadence)
        if reach is None:
            reach = self._reaches[cadence] = follow_up_reach(
                self.conf, cadence, self.first, self.until
            )
        return reach

    def _cadences(self, contact_id: int, score: ContactScore) -> set[int | None]:
        """The cadences a follow-up to a contact whose score stays put may have over the
        stretch: in the focus (and in the backchannel peak or not), or not."""
        conf = self.conf
        in_focus = contact_id in self.focus
        may_change = bool(self.focus_movers())
        may_join = may_change and _may_be_in_focus(score, conf)
        cadences: set[int | None] = set()
        if in_focus or may_join:
            cadences |= {conf.follow_up_days, conf.follow_up_peak_days}
        if not in_focus or may_change:
            kept_warm = score.tier == Tier.ADVOCATE or (
                not can_advocate(score.contact, conf)
                and score.depth.value >= conf.advocate_min_depth
            )
            cadences.add(conf.keep_warm_days if kept_warm else None)
        return cadences

    def _follow_up_turns(self) -> set[datetime.date]:
        """The days every follow-up may turn: Match Week (none) and the backchannel peak (the
        cadence)."""
        cal = self.calendar
        if cal is None:
            return set()
        return {
            cal.match_week_start,
            cal.match_week_start + 7 * DAY,
            cal.interview_start,
            cal.rank_deadline + DAY,
        }

    def _focus_flips(self, contact_id: int) -> set[datetime.date]:
        """The days this contact enters or leaves the focus set, which may change only on a
        day a score that counts for it moves (`focus_movers`). Between two turns (theirs or
        its own) those scores only rise (rotations under way), and then the contact's place
        can only be lost, never regained (more people ahead of it, fewer places to top up):
        the last day of such a stretch tells whether it is lost, and halving finds the day. A
        contact whose own score a rotation moves is looked at every day."""
        focus_days = self.focus_days()
        if not focus_days:
            flips: set[datetime.date] = set()
        elif self.changes[contact_id].moving:
            flips = set()
            before = contact_id in self.focus
            for day in focus_days:
                now = self._in_focus(contact_id, day)
                if now != before:
                    flips.add(day)
                before = now
        else:
            flips = self._steady_flips(contact_id)
        self._flips[contact_id] = frozenset(flips)
        return flips

    def _steady_flips(self, contact_id: int) -> set[datetime.date]:
        """`_focus_flips` of a contact whose own score only turns (then it is steady between
        its turns too)."""
        movers = self.focus_movers()
        turns = {day for mover in movers for day in self.changes[mover].turns}
        turns |= self.changes[contact_id].turns
        starts = sorted({self.first} | turns)
        flips = set()
        before = contact_id in self.focus  # on the day before each stretch
        for position, start in enumerate(starts):
            end = starts[position + 1] - DAY if position + 1 < len(starts) else self.until
            known = start - DAY  # the last day whose place is known
            if start in turns:  # anything may change on a turn
                now = self._in_focus(contact_id, start)
                if now != before:
                    flips.add(start)
                before, known = now, start
            # Scores only rise from here to `end`: a place can be lost, not gained.
            if known == end or not before or self._in_focus(contact_id, end):
                continue
            low, high = known, end  # in on `low`, out on `high`
            while (high - low).days > 1:
                middle = low + DAY * ((high - low).days // 2)
                if self._in_focus(contact_id, middle):
                    low = middle
                else:
                    high = middle
            flips.add(high)
            before = False
        return flips

    def _in_focus(self, contact_id: int, day: datetime.date) -> bool:
        return contact_id in self.day(day).focus

    def in_focus_on(self, contact_id: int, day: datetime.date) -> bool:
        """Whether the contact is in the focus set on `day`, known without working the day's
        focus set out (its flips, or a focus set that cannot change)."""
        if not self.focus_movers() or not self._touches[contact_id]:
            # A follow-up that shows on no day of the stretch, whatever its cadence, is not
            # changed by the focus set either: today's serves.
            return contact_id in self.focus
        # A contact is asked about only after _contact_days, which worked out the flips of
        # every contact a follow-up may show for (_focus_flips).
        flipped = sum(1 for flip in self._flips[contact_id] if flip <= day)
        return (contact_id in self.focus) != (flipped % 2 == 1)

    # --- The moments of the Match year, and the lines about no one ---------------------------

    def _cycle_moments(self) -> dict[int, set[datetime.date]]:
        """Asks the cycle moments about each day of their windows; offers what they say about
        no one, and returns the days what they say about each contact changes."""
        cal = self.calendar
        if cal is None:
            return {}
        windows = cycle_windows(cal, self.conf)

        def said(view: _Day | None) -> dict:
            if view is None:
                return {}
            return {
                contact_id: tuple(
                    (spec.key, spec.kind, spec.occasion_on)
                    for spec in _current(specs, view.date, self.conf)
                )
                for contact_id, specs in view.whole(cycle_moments).items()
            }

        def inside(day: datetime.date) -> bool:
            return any(start <= day <= end for start, end in windows)

        changes: dict[int, set[datetime.date]] = {}
        before = said(self.day(self.today) if inside(self.today) else None)
        for day in self.window():
            view = self.day(day) if inside(day) else None
            now = said(view)
            for contact_id in before.keys() | now.keys():
                if contact_id is not None and before.get(contact_id) != now.get(contact_id):
                    changes.setdefault(contact_id, set()).add(day)
            if view is not None:
                for spec in _current(view.whole(cycle_moments).get(None, []), day, self.conf):
                    self.offer(spec, day)
            before = now
        return changes

    def _network(self) -> None:
        """The lines about the whole network that are tasks (the letters plan, the red-flag
        line, the residency phase), on the days they could start."""
        cal, conf, first, until = self.calendar, self.conf, self.first, self.until
        if cal is None:
            return
        turns = set().union(*(changes.turns for changes in self.changes.values()))
        pieces: set[tuple[datetime.date, Callable]] = {
            (day, letters_plan) for day in letters_plan_days(cal, conf, first, until) | turns
        }
        if self.records.red_flags:
            letters_ = [letter for score in self.scores.values() for letter in score.letters]
            show_from = red_flag_show_from(cal, conf, letters_)
            if first <= show_from <= until:
                pieces.add((show_from, tell_about_red_flags))
        if in_residency(self.records, until, cal):
            pieces |= {(day, residency) for day in residency_days(cal, conf, first, until)}
        for day, piece in sorted(pieces, key=lambda item: (item[0], item[1].__name__)):
            view = self.day(day)
            for spec in _current(piece(view.context(), view.scores), day, self.conf):
                self.offer(spec, day)


def _may_be_in_focus(score: ContactScore, conf: EngineConf) -> bool:
    """Whether the focus set could hold this contact, as scored (scoring.focus_set)."""
    return not score.contact.archived and (
        holds_focus_slot(score, conf) or tops_up_focus(score, conf)
    )


class _Day:
    """One later day of the stretch: its scores, focus set and contexts, worked out when first
    read."""

    def __init__(self, stretch: _Stretch, day: datetime.date):
        self.stretch, self.date = stretch, day
        self.index = dataclasses.replace(stretch.index, today=day)
        self.scores = _DayScores(stretch, self.index)
        self.focus = _Focus(self._focus)
        self._context: Context | None = None
        self._whole: dict[Callable, dict[int | None, list[NudgeSpec]]] = {}

    def _focus(self) -> tuple[int, ...]:
        """scoring.focus_set of the day's scores: the steady contacts ranked once, with the
        ones that move."""
        stretch, conf = self.stretch, self.stretch.conf
        movers = stretch.focus_movers()
        if not any(day <= self.date for day in movers.values()):
            return stretch.focus
        advocates, developing = stretch.steady_focus()
        moved = [self.scores[contact_id] for contact_id in movers]
        return focus_of(
            ranked([*advocates, *(score for score in moved if holds_focus_slot(score, conf))]),
            ranked([*developing, *(score for score in moved if tops_up_focus(score, conf))]),
            conf,
        )

    def context(self) -> Context:
        if self._context is None:
            stretch = self.stretch
            self._context = Context(
                stretch.records,
                self.date,
                stretch.conf,
                self.index,
                self.scores,  # type: ignore[arg-type]  # a Mapping, read like the dict
                self.focus,  # type: ignore[arg-type]
                stretch.calendar,
            )
        return self._context

    def context_for(self, contact_id: int) -> Context:
        """The day's context with one contact in it: what the one-at-a-time rules read."""
        stretch = self.stretch
        known = (contact_id, stretch.in_focus_on(contact_id, self.date))
        return Context(
            stretch.records,
            self.date,
            stretch.conf,
            self.index,
            {contact_id: self.scores[contact_id]},
            # What the one-at-a-time rules ask of it: whether this contact is in it.
            _Focus(self._focus, known),  # type: ignore[arg-type]
            stretch.calendar,
        )

    def whole(self, rule: Callable) -> dict[int | None, list[NudgeSpec]]:
        """What `rule` says on this day, by contact (None: about no one)."""
        if rule not in self._whole:
            said: dict[int | None, list[NudgeSpec]] = {}
            context = self.context()
            if rule in _READS_WHAT_STAYS:
                context = dataclasses.replace(context, scores=self.stretch.scores)
            for spec in rule(context):
                said.setdefault(spec.contact_id, []).append(spec)
            self._whole[rule] = said
        return self._whole[rule]


class _DayScores(Mapping[int, ContactScore]):
    """The scores on a later day: today's, but a contact whose score may have moved since
    (scoring.score_changes) is scored again on that day, when first read."""

    def __init__(self, stretch: _Stretch, index):
        self._stretch, self._index = stretch, index
        until = index.evidence_until
        self._in_cycle = until is None or index.today < until
        self._scored: dict[int, ContactScore] = {}

    def __getitem__(self, contact_id: int) -> ContactScore:
        score = self._scored.get(contact_id)
        if score is None:
            stretch, today = self._stretch, self._index.today
            score = stretch.scores[contact_id]
            moves = stretch.moves_from.get(contact_id)
            if moves is not None and moves <= today:
                turns = stretch.turns_from.get(contact_id)
                if turns is not None and turns <= today:
                    score = score_contact(score.contact, self._index, stretch.conf, self._in_cycle)
                else:  # only a rotation under way moved it
                    score = moved_score(score, self._index, stretch.conf, self._in_cycle)
            self._scored[contact_id] = score
        return score

    def __iter__(self) -> Iterator[int]:
        return iter(self._stretch.scores)

    def __len__(self) -> int:
        return len(self._stretch.scores)


class _Focus(Sequence[int]):
    """The day's focus set, worked out the first time a rule reads it (most days none does);
    with `known`, one contact's place in it, known without working it out."""

    def __init__(
        self,
        work_out: Callable[[], tuple[int, ...]],
        known: tuple[int, bool] | None = None,
    ):
        self._work_out = work_out
        self._known = known
        self._ids: tuple[int, ...] | None = None

    def _get(self) -> tuple[int, ...]:
        if self._ids is None:
            self._ids = self._work_out()
        return self._ids

    def __contains__(self, contact_id: object) -> bool:
        if self._known is not None and contact_id == self._known[0]:
            return self._known[1]
        return contact_id in self._get()

    def __iter__(self) -> Iterator[int]:
        return iter(self._get())

    def __len__(self) -> int:
        return len(self._get())

    def __getitem__(self, position):  # type: ignore[override]
        return self._get()[position]
