"""What a logged interaction means to the engine: a message the student sent, or a reply.

Its own module because two readers need it below the rules: the over-contact rule (several
messages, no reply) and the table of nudge kinds (reminders.engine.kinds: a reply is what
answers "give them room"). Pure, like the rest of the engine.
"""

from __future__ import annotations

from contacts.vocabulary import Direction, InteractionKind
from reminders.engine.records import InteractionRecord

# Things a student sends; several of these with no reply is the over-texter's pattern.
MESSAGE_KINDS = frozenset(
    {
        InteractionKind.EMAIL,
        InteractionKind.UPDATE,
        InteractionKind.THANK_YOU,
        InteractionKind.LETTER,
    }
)
# Things that cannot happen without the other person taking part: they count as a reply.
TWO_WAY_KINDS = frozenset(
    {
        InteractionKind.MEETING,
        InteractionKind.FEEDBACK,
        InteractionKind.WORKED_TOGETHER,
        InteractionKind.CONFERENCE,
        InteractionKind.CALL,
    }
)


def is_reply(interaction: InteractionRecord) -> bool:
    return interaction.direction == Direction.INBOUND or interaction.kind in TWO_WAY_KINDS
