"""Log by BCC: the one reader both ways in (the SMTP server, the providers' webhooks) hand a
parsed message to (`receive`), and the writes behind the settings section.

What a message becomes: the student BCC'd their address -> one `email` interaction, outbound,
for each To/Cc recipient who is a contact; a forward of a contact's message -> one inbound
interaction for that contact. Dated by the Date header in the student's zone; the summary is
the subject line only. Anyone else waits as a Stranger on This week. Logging goes through
contacts.services.interaction_create, so the nudges it answers close at once, as with the
quick-log; the rest of the engine's refresh is a worker's (crm.events.unattended), so the
server answers the next message sooner."""

from __future__ import annotations

import datetime
import enum
import logging
import time
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import F
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone

from contacts.models import Contact
from contacts.services import contact_create, interaction_create
from contacts.vocabulary import Direction, InteractionKind
from crm.events import unattended
from crm.models import User

from .models import DroppedMessage, InboundAddress, InboundMessage, SenderAddress, Stranger
from .parsing import Letter, Person, clean_subject, one_line

logger = logging.getLogger(__name__)

SENDER_CONFIRM_SALT = "inbound.sender-confirm"


class Outcome(enum.Enum):
    LOGGED = "logged"  # read and committed (perhaps nothing to log: all strangers)
    DUPLICATE = "duplicate"  # this Message-ID was read before
    DROPPED = "dropped"  # not from the student (or failed DKIM): no bounce, counted
    UNKNOWN = "unknown"  # no such address
    LIMITED = "limited"  # over a rate limit: try again later


@dataclass(frozen=True)
class Receipt:
    outcome: Outcome
    logged: int = 0
    strangers: int = 0
    reason: str = ""


# --- The address --------------------------------------------------------------------------


def address_for(student: User) -> InboundAddress:
    """The student's private address, made the first time it is asked for."""
    address, _ = InboundAddress.objects.get_or_create(student=student)
    return address


def address_regenerate(*, student: User) -> InboundAddress:
    """A new token: mail to the old address is refused (550) from now on."""
    address = address_for(student)
    address.token = InboundAddress._meta.get_field("token").default()
    address.save(update_fields=["token"])
    return address


def token_from_address(address: str) -> str | None:
    """`log-<token>@INBOUND_DOMAIN` -> token (any case), else None."""
    local, _, domain = (address or "").strip().strip("<>").rpartition("@")
    if domain.lower() != settings.INBOUND_DOMAIN or not local.lower().startswith("log-"):
        return None
    token = local[4:].lower()
    return token if token.isalnum() and len(token) <= 32 else None


def student_for_token(token: str) -> User | None:
    return (
        User.objects.filter(
            inbound_address__token=token, is_active=True, role=User.Role.STUDENT
        ).first()
        if token
        else None
    )


def within_token_limit(token: str) -> bool:
    return _within_hourly_limit(f"token:{token}", settings.INBOUND_MESSAGES_PER_TOKEN_PER_HOUR)


def _within_hourly_limit(key: str, limit: int) -> bool:
    """A counter per hour in the cache (shared by every process when CACHE_URL is Redis)."""
    bucket = f"inbound-limit:{key}:{int(time.time() // 3600)}"
    cache.add(bucket, 0, timeout=2 * 3600)
    try:
        count = cache.incr(bucket)
    except ValueError:  # evicted between add and incr
        cache.set(bucket, 1, timeout=2 * 3600)
        count = 1
    return count <= limit


# --- The student's own addresses ----------------------------------------------------------


def own_addresses(student: User) -> set[str]:
    confirmed = SenderAddress.objects.filter(student=student, confirmed_at__isnull=False)
    return {student.email.lower(), *confirmed.values_list("email", flat=True)}


