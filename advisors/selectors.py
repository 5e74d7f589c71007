"""Reads for sharing and the advisor's pages, each in a fixed number of queries.

The access check lives here: `student_for_advisor` is how every advisor page finds its
student, so revoking access takes effect on the very next request.
"""

from __future__ import annotations

import dataclasses
import datetime
import types
from collections import Counter
from collections.abc import Iterable

from django.conf import settings
from django.core import signing
from django.db.models import Count, IntegerField, Min, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from contacts.models import Contact, Interaction, LetterRequest, MatchStory, RedFlag
from contacts.vocabulary import (
    LETTER_DONE,
    ROLE_GROUPS,
    LetterStatus,
    Role,
    RoleGroup,
    Setting,
    Tier,
)
from crm.models import User
from crm.phrases import days_in_months, plural
from reminders.email.notes import Note
from reminders.engine.conf import EngineConf, get_conf
from reminders.engine.match_week import DID_NOT_MATCH
from reminders.engine.rules import Evaluation, Gap
from reminders.engine.scoring import ContactScore, next_step_for, tier_for
from reminders.engine.vouch import ProgramVouching, nobody_can_vouch
from reminders.evaluation.standing import engine_for_student
from reminders.evaluation.vouching import vouching_for
from reminders.match_week.selectors import MatchWeekView, match_week_view
from reminders.models import AdvocateSnapshot, Nudge, NudgeKind, StudentStanding

from . import cohort
from . import map as advisor_map
from .models import AdvisorAccess, FlagClosure, Invitation, Recommendation
from .services import invitation_id_from_token

RECENTLY_DONE_DAYS = 14


# --- Access ----------------------------------------------------------------------------------


def student_for_advisor(advisor: User, student_id: int) -> User:
    """The student, if they share with `advisor` right now; 404 otherwise (never a 403: who
    uses Advocate is not for other people to learn). One query.

    The returned student carries `shares_notes` (whether their private notes are shared) and
    `shared_since`."""
    access = (
        AdvisorAccess.objects.live()
        .filter(
            advisor=advisor,
            student_id=student_id,
            student__role=User.Role.STUDENT,
            student__is_active=True,
        )
        .select_related("student")
        .first()
    )
    if access is None:
        raise Http404("No such student")
    student = access.student
    student.shares_notes = access.share_notes
    student.shared_since = access.granted_at
    return student


# --- The student's sharing section -----------------------------------------------------------


@dataclasses.dataclass
class SharingOverview:
    accesses: list[AdvisorAccess]
    pending: list[Invitation]

    @property
    def is_empty(self) -> bool:
        return not (self.accesses or self.pending)


def sharing_overview(student: User) -> SharingOverview:
    """Who can see the student's map, and invitations still waiting. Two queries."""
    cutoff = timezone.now() - datetime.timedelta(days=settings.ADVISOR_INVITATION_MAX_AGE_DAYS)
    return SharingOverview(
        accesses=list(
            AdvisorAccess.objects.live().filter(student=student).select_related("advisor")
        ),
        pending=list(
            Invitation.objects.filter(
                student=student,
                accepted_at__isnull=True,
                cancelled_at__isnull=True,
                created_at__gt=cutoff,
            )
        ),
    )


def access_for_student(student: User, pk: int) -> AdvisorAccess:
    """One of the student's live accesses, or 404."""
    access = AdvisorAccess.objects.live().filter(student=student, pk=pk).first()
    if access is None:
        raise Http404("No such access")
    return access


def pending_invitation_for_student(student: User, pk: int) -> Invitation:
    invitation = Invitation.objects.filter(student=student, pk=pk).first()
    if invitation is None:
        raise Http404("No such invitation")
    return invitation


# --- Invitation links --------------------------------------------------------------------------


