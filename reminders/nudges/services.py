"""Writes for the reminder engine: the refresh that stores what the engine says, and the
student's own actions on a nudge (done, snooze, dismiss)."""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Sequence

from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from contacts.models import Interaction, LetterRequest
from contacts.vocabulary import Tier
from crm.collector import cyclic_gc_paused
from crm.dates import week_start
from crm.db import update_by_pk_sql
from crm.models import User
from reminders.engine import live
from reminders.engine.conf import EngineConf, get_conf
from reminders.engine.records import InteractionRecord
from reminders.engine.rules import Evaluation, answers, evaluate
from reminders.evaluation import baseline
from reminders.evaluation.loader import letter_record, load_records, records_stamp
from reminders.evaluation.standing import remember_standing
from reminders.evaluation.standing_row import STANDING_FIELDS, standing_row
from reminders.models import AdvocateSnapshot, Nudge, NudgeState, StudentStanding
from reminders.nudges import lifecycle
from reminders.nudges.selectors import load_stored_nudges
from reminders.vocabulary import LIVE_STATES, NUDGE_FIELDS


@dataclasses.dataclass
class RefreshStats:
    students: int = 0
    created: int = 0
    updated: int = 0
    reopened: int = 0
    expired: int = 0

    def add(self, other: RefreshStats) -> None:
        for field in dataclasses.fields(self):
            setattr(self, field.name, getattr(self, field.name) + getattr(other, field.name))

    def as_dict(self) -> dict[str, int]:
        return dataclasses.asdict(self)


@cyclic_gc_paused()
def refresh_students(
    student_ids: Sequence[int],
    *,
    today: datetime.date | None = None,
    now: datetime.datetime | None = None,
    conf: EngineConf | None = None,
    answers: dict | None = None,
    skip_stored: bool = False,
) -> RefreshStats:
    """Store what the engine says for these students, each on their own local date (or on
    `today` for all). Safe to run again: the same day's second run changes nothing.

    With `answers` (a dict), each student's records and evaluation are left there by id, so
    the weekly email reuses them instead of loading and evaluating the students again.

    With `skip_stored`, a student whose stored answer is already for that day and was stored
    after their records last changed (answered_since_last_change) is evaluated (for
    `answers`) but not stored again: that second run would change nothing. The weekly email's
    refresh, after the day's nightly one, mostly finds it so.

    A fixed number of queries whatever the number of students: six reads of records, one of
    stored nudges, then at most one insert, one batch of updates of the nudges that changed
    (_rewrite), one expiry update and one snapshot upsert and one standing upsert
    (StudentStanding), inside one transaction. The cyclic garbage collector waits until the
    chunk is done (see cyclic_gc_paused)."""
    conf = conf or get_conf()
    now = now or timezone.now()
    stats = RefreshStats()
    loaded = load_records(student_ids)
    stored_for = answered_since_last_change(list(loaded)) if skip_stored else {}
    evaluations: dict[int, Evaluation] = {}
    standings: list[StudentStanding] = []
    for student_id, (records, tz) in loaded.items():
        day = today or User(timezone=tz).local_today(now)
        evaluation = evaluate(records, day, conf)
        if answers is not None:
            answers[student_id] = (records, evaluation)
        if stored_for.get(student_id) == day:
            continue
        evaluations[student_id] = evaluation
        standings.append(
            standing_row(student_id, evaluation, letters=records.letters, records=records, now=now)
        )
    del loaded  # frees the records now: the evaluations keep only what they use
    return _store(evaluations, now=now, stats=stats, standings=standings)


def answered_since_last_change(student_ids: Sequence[int]) -> dict[int, datetime.date]:
    """The day each student's stored answer is for, where it was stored after their records
    last changed (one query). Every refresh stores a student's nudges with their standing row
    (StudentStanding, stamped with the refresh's `now`) in one transaction, and the records'
    stamp (User.records_changed_at) moves with every change: for that day, the same records
    give the same answer, which is stored already."""
    return dict(
        StudentStanding.objects.filter(
            owner_id__in=student_ids, updated_at__gte=F("owner__records_changed_at")
        ).values_list("owner_id", "computed_on")
    )


