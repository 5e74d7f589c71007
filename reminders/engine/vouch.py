"""Who could vouch for me at a program? The student's contacts ranked by how much their word
weighs (influence), how well they know the student's work (depth) and how close they are to
that program (tie strength), each with the reason in words.

Pure, like the rules: plain records and the engine's scores in, rankings out; no ORM, no clock.
reminders.evaluation.vouching loads what it needs; tests build the records by hand.

A tie is to a program ("trained in this program") or to a whole institution ("works at Cascade
University Medical Center"), which ties the contact to every program there. A contact's own
institution counts as a tie to its programs: most when they share the program's specialty
(they are very likely in it), least when they work elsewhere in the hospital. Where one contact
has several ties to a program, the strongest counts and the reason names them all.

Everyone with a tie is ranked; only those who `can_vouch` answer "who could vouch": someone
whose word carries (not a peer or staff) and who knows the student's work (an advocate or a
developing contact, not an acquaintance or someone quiet for a year). A cold call from someone
who barely knows you can hurt more than silence (seed article 002).

With a `Ladder` (the student's school and this cycle's letter writers), the order is the
articles' ladder, one ranking for the SOAP plan, the plan after SOAP, `vouch`, the program
pages and the advisor's map: the home program director in the specialty first (002: "your
home specialty PD"), then a PD/APD with a personal tie to the program's leadership (001: a
trusted PD/APD peer, "Very High"), then the letter writers and would-vouch faculty who know the
work best; never someone below `ladder_min_depth` who is not would-vouch and has not written,
never a peer or staff, and never aimed at the student's own home program. A letter writer or
would-vouch person is not dropped as quiet in the cycle they wrote or offered.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import NamedTuple

from contacts.vocabulary import NOT_SUPERVISING_ROLES, ROLE_WORDS, TIE_WORDS, Role, Tier
from reminders.engine.conf import EngineConf
from reminders.engine.records import ContactRecord, ProgramRecord, TieRecord
from reminders.engine.scoring import ContactScore, strongest_evidence


class Link(NamedTuple):
    """One way a contact is tied to a program."""

    slug: str  # a key of conf.tie_strength
    strength: float  # 0-1
    words: str  # "trained in this program (residency, 2015)"
    tie_id: int | None = None  # None for the contact's own institution
    plain: str = ""  # the words without the tie's note ("trained in this program")

    @property
    def words_without_note(self) -> str:
        """For a reader the student shares no notes with (an advisor, unless they share)."""
        return self.plain or self.words


class Voucher(NamedTuple):
    program: ProgramRecord
    score: ContactScore
    links: tuple[Link, ...]  # strongest first
    value: float  # influence x depth x tie strength, 0-100
    can_vouch: bool
    rung: int = 0  # the ladder's rung (1 home PD, 2 tied PD/APD, 3 knows the work), 0 without
    why: str = ""  # the ladder's reason in words: "associate program director, knows ..."

    @property
    def contact(self) -> ContactRecord:
        return self.score.contact

    @property
    def reason(self) -> str:
        """In words, built only when shown (a list of programs ranks thousands, shows few).
        Their own institution (who they are) first, then the ties recorded, strongest first."""
        own = tuple(link for link in self.links if link.tie_id is None)
        explicit = tuple(link for link in self.links if link.tie_id is not None)
        return _reason(self.score, own + explicit)

    @property
    def strength(self) -> float:
        return self.links[0].strength


class ProgramVouching(NamedTuple):
    program: ProgramRecord
    vouchers: tuple[Voucher, ...]  # everyone with a tie, strongest first

    @property
    def who_can_vouch(self) -> tuple[Voucher, ...]:
        return tuple(voucher for voucher in self.vouchers if voucher.can_vouch)

    @property
    def not_yet_voices(self) -> tuple[Voucher, ...]:
        """Tied, but not (yet) someone whose call would help: kept warm, not asked."""
        return tuple(voucher for voucher in self.vouchers if not voucher.can_vouch)

    @property
    def nobody_can_vouch(self) -> bool:
        return not self.who_can_vouch

    @property
    def gap_text(self) -> str:
        """For a program nobody can vouch at: what is true, and what would help."""
        program = self.program
        where = f"{program.name} ({program.place})" if program.place else program.name
        if not self.vouchers:
            return f"Nobody you know has a tie to {where} yet."
        names = [voucher.contact.name for voucher in self.vouchers[:2]]
        who = " and ".join(names) if len(self.vouchers) <= 2 else f"{names[0]} and others"
        return (
            f"Nobody who knows your work well has a tie to {where}: "
            f"{who} {'has' if len(self.vouchers) == 1 else 'have'} a tie, but not yet the "
            "depth or the title to speak for you."
        )


def _key(name: str) -> str:
    return name.strip().lower()


def same_institution(a: str, b: str) -> bool:
    """The same institution by name, whatever the case and spacing (the student's school, a
    contact's institution)."""
    return bool(a.strip()) and _key(a) == _key(b)


def _with_note(words: str, note: str) -> str:
    return f"{words} ({note.strip()})" if note.strip() else words


def _tie_link(tie: TieRecord, program: ProgramRecord, conf: EngineConf) -> Link:
    verb = TIE_WORDS.get(tie.kind, tie.kind)
    if tie.program_id is not None:
        slug, words = tie.kind, f"{verb} in this program"
    else:
        slug, words = f"{tie.kind}_institution", f"{verb} at {program.institution}"
    strength = conf.tie_strength.get(slug, 0) / 100
    return Link(slug, strength, _with_note(words, tie.note), tie.id, words)


def _own_institution_link(contact: ContactRecord, program: ProgramRecord, conf: EngineConf):
    role = ROLE_WORDS.get(contact.role, contact.role)
    if same_institution(contact.specialty, program.specialty):
        slug = "own_department"
        words = f"{role} in {contact.specialty} at {program.institution}"
    else:
        slug = "own_institution"
        specialty = f" ({contact.specialty})" if contact.specialty else ""
        words = f"{role}{specialty} at {program.institution}"
    return Link(slug, conf.tie_strength.get(slug, 0) / 100, words)


def can_vouch(score: ContactScore) -> bool:
    """Whether their word would help: a voice programs listen to, who knows the work."""
    return score.contact.role not in NOT_SUPERVISING_ROLES and score.tier in (
        Tier.ADVOCATE,
        Tier.DEVELOPING,
    )


def _knows_your_work(score: ContactScore) -> str:
    """Time on the same team first (what a program director asks about: "she was on my
    service for a month"), else the strongest part of their depth."""
    weeks = score.depth.part("weeks_together")
    if score.depth.value == 0 or not any(part.points > 0 for part in score.depth.parts):
        return "has not seen your work yet"
    evidence = weeks.evidence if weeks.points > 0 else strongest_evidence(score)
    if score.tier == Tier.DORMANT:
        return f"knew your work: {evidence}"
    if score.tier == Tier.ACQUAINTANCE:
        return f"has seen a little of your work: {evidence}"
    return f"knows your work: {evidence}"


def _reason(score: ContactScore, links: tuple[Link, ...]) -> str:
    """ "program director at Lakeshore University Hospital, trained in this program
    (residency), has written for you, knows your work: 4 weeks together on Medicine sub-I"."""
    contact = score.contact
    parts = []
    if not any(link.tie_id is None for link in links):
        # Who they are, where they are: the first thing a program director asks.
        role = ROLE_WORDS.get(contact.role, contact.role)
        parts.append(f"{role} at {contact.institution}" if contact.institution else role)
    parts += [link.words for link in links]
    if score.influence.has_written:
        parts.append("has written for you")
    elif score.contact.would_vouch:
        parts.append("offered to vouch for you")
    parts.append(_knows_your_work(score))
    if score.tier == Tier.DORMANT:
        parts.append("quiet for over a year")
    elif score.depth.decay_factor < 1:
        parts.append("quiet for a while")
    return ", ".join(parts)


# --- The ladder: who speaks for you, in the articles' order ------------------------------------

HOME_PD, TIED_LEADER, KNOWS_THE_WORK, OTHER_VOICE = 1, 2, 3, 4
RUNG_WORDS = {
    TIED_LEADER: "program leadership with a personal tie here",
    KNOWS_THE_WORK: "wrote or offered to speak for you",
}
LEADERS = frozenset({Role.PROGRAM_DIRECTOR, Role.ASSOCIATE_PROGRAM_DIRECTOR})


class Ladder(NamedTuple):
    """What the ladder needs beyond the scores: the student's school (its contacts are "home")
    and the people who wrote or agreed to write this cycle (never "quiet" for it)."""

    school: str = ""
    writer_ids: frozenset[int] = frozenset()
    specialties: tuple[str, ...] = ()  # the student's: the home PD "in the specialty"

    def is_home(self, institution: str) -> bool:
        return same_institution(institution, self.school)


def _specialty_match(a: str, b: str) -> bool:
    a, b = _key(a), _key(b)
    return bool(a and b) and (a in b or b in a)


def speaks_at_all(score: ContactScore, ladder: Ladder, conf: EngineConf) -> bool:
    """Whether the ladder lets this person speak for the student anywhere: never a peer or
    staff, never someone archived, never below the depth floor unless they offered (would
    vouch) or wrote this cycle; quiet for a year only if they neither wrote nor offered."""
    contact = score.contact
    if contact.archived or contact.role in NOT_SUPERVISING_ROLES:
        return False
    if int(conf.influence.get(contact.role, 0)) < conf.advocate_min_influence:
        return False
    vouched = contact.would_vouch or contact.id in ladder.writer_ids
    return vouched or (score.depth.value >= conf.ladder_min_depth and score.tier != Tier.DORMANT)


def is_home_pd(score: ContactScore, ladder: Ladder, specialty: str = "") -> bool:
    """The student's home program director in the specialty (the program's, else one of the
    student's)."""
    contact = score.contact
    if contact.role != Role.PROGRAM_DIRECTOR or not ladder.is_home(contact.institution):
        return False
    wanted = (specialty,) if specialty.strip() else ladder.specialties
    return not wanted or any(_specialty_match(contact.specialty, name) for name in wanted)


def knows_the_work_words(score: ContactScore, ladder: Ladder) -> str:
    """ "wrote a letter for you; knows your work: 8 weeks together on ..."."""
    first = (
        "wrote a letter for you"
        if score.contact.id in ladder.writer_ids
        else "offered to vouch for you"
        if score.contact.would_vouch
        else "knows your work"
    )
    return f"{first}; {_knows_your_work(score)}"


def ladder_place(
    score: ContactScore,
    links: tuple[Link, ...],
    program: ProgramRecord,
    ladder: Ladder,
    conf: EngineConf,
) -> tuple[int, str] | None:
    """(rung, why) for this person speaking to this program, or None if the ladder never
    aims them there (below the floor, a peer, or the student's own home program)."""
    if not speaks_at_all(score, ladder, conf):
        return None
    if ladder.is_home(program.institution):
        # The student's own home program knows them already: nobody is aimed at it (the SOAP
        # plans leave it out); its people still answer "who could vouch" there, after the rest.
        return (OTHER_VOICE, _knows_your_work(score)) if can_vouch(score) else None
    contact = score.contact
    role = ROLE_WORDS.get(contact.role, contact.role)
    explicit = [link for link in links if link.tie_id is not None]
    if is_home_pd(score, ladder, program.specialty):
        specialty = f" in {contact.specialty}" if contact.specialty else ""
        why = f"your home program director{specialty}: programs take a PD's call"
        return HOME_PD, f"{why}; {explicit[0].words}" if explicit else why
    if contact.role in LEADERS and explicit:
        return TIED_LEADER, f"{role}, {explicit[0].words}"
    if contact.id in ladder.writer_ids or contact.would_vouch:
        # The tie first ("trained at Cascade (cardiology fellowship)"), then the work.
        tie = f"{links[0].words}; " if links else ""
        return KNOWS_THE_WORK, tie + knows_the_work_words(score, ladder)
    if score.tier in (Tier.ADVOCATE, Tier.DEVELOPING):
        return OTHER_VOICE, f"{role}, {_knows_your_work(score)}"
    return None


def ladder_key(rung: int, score: ContactScore, value: float) -> tuple:
    """Within a rung: the PDs by how much their word weighs here; those who know the work by
    how well they know it."""
    depth_first = rung >= KNOWS_THE_WORK
    return (
        rung,
        -(score.depth.value if depth_first else value),
        -value,
        score.contact.name,
        score.contact.id,
    )


def vouchers_for(
    program: ProgramRecord,
    candidates: Iterable[ContactScore],
    ties: Iterable[TieRecord],
    conf: EngineConf,
    ladder: Ladder | None = None,
) -> tuple[Voucher, ...]:
    """Everyone in `candidates` tied to `program`, strongest first (influence x depth x tie
    strength; ties broken by tie strength, influence, then name). Archived contacts are left
    out: the student has set them aside."""
    links: dict[int, list[Link]] = defaultdict(list)
    scores = {score.contact.id: score for score in candidates if not score.contact.archived}
    for tie in ties:
        if tie.contact_id not in scores:
            continue
        if tie.program_id == program.id or (
            tie.program_id is None and same_institution(tie.institution, program.institution)
        ):
            links[tie.contact_id].append(_tie_link(tie, program, conf))
    for contact_id, score in scores.items():
        if same_institution(score.contact.institution, program.institution):
            # The role at their institution is also who they are: the reason names it last.
            links[contact_id].append(_own_institution_link(score.contact, program, conf))
    vouchers = []
    for contact_id, found in links.items():
        score = scores[contact_id]
        ordered = tuple(sorted(found, key=lambda link: -link.strength))
        value = score.influence.value * score.depth.value / 100 * ordered[0].strength
        voucher = Voucher(
            program=program,
            score=score,
            links=ordered,
            value=round(value, 1),
            can_vouch=can_vouch(score),
        )
        if ladder is not None:
            place = ladder_place(score, ordered, program, ladder, conf)
            rung, why = place if place is not None else (OTHER_VOICE + 1, "")
            voucher = voucher._replace(can_vouch=place is not None, rung=rung, why=why)
        vouchers.append(voucher)
    if ladder is not None:
        vouchers.sort(key=lambda v: ladder_key(v.rung, v.score, v.value))
        return tuple(vouchers)
    vouchers.sort(
        key=lambda v: (
            -v.value,
            -v.strength,
            -v.score.influence.value,
            v.contact.name,
            v.contact.id,
        )
    )
    return tuple(vouchers)


def program_vouching(
    programs: Iterable[ProgramRecord],
    scores: Mapping[int, ContactScore],
    ties: Iterable[TieRecord],
    conf: EngineConf,
    ladder: Ladder | None = None,
) -> list[ProgramVouching]:
    """For each program (in the order given), who could vouch for the student there (in the
    ladder's order when one is given)."""
    ties = list(ties)
    by_program: dict[int, list[TieRecord]] = defaultdict(list)
    by_institution: dict[str, list[TieRecord]] = defaultdict(list)
    for tie in ties:
        if tie.program_id is not None:
            by_program[tie.program_id].append(tie)
        elif tie.institution.strip():
            by_institution[_key(tie.institution)].append(tie)
    by_home: dict[str, list[ContactScore]] = defaultdict(list)
    for score in scores.values():
        if score.contact.institution.strip():
            by_home[_key(score.contact.institution)].append(score)
    answers = []
    for program in programs:
        relevant = by_program.get(program.id, []) + by_institution.get(
            _key(program.institution), []
        )
        candidates = {
            tie.contact_id: scores[tie.contact_id] for tie in relevant if tie.contact_id in scores
        }
        for score in by_home.get(_key(program.institution), []) if program.institution else []:
            candidates[score.contact.id] = score
        answers.append(
            ProgramVouching(
                program, vouchers_for(program, candidates.values(), relevant, conf, ladder)
            )
        )
    return answers


def nobody_can_vouch(vouching: Iterable[ProgramVouching]) -> list[ProgramVouching]:
    """The target programs where nobody can vouch for the student: a gap worth closing."""
    return [item for item in vouching if item.program.target and item.nobody_can_vouch]


def target_coverage(
    programs: Iterable[ProgramRecord],
    scores: Mapping[int, ContactScore],
    ties: Iterable[TieRecord],
    conf: EngineConf,
) -> tuple[tuple[ProgramRecord, ...], dict[int, int]]:
    """The target programs nobody can vouch at, and for each other target one contact who can
    (by program id; reminders.engine.live keeps them: a program stays covered while its witness is
    unchanged). Archived contacts do not count."""
    targets = [program for program in programs if program.target]
    if not targets:
        return (), {}
    active = {pk: score for pk, score in scores.items() if not score.contact.archived}
    uncovered, witnesses = [], {}
    for vouching in program_vouching(targets, active, ties, conf):
        if vouching.nobody_can_vouch:
            uncovered.append(vouching.program)
        else:
            witnesses[vouching.program.id] = vouching.who_can_vouch[0].contact.id
    return tuple(uncovered), witnesses


def as_json(voucher: Voucher) -> dict:
    """The `vouch --json` line: {"program", "contact", "score", "reason"}; with the ladder,
    the reason starts with the ladder's words ("your home program director ...")."""
    reason = voucher.reason
    rung = RUNG_WORDS.get(voucher.rung, "")
    if voucher.rung == HOME_PD:
        rung = voucher.why
    if rung and voucher.can_vouch:
        reason = f"{rung}; {reason}"
    return {
        "program": voucher.program.name,
        "contact": voucher.contact.name,
        "score": voucher.value,
        "reason": reason,
    }


__all__ = [
    "Ladder",
    "Link",
    "ProgramRecord",
    "ProgramVouching",
    "TieRecord",
    "Voucher",
    "as_json",
    "can_vouch",
    "nobody_can_vouch",
    "program_vouching",
    "target_coverage",
    "vouchers_for",
]