class LinkState:
    READY = "ready"  # signed in as the invited advisor: may accept
    SIGN_IN = "sign_in"  # anonymous: sign up or log in first
    INVALID = "invalid"  # tampered with, or not ours
    EXPIRED = "expired"
    USED = "used"
    CANCELLED = "cancelled"
    ALREADY_YOURS = "already_yours"  # used by this very advisor: just go to the map
    SENDER = "sender"  # the student who sent it, opening their own link
    WRONG_ACCOUNT = "wrong_account"  # signed in with another email
    NOT_ADVISOR = "not_advisor"  # the invited email belongs to a student account


@dataclasses.dataclass
class InvitationCheck:
    state: str
    invitation: Invitation | None = None
    account_exists: bool = False  # for SIGN_IN: offer "log in" rather than "sign up" first


def check_invitation(token: str, user) -> InvitationCheck:
    """What an invitation link means for whoever opened it. At most two queries."""
    try:
        invitation_id = invitation_id_from_token(token)
    except signing.SignatureExpired:
        return InvitationCheck(LinkState.EXPIRED)
    except signing.BadSignature:
        return InvitationCheck(LinkState.INVALID)
    invitation = Invitation.objects.select_related("student").filter(pk=invitation_id).first()
    if invitation is None:
        return InvitationCheck(LinkState.INVALID)
    signed_in = user.is_authenticated
    if invitation.accepted_at is not None:
        if signed_in and invitation.accepted_by_id == user.pk:
            return InvitationCheck(LinkState.ALREADY_YOURS, invitation)
        return InvitationCheck(LinkState.USED, invitation)
    status = invitation.status()
    if status == Invitation.Status.CANCELLED:
        return InvitationCheck(LinkState.CANCELLED, invitation)
    if status == Invitation.Status.EXPIRED:
        return InvitationCheck(LinkState.EXPIRED, invitation)
    if not signed_in:
        exists = User.objects.filter(email__iexact=invitation.email).exists()
        return InvitationCheck(LinkState.SIGN_IN, invitation, account_exists=exists)
    if user.pk == invitation.student_id:
        return InvitationCheck(LinkState.SENDER, invitation)
    if user.email.lower() != invitation.email.lower():
        return InvitationCheck(LinkState.WRONG_ACCOUNT, invitation)
    if not user.is_advisor:
        return InvitationCheck(LinkState.NOT_ADVISOR, invitation)
    return InvitationCheck(LinkState.READY, invitation)


# --- The advisor's list of students ----------------------------------------------------------


@dataclasses.dataclass
class StudentSummary:
    """One row of the advisor's list: the figures that say whether a student needs a look."""

    student: User
    access: AdvisorAccess
    advocates: int | None  # from the latest weekly snapshot; None before the first one
    overdue_follow_ups: int
    letters_overdue: int
    letters_due_soon: int
    next_letter_due: datetime.date | None
    last_activity: datetime.datetime | None
    open_recommendations: int
    reasons: list[str] = dataclasses.field(default_factory=list)

    @property
    def needs_attention(self) -> bool:
        return bool(self.reasons)


def attention_reasons(
    summary: StudentSummary, today: datetime.date, *, goal_min: int, quiet_days: int
) -> list[str]:
    """Why this student needs the advisor's attention, in plain words (empty: they don't)."""
    reasons = []
    if summary.advocates is not None and summary.advocates < goal_min:
        reasons.append(f"{plural(summary.advocates, 'advocate')} (goal {goal_min}+)")
    if summary.overdue_follow_ups:
        reasons.append(plural(summary.overdue_follow_ups, "overdue follow-up"))
    if summary.letters_overdue:
        reasons.append(plural(summary.letters_overdue, "letter") + " past due")
    if summary.letters_due_soon:
        reasons.append(plural(summary.letters_due_soon, "letter") + " due within 2 weeks")
    if summary.last_activity is None:
        reasons.append("Nothing logged yet")
    else:
        quiet = (today - summary.last_activity.date()).days
        if quiet >= quiet_days:
            reasons.append(f"No activity in {days_in_months(quiet)}")
    return reasons


