"""The weekly email's schedule and delivery: who is due this hour, claim, send, mark sent.

Due: a student (opted in, active) is due once their chosen weekday and hour have come in their
own time zone's current ISO week (up to DIGEST_CATCH_UP_HOURS after it), and they have no email
for that week yet. The week key is the Monday of the local ISO week, and the comparison is on
local wall-clock time, so daylight saving neither skips nor doubles a week: on a spring-forward
night a 02:00 that never exists has "come" at 03:00, and on a fall-back night the repeated hour
finds this week's row already sent.

Exactly once, as far as email allows (README: "The weekly email: what 'exactly once' means"):
- planning stores one Digest per (student, week): UniqueConstraint, bulk_create ignore_conflicts;
- a worker claims its batch's rows with one conditional UPDATE (ready -> sending, or a stale
  claim) and acts only on the rows it changed, so two workers, a retry or a rerun never send the
  same week twice;
- after the mail server accepts the message the row is marked sent;
- a claim that never got marked sent (a crash, an SMTP error) goes stale after
  DIGEST_STALE_CLAIM_MINUTES and the next hourly run tries again, up to DIGEST_MAX_ATTEMPTS,
  so no week is silently lost. The one window for a duplicate: a crash after the server
  accepted the message and before the row is marked sent.
"""

from __future__ import annotations

import dataclasses
import datetime
import logging
import secrets
import time
import zoneinfo
from collections.abc import Iterable, Sequence

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import connections, transaction
from django.db.models import F, Q
from django.db.models.sql import UpdateQuery
from django.template.loader import get_template
from django.urls import reverse
from django.utils import timezone

from crm.collector import cyclic_gc_paused
from crm.dates import week_start  # a week's email is keyed on its Monday
from crm.db import update_by_pk_sql
from crm.models import User
from reminders.email.digest import RenderedDigest, digest_content, digest_contents, render_digest
from reminders.email.links import new_nonce
from reminders.models import ClaimedEmail, Digest, DigestRun, DigestStatus
from reminders.nudges.services import refresh_students

logger = logging.getLogger(__name__)


# --- When -------------------------------------------------------------------------------------


def _zone(name: str) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


def due_week(
    *, tz: zoneinfo.ZoneInfo, weekday: int, hour: int, now: datetime.datetime
) -> datetime.date | None:
    """The week (its Monday) whose email is due at `now`, or None if this week's hour has not
    come yet on the student's own clock."""
    local = now.astimezone(tz)
    monday = week_start(local.date())
    # Wall-clock comparison on purpose (see the module docstring on daylight saving).
    return monday if local.replace(tzinfo=None) >= slot(monday, weekday, hour) else None


def slot(monday: datetime.date, weekday: int, hour: int) -> datetime.datetime:
    """The week's chosen weekday and hour on the student's wall clock (naive)."""
    return datetime.datetime.combine(monday + datetime.timedelta(days=weekday), datetime.time(hour))


def _is_late(now: datetime.datetime, tz, week: datetime.date, weekday: int, hour: int) -> bool:
    """Past the catch-up window after the slot: a Monday email first planned on Sunday helps no
    one (a new account, the first deploy, a scheduler down for days; the last is loud in
    `health` long before)."""
    local = now.astimezone(tz).replace(tzinfo=None)
    window = datetime.timedelta(hours=settings.DIGEST_CATCH_UP_HOURS)
    return local - slot(week, weekday, hour) > window


def as_if_on(day: datetime.date, *, tz: zoneinfo.ZoneInfo, hour: int) -> datetime.datetime:
    """`send_digests --date`: the moment a student's clock reads their chosen hour on `day`."""
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=tz)


@dataclasses.dataclass(frozen=True)
class DueStudent:
    student_id: int
    email: str
    week: datetime.date
    today: datetime.date  # the student's local date, for the content
    late: bool = False  # past the catch-up window: too late to start this week's email


def due_students(
    now: datetime.datetime, *, on_date: datetime.date | None = None
) -> list[DueStudent]:
    """Every opted-in, active student whose hour has come this week (whether or not the week's
    email has gone already, or it is too late to start it: the caller checks). One query.
    Advisors never get the email."""
    rows = (
        User.objects.filter(role=User.Role.STUDENT, is_active=True, digest_opt_out=False)
        .order_by("pk")
        .values_list("pk", "email", "timezone", "digest_weekday", "digest_hour")
    )
    due = []
    for pk, email, tz_name, weekday, hour in rows:
        tz = _zone(tz_name)
        moment = as_if_on(on_date, tz=tz, hour=hour) if on_date else now
        week = due_week(tz=tz, weekday=weekday, hour=hour, now=moment)
        if week is not None:
            # `--date` asks for that week's email on purpose: no catch-up window there.
            late = on_date is None and _is_late(moment, tz, week, weekday, hour)
            due.append(DueStudent(pk, email, week, moment.astimezone(tz).date(), late))
    return due


