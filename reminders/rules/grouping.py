"""How same-kind nudges read as one line: the words belong to the engine, the page only lists."""

from crm.phrases import names_list


def group_line(group: str, kind: str, names: list[str], reasons: list[str]) -> str:
    """One sentence for the nudges of one group, naming everyone in it.

    `group` is the NudgeSpec.group they share, `reasons` their own sentences (a group of one
    reads as its own reason)."""
    if len(reasons) == 1:
        return reasons[0]
    return f"{len(names)} people: {names_list(names)}"
