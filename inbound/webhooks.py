"""Hosted providers' inbound webhooks (django-anymail) at /inbound/<provider>/: anymail checks
the call (basic auth with ANYMAIL_WEBHOOK_SECRET; Mailgun's signing key), parses the
provider's payload into a message and sends its `inbound` signal; the receiver here hands the
message to the same reader as the SMTP server (inbound.services.receive).

A database error propagates, so anymail answers 500 and the provider retries. The size cap is
checked on Content-Length before anymail reads the body. With INBOUND_REQUIRE_DKIM the
provider's own verdict decides (see `provider_dkim_verdict`)."""

from __future__ import annotations

import json
import re

from anymail.signals import inbound
from anymail.webhooks.amazon_ses import AmazonSESInboundWebhookView
from anymail.webhooks.mailgun import MailgunInboundWebhookView
from anymail.webhooks.postmark import PostmarkInboundWebhookView
from anymail.webhooks.sendgrid import SendGridInboundWebhookView
from django.conf import settings
from django.dispatch import receiver
from django.http import Http404, HttpResponse
from django.views.decorators.csrf import csrf_exempt

from crm.roles import advisor_allowed

from . import services
from .parsing import read_message

PROVIDERS = {
    "postmark": PostmarkInboundWebhookView,
    "mailgun": MailgunInboundWebhookView,
    "amazon_ses": AmazonSESInboundWebhookView,
    "sendgrid": SendGridInboundWebhookView,
}
_views = {name: view.as_view() for name, view in PROVIDERS.items()}
DKIM_PASS = re.compile(r"\bdkim=pass\b", re.IGNORECASE)


class OverLimit(Exception):
    """Raised inside anymail's view; the wrapper answers 429 so the provider retries later."""


@advisor_allowed  # the webhook secret is the credential, whoever else is signed in
@csrf_exempt
def provider_webhook(request, provider: str):
    view = _views.get(provider)
    # Off until a webhook secret is configured: an open webhook would let anyone log as anyone
    # who knew an address.
    if view is None or not settings.ANYMAIL.get("WEBHOOK_SECRET"):
        raise Http404("No such provider.")
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    # Generous for the encoding (base64, JSON): the message itself is capped when read.
    if length > settings.INBOUND_MAX_MESSAGE_BYTES * 2:
        return HttpResponse("Message too large.", status=413)
    try:
        return view(request)
    except OverLimit:
        return HttpResponse("Too many messages; try again later.", status=429)


def _token_for(message) -> str | None:
    candidates = [message.envelope_recipient or ""]
    for header in ("Delivered-To", "X-Original-To", "To", "Cc"):
        candidates.extend(address.addr_spec for address in message.get_address_header(header))
    for address in candidates:
        token = services.token_from_address(address)
        if token:
            return token
    return None


def provider_dkim_verdict(esp_name: str, message, esp_event) -> bool:
    """What the provider says about the sender's DKIM signature: Amazon SES's dkimVerdict,
    SendGrid's `dkim` field, otherwise the provider's own Authentication-Results header (the
    topmost: the receiving server adds it above anything the sender wrote)."""
    if esp_name == "Amazon SES" and isinstance(esp_event, dict):
        try:
            receipt = esp_event.get("receipt") or json.loads(esp_event["Message"])["receipt"]
        except (KeyError, TypeError, ValueError):
            receipt = {}
        return (receipt.get("dkimVerdict") or {}).get("status") == "PASS"
    if esp_name == "SendGrid" and hasattr(esp_event, "POST"):
        return "pass" in (esp_event.POST.get("dkim") or "").lower()
    results = message.get_all("Authentication-Results") or []
    return bool(results) and bool(DKIM_PASS.search(str(results[0])))


@receiver(inbound, dispatch_uid="inbound.read_webhook_message")
def read_webhook_message(sender, event, esp_name, **kwargs):
    message = event.message
    token = _token_for(message)
    if token is None:
        services.count_drop("unknown_address")
        return
    if not services.within_token_limit(token):
        raise OverLimit()
    letter = read_message(message, envelope_recipients=(message.envelope_recipient or "",))
    dkim_passed = (
        provider_dkim_verdict(esp_name, message, event.esp_event)
        if settings.INBOUND_REQUIRE_DKIM
        else None
    )
    receipt = services.receive(
        token=token, letter=letter, channel=esp_name.lower(), dkim_passed=dkim_passed
    )
    if receipt.outcome is services.Outcome.LIMITED:
        raise OverLimit()