# --- Planning ---------------------------------------------------------------------------------


def stale_before(now: datetime.datetime) -> datetime.datetime:
    return now - datetime.timedelta(minutes=settings.DIGEST_STALE_CLAIM_MINUTES)


@dataclasses.dataclass
class Plan:
    to_send: list[int]  # digest ids worth trying to claim
    due: list[DueStudent]  # the students behind them (for --dry-run)
    already_done: int = 0  # due students whose week's email went (or was given up)
    in_progress: int = 0  # claimed by a worker recently: leave it alone
    given_up: int = 0  # stale claims out of attempts, marked failed now


def plan_digests(
    now: datetime.datetime,
    *,
    on_date: datetime.date | None = None,
    run: DigestRun | None = None,
    dry_run: bool = False,
) -> Plan:
    """Store a Digest row for each due student without one, and say which rows to send:
    new or unclaimed ones, and stale claims of this week (a crash or an SMTP error) that
    still have attempts left. With `dry_run`, write nothing. Five queries at most."""
    due = due_students(now, on_date=on_date)
    given_up = 0 if dry_run else _give_up_past_weeks(now)
    if not due:
        return Plan([], [], given_up=given_up)
    pairs = {(student.student_id, student.week): student for student in due}
    ids = [student.student_id for student in due]
    weeks = {student.week for student in due}

    def stored() -> dict[tuple[int, datetime.date], tuple]:
        rows = Digest.objects.filter(student_id__in=ids, week__in=weeks).values_list(
            "student_id", "week", "pk", "status", "claimed_at", "attempts"
        )
        return {(row[0], row[1]): row[2:] for row in rows if (row[0], row[1]) in pairs}

    existing = stored()
    # A row is started only within the catch-up window; once it exists, its retries run
    # until the week is over, so a started week is never silently dropped.
    missing = [pair for pair, student in pairs.items() if pair not in existing and not student.late]
    if dry_run:
        would = [pairs[pair] for pair in missing]
        would += [
            pairs[pair]
            for pair, (_, status, claimed_at, attempts) in existing.items()
            if _retryable(status, claimed_at, attempts, now)
        ]
        return Plan([], sorted(would, key=lambda s: s.student_id))
    if missing:
        # ignore_conflicts: another worker planning the same hour may insert the same rows.
        Digest.objects.bulk_create(
            [Digest(student_id=pk, week=week, run=run) for pk, week in missing],
            ignore_conflicts=True,
            batch_size=1000,
        )
        existing = stored()
    plan = Plan([], [], given_up=given_up)
    stale_out_of_attempts = []
    for pair, (pk, status, claimed_at, attempts) in sorted(existing.items()):
        if status in (DigestStatus.SENT, DigestStatus.FAILED, DigestStatus.SKIPPED):
            plan.already_done += 1
        elif _retryable(status, claimed_at, attempts, now):
            plan.to_send.append(pk)
            plan.due.append(pairs[pair])
        elif status == DigestStatus.SENDING and claimed_at and claimed_at < stale_before(now):
            stale_out_of_attempts.append(pk)
        else:
            plan.in_progress += 1
    if stale_out_of_attempts:
        plan.given_up += Digest.objects.filter(
            pk__in=stale_out_of_attempts,
            status=DigestStatus.SENDING,
            claimed_at__lt=stale_before(now),
        ).update(status=DigestStatus.FAILED)
    return plan


def _give_up_past_weeks(now: datetime.datetime) -> int:
    """Rows still unsent when their week is over everywhere on Earth (the scheduler or the
    workers were down all week) become "failed", so the status page and `health` say so
    rather than the week vanishing quietly. One query."""
    last_week = week_start(now.date()) - datetime.timedelta(days=7)
    return Digest.objects.filter(
        status__in=[DigestStatus.READY, DigestStatus.SENDING], week__lt=last_week
    ).update(status=DigestStatus.FAILED, last_error="The week ended before it could be sent.")


def _retryable(
    status: str, claimed_at: datetime.datetime | None, attempts: int, now: datetime.datetime
) -> bool:
    if attempts >= settings.DIGEST_MAX_ATTEMPTS:
        return False
    if status == DigestStatus.READY:
        return True
    return (
        status == DigestStatus.SENDING
        and claimed_at is not None
        and (claimed_at < stale_before(now))
    )


# --- Claim, send, mark ------------------------------------------------------------------------


