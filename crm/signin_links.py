"""One-time sign-in links: the soft side of the per-address login limit (crm.views).

When one client address has failed too many logins (LOGIN_FAILURES_PER_ADDRESS in 15
minutes: a flood, or a whole campus behind one NAT), logins from there are not refused. A
right password no longer signs in at once; it emails a link to the account's address, and the
link signs in. A flood from one address therefore cannot lock a student out (their inbox still
lets them in), while the flood learns nothing: right or wrong, the page says the same.

The token is signed (SECRET_KEY), carries the account and its last login, and works for
SIGNIN_LINK_MAX_AGE_MINUTES: signing in changes the last login, so a link works once."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core import signing
from django.core.mail import send_mail
from django.urls import reverse

from .models import User

logger = logging.getLogger(__name__)

SALT = "crm.signin-link"


def _last_login(user: User) -> str:
    return user.last_login.isoformat() if user.last_login else "-"


def signin_token(user: User) -> str:
    return signing.dumps({"u": user.pk, "l": _last_login(user)}, salt=SALT)


def user_for_token(token: str) -> User | None:
    """The account a live, unused link is for; None for anything else."""
    try:
        data = signing.loads(token, salt=SALT, max_age=settings.SIGNIN_LINK_MAX_AGE_MINUTES * 60)
    except signing.BadSignature:  # also SignatureExpired
        return None
    user = User.objects.filter(pk=data.get("u"), is_active=True).first()
    if user is None or _last_login(user) != data.get("l"):
        return None
    return user


def send_signin_link(request, user: User) -> bool:
    """Email the link; False (logged) if the mail server refused it."""
    url = request.build_absolute_uri(reverse("signin_link", args=[signin_token(user)]))
    minutes = settings.SIGNIN_LINK_MAX_AGE_MINUTES
    try:
        send_mail(
            subject="Your Advocate sign-in link",
            message=(
                "Someone (we hope you) signed in to Advocate with your password from a network "
                "that has had many failed sign-ins, so we ask for one more step.\n\n"
                f"Sign in: {url}\n\nThe link works once, for {minutes} minutes. If it wasn't "
                "you, change your password."
            ),
            from_email=None,
            recipient_list=[user.email],
        )
    except Exception:
        logger.exception("Sign-in link for user %s not sent.", user.pk)
        return False
    return True
