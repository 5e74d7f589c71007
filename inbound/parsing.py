"""Reading an email into the few facts Advocate keeps: who wrote, to whom, when, the subject,
and the Message-ID; for a forward, the same of the message forwarded. Pure: bytes (or a parsed
message) in, a `Letter` out. The body is looked at only to find a forwarded message's header
block, and is never returned."""

from __future__ import annotations

import datetime
import email
import email.policy
import email.utils
import hashlib
import re
from dataclasses import dataclass, field
from email.message import EmailMessage

FORWARD_SUBJECT = re.compile(r"^\s*(?:(?:fwd?|fw)\s*:\s*)+", re.IGNORECASE)
REPLY_SUBJECT = re.compile(r"^\s*(?:re\s*:\s*)+", re.IGNORECASE)
# The header block mail apps put above an inline forward: Gmail "---------- Forwarded message
# ---------", Apple Mail "Begin forwarded message:", Outlook "-----Original Message-----" or a
# bare "From: ... Sent: ..." block.
FORWARD_MARKER = re.compile(
    r"(-+\s*Forwarded message\s*-+|Begin forwarded message:|-+\s*Original Message\s*-+"
    r"|^_{5,}\s*$)",
    re.IGNORECASE | re.MULTILINE,
)
HEADER_LINE = re.compile(r"^\s*[>*]*\s*(From|Date|Sent|Subject|To|Cc)\s*:\s*\**\s*(.*)$", re.I)


@dataclass(frozen=True)
class Person:
    name: str
    email: str  # lower-case


@dataclass(frozen=True)
class Letter:
    """What Advocate reads from one email."""

    message_id: str
    sender: Person | None
    recipients: tuple[Person, ...]  # To and Cc, in order, without repeats
    subject: str
    sent_at: datetime.datetime | None  # aware, or None when the Date header is missing or bad
    forwarded: Letter | None = None  # the message forwarded, when this is a forward
    envelope_recipients: tuple[str, ...] = field(default=())

    @property
    def key(self) -> str:
        """What makes two deliveries the same email: the forwarded message's Message-ID for a
        forward (so forwarding a message already BCC'd logs nothing new), else its own."""
        message_id = (self.forwarded.message_id if self.forwarded else "") or self.message_id
        if not message_id:
            # No Message-ID (rare; a broken client): the facts we keep identify it instead.
            message_id = "|".join(
                [
                    self.sender.email if self.sender else "",
                    ",".join(person.email for person in self.recipients),
                    self.subject,
                    self.sent_at.isoformat() if self.sent_at else "",
                ]
            )
        return hashlib.sha256(message_id.strip().lower().encode()).hexdigest()


def parse_bytes(raw: bytes, *, envelope_recipients: tuple[str, ...] = ()) -> Letter:
    message = email.message_from_bytes(raw, policy=email.policy.default)
    return read_message(message, envelope_recipients=envelope_recipients)


def read_message(message, *, envelope_recipients: tuple[str, ...] = ()) -> Letter:
    """`message`: an email.message.Message parsed with any policy (anymail's messages too)."""
    if not isinstance(message, EmailMessage) or message.policy is not email.policy.default:
        message = email.message_from_bytes(message.as_bytes(), policy=email.policy.default)
    subject = one_line(_header(message, "Subject"))
    forwarded = None
    if FORWARD_SUBJECT.match(subject) or _attached_message(message) is not None:
        forwarded = _forwarded(message)
    return Letter(
        message_id=_header(message, "Message-ID").strip(),
        sender=_first(_addresses(message, "From")),
        recipients=_unique(_addresses(message, "To") + _addresses(message, "Cc")),
        subject=subject,
        sent_at=parse_date(_header(message, "Date")),
        forwarded=forwarded,
        envelope_recipients=tuple(address.lower() for address in envelope_recipients),
    )


def clean_subject(subject: str) -> str:
    """The subject as the student wrote it: no "Fwd:" in front."""
    return FORWARD_SUBJECT.sub("", subject).strip()


def one_line(text: str) -> str:
    return " ".join((text or "").split())


def parse_date(value: str) -> datetime.datetime | None:
    if not value:
        return None
    try:
        parsed = email.utils.parsedate_to_datetime(value.strip())
    except (TypeError, ValueError, IndexError):
        return None
    if parsed is None or parsed.tzinfo is None:
        return None
    return parsed


def _header(message, name: str) -> str:
    try:
        value = message.get(name)
    except (ValueError, IndexError, TypeError):  # a malformed header
        return ""
    return str(value) if value is not None else ""


def _addresses(message, name: str) -> list[Person]:
    people = []
    for value in message.get_all(name, []) or []:
        try:
            addresses = value.addresses
        except AttributeError:
            addresses = None
        if addresses is None:
            pairs = email.utils.getaddresses([str(value)])
            people.extend(Person(one_line(n), a.strip().lower()) for n, a in pairs if "@" in a)
            continue
        for address in addresses:
            addr = (address.addr_spec or "").strip().lower()
            if "@" in addr:
                people.append(Person(one_line(address.display_name), addr))
    return people


def _first(people: list[Person]) -> Person | None:
    return people[0] if people else None


def _unique(people: list[Person]) -> tuple[Person, ...]:
    seen, unique = set(), []
    for person in people:
        if person.email not in seen:
            seen.add(person.email)
            unique.append(person)
    return tuple(unique)


def _attached_message(message):
    """A message forwarded "as attachment" (message/rfc822), if any."""
    for part in message.walk():
        if part.get_content_type() == "message/rfc822":
            payload = part.get_payload()
            if isinstance(payload, list) and payload:
                return payload[0]
    return None


def _forwarded(message) -> Letter | None:
    attached = _attached_message(message)
    if attached is not None:
        return read_message(attached)
    return _inline_forward(message)


def _plain_text(message) -> str:
    try:
        part = message.get_body(preferencelist=("plain",))
    except (KeyError, AttributeError):
        part = None
    if part is None:
        return ""
    try:
        return part.get_content()
    except (LookupError, ValueError, AttributeError):
        return ""


def _inline_forward(message) -> Letter | None:
    """The header block of an inline forward: its From, To, Cc, Date and Subject lines."""
    text = _plain_text(message)
    marker = FORWARD_MARKER.search(text)
    lines = text[marker.end() :].splitlines() if marker else text.splitlines()
    found: dict[str, str] = {}
    started = False
    for line in lines[:40]:
        match = HEADER_LINE.match(line)
        if match:
            started = True
            key = match.group(1).lower()
            found.setdefault("date" if key == "sent" else key, match.group(2).strip())
        elif started and not line.strip():
            break
    if "from" not in found:
        return None

    def people(value: str) -> tuple[Person, ...]:
        pairs = email.utils.getaddresses([value.replace(" [mailto:", " <").replace("]", ">")])
        return _unique([Person(one_line(n), a.lower()) for n, a in pairs if "@" in a])

    sender = people(found["from"])
    return Letter(
        message_id="",
        sender=sender[0] if sender else None,
        recipients=people(found.get("to", "")) + people(found.get("cc", "")),
        subject=one_line(found.get("subject", "")),
        sent_at=parse_date(found.get("date", "")),
    )
