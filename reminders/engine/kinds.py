"""One spec per nudge kind: everything the engine, This week and the weekly email know about a
kind, in one table (`KIND_SPECS`), read through `spec_for(kind)`.

A kind used to be described in seven places (its stakes, the email's noun, the quick-log's
interaction, what answers it, whether it is outreach or a task, ...), three of them with a silent
fallback: a new kind missing from one got stakes 50, the noun "thing" or no quick-log without
anyone noticing. Here a kind without a spec is a `LookupError` the moment anything asks, and
tests/reminders/test_nudge_kinds.py fails until every `NudgeKind` has a complete one.

The kind's slug, its label and its place in a day's order stay in reminders.vocabulary.NudgeKind
(the model's choices and the PRODUCT.md contract); this table holds what each kind *means*.
Pure, like the rest of the engine: no models, no database.
"""

from __future__ import annotations

import dataclasses
import datetime
from typing import NamedTuple

from contacts.vocabulary import Direction, InteractionKind
from reminders.engine.records import InteractionRecord
from reminders.engine.replies import is_reply
from reminders.vocabulary import NudgeKind

# How the weekly email counts nudges: "2 follow-ups and 1 thank-you". A kind with no noun of
# its own, and a count of too many kinds at once, is "things".
THINGS = ("thing", "things")


@dataclasses.dataclass(frozen=True, slots=True)
class Answer:
    """One way a logged interaction with the nudge's contact, on or after its occasion, does
    what the nudge asked. Every condition given must hold; None means any."""

    kinds: frozenset[str] | None = None  # the interaction's kind
    direction: str | None = None  # Direction.OUTBOUND: something the student did
    after: bool = False  # on a later day than the occasion, not the same day
    reply: bool = False  # a reply (replies.is_reply): the other person took part

    def matches(self, interaction: InteractionRecord, occasion_on: datetime.date) -> bool:
        return (
            (not self.after or interaction.date > occasion_on)
            and (self.kinds is None or interaction.kind in self.kinds)
            and (self.direction is None or interaction.direction == self.direction)
            and (not self.reply or is_reply(interaction))
        )


class Wording(NamedTuple):
    """How the weekly email names a nudge: its title and how it is counted."""

    title: str  # "Your Match"
    nouns: tuple[str, str]  # (singular, plural): ("Match step", "Match steps")


@dataclasses.dataclass(frozen=True, slots=True)
class KindSpec:
    kind: NudgeKind
    # The rules module that writes it (reminders.engine.rules.<family>).
    family: str
    # Its default stakes, 0-100 (the scale is at rules.base.NudgeSpec.stakes); a rule raises
    # it for one nudge when a deadline is near.
    stakes: int
    # How the weekly email counts it: (singular, plural).
    nouns: tuple[str, str]
    # The interaction the quick-log offers after Done (what the student most likely did);
    # None: nothing to log (a plan, a reflection, a warning).
    log_as: str | None
    # What logged interaction answers it (rules.answers): any one of these. Empty: nothing
    # logged does; the nudge is about the whole network, or only a letter's status moves it.
    answered_by: tuple[Answer, ...]
    # Another message to the person: held back while the student is giving them room.
    outreach: bool
    # Asks for the student's time this week: any such nudge crowds out the week's one small
    # action. Monthly reflections and warnings do not.
    task: bool
    # The weekly email says it ahead when the engine will only ask it on a later day before
    # the next email; not the week's idea, the month's reflections or a warning.
    said_ahead: bool
    # How the email names it when it is about no one (a step of the student's own Match, not
    # a message to send); None: the same as about someone.
    alone: Wording | None = None

    @property
    def label(self) -> str:
        """ "Thank-you": the title before the person's name."""
        return self.kind.label

    @property
    def order(self) -> int:
        """Its place among a day's nudges due the same day: NudgeKind's order."""
        return _POSITION[self.kind]

    def words(self, *, about_someone: bool) -> Wording:
        if not about_someone and self.alone is not None:
            return self.alone
        return Wording(self.label, self.nouns)


_POSITION: dict[str, int] = {kind: position for position, kind in enumerate(NudgeKind)}

# Talking with the person: a note, an update, a call, a meeting.
_CONVERSATION = frozenset(
    {InteractionKind.EMAIL, InteractionKind.UPDATE, InteractionKind.CALL, InteractionKind.MEETING}
)
_THANKED = Answer(kinds=frozenset({InteractionKind.THANK_YOU}))
_THANK_YOU_NOUNS = ("thank-you", "thank-yous")
_LETTER_STEP = ("letter step", "letter steps")

