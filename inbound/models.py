"""Log by BCC: each student's private address, the other addresses they confirmed as their
own, the messages already read (by Message-ID, so one email logs once), the people they
emailed who are not contacts yet, and what was dropped (for the operator).

No body, no attachment, no quoted text is ever stored: an email may hold patient information."""

import secrets

from django.conf import settings
from django.db import models

# Lower-case letters and digits without look-alikes: some mail servers lower-case local parts.
TOKEN_ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789"


def new_inbound_token() -> str:
    """20 characters from a 32-letter alphabet: 100 random bits."""
    return "".join(secrets.choice(TOKEN_ALPHABET) for _ in range(20))


class InboundAddress(models.Model):
    """`log-<token>@INBOUND_DOMAIN`; a new token (inbound.services.address_regenerate) makes
    the old address unknown at once (550 at SMTP time)."""

    student = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="inbound_address"
    )
    token = models.CharField(max_length=32, unique=True, default=new_inbound_token)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"log-{self.token}@{settings.INBOUND_DOMAIN}"

    @property
    def email(self) -> str:
        return str(self)


class SenderAddress(models.Model):
    """Another address the student sends from (a school account, a personal one). Accepted as
    theirs only once confirmed by the link emailed to it."""

    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sender_addresses"
    )
    email = models.EmailField()  # stored lower-case
    confirmed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["email"]
        constraints = [
            models.UniqueConstraint(fields=["student", "email"], name="sender_address_once"),
        ]

    def __str__(self):
        return self.email


class InboundMessage(models.Model):
    """One row per message read for a student, keyed by a hash of its Message-ID (the
    original's, for a forward): a redelivery, or a BCC and a forward of the same email, meet
    the unique constraint and log nothing the second time."""

    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="inbound_messages"
    )
    key = models.CharField(max_length=64)  # sha256 hex of the Message-ID
    channel = models.CharField(max_length=32)  # "smtp" or the webhook's provider
    interactions = models.PositiveSmallIntegerField(default=0)
    strangers = models.PositiveSmallIntegerField(default=0)
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["student", "key"], name="inbound_message_once"),
        ]

    def __str__(self):
        return f"{self.channel} message {self.key[:12]}"


class Stranger(models.Model):
    """Someone the student emailed (or who wrote to them) who is not a contact: waits on This
    week to be added or ignored, never created silently. The last email's subject and date are
    kept so adding them logs it."""

    class Direction(models.TextChoices):
        OUTBOUND = "outbound", "You wrote to them"
        INBOUND = "inbound", "They wrote to you"

    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="inbound_strangers"
    )
    email = models.EmailField()  # lower-case
    name = models.CharField(max_length=200, blank=True)
    subject = models.CharField(max_length=300, blank=True)
    emailed_on = models.DateField()
    direction = models.CharField(max_length=16, choices=Direction.choices)
    ignored = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-emailed_on", "email"]
        constraints = [
            models.UniqueConstraint(fields=["student", "email"], name="inbound_stranger_once"),
        ]

    def __str__(self):
        return f"{self.name} <{self.email}>" if self.name else self.email


class DroppedMessage(models.Model):
    """How many messages were dropped without a bounce, per day and reason (a stranger
    writing to a student's address, a spoofed sender, failed DKIM): for the operator."""

    day = models.DateField()
    reason = models.CharField(max_length=32)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-day", "reason"]
        constraints = [
            models.UniqueConstraint(fields=["day", "reason"], name="dropped_message_tally"),
        ]

    def __str__(self):
        return f"{self.day} {self.reason}: {self.count}"