def _store(
    evaluations: dict[int, Evaluation],
    *,
    now: datetime.datetime,
    stats: RefreshStats,
    scope: frozenset[int] | None = None,
    standings: Sequence[StudentStanding] = (),
) -> RefreshStats:
    """Make the stored nudges agree with these evaluations, and store the students' standing
    rows. With `scope` (one student, the live
    refresh of reminders.engine.live), the evaluation speaks only of those contacts and of no one:
    only
    their stored nudges are planned, and the week's snapshot is left to the daily refresh."""
    keys = [spec.key for ev in evaluations.values() for spec in ev.nudges]
    stored = load_stored_nudges(evaluations, keys, contact_ids=scope)

    to_create: list[Nudge] = []
    to_change: list[lifecycle.Change] = []
    to_expire: list[int] = []
    snapshots: list[AdvocateSnapshot] = []
    for student_id, evaluation in evaluations.items():
        plan = lifecycle.plan_refresh(
            evaluation.nudges, stored.get(student_id, ()), evaluation.today
        )
        stats.students += 1
        to_create += [
            Nudge(
                owner_id=student_id,
                kind=spec.kind,
                key=spec.key,
                contact_id=spec.contact_id,
                due=spec.due,
                reason=spec.reason,
                occasion_on=spec.occasion_on,
                stakes=spec.stakes,
                group=spec.group,
                state=NudgeState.OPEN,
                created_at=now,
                updated_at=now,
            )
            for spec in plan.create
        ]
        stats.reopened += sum(change.reopened for change in plan.change)
        to_change += plan.change
        to_expire += plan.expire
        if scope is not None:
            continue
        counts = evaluation.tier_counts()
        snapshots.append(
            AdvocateSnapshot(
                owner_id=student_id,
                week=week_start(evaluation.today),
                advocates=counts[Tier.ADVOCATE],
                developing=counts[Tier.DEVELOPING],
                acquaintances=counts[Tier.ACQUAINTANCE],
                dormant=counts[Tier.DORMANT],
                focus_size=len(evaluation.focus),
                open_nudges=plan.open_after,
                created_at=now,
                updated_at=now,
            )
        )

    with transaction.atomic():
        if to_create:
            # ignore_conflicts: a concurrent or retried run may have stored the same occasion.
            created = Nudge.objects.bulk_create(to_create, ignore_conflicts=True, batch_size=2000)
            stats.created = len(created)
        if to_change:
            stats.updated = _rewrite(to_change, now)
        if to_expire:
            stats.expired = Nudge.objects.filter(pk__in=to_expire, state__in=LIVE_STATES).update(
                state=NudgeState.EXPIRED, snoozed_until=None, closed_at=now, updated_at=now
            )
        if snapshots:
            AdvocateSnapshot.objects.bulk_create(
                snapshots,
                update_conflicts=True,
                unique_fields=["owner", "week"],
                update_fields=[
                    "advocates",
                    "developing",
                    "acquaintances",
                    "dormant",
                    "focus_size",
                    "open_nudges",
                    "updated_at",
                ],
            )
        if standings:
            StudentStanding.objects.bulk_create(
                standings,
                update_conflicts=True,
                unique_fields=["owner"],
                update_fields=STANDING_FIELDS,
            )
    return stats


def _rewrite(changes: Sequence[lifecycle.Change], now: datetime.datetime) -> int:
    """Write the changed nudges (lifecycle.Change: each one's full new NUDGE_FIELDS): one
    UPDATE by primary key per row, sent together (executemany). Only the rows a refresh really
    changes come here, a few per student; bulk_update's CASE WHEN per column and row cost more
    to build than the writes themselves. Returns how many rows were updated."""
    fields = [Nudge._meta.get_field(name) for name in NUDGE_FIELDS]
    closed_at, updated_at = Nudge._meta.get_field("closed_at"), Nudge._meta.get_field("updated_at")
    stamp = updated_at.get_db_prep_save(now, connection)
    rows = [
        [
            *(
                field.get_db_prep_save(getattr(change, field.attname), connection)
                for field in fields
            ),
            closed_at.get_db_prep_save(None, connection),
            stamp,
            change.id,
        ]
        for change in changes
    ]
    with connection.cursor() as cursor:
        cursor.executemany(
            update_by_pk_sql(Nudge, [*NUDGE_FIELDS, "closed_at", "updated_at"], connection), rows
        )
        return cursor.rowcount


def refresh_student(
    student: User, *, today: datetime.date | None = None, now: datetime.datetime | None = None
) -> RefreshStats:
    """One student, through the same path as a chunk."""
    return refresh_students([student.pk], today=today, now=now)