def sender_add(*, student: User, email: str, site_url: str | None = None) -> SenderAddress:
    """Add another address of the student's, unconfirmed, and email it a link to confirm."""
    email = email.strip().lower()
    if email == student.email.lower():
        raise ValidationError({"email": "That is already your account's address."})
    sender, _ = SenderAddress.objects.get_or_create(student=student, email=email)
    if sender.confirmed_at is None:
        token = signing.dumps({"s": student.pk, "e": email}, salt=SENDER_CONFIRM_SALT)
        link = (site_url or settings.SITE_URL) + reverse("inbound:sender_confirm", args=[token])
        send_mail(
            "Confirm this address for Advocate",
            "You asked Advocate to accept emails you send from this address (Log by BCC).\n\n"
            f"Confirm it here (the link works for {settings.INBOUND_SENDER_CONFIRM_HOURS} "
            f"hours):\n{link}\n\nIf this was not you, ignore this email: nothing changes.\n",
            None,
            [email],
        )
    return sender


def sender_confirm(*, student: User, token: str) -> SenderAddress | None:
    """The link from sender_add, opened by the same student: the address is theirs now."""
    try:
        data = signing.loads(
            token,
            salt=SENDER_CONFIRM_SALT,
            max_age=datetime.timedelta(hours=settings.INBOUND_SENDER_CONFIRM_HOURS),
        )
    except signing.BadSignature:
        return None
    if data.get("s") != student.pk:
        return None
    sender = SenderAddress.objects.filter(student=student, email=data.get("e")).first()
    if sender is not None and sender.confirmed_at is None:
        sender.confirmed_at = timezone.now()
        sender.save(update_fields=["confirmed_at"])
    return sender


def sender_remove(*, student: User, sender_id: int) -> None:
    SenderAddress.objects.filter(student=student, pk=sender_id).delete()


# --- Reading a message ----------------------------------------------------------------------


def count_drop(reason: str) -> None:
    """One more message dropped today for `reason` (never the addresses: the operator sees
    how much, not whose)."""
    today = timezone.now().date()
    DroppedMessage.objects.get_or_create(day=today, reason=reason)
    DroppedMessage.objects.filter(day=today, reason=reason).update(count=F("count") + 1)
    logger.info("inbound message dropped: %s", reason)


def receive(
    *, token: str, letter: Letter, channel: str, dkim_passed: bool | None = None
) -> Receipt:
    """Read one message sent to `log-<token>@…`. Returns once everything it logs has committed
    (the SMTP server answers 250 only then). Database errors propagate (the caller answers
    451, or 500 to a webhook, and the sender retries)."""
    student = student_for_token(token)
    if student is None:
        count_drop("unknown_address")
        return Receipt(Outcome.UNKNOWN, reason="unknown_address")
    if settings.INBOUND_REQUIRE_DKIM and not dkim_passed:
        count_drop("dkim")
        return Receipt(Outcome.DROPPED, reason="dkim")
    own = own_addresses(student)
    if letter.sender is None or letter.sender.email not in own:
        count_drop("not_the_student")
        return Receipt(Outcome.DROPPED, reason="not_the_student")
    if not _within_hourly_limit(
        f"sender:{letter.sender.email}", settings.INBOUND_MESSAGES_PER_SENDER_PER_HOUR
    ):
        return Receipt(Outcome.LIMITED, reason="sender_rate")

    direction, people, sent_at, subject = _what_it_says(letter, own)
    on = _local_date(student, sent_at)
    summary = one_line(subject)[:300]
    # No page waits for this message: the engine's refresh is left to a worker.
    with unattended(), transaction.atomic():
        # One message of a student's at a time (the server reads several at once): each logs
        # interactions that stamp the student and touch contacts, and two in parallel would
        # take those rows' locks in different orders (a deadlock, answered 451). Under that
        # lock, a Message-ID read before is known for sure (the unique constraint backs it).
        User.objects.select_for_update().filter(pk=student.pk).values_list("pk").get()
        if InboundMessage.objects.filter(student=student, key=letter.key).exists():
            return Receipt(Outcome.DUPLICATE)
        contacts = _contacts_by_email(student, [person.email for person in people])
        logged = strangers = 0
        for person in people:
            contact = contacts.get(person.email)
            if contact is not None:
                interaction_create(
                    owner=student,
                    contact=contact,
                    date=on,
                    kind=InteractionKind.EMAIL,
                    direction=direction,
                    context="",
                    summary=summary,
                )
                logged += 1
            else:
                _stranger_waits(student, person, direction=direction, on=on, subject=summary)
                strangers += 1
        InboundMessage.objects.create(
            student=student,
            key=letter.key,
            channel=channel[:32],
            interactions=logged,
            strangers=strangers,
        )
    return Receipt(Outcome.LOGGED, logged=logged, strangers=strangers)


