"""Every threshold of the advocate engine, in one place.

`EngineConf` holds the defaults drawn from the source articles (see shared/PRODUCT.md). An
operator overrides any of them with the ADVOCATE dict in settings (env ADVOCATE_SETTINGS, JSON):

    ADVOCATE = {"follow_up_days": 100, "influence": {"fellow": 50}}

`get_conf()` reads the settings once (cached, cleared when tests change settings) and the result
is passed into the pure rules, so the rules never reach for settings themselves.
"""

from __future__ import annotations

import copyreg
import dataclasses
import functools
from types import MappingProxyType
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.dispatch import receiver


def _frozen(mapping: dict) -> MappingProxyType:
    return MappingProxyType(dict(mapping))


# The scores carry these read-only mappings (a depth part's facts hold the weights it used), and
# an answer is kept between requests in the shared cache (reminders.evaluation.baseline, the
# Match Week plan): pickle stores each as a dict, read back behind the same read-only view.
copyreg.pickle(MappingProxyType, lambda mapping: (_frozen, (dict(mapping),)))


@dataclasses.dataclass(frozen=True)
class EngineConf:
    # --- Influence (0-100) by role, from the articles' tables ---------------------------------
    influence: MappingProxyType = dataclasses.field(
        default_factory=lambda: _frozen(
            {
                "program_director": 90,
                "associate_program_director": 85,
                "chair": 80,
                "clerkship_director": 75,
                "faculty": 70,
                "research_pi": 70,
                "chief_resident": 60,
                "senior_resident": 55,
                "dean": 50,
                "fellow": 45,
                "junior_resident": 30,
                "staff": 20,
                "peer": 10,
            }
        )
    )
    # Without trust history (has written for the student, or "would vouch") a title counts less.
    untrusted_influence_factor: float = 0.6

    # --- Depth (0-100): the parts and their ceilings --------------------------------------------
    weeks_together_cap: int = 8
    weeks_together_points: int = 40  # earned in full at the cap
    interaction_window_days: int = 365
    interaction_points: MappingProxyType = dataclasses.field(
        default_factory=lambda: _frozen(
            {
                "worked_together": 6,  # project work
                "meeting": 8,
                "feedback": 8,
                "call": 6,
                "conference": 4,
                "email": 2,
                "update": 2,
                "thank_you": 1,
                "letter": 2,
            }
        )
    )
    interaction_points_cap: int = 25
    two_contexts_points: int = 7
    three_contexts_points: int = 10
    feedback_asked_points: int = 5
    feedback_circled_back_points: int = 10  # a later conversation after the feedback
    letter_points: int = 10
    decay_half_after_days: int = 182  # 6 months quiet: depth halved
    decay_quarter_after_days: int = 365  # 12 months quiet: depth quartered

    # --- Tiers and the focus set ----------------------------------------------------------------
    advocate_min_depth: int = 50
    # Explicit evidence (a letter agreed or written, a would-vouch mark: they offered to speak
    # for you, or said "I'd work with you again") makes an advocate at a lower depth; within the
    # application cycle it was given, the quiet months do not undo it (issue 19).
    advocate_min_depth_with_evidence: int = 20
    developing_min_depth: int = 20
    dormant_after_days: int = 365
    focus_min: int = 3
    focus_max: int = 5

    # --- Nudges ---------------------------------------------------------------------------------
    lookahead_days: int = 7  # a nudge shows this many days before it is due
    follow_up_days: int = 120
    follow_up_peak_days: int = 90  # interview season up to the rank-list deadline
    keep_warm_days: int = 180  # advocates outside the focus set
    outreach_quiet_days: int = 30  # no follow-up due within this of the last outreach
    thank_you_meeting_days: int = 2  # 48 h after a meeting, call or feedback session
    thank_you_conference_days: int = 3  # 72 h after a conference conversation
    thank_you_grace_days: int = 7  # after this past due, a thank-you is moot
    rotation_thanks_days: int = 2  # within 2 days of a rotation's end
    rotation_thanks_lead_days: int = 7  # shown in the rotation's last week (a weekly email)
    worked_closely_weeks: int = 2
    feedback_lead_days: int = 7  # shown a week before the midpoint (a weekly email)
    feedback_min_rotation_days: int = 14
    feedback_max_contacts: int = 3
    letter_ask_weeks: int = 8  # nudge if still "considering" 8 weeks before due
    letter_ask_deadline_weeks: int = 6  # ask at least 6 weeks ahead
    letter_materials_days: int = 3  # CV and statement within 3 days of a yes
    letter_reminder_weeks: int = 2  # one polite reminder 2 weeks before due
    letter_thanks_days: int = 2
    # An asked writer who has not said yes after this long: a short note, or another writer.
    letter_answer_days: int = 14
    # --- The letters plan (issue 19): how many per purpose, who could write a strong one ---
    letters_needed: MappingProxyType = dataclasses.field(
        default_factory=lambda: _frozen(
            {"residency": 3, "away_rotation": 1, "fellowship": 3, "scholarship": 1}
        )
    )
    letters_wanted: MappingProxyType = dataclasses.field(  # the top of the range ("3-4")
        default_factory=lambda: _frozen(
            {"residency": 4, "away_rotation": 2, "fellowship": 4, "scholarship": 2}
        )
    )
    # A specialty's own rule for its letters, said in the plan (matched by name, any case).
    letters_specialty_notes: MappingProxyType = dataclasses.field(
        default_factory=lambda: _frozen(
            {
                "emergency medicine": "emergency medicine asks for SLOEs: at least one, from an "
                "EM rotation (an away rotation counts)",
            }
        )
    )
    # The plan speaks once a month from this many months before applications open (seed 003:
    # start with potential writers 1-2 years ahead) until programs receive them.
    letters_plan_months_before: int = 15
    # A writer whose depth is below this, without a would-vouch mark, may write a generic
    # letter (seed 003: "performed adequately"): named only as weak, never "ask this week".
    letter_strong_min_depth: int = 35
    snooze_days: int = 7  # "Snooze a week", on the page and in the email
    match_thanks_days: int = 7
    match_thanks_grace_days: int = 30
    cycle_applied_lead_days: int = 21  # "tell advocates where you applied", before interviews
    cycle_applied_grace_days: int = 14
    cycle_rank_lead_days: int = 28  # "a brief update" before the rank-list deadline
    cycle_rank_due_days_before: int = 14
    soap_contacts: int = 3  # who calls in SOAP: the 2-3 strongest ...
    soap_programs_max: int = 5  # ... each to the 3-5 programs in range where they have a tie
    matched_program_days: int = 21  # after Match Day: "where did you match?"
    resident_days: int = 21  # from July 1: the resident's next circle
    # --- The residency phase (issue 19; seed 004): from July 1 after matching ---------------
    # The first circle at the new program: its PD and APDs, its chiefs and one faculty mentor.
    # The progress line counts them against focus_min-focus_max while it is short of that.
    resident_circle_roles: MappingProxyType = dataclasses.field(
        default_factory=lambda: _frozen(
            {
                "program_director": "leader",
                "associate_program_director": "leader",
                "chief_resident": "chief",
                "faculty": "mentor",
                "research_pi": "mentor",
                "clerkship_director": "mentor",
                "chair": "mentor",
            }
        )
    )
    # A mentor in the circle this deep (with a year's goal in view) is ready for the mentor ->
    # sponsor step: tell them the goal, ask whom to meet and what to be put forward for.
    sponsor_min_depth: int = 35
    new_people_per_year: int = 3  # seed 004: 3-5 new people a year (the goal's low end)
    # Conferences, by specialty or fellowship (any case): (name, (month, day) it starts). The
    # plan: from `conference_before_days` before, who will be there; the days it runs
    # (`conference_days`), meet conference_meet_min-max people; then follow up within
    # `conference_follow_up_days`.
    conferences: MappingProxyType = dataclasses.field(
        default_factory=lambda: _frozen(
            {
                "internal medicine": ("the ACP Internal Medicine Meeting", (4, 16)),
                "cardiology": ("ACC's Annual Scientific Session", (3, 28)),
                "pulmonary and critical care": ("the ATS International Conference", (5, 16)),
                "gastroenterology": ("Digestive Disease Week", (5, 2)),
                "emergency medicine": ("SAEM's Annual Meeting", (5, 13)),
                "pediatrics": ("the Pediatric Academic Societies Meeting", (4, 24)),
                "surgery": ("the ACS Clinical Congress", (10, 4)),
            }
        )
    )
    conference_before_days: int = 21
    conference_days: int = 4
    conference_follow_up_days: int = 7
    conference_meet_min: int = 3
    conference_meet_max: int = 5
    # The fellowship calendar, per fellowship (any case): ((month, day) applications open, in
    # which PGY year). The line speaks each quarter's first weeks and, from
    # `fellowship_letters_lead_days` before applications open, asks for the letters.
    fellowship_calendar: MappingProxyType = dataclasses.field(
        default_factory=lambda: _frozen(
            {
                "cardiology": ((7, 1), 2),
                "pulmonary and critical care": ((7, 1), 2),
                "gastroenterology": ((7, 1), 2),
                "hematology and oncology": ((7, 1), 2),
                "nephrology": ((7, 1), 2),
                "infectious disease": ((7, 1), 2),
                "endocrinology": ((7, 1), 2),
                "rheumatology": ((7, 1), 2),
                "geriatrics": ((7, 1), 2),
            }
        )
    )
    fellowship_letters_lead_days: int = 120
    # --- Small actions (issue 19): something new or nothing ---------------------------------
    # A small action is tied to a record (a rotation under way, one just ended, a focus
    # contact gone quiet) and runs at most this many Mondays from its moment; the week's line
    # rotates (by ISO week) among those true that week.
    small_action_run_weeks: int = 4
    small_action_quiet_days: int = 60  # a focus contact quiet this long could use an update
    next_cycle_days: int = 28  # after Match Week, for a student who did not match
    over_contact_count: int = 3  # outreach this many times ...
    over_contact_window_days: int = 7  # ... within this many days, with no reply
    gap_due_days: int = 6  # the monthly gap check is due within the first week
    # --- Current and calm (the rules): when a moment ends ---------------------------------
    # A nudge left alone steps back this long after it fell due, and returns at its next
    # natural moment (a follow-up one cadence later): nothing nags for two months.
    step_back_days: int = 21
    # The monthly invest and gap items show from the 1st for this long, then retire.
    monthly_show_days: int = 14
    # A meeting, call or feedback session within this many days of the last one with the same
    # person is routine (the weekly meeting with your PI): one thank-you per occasion, not per
    # meeting.
    thank_you_routine_days: int = 21
    # A voice below this influence (staff 20, peer 10) is never counted as an advocate nor
    # given a focus slot: who calls matters.
    advocate_min_influence: int = 30

    # --- Who could vouch for me at a program (reminders.engine.vouch)
    # ---------------------------------
    # How much a tie counts (percent): a voice inside the program first, then one who trained
    # there, then the rest of its institution; a contact's own institution counts as a tie to
    # its programs, most when they are in the program's specialty (likely in the program).
    tie_strength: MappingProxyType = dataclasses.field(
        default_factory=lambda: _frozen(
            {
                "works_at": 100,  # works in this program
                "own_department": 90,  # their institution and specialty are the program's
                "trained_at": 80,  # trained in this program
                "works_at_institution": 70,
                "trained_at_institution": 60,
                "knows_someone": 50,  # knows someone in this program
                "knows_someone_institution": 40,
                "own_institution": 30,  # works at the program's institution, another specialty
            }
        )
    )

    # --- The Match year calendar (month, day); rank deadline and Match Day are computed -------
    applications_open: tuple[int, int] = (6, 1)  # year Y-1
    programs_receive: tuple[int, int] = (9, 24)  # year Y-1
    interview_season_start: tuple[int, int] = (10, 1)  # year Y-1
    interview_season_end: tuple[int, int] = (1, 31)  # year Y

    # --- SOAP, inside NRMP's rules (reminders.engine.match_week) --------------------------------
    # The times of SOAP's moments, Eastern, NRMP's published schedule (crm.match.
    # EDITABLE_SOAP_TIMES names them; a student's cycle may set its own).
    soap_times: MappingProxyType = dataclasses.field(
        default_factory=lambda: _frozen(
            {
                "soap_release": "11:00",
                "soap_applications": "14:00",
                "soap_round_1": "12:00",
                "soap_round_2": "15:00",
                "soap_round_3": "18:00",
                "soap_end": "21:00",
            }
        )
    )
    soap_application_cap: int = 45  # programs a SOAP applicant may apply to through ERAS
    # Specialties with almost no SOAP positions (seed 001: no backchannel fixes a mismatch
    # with the competitiveness of the specialty): the plan says so kindly and names a route.
    soap_rare_specialties: tuple[str, ...] = (
        "dermatology",
        "orthopaedic surgery",
        "orthopedic surgery",
        "plastic surgery",
        "neurological surgery",
        "neurosurgery",
        "otolaryngology",
        "urology",
        "radiation oncology",
        "interventional radiology",
        "vascular surgery",
        "thoracic surgery",
    )
    # Who speaks for you (the ladder): below this depth, only a would-vouch mark or a letter
    # this cycle lets someone speak (seed 002: "do not ask random faculty you barely worked
    # with"). A letter given within this many days before Match Day counts as this cycle's.
    ladder_min_depth: int = 20
    ladder_cycle_days: int = 550

    # --- Scheduling -----------------------------------------------------------------------------
    # 10:00 UTC: already "today" from Hawaii (00:00) to New Zealand (23:00).
    refresh_hour_utc: int = 10
    refresh_chunk_size: int = 200

    # --- Calm: This week and the weekly email ---------------------------------------------------
    week_items_max: int = 5  # items shown (a group of same-kind nudges is one), most at stake first
    # Nudges loaded for a week at most (5 shown, the rest under "more"); the others wait for
    # their turn. Each row drawn costs the page: 40 made This week ~20 ms slower at 5,000
    # contacts than 20, and nobody reads fifteen "more" lines.
    week_rows_max: int = 20


