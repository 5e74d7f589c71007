"""How same-kind nudges read as one line: the words belong to the engine, the page only lists.

The rules give a group to the nudges one occasion asks of several people at once (the
rotation's end, where you applied, the update before the rank list, the thanks after the
Match); the page shows them as one line with a Done per person.
"""

import re

from crm.phrases import count_words, names_list

# A full stop that ends a sentence, not the one in "Dr. Lee" or "St. Luke's".
_SENTENCE_END = re.compile(r"(?<!\bDr)(?<!\bMr)(?<!\bMs)(?<!\bMrs)(?<!\bProf)(?<!\bSt)\. ")


def _opening(reason: str) -> str:
    """The first sentence of a member's reason: the occasion ("Medicine sub-I ended Jun 28.")."""
    head, *rest = _SENTENCE_END.split(reason, maxsplit=1)
    return head + "." if rest else reason


def group_line(group: str, kind: str, names: list[str], reasons: list[str]) -> str:
    """One sentence for the nudges of one group, naming everyone in it.

    `group` is the NudgeSpec.group they share, `reasons` their own sentences (a group of one
    reads as its own reason)."""
    if len(reasons) == 1:
        return reasons[0]
    people = count_words(len(names), "person")
    everyone = names_list(names)
    family = group.split(":")[:2]
    if family == ["thank_you", "rotation"]:
        return (
            f"{_opening(reasons[0])} A specific thank-you to each of the {people} you worked "
            f"beside is how they remember you months later: {everyone}."
        )
    if family[:1] == ["feedback"]:
        return (
            f"{_opening(reasons[0])} Ask each of the {people} supervising you: \u201cWhat is one "
            f"thing I could do better this week?\u201d Then apply it and circle back: {everyone}."
        )
    if family == ["cycle_update", "applied"]:
        return (
            f"{_opening(reasons[0])} Tell the {people} who know your work best where you "
            f"applied, so they're ready when a program asks: {everyone}."
        )
    if family == ["cycle_update", "rank"]:
        return (
            f"{_opening(reasons[0])} Send the {people} who know your work best a brief update "
            f"(interviews done, the programs you loved): {everyone}."
        )
    if family[:1] == ["match_thanks"]:
        if reasons[0].startswith("You matched."):
            return (
                f"You matched. Tell the {people} who helped you get there where you are going, "
                f"and thank them: {everyone}."
            )
        if "preliminary year" in reasons[0]:
            return (
                f"Tell the {people} who helped you this year about your preliminary year and "
                f"your plan from here, and thank them: they can help again next cycle: {everyone}."
            )
        return (
            f"When you are ready, tell the {people} who helped you this year how the week went "
            f"and what comes next, and thank them: {everyone}."
        )
    return f"{count_words(len(names), 'person').capitalize()}: {everyone}."
