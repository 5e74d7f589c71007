"""Role words: the slugs and the ways people write roles in a spreadsheet, and a guess from a
job title (LinkedIn's Position, a vCard's TITLE)."""

import re

from ..vocabulary import InteractionKind, Role


def normalise(value: str) -> str:
    """ "PGY-1" -> "pgy 1", "Program_Director" -> "program director"."""
    return " ".join(re.sub(r"[\s_\-./,()]+", " ", value.casefold()).split())


_ROLE_SPELLINGS: dict[str, tuple[str, ...]] = {
    Role.PROGRAM_DIRECTOR: ("pd", "program director", "residency director", "residency pd"),
    Role.ASSOCIATE_PROGRAM_DIRECTOR: (
        "apd",
        "associate pd",
        "assistant pd",
        "associate program director",
        "assistant program director",
    ),
    Role.CHAIR: ("chair", "chairman", "chairwoman", "associate chair", "vice chair", "dept chair"),
    Role.CLERKSHIP_DIRECTOR: ("clerkship director", "cd", "clerkship"),
    Role.FACULTY: (
        "faculty",
        "attending",
        "attending physician",
        "core faculty",
        "professor",
        "assistant professor",
        "associate professor",
        "physician",
        "doctor",
        "surgeon",
        "preceptor",
    ),
    Role.RESEARCH_PI: ("pi", "research pi", "principal investigator", "research mentor"),
    Role.CHIEF_RESIDENT: ("chief", "chief resident"),
    Role.SENIOR_RESIDENT: (
        "senior",
        "senior resident",
        "pgy 3",
        "pgy 4",
        "pgy 5",
        "pgy 6",
        "pgy 7",
        "pgy3",
        "pgy4",
        "pgy5",
    ),
    Role.DEAN: ("dean", "associate dean", "assistant dean", "dean of students"),
    Role.FELLOW: ("fellow", "clinical fellow", "research fellow"),
    Role.JUNIOR_RESIDENT: (
        "resident",
        "junior resident",
        "intern",
        "pgy 1",
        "pgy 2",
        "pgy1",
        "pgy2",
        "r1",
        "r2",
    ),
    Role.STAFF: (
        "staff",
        "nurse",
        "rn",
        "np",
        "nurse practitioner",
        "pa",
        "physician assistant",
        "coordinator",
        "program coordinator",
        "administrator",
    ),
    Role.PEER: ("peer", "classmate", "student", "medical student", "friend", "colleague"),
}

ROLE_WORDS: dict[str, str] = {}
for _slug, _spellings in _ROLE_SPELLINGS.items():
    for _word in (_slug, normalise(_slug), normalise(Role(_slug).label), *_spellings):
        ROLE_WORDS[normalise(_word)] = _slug

ACCEPTED_ROLE_WORDS = "a role such as " + ", ".join(
    ["PD", "APD", "chair", "clerkship director", "attending", "research PI", "chief"]
    + ["senior resident", "PGY-1", "resident", "fellow", "dean", "nurse", "staff", "classmate"]
    + [f"or a slug ({', '.join(Role.values)})"]
)


def parse_role(value: str) -> str | None:
    """The role slug a spreadsheet cell names, or None when it names none."""
    return ROLE_WORDS.get(normalise(value))


# Ordered: the first pattern found in a title wins ("Associate Program Director" before
# "Program Director", "Chief Resident" before "Resident").
_TITLE_PATTERNS: tuple[tuple[str, str], ...] = (
    (r"\b(associate|assistant) program director\b|\bapd\b", Role.ASSOCIATE_PROGRAM_DIRECTOR),
    (r"\bprogram director\b|\bresidency director\b", Role.PROGRAM_DIRECTOR),
    (r"\bclerkship director\b", Role.CLERKSHIP_DIRECTOR),
    (r"\bdean\b", Role.DEAN),
    (r"\bchair(man|woman|person)?\b", Role.CHAIR),
    (r"\bchief resident\b", Role.CHIEF_RESIDENT),
    (r"\bfellow(ship)?\b", Role.FELLOW),
    (r"\bpgy ?[3-7]\b|\bsenior resident\b", Role.SENIOR_RESIDENT),
    (r"\bintern\b|\bpgy ?[12]\b|\bresident\b|\bresidency\b", Role.JUNIOR_RESIDENT),
    (r"\bprincipal investigator\b|\bpi\b|\blab director\b", Role.RESEARCH_PI),
    (
        r"\bprofessor\b|\battending\b|\bphysician\b|\bfaculty\b|\bsurgeon\b|\bmd\b"
        r"|\bhospitalist\b|\binstructor\b|\b\w+ologist\b",
        Role.FACULTY,
    ),
    (
        r"\bnurse\b|\brn\b|\bnp\b|\bcoordinator\b|\bmanager\b|\badministrat\w*\b|\bassistant\b",
        Role.STAFF,
    ),
    (r"\bstudent\b|\bms ?[1-4]\b|\bcandidate\b", Role.PEER),
)


def guess_role(title: str, *, default: str = Role.PEER) -> str:
    """A guess from a job title, which the preview shows as a guess the student may change.
    Nothing recognisable: a peer, the role that never counts as an advocate until changed."""
    words = normalise(title)
    if words in ROLE_WORDS:
        return ROLE_WORDS[words]
    for pattern, role in _TITLE_PATTERNS:
        if re.search(pattern, words):
            return role
    return default


_KIND_WORDS: dict[str, str] = {}
for _kind in InteractionKind:
    _KIND_WORDS[normalise(_kind.value)] = _kind.value
    _KIND_WORDS[normalise(_kind.label)] = _kind.value
_KIND_WORDS.update(
    {
        normalise(word): kind
        for word, kind in (
            ("e-mail", InteractionKind.EMAIL),
            ("call", InteractionKind.CALL),
            ("phone", InteractionKind.CALL),
            ("video", InteractionKind.CALL),
            ("zoom", InteractionKind.CALL),
            ("thank you", InteractionKind.THANK_YOU),
            ("thanks", InteractionKind.THANK_YOU),
            ("conference", InteractionKind.CONFERENCE),
            ("rotation", InteractionKind.WORKED_TOGETHER),
            ("feedback", InteractionKind.FEEDBACK),
            ("letter", InteractionKind.LETTER),
            ("met", InteractionKind.MEETING),
            ("in person", InteractionKind.MEETING),
        )
    }
)


def parse_interaction_kind(value: str) -> str | None:
    return _KIND_WORDS.get(normalise(value))