def _count_of(queryset: QuerySet, group_field: str) -> Coalesce:
    """A correlated COUNT(*) subquery, 0 when there are none."""
    counted = queryset.order_by().values(group_field).annotate(n=Count("pk")).values("n")[:1]
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def _latest(queryset: QuerySet, field: str) -> Subquery:
    return Subquery(queryset.order_by(f"-{field}").values(field)[:1])


def advisor_students(
    advisor: User, today: datetime.date, *, search: str = ""
) -> list[StudentSummary]:
    """Every student sharing with `advisor` (matching `search` on name or email), the ones
    needing attention first. One query, whatever the number of students: each figure is a
    correlated subquery (advocates from the latest AdvocateSnapshot, overdue follow-ups from
    the Nudge table, letters at risk, last activity, open recommendations)."""
    student = OuterRef("student_id")
    soon = today + datetime.timedelta(days=settings.ADVISOR_LETTER_RISK_DAYS)
    open_letters = LetterRequest.objects.filter(owner=student).exclude(status__in=LETTER_DONE)
    overdue_follow_ups = (
        Nudge.objects.actionable(today)
        .past_due_as_last_shown(today)
        .filter(owner=student, kind=NudgeKind.FOLLOW_UP)
    )
    accesses = (
        AdvisorAccess.objects.live()
        .filter(advisor=advisor, student__role=User.Role.STUDENT, student__is_active=True)
        .select_related("student")
        .annotate(
            # The standing row (written by every refresh), else the latest weekly snapshot.
            advocates_count=Coalesce(
                Subquery(StudentStanding.objects.filter(owner=student).values("advocates")[:1]),
                Subquery(
                    AdvocateSnapshot.objects.filter(owner=student)
                    .order_by("-week")
                    .values("advocates")[:1]
                ),
            ),
            overdue_follow_ups=_count_of(overdue_follow_ups, "owner"),
            letters_overdue=_count_of(open_letters.filter(due__lt=today), "owner"),
            letters_due_soon=_count_of(open_letters.filter(due__gte=today, due__lte=soon), "owner"),
            next_letter_due=Subquery(
                open_letters.filter(due__gte=today)
                .order_by()
                .values("owner")
                .annotate(first=Min("due"))
                .values("first")[:1]
            ),
            last_logged=_latest(Interaction.objects.filter(owner=student), "created_at"),
            last_contact_change=_latest(Contact.objects.filter(owner=student), "updated_at"),
            open_recommendations=_count_of(
                Recommendation.objects.filter(student=student, done_at__isnull=True), "student"
            ),
        )
    )
    if search := search.strip():
        accesses = accesses.filter(
            Q(student__name__icontains=search) | Q(student__email__icontains=search)
        )
    goal_min = get_conf().focus_min
    summaries = []
    for access in accesses:
        activity = [d for d in (access.last_logged, access.last_contact_change) if d is not None]
        summary = StudentSummary(
            student=access.student,
            access=access,
            advocates=access.advocates_count,
            overdue_follow_ups=access.overdue_follow_ups,
            letters_overdue=access.letters_overdue,
            letters_due_soon=access.letters_due_soon,
            next_letter_due=access.next_letter_due,
            last_activity=max(activity) if activity else None,
            open_recommendations=access.open_recommendations,
        )
        summary.reasons = attention_reasons(
            summary, today, goal_min=goal_min, quiet_days=settings.ADVISOR_QUIET_DAYS
        )
        summaries.append(summary)
    summaries.sort(
        key=lambda s: (-len(s.reasons), (s.student.name or s.student.email).lower(), s.student.pk)
    )
    return summaries


# --- The class view (advisors.cohort is its pure half) -----------------------------------------


@dataclasses.dataclass
class Handled:
    reason: cohort.Reason
    closure: FlagClosure


