"""The SMTP server for self-hosting (`manage.py inbound_smtp`): aiosmtpd in front of
inbound.services.receive.

- RCPT TO an unknown address: 550 (nothing is read). Over the address's hourly limit: 451.
- MAIL FROM declaring a SIZE over INBOUND_MAX_MESSAGE_BYTES: 552, before any body is sent;
  a client that declares nothing and sends more is cut off at the cap (aiosmtpd stops
  buffering) and answered 552.
- DATA: 250 only once what the message logs has committed; 451 when the database cannot be
  reached (or anything else fails), so the sending server retries and nothing is lost.
  A message not from the student is dropped without a bounce: 250, counted.

Django's ORM is synchronous: each step runs in a pool of INBOUND_SMTP_THREADS threads, so
several connections' messages are read at once, each thread with its own database connection,
closed after an error so the next try reconnects. The engine's refresh after a message is left
to a worker (crm.events.unattended): the reply waits only for the message's own commit."""

from __future__ import annotations

import asyncio
import logging
import signal
import ssl
from concurrent.futures import ThreadPoolExecutor

import dkim
from aiosmtpd.smtp import SMTP, Envelope, Session
from django.conf import settings
from django.db import DatabaseError, close_old_connections, connection

from . import services
from .parsing import parse_bytes

logger = logging.getLogger(__name__)


def _fresh_connection_on_error(function):
    def run(*args, **kwargs):
        close_old_connections()
        try:
            return function(*args, **kwargs)
        except DatabaseError:
            connection.close()  # the next message reconnects (the database may be back)
            raise

    return run


@_fresh_connection_on_error
def _check_recipient(token: str) -> str:
    if services.student_for_token(token) is None:
        services.count_drop("unknown_address")
        return "550 5.1.1 No such mailbox"
    if not services.within_token_limit(token):
        return "451 4.7.1 Too many messages to this address; try again later"
    return ""


@_fresh_connection_on_error
def _receive(raw: bytes, rcpt_tos: list[str]) -> str:
    letter = parse_bytes(raw, envelope_recipients=tuple(rcpt_tos))
    dkim_passed = None
    if settings.INBOUND_REQUIRE_DKIM:
        dkim_passed = dkim_verifies(raw, letter.sender.email if letter.sender else "")
    answers = []
    for token in {services.token_from_address(address) for address in rcpt_tos} - {None}:
        receipt = services.receive(
            token=token, letter=letter, channel="smtp", dkim_passed=dkim_passed
        )
        answers.append(receipt.outcome)
    if services.Outcome.LIMITED in answers:
        return "451 4.7.1 Too many messages from this sender; try again later"
    return "250 2.0.0 Logged"


def dkim_verifies(raw: bytes, sender_email: str, dnsfunc=None) -> bool:
    """A valid DKIM signature by the From address's domain (or a parent of it)."""
    domain = sender_email.rpartition("@")[2].lower()
    if not domain:
        return False
    try:
        verifier = dkim.DKIM(raw)
        kwargs = {"dnsfunc": dnsfunc} if dnsfunc else {}
        for index, header in enumerate(verifier.headers):
            if header[0].lower() != b"dkim-signature":
                continue
            tags = dkim.util.parse_tag_value(header[1])
            signer = tags.get(b"d", b"").decode().lower()
            aligned = domain == signer or domain.endswith("." + signer)
            if aligned and verifier.verify(idx=index, **kwargs):
                return True
    except Exception:  # a malformed signature is a failed one
        logger.info("DKIM verification failed", exc_info=True)
    return False


class InboundHandler:
    def __init__(self):
        self.pool = ThreadPoolExecutor(
            max_workers=settings.INBOUND_SMTP_THREADS, thread_name_prefix="inbound"
        )

    async def _in_a_thread(self, function, *args):
        return await asyncio.get_running_loop().run_in_executor(self.pool, function, *args)

    async def handle_RCPT(
        self, server: SMTP, session: Session, envelope: Envelope, address: str, rcpt_options
    ) -> str:
        token = services.token_from_address(address)
        if token is None:
            return "550 5.1.1 No such mailbox"
        try:
            refusal = await self._in_a_thread(_check_recipient, token)
        except DatabaseError as error:
            logger.warning("inbound: database unreachable at RCPT (451): %s", error)
            return "451 4.3.0 Temporarily unable to accept mail; try again later"
        if refusal:
            return refusal
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        raw = envelope.original_content or b""
        try:
            return await self._in_a_thread(_receive, raw, envelope.rcpt_tos)
        except DatabaseError as error:
            logger.warning("inbound: database unreachable at DATA (451): %s", error)
            return "451 4.3.0 Temporarily unable to accept mail; try again later"
        except Exception:
            logger.exception("inbound: message not read")
            return "451 4.3.0 Temporarily unable to accept mail; try again later"


def tls_context() -> ssl.SSLContext | None:
    if not (settings.INBOUND_TLS_CERT and settings.INBOUND_TLS_KEY):
        return None
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(settings.INBOUND_TLS_CERT, settings.INBOUND_TLS_KEY)
    return context


def make_server(handler: InboundHandler) -> SMTP:
    """One SMTP session (a connection); every session shares the handler and its threads."""
    return SMTP(
        handler,
        data_size_limit=settings.INBOUND_MAX_MESSAGE_BYTES,
        enable_SMTPUTF8=True,
        decode_data=False,
        hostname=settings.INBOUND_DOMAIN,
        ident="Advocate inbound",
        tls_context=tls_context(),
        require_starttls=False,
    )


def serve(host: str, port: int, ready=print) -> None:
    """Run until SIGTERM or SIGINT."""
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    handler = InboundHandler()
    server = loop.run_until_complete(
        loop.create_server(lambda: make_server(handler), host=host, port=port)
    )
    stop = asyncio.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    ready(f"Inbound SMTP on {host}:{port} for *@{settings.INBOUND_DOMAIN}")
    try:
        loop.run_until_complete(stop.wait())
    finally:
        server.close()
        loop.run_until_complete(server.wait_closed())
        handler.pool.shutdown(wait=True)
        loop.close()