def claim(
    row_id: int,
    now: datetime.datetime,
    *,
    model: type[ClaimedEmail] = Digest,
    task_id: str | None = None,
) -> str | None:
    """Take the row (a Digest, or any ClaimedEmail) for this worker: None if someone else has
    it (or it is sent, given up, or out of attempts), else the claim's token. See claim_many."""
    return claim_many([row_id], now, model=model, task_id=task_id).get(row_id)


def claim_many(
    row_ids: Sequence[int],
    now: datetime.datetime,
    *,
    model: type[ClaimedEmail] = Digest,
    task_id: str | None = None,
) -> dict[int, str]:
    """Take these rows for this worker in one conditional UPDATE, which says which rows it
    changed (RETURNING: PostgreSQL, and SQLite since 3.35): {row id: the claim's token} for the
    rows taken, in `row_ids`' order. A row someone else holds, sent, given up or out of
    attempts is not taken: the database decides row by row, so two workers claiming the same
    batch at once split it without sharing a row.

    With `task_id` (a Celery task's id) the token is that id, so the same task redelivered
    after its worker died takes back the rows it had claimed, once their heartbeat
    (`heartbeat`) is older than DIGEST_CLAIM_EXPIRY_SECONDS: a live worker keeps stamping
    them, so a redelivered copy of a task still running skips them."""
    if not row_ids:
        return {}
    token = task_id.replace("-", "")[:32] if task_id else secrets.token_hex(8)
    takeable = Q(status=DigestStatus.READY) | Q(
        status=DigestStatus.SENDING, claimed_at__lt=stale_before(now)
    )
    if task_id:
        expired = timezone.now() - datetime.timedelta(seconds=settings.DIGEST_CLAIM_EXPIRY_SECONDS)
        takeable |= Q(status=DigestStatus.SENDING, claim_token=token, claimed_at__lt=expired)
    rows = model.objects.filter(pk__in=row_ids, attempts__lt=settings.DIGEST_MAX_ATTEMPTS).filter(
        takeable
    )
    # QuerySet.update() built by hand, to add RETURNING (update() only counts the rows).
    update = rows.query.chain(UpdateQuery)
    update.add_update_values(
        {
            "status": DigestStatus.SENDING,
            "claimed_at": now if not task_id else max(now, timezone.now()),
            "claim_token": token,
            "attempts": F("attempts") + 1,
        }
    )
    statement, params = update.get_compiler(rows.db).as_sql()
    pk_column = connections[rows.db].ops.quote_name(model._meta.pk.column)
    with (
        transaction.mark_for_rollback_on_error(using=rows.db),
        connections[rows.db].cursor() as cursor,
    ):
        cursor.execute(f"{statement} RETURNING {pk_column}", params)
        taken = {pk for (pk,) in cursor.fetchall()}
    return {pk: token for pk in row_ids if pk in taken}


def heartbeat(claims: dict[int, str], *, model: type[ClaimedEmail] = Digest) -> int:
    """Stamp the rows this worker still holds (unsent, its tokens): one UPDATE per token."""
    stamped = 0
    for token in set(claims.values()):
        ids = [pk for pk, held in claims.items() if held == token]
        stamped += model.objects.filter(
            pk__in=ids, status=DigestStatus.SENDING, claim_token=token
        ).update(claimed_at=timezone.now())
    return stamped


def finish(row_id: int, token: str, *, model: type[ClaimedEmail] = Digest, **fields) -> bool:
    """Update a row this worker still holds (its claim token unchanged).

    Once per email, each in its own commit (what "exactly once" rests on), so it is one plain
    UPDATE by primary key: the ORM's filter().update() took twice as long to build as the
    database took to run it."""
    alias = model.objects.db
    db = connections[alias]
    statement = update_by_pk_sql(model, list(fields), db, guards=["status", "claim_token"])
    params = [
        model._meta.get_field(name).get_db_prep_save(value, db) for name, value in fields.items()
    ]
    with transaction.mark_for_rollback_on_error(using=alias), db.cursor() as cursor:
        cursor.execute(statement, [*params, row_id, DigestStatus.SENDING, token])
        changed = cursor.rowcount
    if not changed:
        # Our claim went stale and another worker took it: it may send this email again.
        logger.warning(
            "%s %s: claim lost before it was marked; see README.", model.__name__, row_id
        )
    return bool(changed)


class TwoPartEmail(EmailMultiAlternatives):
    """A text and HTML email whose MIME boundary is drawn when it is built: a random token no
    part can hold. Left unset, Python's generator draws one and searches the whole message for
    it with a regular expression compiled anew for each email (4% of sending one)."""

    def message(self):
        message = super().message()
        if message.is_multipart():
            message.set_boundary(f"=_{secrets.token_hex(16)}")
        return message