@dataclasses.dataclass
class ClassRow:
    student: User
    shares_notes: bool
    standing: StudentStanding | None  # None before the engine's first answer
    reasons: list[cohort.Reason]  # still needing attention
    handled: list[Handled]  # closed by an advisor, cause unchanged

    @property
    def last_activity(self) -> datetime.date | None:
        days = [
            day
            for day in (
                self.standing.last_activity if self.standing else None,
                self.student.records_changed_at.date() if self.student.records_changed_at else None,
            )
            if day is not None
        ]
        return max(days) if days else None


@dataclasses.dataclass
class ClassView:
    year: int
    years: list[int]
    specialty: str
    specialties: list[str]
    rows: list[ClassRow]
    advocates_chart: cohort.BarChart
    letters_chart: cohort.BarChart
    share_chart: cohort.BarChart
    program_gaps: list[cohort.ProgramGap]

    @property
    def attention(self) -> list[ClassRow]:
        return [row for row in self.rows if row.reasons]


def class_rules() -> cohort.Rules:
    return cohort.Rules(
        goal_min=get_conf().focus_min,
        letter_risk_days=settings.ADVISOR_LETTER_RISK_DAYS,
        quiet_days=settings.ADVISOR_QUIET_DAYS,
    )


def _sharing(advisor: User) -> QuerySet:
    return AdvisorAccess.objects.live().filter(
        advisor=advisor, student__role=User.Role.STUDENT, student__is_active=True
    )


def _split(reasons, closures: list[FlagClosure]) -> tuple[list, list[Handled]]:
    """Reasons still open, and those an advisor closed while their cause is unchanged (the
    latest closure of each reason counts)."""
    latest: dict[str, FlagClosure] = {}
    for closure in closures:  # newest first
        latest.setdefault(closure.reason, closure)
    still, handled = [], []
    for reason in reasons:
        closure = latest.get(reason.code)
        if closure is not None and closure.cause == reason.cause:
            handled.append(Handled(reason, closure))
        else:
            still.append(reason)
    return still, handled


def class_view(
    advisor: User, today: datetime.date, *, year: int | None = None, specialty: str = ""
) -> ClassView:
    """The advisor's class: students sharing now, of one Match year (default the nearest) and
    optionally one target specialty, with who needs attention and the pictures. Four queries
    whatever the class size: the filters' choices, the students with their standing rows, the
    closures, and the weekly snapshots of the cycle."""
    choices = list(
        _sharing(advisor).values_list("student__match_year", "student__target_specialties")
    )
    years = sorted({y for y, _s in choices if y})
    if year is None:
        year = cohort.nearest_year(years, today)
    specialties = sorted({s for y, specs in choices if y == year for s in (specs or ())})
    accesses = (
        _sharing(advisor)
        .filter(student__match_year=year)
        .select_related("student", "student__standing")
        # SOAP: how many programs have contacted each student this Match year (issue 18).
        .annotate(
            programs_contacted=Count(
                "student__match_stories__contacted_programs",
                filter=Q(student__match_stories__year=year),
                distinct=True,
            )
        )
        .order_by("student__name", "student__email", "student_id")
    )
    if specialty:
        accesses = accesses.filter(student__target_specialties__contains=[specialty])
    accesses = list(accesses)
    ids = [access.student_id for access in accesses]
    closures: dict[int, list[FlagClosure]] = {}
    for closure in FlagClosure.objects.filter(student_id__in=ids).select_related("advisor"):
        closures.setdefault(closure.student_id, []).append(closure)
    rules = class_rules()
    rows = []
    for access in accesses:
        student = access.student
        standing = getattr(student, "standing", None)
        still, handled = _split(
            cohort.reasons_for(student, standing, today, rules, access.programs_contacted),
            closures.get(student.pk, []),
        )
        rows.append(ClassRow(student, access.share_notes, standing, still, handled))
    standings = [row.standing for row in rows if row.standing is not None]
    months = cohort.cycle_months(year, today)
    snapshots = []
    if months and ids:
        snapshots = AdvocateSnapshot.objects.filter(
            owner_id__in=ids,
            week__gte=months[0],
            week__lt=(months[-1] + datetime.timedelta(days=32)).replace(day=1),
        ).values_list("owner_id", "week", "advocates")
    return ClassView(
        year=year,
        years=years or [year],
        specialty=specialty,
        specialties=specialties,
        rows=rows,
        advocates_chart=cohort.advocate_distribution(s.advocates for s in standings),
        letters_chart=cohort.letters_distribution(
            (s.letters_agreed, s.letters_needed) for s in standings
        ),
        share_chart=cohort.share_by_month(snapshots, months, goal_min=rules.goal_min),
        program_gaps=cohort.programs_nobody_can_vouch(
            (row.student.get_full_name(), row.standing.unvouched_programs)
            for row in rows
            if row.standing is not None
        ),
    )


