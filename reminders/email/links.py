"""Signed links in the weekly email: one-click "done" / "snooze a week", and unsubscribe.

An action link carries a signed, timestamped payload (django.core.signing with its own salt):
who, which nudge, what to do, and a nonce minted for that one email. It works without logging
in, for DIGEST_LINK_MAX_AGE_DAYS, and once: using it stores a DigestLinkUse row whose unique
hash is made of (student, nudge, nonce), so the "done" and "snooze" links of one item in one
email share a single use, and a second click (or a replay) finds the row and changes nothing.

Mail scanners and link previewers fetch every GET link in a message, so a GET only shows a page
with one button; the POST from that button is what acts and consumes the link. The POST needs
no CSRF token: the signed token in the URL is the credential, and a forger who had it would need
nothing else (see reminders.email.views).

The unsubscribe link is signed too but never expires and may be used again (turning the email
off twice is harmless); it also answers RFC 8058 one-click POSTs from mail clients.
"""

from __future__ import annotations

import dataclasses
import datetime
import functools
import hashlib
import re
import secrets

from django.conf import settings
from django.core import signing
from django.core.signals import setting_changed
from django.db import IntegrityError, transaction
from django.dispatch import receiver
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import timezone

from crm.models import User
from reminders.models import DigestLinkUse, Nudge, NudgeState
from reminders.nudges import services

ACTION_SALT = "reminders.email.digest.action"
UNSUBSCRIBE_SALT = "reminders.email.digest.unsubscribe"
DONE = "done"
SNOOZE = "snooze"
ACTIONS = {"d": DONE, "s": SNOOZE}


class LinkProblem(Exception):
    """Why a link cannot be used: "expired", "used", "invalid" or "gone"."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclasses.dataclass(frozen=True)
class ActionLink:
    student_id: int
    nudge_id: int
    action: str  # DONE or SNOOZE
    nonce: str

    @property
    def use_key(self) -> str:
        """The same for both links of one item in one email: either may be used, once."""
        raw = f"{self.student_id}:{self.nudge_id}:{self.nonce}"
        return hashlib.sha256(raw.encode()).hexdigest()


def new_nonce() -> str:
    """One per email, so each email's links are used independently."""
    return secrets.token_urlsafe(6)


def _max_age() -> datetime.timedelta:
    return datetime.timedelta(days=settings.DIGEST_LINK_MAX_AGE_DAYS)


def action_token(*, student_id: int, nudge_id: int, action: str, nonce: str) -> str:
    code = {value: key for key, value in ACTIONS.items()}[action]
    return signing.dumps(
        {"u": student_id, "n": nudge_id, "a": code, "e": nonce}, salt=ACTION_SALT, compress=True
    )


def action_url(*, student_id: int, nudge_id: int, action: str, nonce: str) -> str:
    token = action_token(student_id=student_id, nudge_id=nudge_id, action=action, nonce=nonce)
    return settings.SITE_URL + path_to("reminders:digest_action", token)


# What reverse() leaves as it is in a path: a signed token is made of these (base64, ":", ".").
_AS_IS = re.compile(r"[A-Za-z0-9_.~:-]+")
_SLOT = "0slot0"


def path_to(name: str, token: str | None = None) -> str:
    """reverse(name, args=[token]) (or no args), resolving the route once per process rather
    than for each of an email's dozen links (issue 23: it was 8% of sending one)."""
    if token is not None and not _AS_IS.fullmatch(token):
        return reverse(name, args=[token])
    before, after = _route(name, token is not None, get_script_prefix(), get_urlconf())
    return before + (token or "") + after


@functools.lru_cache(maxsize=32)
def _route(name: str, takes_token: bool, prefix: str, urlconf) -> tuple[str, str]:
    path = reverse(name, args=[_SLOT]) if takes_token else reverse(name)
    before, _slot, after = path.partition(_SLOT)
    return (before, after) if takes_token else (path, "")


@receiver(setting_changed)
def _forget_routes(*, setting: str, **kwargs) -> None:
    if setting == "ROOT_URLCONF":
        _route.cache_clear()


def read_action_token(token: str) -> ActionLink:
    """The link a token stands for, or LinkProblem("expired" / "invalid"). Reads no rows."""
    try:
        payload = signing.loads(token, salt=ACTION_SALT, max_age=_max_age())
    except signing.SignatureExpired as error:
        raise LinkProblem("expired") from error
    except signing.BadSignature as error:
        raise LinkProblem("invalid") from error
    try:
        return ActionLink(
            student_id=int(payload["u"]),
            nudge_id=int(payload["n"]),
            action=ACTIONS[payload["a"]],
            nonce=str(payload["e"]),
        )
    except (KeyError, TypeError, ValueError) as error:
        raise LinkProblem("invalid") from error


def _nudge_for(link: ActionLink) -> Nudge:
    nudge = (
        Nudge.objects.select_related("contact", "owner")
        .filter(pk=link.nudge_id, owner_id=link.student_id)
        .first()
    )
    if nudge is None:
        raise LinkProblem("gone")
    return nudge


def check_action(token: str) -> tuple[ActionLink, Nudge]:
    """For the GET page: the link and its nudge if the link can still be used. Two queries."""
    link = read_action_token(token)
    if DigestLinkUse.objects.filter(key_hash=link.use_key).exists():
        raise LinkProblem("used")
    return link, _nudge_for(link)


@dataclasses.dataclass(frozen=True)
class ActionResult:
    link: ActionLink
    nudge: Nudge
    changed: bool  # False when the nudge was already closed in the app
    snoozed_until: datetime.date | None = None


def use_action(token: str, *, now: datetime.datetime | None = None) -> ActionResult:
    """Consume the link and do what it says, in one transaction: the used-link row and the
    nudge's change are stored together or not at all."""
    link = read_action_token(token)
    now = now or timezone.now()
    with transaction.atomic():
        nudge = _nudge_for(link)
        try:
            with transaction.atomic():
                DigestLinkUse.objects.create(
                    key_hash=link.use_key,
                    student_id=link.student_id,
                    nudge=nudge,
                    action=link.action,
                    used_at=now,
                )
        except IntegrityError as error:
            raise LinkProblem("used") from error
        if nudge.state not in (NudgeState.OPEN, NudgeState.SNOOZED):
            return ActionResult(link, nudge, changed=False)
        if link.action == DONE:
            services.nudge_mark_done(nudge=nudge)
            return ActionResult(link, nudge, changed=True)
        services.nudge_snooze_a_week(nudge=nudge, today=nudge.owner.local_today(now))
        return ActionResult(link, nudge, changed=True, snoozed_until=nudge.snoozed_until)


# --- Unsubscribe -----------------------------------------------------------------------------


def unsubscribe_token(student: User) -> str:
    return signing.Signer(salt=UNSUBSCRIBE_SALT).sign(str(student.pk))


def unsubscribe_url(student: User) -> str:
    return settings.SITE_URL + path_to("reminders:digest_unsubscribe", unsubscribe_token(student))


def student_for_unsubscribe(token: str) -> User:
    try:
        pk = int(signing.Signer(salt=UNSUBSCRIBE_SALT).unsign(token))
    except (signing.BadSignature, ValueError) as error:
        raise LinkProblem("invalid") from error
    student = User.objects.filter(pk=pk).first()
    if student is None:
        raise LinkProblem("gone")
    return student


def set_opt_out(student: User, opt_out: bool) -> None:
    """Idempotent: the same answer twice changes nothing the second time."""
    User.objects.filter(pk=student.pk).update(digest_opt_out=opt_out)
    student.digest_opt_out = opt_out
