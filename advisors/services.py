"""Writes for sharing with advisors: invitations, access, and recommendations.

A student shares by invitation only. The link carries the invitation's id signed with a
timestamp (django.core.signing), so it cannot be forged and stops working after
ADVISOR_INVITATION_MAX_AGE_DAYS; the Invitation row makes it work once.
"""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from crm.models import User
from reminders.nudges.services import refresh_student

from .models import AdvisorAccess, FlagClosure, Invitation, Recommendation

# Named for the app these links began in: changing it would break every link already sent.
_TOKEN_SALT = "crm.invitation"
logger = logging.getLogger(__name__)


class InvitationUnavailable(Exception):
    """The invitation was used, withdrawn or has expired in the meantime."""


def _signer() -> signing.TimestampSigner:
    return signing.TimestampSigner(salt=_TOKEN_SALT)


def invitation_token(invitation: Invitation) -> str:
    return _signer().sign(str(invitation.pk))


def invitation_id_from_token(token: str) -> int:
    """The invitation id in `token`; raises signing.SignatureExpired or signing.BadSignature."""
    max_age = settings.ADVISOR_INVITATION_MAX_AGE_DAYS * 24 * 60 * 60
    value = _signer().unsign(token, max_age=max_age)
    try:
        return int(value)
    except ValueError as error:  # signed by us, so only if the salt is ever reused
        raise signing.BadSignature("Not an invitation") from error


def invitation_create(*, student: User, email: str, share_notes: bool) -> Invitation:
    """A new pending invitation; earlier pending ones to the same address are withdrawn, so
    only the newest link works."""
    email = email.strip().lower()
    if not student.is_student:
        raise ValidationError("Only students share their map.")
    if email == student.email.lower():
        raise ValidationError({"email": "That's your own address: invite your advisor's."})
    if AdvisorAccess.objects.live().filter(student=student, advisor__email__iexact=email).exists():
        raise ValidationError({"email": "This advisor can already see your map."})
    now = timezone.now()
    invitation = Invitation(student=student, email=email, share_notes=share_notes, created_at=now)
    invitation.full_clean()
    with transaction.atomic():
        Invitation.objects.filter(
            student=student,
            email__iexact=email,
            accepted_at__isnull=True,
            cancelled_at__isnull=True,
        ).update(cancelled_at=now)
        invitation.save()
    return invitation


def invitation_send(*, invitation: Invitation, accept_url: str) -> None:
    """Email the invitation link (`accept_url`: absolute, with the token)."""
    context = {
        "invitation": invitation,
        "student": invitation.student,
        "accept_url": accept_url,
        "max_age_days": settings.ADVISOR_INVITATION_MAX_AGE_DAYS,
    }
    send_mail(
        # One line whatever an older profile holds: a header refuses line breaks.
        subject=f"{' '.join(invitation.student.get_full_name().split())} invited you to see "
        "their advocate map",
        message=render_to_string("advisors/sharing_invitation_email.txt", context),
        from_email=None,
        recipient_list=[invitation.email],
    )


def invitation_cancel(*, invitation: Invitation) -> bool:
    """Withdraw a pending invitation; False if it was already used or withdrawn."""
    changed = Invitation.objects.filter(
        pk=invitation.pk, accepted_at__isnull=True, cancelled_at__isnull=True
    ).update(cancelled_at=timezone.now())
    return changed == 1


def invitation_accept(*, invitation: Invitation, advisor: User) -> AdvisorAccess:
    """Grant the access the invitation offers. Works once: the row is claimed before access is
    granted, so a second (or concurrent) acceptance raises InvitationUnavailable."""
    if not advisor.is_advisor or advisor.email.lower() != invitation.email.lower():
        raise ValidationError("This invitation is for another account.")
    now = timezone.now()
    with transaction.atomic():
        claimed = Invitation.objects.filter(
            pk=invitation.pk,
            accepted_at__isnull=True,
            cancelled_at__isnull=True,
            created_at__gt=now - _max_age(),
        ).update(accepted_at=now, accepted_by=advisor)
        if claimed != 1:
            raise InvitationUnavailable
        access, _created = AdvisorAccess.objects.update_or_create(
            student_id=invitation.student_id,
            advisor=advisor,
            defaults={"share_notes": invitation.share_notes, "granted_at": now, "revoked_at": None},
        )
    _refresh_figures(invitation.student)
    return access


def _max_age() -> datetime.timedelta:
    return datetime.timedelta(days=settings.ADVISOR_INVITATION_MAX_AGE_DAYS)


def _refresh_figures(student: User) -> None:
    """Make sure the advisor's list has this week's advocate count for the new student (the
    daily refresh keeps it current afterwards). Idempotent, like every refresh; if it fails,
    the access stands and the nightly refresh fills the figures in."""
    try:
        refresh_student(student)
    except Exception:
        logger.exception("Refreshing student %s after an invitation was accepted", student.pk)


def advisor_signup(*, invitation: Invitation, name: str, password: str) -> User:
    """An advisor account for the invited address, accepting the invitation at once."""
    with transaction.atomic():
        advisor = User.objects.create_user(
            email=invitation.email, password=password, name=name, role=User.Role.ADVISOR
        )
        invitation_accept(invitation=invitation, advisor=advisor)
    return advisor


def access_revoke(*, access: AdvisorAccess) -> None:
    """Stop sharing with this advisor, at once: every advisor page checks for live access."""
    AdvisorAccess.objects.filter(pk=access.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )


def access_set_share_notes(*, access: AdvisorAccess, share_notes: bool) -> AdvisorAccess:
    access.share_notes = share_notes
    access.save(update_fields=["share_notes"])
    return access


def recommendation_create(*, student: User, advisor: User, text: str) -> Recommendation:
    recommendation = Recommendation(student=student, advisor=advisor, text=text.strip())
    recommendation.full_clean()
    recommendation.save()
    return recommendation


def recommendation_mark_done(*, recommendation: Recommendation) -> Recommendation:
    if recommendation.done_at is None:
        recommendation.done_at = timezone.now()
        recommendation.save(update_fields=["done_at"])
    return recommendation


def recommendation_delete(*, recommendation: Recommendation) -> None:
    recommendation.delete()


@transaction.atomic
def flag_close(*, student: User, advisor: User, reason: str, cause: str, note: str) -> FlagClosure:
    """Close the loop on one reason a student needed attention: the note becomes a
    recommendation the student sees, and the reason stays handled while `cause` holds."""
    recommendation = recommendation_create(student=student, advisor=advisor, text=note)
    closure = FlagClosure(
        student=student,
        advisor=advisor,
        reason=reason,
        cause=cause,
        note=note.strip(),
        recommendation=recommendation,
    )
    closure.full_clean()
    closure.save()
    return closure