def class_reason(student: User, today: datetime.date, code: str) -> cohort.Reason | None:
    """One of the student's current reasons (already access-checked), for closing it. Two
    queries."""
    standing = StudentStanding.objects.filter(owner=student).first()
    contacted = MatchStory.contacted_programs.through.objects.filter(
        matchstory__owner=student, matchstory__year=student.match_year
    ).count()
    for reason in cohort.reasons_for(student, standing, today, class_rules(), contacted):
        if reason.code == code:
            return reason
    return None


# --- One student's review: the map and what sits beside it ------------------------------------


@dataclasses.dataclass
class LetterRow:
    letter: LetterRequest
    due_in_days: int | None
    at_risk: bool  # due within ADVISOR_LETTER_RISK_DAYS and not submitted, or past due
    overdue: bool


@dataclasses.dataclass
class LetterGroup:
    status: str
    label: str
    rows: list[LetterRow]


@dataclasses.dataclass
class MixItem:
    slug: str
    label: str
    count: int
    colour: str = ""


@dataclasses.dataclass
class StudentReview:
    """Everything an advisor (or the student) sees on the map page."""

    student: User
    today: datetime.date
    evaluation: Evaluation
    people: list[advisor_map.MapPerson]
    map: advisor_map.AdvocateMap
    gaps: tuple[Gap, ...]
    role_mix: list[MixItem]
    setting_mix: list[MixItem]
    letter_groups: list[LetterGroup]
    letters_at_risk: int
    overdue_follow_ups: list[Nudge]
    history: advisor_map.HistoryChart | None
    recommendations: list[Recommendation]
    show_notes: bool
    tier_counts: dict[str, int]
    # Target programs where nobody in the student's network can vouch for them.
    unvouched_programs: list[ProgramVouching] = dataclasses.field(default_factory=list)

    @property
    def progress(self):
        return self.evaluation.progress

    @property
    def phase(self):
        return self.evaluation.phase


def letter_row(letter: LetterRequest, today: datetime.date) -> LetterRow:
    is_open = letter.status not in LETTER_DONE
    due_in = (letter.due - today).days if letter.due and is_open else None
    overdue = due_in is not None and due_in < 0
    at_risk = due_in is not None and due_in <= settings.ADVISOR_LETTER_RISK_DAYS
    return LetterRow(letter=letter, due_in_days=due_in, at_risk=at_risk, overdue=overdue)


def _why(score: ContactScore) -> str:
    parts = [part.detail for part in score.depth.parts if part.points > 0]
    if score.depth.decay_detail:
        parts.append(score.depth.decay_detail)
    return "; ".join(parts) or "Met; little shared work recorded yet"