def build_message(student: User, rendered: RenderedDigest, *, connection=None) -> TwoPartEmail:
    message = TwoPartEmail(
        subject=rendered.subject,
        body=rendered.text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[student.email],
        headers={
            # RFC 2369 and RFC 8058: mail clients show their own "Unsubscribe" and POST to it.
            "List-Unsubscribe": f"<{rendered.unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            # RFC 3834: an out-of-office reply to this email helps no one.
            "Auto-Submitted": "auto-generated",
            "X-Auto-Response-Suppress": "OOF, AutoReply",
        },
        connection=connection,
    )
    message.attach_alternative(rendered.html, "text/html")
    return message


def mail_connection():
    """A connection with a timeout well under the stale-claim time (see settings)."""
    return get_connection(timeout=settings.DIGEST_SMTP_TIMEOUT_SECONDS)


@dataclasses.dataclass
class BatchResult:
    sent: int = 0
    failed: int = 0
    skipped: int = 0

    def add(self, other: BatchResult) -> None:
        self.sent += other.sent
        self.failed += other.failed
        self.skipped += other.skipped

    def as_dict(self) -> dict[str, int]:
        return dataclasses.asdict(self)


def _refresh_before_sending(
    students: Iterable[User], on_date: datetime.date | None, now: datetime.datetime
) -> dict:
    """Bring the claimed students' nudges up to date (a fixed number of queries for the whole
    batch), so the email says what the engine says today, storing nothing for whom the day's
    refresh already stored it; returns each student's records and evaluation, which the
    content reuses. Best effort: if it fails, the stored nudges from
    the daily refresh are still worth sending (and the content evaluates on its own)."""
    ids = [student.pk for student in students]
    answers: dict = {}
    if not ids:
        return answers
    try:
        refresh_students(ids, today=on_date, now=now, answers=answers, skip_stored=True)
    except Exception:
        logger.exception("Refresh before the weekly email failed; sending stored nudges.")
        return {}
    return answers


@cyclic_gc_paused()
def send_batch(
    digest_ids: Sequence[int],
    *,
    now: datetime.datetime | None = None,
    on_date: datetime.date | None = None,
    run_id: int | None = None,
    connection=None,
    task_id: str | None = None,
) -> BatchResult:
    """Claim, render and send these digests over one mail connection, and mark each sent.

    A digest someone else holds is skipped; one that raises (rendering or SMTP) is left
    claimed with its error, to be retried after the stale timeout like a crash would be.
    With `task_id` (send_digest_chunk), the claims carry the task's id and are stamped every
    DIGEST_CLAIM_HEARTBEAT_SECONDS while the batch runs, so if this worker dies the
    redelivered task takes them over (claim) instead of waiting for the stale time.

    Python's cyclic garbage collector waits until the batch is done (cyclic_gc_paused): left
    on, it rescanned the batch's records and evaluations again and again while the emails were
    written (8-10% of the time); the look ahead's cyclic leftovers, a few hundred small
    objects an email, are collected once after it."""
    now = now or timezone.now()
    result = BatchResult()
    claims = claim_many(digest_ids, now, task_id=task_id)
    result.skipped += len(digest_ids) - len(claims)
    digests = Digest.objects.select_related("student").in_bulk(list(claims))
    sendable = []
    for pk, token in claims.items():
        student = digests[pk].student
        if student.is_student and student.is_active and not student.digest_opt_out:
            sendable.append(digests[pk])
        elif finish(pk, token, status=DigestStatus.SKIPPED):
            result.skipped += 1
    evaluated = _refresh_before_sending([digest.student for digest in sendable], on_date, now)

    today_by_student = {
        digest.student_id: on_date or digest.student.local_today(now) for digest in sendable
    }
    # The whole batch's content in a fixed number of queries; if that fails, every email of
    # the batch fails below and is retried like a crash.
    contents, content_error = {}, RuntimeError("No content was read for this student.")
    try:
        contents = digest_contents(
            [digest.student for digest in sendable], today_by_student, evaluated=evaluated
        )
    except Exception as error:
        logger.exception("Reading the weekly emails' content failed")
        content_error = error

    connection = connection or mail_connection()
    opened = False
    held = {digest.pk: claims[digest.pk] for digest in sendable}
    beat_at = time.monotonic()
    for digest in sendable:
        student, token = digest.student, claims[digest.pk]
        if task_id and time.monotonic() - beat_at >= settings.DIGEST_CLAIM_HEARTBEAT_SECONDS:
            heartbeat(held)
            beat_at = time.monotonic()
        held.pop(digest.pk)
        try:
            if student.pk not in contents:
                raise content_error
            if not opened:
                connection.open()
                opened = True
            rendered = render_digest(student, contents[student.pk], nonce=new_nonce())
            if connection.send_messages([build_message(student, rendered)]) != 1:
                raise RuntimeError("The mail backend did not accept the message.")
        except Exception as error:
            logger.exception("Weekly email %s to student %s failed", digest.pk, student.pk)
            finish(digest.pk, token, last_error=f"{type(error).__name__}: {error}"[:2000])
            result.failed += 1
            # A broken SMTP session would fail every later message: start a fresh one.
            _close_quietly(connection)
            opened = False
            continue
        if finish(
            digest.pk,
            token,
            status=DigestStatus.SENT,
            sent_at=timezone.now(),
            subject=rendered.subject[:200],
            last_error="",
        ):
            result.sent += 1
    if opened:
        _close_quietly(connection)
    if run_id is not None:
        record_progress(run_id, result)
    return result


