"""Emails as real mail apps send them, for the inbound tests and the benchmark."""

from __future__ import annotations

import email.policy
import email.utils
from email.message import EmailMessage


def bcc_email(
    *,
    sender: str,
    to: list[str],
    cc: list[str] = (),
    subject: str = "Thank you for Tuesday",
    date: str = "Tue, 01 Sep 2026 03:30:00 +0000",
    message_id: str | None = None,
    body: str = "Dear Dr. Rao,\n\nThank you for the time on Tuesday. The patient in bed 4 ...\n",
) -> EmailMessage:
    """A multipart/alternative email (plain and HTML, quoted-printable), headers with
    non-ASCII names and subjects encoded by the library (RFC 2047)."""
    message = EmailMessage(policy=email.policy.SMTP)
    message["From"] = sender
    message["To"] = ", ".join(to)
    if cc:
        message["Cc"] = ", ".join(cc)
    message["Subject"] = subject
    message["Date"] = date
    message["Message-ID"] = message_id or email.utils.make_msgid(domain="mail.example.edu")
    message.set_content(body, cte="quoted-printable")
    message.add_alternative(f"<p>{body}</p>", subtype="html", cte="quoted-printable")
    return message


def forward_as_attachment(*, sender: str, original: EmailMessage, to: str) -> EmailMessage:
    message = EmailMessage(policy=email.policy.SMTP)
    message["From"] = sender
    message["To"] = to
    message["Subject"] = "Fwd: " + str(original["Subject"])
    message["Date"] = email.utils.format_datetime(email.utils.localtime())
    message["Message-ID"] = email.utils.make_msgid(domain="mail.example.edu")
    message.set_content("See below.\n")
    message.add_attachment(original)
    return message


def gmail_inline_forward(
    *, sender: str, to: str, original_from: str, subject: str, date_line: str
) -> bytes:
    """Gmail's "Forward": the original's headers as a text block above its quoted body."""
    return (
        f"From: {sender}\r\n"
        f"To: {to}\r\n"
        f"Subject: =?UTF-8?Q?Fwd=3A_{subject.replace(' ', '_')}?=\r\n"
        "Date: Wed, 02 Sep 2026 14:00:00 -0500\r\n"
        f"Message-ID: {email.utils.make_msgid(domain='mail.gmail.com')}\r\n"
        "MIME-Version: 1.0\r\n"
        'Content-Type: multipart/alternative; boundary="b1"\r\n'
        "\r\n--b1\r\n"
        'Content-Type: text/plain; charset="UTF-8"\r\n'
        "Content-Transfer-Encoding: quoted-printable\r\n\r\n"
        "FYI=E2=80=94so kind!\r\n\r\n"
        "---------- Forwarded message ---------\r\n"
        f"From: {original_from}\r\n"
        f"Date: {date_line}\r\n"
        f"Subject: {subject}\r\n"
        f"To: Ada Student <ada@example.edu>\r\n\r\n"
        "Happy to write for you. Send me your CV.\r\n"
        "--b1\r\n"
        'Content-Type: text/html; charset="UTF-8"\r\n\r\n'
        "<div>FYI</div>\r\n"
        "--b1--\r\n"
    ).encode()