def map_people(
    evaluation: Evaluation, conf: EngineConf, *, notes: dict[int, str] | None = None
) -> list[advisor_map.MapPerson]:
    """The engine's scores as map people (archived contacts left out), strongest ring first.

    A dormant person keeps the ring their (decayed) depth earns, drawn as dormant."""
    people = []
    for score in evaluation.scores.values():
        contact = score.contact
        if contact.archived:
            continue
        dormant = score.tier == Tier.DORMANT
        ring = score.tier
        if dormant:
            # The tier their depth earns as if they were not quiet (the engine's own rule).
            awake = types.SimpleNamespace(
                value=score.depth.value, raw=score.depth.raw, days_quiet=None
            )
            ring = tier_for(contact, awake, conf, held=score.evidence)
        group = ROLE_GROUPS.get(contact.role, RoleGroup.PEERS)
        people.append(
            advisor_map.MapPerson(
                id=contact.id,
                name=contact.name,
                role_label=Role(contact.role).label if contact.role in Role.values else "",
                group=str(group),
                group_label=RoleGroup(group).label,
                ring=ring,
                tier_label=_tier_label(score),
                influence=score.influence.value,
                depth=score.depth.value,
                last_contact_on=score.depth.last_contact_on,
                focus=contact.id in evaluation.focus,
                dormant=dormant,
                why=_why(score),
                influence_detail=score.influence.detail,
                next_step=next_step_for(score, conf),
                notes=(notes or {}).get(contact.id, ""),
            )
        )
    ring_order = {ring: index for index, ring in enumerate(advisor_map.RINGS)}
    people.sort(
        key=lambda p: (ring_order.get(p.ring, 9), not p.focus, -p.influence * p.depth, p.name)
    )
    return people


def _role_mix(people: list[advisor_map.MapPerson]) -> list[MixItem]:
    counts = Counter(person.group for person in people if not person.dormant)
    return [
        MixItem(group, RoleGroup(group).label, counts[group], advisor_map.GROUP_COLOURS[group])
        for group in advisor_map.GROUP_ORDER
    ]


def _setting_mix(evaluation: Evaluation) -> list[MixItem]:
    counts = Counter(
        score.contact.setting or "unknown"
        for score in evaluation.scores.values()
        if not score.contact.archived and score.tier != Tier.DORMANT
    )
    items = [MixItem(slug, str(label), counts[slug]) for slug, label in Setting.choices]
    if counts["unknown"]:
        items.append(MixItem("unknown", "Setting not recorded", counts["unknown"]))
    return items


def _letter_groups(student: User, today: datetime.date) -> tuple[list[LetterGroup], int]:
    letters = LetterRequest.objects.filter(owner=student).select_related("writer")
    by_status: dict[str, list[LetterRow]] = {status: [] for status in LetterStatus.values}
    for letter in letters:
        by_status[letter.status].append(letter_row(letter, today))
    groups = [
        LetterGroup(status, str(label), by_status[status])
        for status, label in LetterStatus.choices
        if by_status[status]
    ]
    at_risk = sum(row.at_risk for rows in by_status.values() for row in rows)
    return groups, at_risk


def _overdue_follow_ups(student: User, today: datetime.date) -> list[Nudge]:
    return list(
        Nudge.objects.actionable(today)
        .past_due_as_last_shown(today)
        .filter(owner=student, kind=NudgeKind.FOLLOW_UP)
        .with_last_shown_due()
        .select_related("contact")
        .order_by("last_shown_due", "pk")
    )


HISTORY_WEEKS = 52


def _history(student: User, conf: EngineConf) -> advisor_map.HistoryChart | None:
    rows = list(
        AdvocateSnapshot.objects.filter(owner=student)
        .order_by("-week")
        .values_list("week", "advocates")[:HISTORY_WEEKS]
    )
    if not rows:
        return None
    return advisor_map.history_chart(rows, goal_min=conf.focus_min, goal_max=conf.focus_max)


def recommendations_for_review(student: User) -> list[Recommendation]:
    """All recommendations on the student, open first, with who wrote them. One query."""
    return list(Recommendation.objects.filter(student=student).select_related("advisor"))