@cyclic_gc_paused()
def refresh_after_change(
    *,
    student_id: int,
    contact_ids: frozenset[int] | None = None,
    since: datetime.datetime | None = None,
    now: datetime.datetime | None = None,
) -> RefreshStats | None:
    """The live refresh, run once the change has committed (reminders.reactions): the
    student's nudges on their local today, before the next page is drawn.

    `contact_ids` are the contacts the change touched (a logged interaction) and `since` the
    records' stamp before it: if a baseline for that stamp and day is kept
    (reminders.evaluation.baseline), only the touched contacts (and what depends on them) are
    re-evaluated (reminders.engine.live), in a fixed number of queries whatever the size of
    the network, and the new answer becomes the next change's baseline; the pages' standing is
    cached, so the page after a write evaluates nothing.

    Returns None, having done nothing, when there is no such baseline (another kind of change,
    the day's first write, a network too large to share): evaluating everything is a worker's
    job (refresh_in_full, from reminders.tasks.refresh_student_soon), never a request's."""
    if not contact_ids or since is None:
        return None
    student = User.objects.filter(pk=student_id).first()
    if student is None:  # deleted in the same transaction
        return RefreshStats()
    now = now or timezone.now()
    today = student.local_today(now)
    before = baseline.recall(student_id, since.isoformat(), today)
    if before is None:
        return None
    conf = get_conf()

    def load(ids):
        return load_records([student_id], contact_ids=ids)[student_id][0]

    evaluation, answer, redone = live.evaluate_touched(before, contact_ids, load, today, conf)
    # The records loaded hold only the touched contacts' letters: one query for them all.
    letters = [letter_record(row) for row in LetterRequest.objects.filter(owner_id=student_id)]
    standing = standing_row(student_id, evaluation, letters=letters, now=now)
    stats = _store(
        {student_id: evaluation},
        now=now,
        stats=RefreshStats(),
        scope=redone,
        standings=[standing],
    )
    if baseline.remember(student_id, records_stamp(student), answer, in_a_request=True):
        from reminders.tasks import refresh_student_soon  # the tasks call these services

        refresh_student_soon(student_id)  # the worker shares the next baseline
    remember_standing(student, today, evaluation, tiers=answer.tiers)
    return stats


@cyclic_gc_paused()
def refresh_in_full(*, student_id: int, now: datetime.datetime | None = None) -> RefreshStats:
    """Evaluate the student in full on their local today, store what the engine says, and keep
    the answer as the baseline for the next change and the standing for the pages. The
    refresh task's work (reminders.tasks.refresh_student), and the fallback when no worker can
    be asked."""
    student = User.objects.filter(pk=student_id).first()
    if student is None:
        return RefreshStats()
    now = now or timezone.now()
    today = student.local_today(now)
    answers: dict = {}
    stats = refresh_students([student_id], today=today, now=now, answers=answers)
    records, evaluation = answers[student_id]
    answer = live.Answer.of(evaluation, records, get_conf())
    baseline.remember(student_id, records_stamp(student), answer)
    remember_standing(student, today, evaluation, tiers=answer.tiers)
    return stats


def close_nudges_answered_by(*, interaction: Interaction) -> int:
    """Mark done the live nudges this new interaction answers (same contact, on or after the
    nudge's occasion). Called by reminders.reactions when an interaction is logged (the
    crm.events.changed signal). Two queries."""
    record = InteractionRecord(
        id=interaction.pk or 0,
        contact_id=interaction.contact_id,
        date=interaction.date,
        kind=interaction.kind,
        direction=interaction.direction,
        context=interaction.context,
        follow_up_by=interaction.follow_up_by,
    )
    candidates = Nudge.objects.filter(
        owner_id=interaction.owner_id,
        contact_id=interaction.contact_id,
        state__in=LIVE_STATES,
        occasion_on__lte=interaction.date,
    ).values_list("pk", "kind", "occasion_on")
    answered = [pk for pk, kind, occasion_on in candidates if answers(kind, occasion_on, record)]
    if not answered:
        return 0
    now = timezone.now()
    return Nudge.objects.filter(pk__in=answered).update(
        state=NudgeState.DONE, snoozed_until=None, closed_at=now, updated_at=now
    )


def nudge_mark_done(*, nudge: Nudge) -> Nudge:
    nudge.state = NudgeState.DONE
    nudge.snoozed_until = None
    nudge.closed_at = timezone.now()
    nudge.save(update_fields=["state", "snoozed_until", "closed_at", "updated_at"])
    return nudge


def nudge_snooze_a_week(*, nudge: Nudge, today: datetime.date) -> Nudge:
    """ "Snooze a week" from `today` (the student's own date), on the page or from the email."""
    return nudge_snooze(nudge=nudge, until=today + datetime.timedelta(days=get_conf().snooze_days))


def nudge_snooze(*, nudge: Nudge, until: datetime.date) -> Nudge:
    """Hide the nudge until `until`; the refresh on or after that date reopens it."""
    nudge.state = NudgeState.SNOOZED
    nudge.snoozed_until = until
    nudge.closed_at = None
    nudge.save(update_fields=["state", "snoozed_until", "closed_at", "updated_at"])
    return nudge


def nudge_dismiss(*, nudge: Nudge) -> Nudge:
    """Never again for this occasion (the key): the refresh leaves dismissed nudges alone."""
    nudge.state = NudgeState.DISMISSED
    nudge.snoozed_until = None
    nudge.closed_at = timezone.now()
    nudge.save(update_fields=["state", "snoozed_until", "closed_at", "updated_at"])
    return nudge