def _close_quietly(connection) -> None:
    try:
        connection.close()
    except Exception:
        logger.warning("Closing the mail connection failed", exc_info=True)


# --- Runs -------------------------------------------------------------------------------------


def start_run(
    *,
    now: datetime.datetime,
    trigger: str,
    on_date: datetime.date | None = None,
) -> tuple[DigestRun, Plan]:
    run = DigestRun.objects.create(trigger=trigger, started_at=now)
    plan = plan_digests(now, on_date=on_date, run=run)
    # Stale claims out of attempts fail in this run: they count as planned and failed.
    run.planned = len(plan.to_send) + plan.given_up
    run.failed = plan.given_up
    if not plan.to_send:
        run.finished_at = timezone.now()
    run.save(update_fields=["planned", "failed", "finished_at"])
    return run, plan


def record_progress(run_id: int, result: BatchResult) -> None:
    """Add a batch's counts to its run (batches may run on several workers at once) and close
    the run once every planned digest is accounted for."""
    DigestRun.objects.filter(pk=run_id).update(
        sent=F("sent") + result.sent,
        failed=F("failed") + result.failed,
        skipped=F("skipped") + result.skipped,
    )
    DigestRun.objects.filter(
        pk=run_id,
        finished_at__isnull=True,
        planned__lte=F("sent") + F("failed") + F("skipped"),
    ).update(finished_at=timezone.now())


def chunked(ids: Sequence[int], size: int) -> list[list[int]]:
    return [list(ids[start : start + size]) for start in range(0, len(ids), size)]


def run_digests(
    *,
    now: datetime.datetime | None = None,
    on_date: datetime.date | None = None,
    trigger: str = DigestRun.Trigger.COMMAND,
) -> DigestRun:
    """Plan and send in this process, chunk by chunk (`send_digests`; the beat task fans the
    same chunks out to workers instead)."""
    now = now or timezone.now()
    run, plan = start_run(now=now, trigger=trigger, on_date=on_date)
    for chunk in chunked(plan.to_send, settings.DIGEST_CHUNK_SIZE):
        send_batch(chunk, now=now, on_date=on_date, run_id=run.pk)
    run.refresh_from_db()
    return run


# --- Preview ----------------------------------------------------------------------------------


def preview(student: User, *, today: datetime.date) -> RenderedDigest:
    """This week's email as it would be sent (its links are real and work once)."""
    return render_digest(student, digest_content(student, today), nonce=new_nonce())


def send_preview(student: User, *, now: datetime.datetime | None = None) -> RenderedDigest:
    """ "Send me a preview now": the email as it stands, marked as a preview. It is not this
    week's email: the scheduled one still comes."""
    today = student.local_today(now)
    rendered = render_digest(
        student, digest_content(student, today), nonce=new_nonce(), subject_prefix="Preview: "
    )
    build_message(student, rendered, connection=mail_connection()).send()
    return rendered


# --- A worker process, ready before its first batch ------------------------------------------

# The emails' templates (reminders.email.digest and .soap render them).
EMAIL_TEMPLATES = (
    "reminders/email/digest.html",
    "reminders/email/digest.txt",
    "reminders/email/soap_plan.html",
    "reminders/email/soap_plan.txt",
)


def warm_up() -> None:
    """Load, once as a worker starts (crm.celery), what the first batch of emails would
    otherwise pay for between two of its emails: the URLconf behind every link (loading it
    imports every view, ~0.3 s) and the emails' templates (compiled once per process)."""
    reverse("home")
    for name in EMAIL_TEMPLATES:
        get_template(name)