_SPECS = (
    KindSpec(
        kind=NudgeKind.FOLLOW_UP,
        family="follow_ups",
        stakes=40,
        nouns=("follow-up", "follow-ups"),
        log_as=InteractionKind.UPDATE,
        # The occasion is the last contact itself; anything later is the follow-up.
        answered_by=(Answer(after=True),),
        outreach=True,
        task=True,
        said_ahead=True,
    ),
    KindSpec(
        kind=NudgeKind.THANK_YOU,
        family="thank_yous",
        stakes=80,
        nouns=_THANK_YOU_NOUNS,
        log_as=InteractionKind.THANK_YOU,
        answered_by=(
            _THANKED,
            # A note sent afterwards surely said thank you too.
            Answer(
                kinds=frozenset(
                    {InteractionKind.EMAIL, InteractionKind.UPDATE, InteractionKind.CALL}
                ),
                direction=Direction.OUTBOUND,
                after=True,
            ),
        ),
        outreach=True,
        task=True,
        said_ahead=True,
    ),
    KindSpec(
        kind=NudgeKind.FEEDBACK,
        family="feedback",
        stakes=70,
        nouns=("feedback ask", "feedback asks"),
        log_as=InteractionKind.FEEDBACK,
        answered_by=(Answer(kinds=frozenset({InteractionKind.FEEDBACK})),),
        # The midpoint feedback ask is said in person, on the rotation: not another message.
        outreach=False,
        task=True,
        said_ahead=True,
    ),
    KindSpec(
        kind=NudgeKind.LETTER_ASK,
        family="letters",
        stakes=70,
        nouns=_LETTER_STEP,
        log_as=InteractionKind.LETTER,
        # Only the letter's own status answers it: logging the writer's yes as a conversation
        # is not asking (the status move retires the nudge).
        answered_by=(),
        outreach=True,
        task=True,
        said_ahead=True,
    ),
    KindSpec(
        kind=NudgeKind.LETTER_MATERIALS,
        family="letters",
        stakes=85,
        nouns=_LETTER_STEP,
        log_as=InteractionKind.LETTER,
        # Only the letter's status: logging the writer's yes is not sending the CV and draft.
        answered_by=(),
        outreach=True,
        task=True,
        said_ahead=True,
    ),
    KindSpec(
        kind=NudgeKind.LETTER_REMINDER,
        family="letters",
        stakes=90,
        nouns=_LETTER_STEP,
        log_as=InteractionKind.LETTER,
        answered_by=(
            Answer(
                kinds=frozenset(
                    {InteractionKind.LETTER, InteractionKind.EMAIL, InteractionKind.CALL}
                ),
                direction=Direction.OUTBOUND,
            ),
        ),
        outreach=True,
        task=True,
        said_ahead=True,
    ),
    KindSpec(
        kind=NudgeKind.LETTER_THANKS,
        family="letters",
        stakes=60,
        nouns=_THANK_YOU_NOUNS,
        log_as=InteractionKind.THANK_YOU,
        answered_by=(_THANKED,),
        outreach=True,
        task=True,
        said_ahead=True,
    ),
    KindSpec(
        kind=NudgeKind.CYCLE_UPDATE,
        family="cycle_moments",
        stakes=65,
        nouns=("update", "updates"),
        log_as=InteractionKind.UPDATE,
        answered_by=(Answer(kinds=_CONVERSATION | {InteractionKind.FEEDBACK}),),
        outreach=True,
        task=True,
        said_ahead=True,
        # A cycle moment about no one (the story, the outcome, where you matched, residency,
        # the next cycle) is a step of the student's own Match, not an update to send.
        alone=Wording("Your Match", ("Match step", "Match steps")),
    ),
    KindSpec(
        kind=NudgeKind.MATCH_THANKS,
        family="cycle_moments",
        stakes=80,
        nouns=_THANK_YOU_NOUNS,
        log_as=InteractionKind.THANK_YOU,
        answered_by=(Answer(kinds=_CONVERSATION | {InteractionKind.THANK_YOU}),),
        outreach=True,
        task=True,
        said_ahead=True,
    ),
    KindSpec(
        kind=NudgeKind.SOAP_PLAN,
        family="cycle_moments",
        stakes=100,
        nouns=("SOAP step", "SOAP steps"),
        log_as=None,
        answered_by=(),  # about the whole network, not one person
        outreach=True,
        task=True,
        said_ahead=True,
    ),
    KindSpec(
        kind=NudgeKind.OVER_CONTACT,
        family="over_contact",
        stakes=65,
        nouns=THINGS,
        log_as=None,
        answered_by=(Answer(reply=True),),  # they wrote back, or took part
        # The warning itself, not a message: it holds back the others.
        outreach=False,
        task=False,
        said_ahead=False,
    ),
    KindSpec(
        kind=NudgeKind.INVEST,
        family="monthly",
        stakes=25,
        nouns=THINGS,
        log_as=None,
        answered_by=(),  # a monthly reflection about the whole network
        outreach=True,
        task=False,
        said_ahead=False,
    ),
    KindSpec(
        kind=NudgeKind.SMALL_ACTION,
        family="monthly",
        stakes=10,
        nouns=THINGS,
        log_as=InteractionKind.UPDATE,
        answered_by=(Answer(),),  # anything logged with the person that week
        outreach=True,
        task=True,
        # The week's idea, not a debt: it is not announced ahead.
        said_ahead=False,
    ),
    KindSpec(
        kind=NudgeKind.GAP,
        family="monthly",
        stakes=20,
        nouns=THINGS,
        log_as=None,
        answered_by=(),  # a monthly reflection about the whole network
        outreach=True,
        task=False,
        said_ahead=False,
    ),
)

KIND_SPECS: dict[str, KindSpec] = {spec.kind: spec for spec in _SPECS}


def spec_for(kind: str) -> KindSpec:
    """The spec of `kind`; a kind without one is an error, never a default."""
    try:
        return KIND_SPECS[kind]
    except KeyError:
        raise LookupError(
            f"No KindSpec for nudge kind {kind!r}: add one to reminders.engine.kinds."
        ) from None
