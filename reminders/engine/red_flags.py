"""Red flags, said where they help and nowhere else (issue 19; seed 000: "address it head-on
with the people writing your letters and your PD"; seed 001: tell recommenders your main risks
so they can address them).

Pure: plain records in, words out. Never in an email subject, never shown to anyone but the
student (and their advisor, when shared: advisors.selectors.shared_red_flags).
"""

from __future__ import annotations

from collections.abc import Iterable

from crm.phrases import names_list
from reminders.engine.records import ContactRecord, RedFlagRecord, StudentRecords
from reminders.engine.vouch import same_institution

# Who leads the student's home program: the program directors and APDs at the student's school;
# every PD and APD among their contacts when the school is not known.
_PD_ROLES = frozenset({"program_director", "associate_program_director"})


def red_flag_line(records: StudentRecords) -> str:
    """The one line for the SOAP note and the interview-season brief: the student's own words,
    joined; "" when there is none."""
    return "; ".join(flag.note.strip().rstrip(".") for flag in records.red_flags if flag.note)


def home_program_leaders(
    contacts: Iterable[ContactRecord], school: str = ""
) -> list[ContactRecord]:
    """The home PD (and APDs) to tell in person, among `contacts` (the whole network's): those
    at the student's `school` when it is known, else every PD/APD contact; never an archived
    one; in a stable order."""
    found = [c for c in contacts if c.role in _PD_ROLES and not c.archived]
    if school:
        found = [c for c in found if same_institution(c.institution, school)]
    return sorted(found, key=lambda c: c.id)


def tell_reason(flags: Iterable[RedFlagRecord], writers: list[str], leaders: list[str]) -> str:
    people = names_list(list(dict.fromkeys(writers + leaders)))
    line = "; ".join(flag.note.strip().rstrip(".") for flag in flags)
    who = people or "each letter writer and your home program director"
    return (
        f"Before your letters are asked: tell {who}, in person or by phone, about what a "
        f"program director will ask ({line}). In one calm line, what happened and what you "
        "did about it: then they can address it in their letters and when a program calls."
    )