def student_review(
    student: User, today: datetime.date, *, show_notes: bool, centre_label: str = "You"
) -> StudentReview:
    """The map page for one student in thirteen queries at most, whatever the number of
    contacts: six for the engine, notes (only when shared), letters, overdue follow-ups, the
    weekly snapshots, recommendations, and the programs and their ties (the programs nobody
    can vouch for, ranked from the engine's scores already made)."""
    conf = get_conf()
    evaluation = engine_for_student(student, today, conf=conf)
    notes = None
    if show_notes:
        notes = dict(
            Contact.objects.filter(owner=student).exclude(notes="").values_list("pk", "notes")
        )
    people = map_people(evaluation, conf, notes=notes)
    letter_groups, letters_at_risk = _letter_groups(student, today)
    return StudentReview(
        student=student,
        today=today,
        evaluation=evaluation,
        people=people,
        map=advisor_map.layout_map(people, centre_label=centre_label),
        gaps=evaluation.gaps,
        role_mix=_role_mix(people),
        setting_mix=_setting_mix(evaluation),
        letter_groups=letter_groups,
        letters_at_risk=letters_at_risk,
        overdue_follow_ups=_overdue_follow_ups(student, today),
        history=_history(student, conf),
        recommendations=recommendations_for_review(student),
        show_notes=show_notes,
        tier_counts=evaluation.tier_counts(),
        unvouched_programs=nobody_can_vouch(
            vouching_for(student, today, scores=evaluation.scores, conf=conf)
        ),
    )


def shared_red_flags(student: User) -> list[RedFlag]:
    """The red flags the student chose to let their advisor see (one query). Never anyone
    else's view: only the advisor's student page reads this."""
    return list(RedFlag.objects.filter(owner=student, shared=True).order_by("pk"))


NOT_MET_YET = "Not met yet"


def _tier_label(score) -> str:
    """The engine's tier in words; an acquaintance never met (imported, no interaction yet)
    is "Not met yet", apart from the people actually met once or twice."""
    if score.tier == Tier.ACQUAINTANCE and score.depth.last_contact_on is None:
        return NOT_MET_YET
    return Tier(score.tier).label if score.tier in Tier.values else score.tier


def soap_for_advisor(student: User, today: datetime.date) -> MatchWeekView | None:
    """The student's Match Week as their advisor sees it, read only for a student who did not
    match (or only to a preliminary year): every other student's page costs nothing more.
    Its `plan` is the SOAP plan while SOAP runs (Match Week), else None."""
    if student.match_outcome not in DID_NOT_MATCH:
        return None
    return match_week_view(student, today)


# --- Recommendations on the student's own pages ----------------------------------------------


def recommendations_for_student(student: User) -> list[Recommendation]:
    """For templates/advisors/_recommendations.html on the student's pages: every open
    recommendation and those done in the last two weeks, open first. One query."""
    recently = timezone.now() - datetime.timedelta(days=RECENTLY_DONE_DAYS)
    return list(
        Recommendation.objects.filter(student=student)
        .filter(Q(done_at__isnull=True) | Q(done_at__gte=recently))
        .select_related("advisor")
    )


def recommendation_for_student(student: User, pk: int) -> Recommendation:
    recommendation = (
        Recommendation.objects.filter(student=student, pk=pk).select_related("advisor").first()
    )
    if recommendation is None:
        raise Http404("No such recommendation")
    return recommendation


def recommendation_for_advisor(advisor: User, student: User, pk: int) -> Recommendation:
    """One of this advisor's own recommendations on `student` (already access-checked)."""
    recommendation = Recommendation.objects.filter(student=student, advisor=advisor, pk=pk).first()
    if recommendation is None:
        raise Http404("No such recommendation")
    return recommendation


# --- Recommendations in the weekly email (registered with reminders.email.notes)
# -------------------


def open_recommendation_notes(student_ids: Iterable[int]) -> dict[int, list[Note]]:
    """Each student's open recommendations as notes for the weekly email, newest first, with
    who wrote them. One query for the whole batch."""
    notes: dict[int, list[Note]] = {}
    rows = (
        Recommendation.objects.filter(student_id__in=list(student_ids), done_at__isnull=True)
        .select_related("advisor")
        .order_by("student_id", "-created_at", "-pk")
    )
    for row in rows:
        author = (row.advisor.name or row.advisor.email) if row.advisor else "Your advisor"
        notes.setdefault(row.student_id, []).append(Note(text=row.text, author=author))
    return notes