def _what_it_says(letter: Letter, own: set[str]):
    """(direction, the people it concerns, when it was sent, its subject)."""
    forwarded = letter.forwarded
    if forwarded is not None and forwarded.sender is not None:
        subject = forwarded.subject or clean_subject(letter.subject)
        sent_at = forwarded.sent_at or letter.sent_at
        if forwarded.sender.email not in own:
            # A mentor's reply, forwarded: they wrote to the student.
            return Direction.INBOUND, [forwarded.sender], sent_at, subject
        # The student forwarding their own sent email: it logs as if BCC'd then.
        return Direction.OUTBOUND, _others(forwarded.recipients, own), sent_at, subject
    return Direction.OUTBOUND, _others(letter.recipients, own), letter.sent_at, letter.subject


def _others(people, own: set[str]) -> list[Person]:
    return [
        person
        for person in people
        if person.email not in own and token_from_address(person.email) is None
    ]


def _local_date(student: User, sent_at: datetime.datetime | None) -> datetime.date:
    today = student.local_today()
    if sent_at is None:
        return today
    # A clock ahead of ours must not log an email tomorrow.
    return min(sent_at.astimezone(student.zoneinfo).date(), today)


def _contacts_by_email(student: User, emails: list[str]) -> dict[str, Contact]:
    """Each address's contact (lower-cased); of two contacts sharing one, the active first."""
    if not emails:
        return {}
    found: dict[str, Contact] = {}
    rows = (
        Contact.objects.filter(owner=student)
        .annotate(email_lower=Lower("email"))
        .filter(email_lower__in=set(emails))
        .order_by("archived", "pk")
    )
    for contact in rows:
        found.setdefault(contact.email_lower, contact)
    return found


def _stranger_waits(student: User, person: Person, *, direction: str, on, subject: str) -> None:
    stranger = Stranger.objects.filter(student=student, email=person.email).first()
    if stranger is None:
        try:
            with transaction.atomic():
                Stranger.objects.create(
                    student=student,
                    email=person.email,
                    name=person.name[:200],
                    subject=subject,
                    emailed_on=on,
                    direction=direction,
                )
            return
        except IntegrityError:  # the same person, from a message read at the same moment
            stranger = Stranger.objects.get(student=student, email=person.email)
    if on >= stranger.emailed_on:
        # Ignored stays ignored: the student said so.
        stranger.name = person.name[:200] or stranger.name
        stranger.subject, stranger.emailed_on, stranger.direction = subject, on, direction
        stranger.save(update_fields=["name", "subject", "emailed_on", "direction"])


# --- Strangers: add or ignore ---------------------------------------------------------------


def stranger_add(*, stranger: Stranger, name: str = "") -> Contact:
    """Make the stranger a contact and log the email that was waiting; they stop waiting."""
    with transaction.atomic():
        contact = contact_create(
            owner=stranger.student,
            name=(name or stranger.name or stranger.email.split("@")[0]).strip()[:200],
            email=stranger.email,
        )
        interaction_create(
            owner=stranger.student,
            contact=contact,
            date=stranger.emailed_on,
            kind=InteractionKind.EMAIL,
            direction=stranger.direction,
            context="",
            summary=stranger.subject,
        )
        stranger.delete()
    return contact


def stranger_ignore(*, stranger: Stranger) -> None:
    """Never asked about again (a later email to them stays quiet too)."""
    stranger.ignored = True
    stranger.save(update_fields=["ignored"])