_MAPPINGS = {"influence", "interaction_points", "tie_strength", "letters_needed", "letters_wanted"}
_TEXT_MAPPINGS = {"letters_specialty_notes", "resident_circle_roles", "soap_times"}
# Mappings of name -> a small tuple (JSON lists): conferences, the fellowship calendar.
_TUPLE_MAPPINGS = {"conferences", "fellowship_calendar"}


def _tupled(value: Any) -> Any:
    return tuple(_tupled(part) for part in value) if isinstance(value, list | tuple) else value


_MONTH_DAYS = {
    "applications_open",
    "programs_receive",
    "interview_season_start",
    "interview_season_end",
}


def build_conf(overrides: dict[str, Any] | None = None) -> EngineConf:
    """An EngineConf with `overrides` applied; unknown names or bad values fail loudly."""
    defaults = EngineConf()
    values: dict[str, Any] = {}
    known = {field.name for field in dataclasses.fields(EngineConf)}
    for name, value in (overrides or {}).items():
        if name not in known:
            raise ImproperlyConfigured(f"ADVOCATE[{name!r}] is not an engine setting.")
        default = getattr(defaults, name)
        try:
            if name in _TEXT_MAPPINGS:
                merged = dict(default)
                merged.update({str(key): _clock(str(at)) for key, at in dict(value).items()})
                values[name] = _frozen(merged)
            elif name in _MAPPINGS:
                merged = dict(default)
                merged.update({str(key): int(points) for key, points in dict(value).items()})
                values[name] = _frozen(merged)
            elif name in _TEXT_MAPPINGS:
                merged = dict(default)
                merged.update({str(key).lower(): str(text) for key, text in dict(value).items()})
                values[name] = _frozen(merged)
            elif name in _TUPLE_MAPPINGS:
                merged = dict(default)
                merged.update(
                    {str(key).lower(): _tupled(item) for key, item in dict(value).items()}
                )
                values[name] = _frozen(merged)
            elif name in _MONTH_DAYS:
                month, day = (int(part) for part in value)
                values[name] = (month, day)
            elif isinstance(default, bool):
                values[name] = bool(value)
            else:
                values[name] = type(default)(value)
        except (TypeError, ValueError) as error:
            raise ImproperlyConfigured(f"ADVOCATE[{name!r}] = {value!r}: {error}") from error
    return dataclasses.replace(defaults, **values)


def _clock(value: str) -> str:
    """ "21:00" (24-hour, Eastern), or a ValueError."""
    hour, minute = (int(part) for part in value.split(":"))
    if not (0 <= hour < 24 and 0 <= minute < 60):
        raise ValueError(f"{value!r} is not a time of day")
    return f"{hour:02d}:{minute:02d}"


@functools.cache
def get_conf() -> EngineConf:
    return build_conf(getattr(settings, "ADVOCATE", None) or {})


@receiver(setting_changed)
def _forget_conf(*, setting: str, **kwargs) -> None:
    if setting == "ADVOCATE":
        get_conf.cache_clear()
