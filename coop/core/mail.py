"""Sending mail: SMTP in production, console or file in development.

A `MailConnection` is opened once per dispatcher round and reused for every message in it.
`render_message` writes a Dutch plain-text and HTML message from `templates/mail/<name>.txt`
and `.html`; both end with the cooperative's name and the coordinator's phone number.
"""
from __future__ import annotations

import smtplib
import sys
from collections.abc import Mapping
from email import charset as _charset
from email.generator import BytesGenerator
from email.header import Header
from email.message import Message
from email.mime.base import MIMEBase
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.policy import compat32
from email.utils import formataddr, formatdate, make_msgid, parseaddr
from functools import lru_cache
from io import BytesIO
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from flask import current_app

if TYPE_CHECKING:
    from coop.core.models import Village
    from coop.core.outbox import Message as OutboxMessage

_UTF8 = _charset.Charset("utf-8")
_UTF8.body_encoding = _charset.QP  # readable in a raw mail file, safe for 7-bit servers
_SMTP_LINES = compat32.clone(linesep="\r\n")  # smtplib sends bytes as they are


def compose(*, to: str, subject: str, text: str, html: str | None = None,
            message_id: str | None = None, sender: str | None = None,
            sender_name: str | None = None, headers: dict | None = None) -> Message:
    """A plain-text (and HTML) message. Built with the compat32 MIME classes: a third of the
    cost of EmailMessage's header parsing, which matters at thousands of mails a minute."""
    sender = _sender(sender or current_app.config["MAIL_SENDER"], sender_name)
    # typeshed wants a charset name for MIMEText; the email package takes a Charset object too.
    msg: MIMEBase
    if html:
        msg = MIMEMultipart("alternative")
        msg.attach(MIMEText(text, "plain", _UTF8))  # type: ignore[arg-type]
        msg.attach(MIMEText(html, "html", _UTF8))  # type: ignore[arg-type]
    else:
        msg = MIMEText(text, "plain", _UTF8)  # type: ignore[arg-type]
    msg["From"] = sender
    msg["To"] = to
    # One line, whatever a builder put in: a line break in a header would start a new header.
    subject = " ".join(subject.split())
    # An ASCII subject needs no encoded words (and encoding one costs a millisecond).
    # (typeshed types header values as str; compat32 messages take a Header as well)
    msg["Subject"] = subject if subject.isascii() and len(subject) < 70 else Header(subject, "utf-8")  # type: ignore[assignment]
    msg["Date"] = formatdate(localtime=False)
    msg["Message-ID"] = message_id or make_msgid(domain="coop.localhost")
    msg["Auto-Submitted"] = "auto-generated"
    for name, value in (headers or {}).items():
        msg[name] = " ".join(str(value).split())
    return msg


@lru_cache(maxsize=256)
def _sender(sender: str, sender_name: str | None) -> str:
    """The cooperative's own name in front of the shared sending address (encoded once)."""
    if not sender_name:
        return sender
    return formataddr((sender_name, parseaddr(sender)[1]), charset="utf-8")


class _SmtpGenerator(BytesGenerator):
    """Writes short ASCII headers as they are and folds only the others: the header folding
    of the email package is most of the cost of turning a message into bytes."""

    # Set by Generator itself; typeshed does not declare these private attributes.
    _fp: BinaryIO
    _NL: str

    def _write_headers(self, msg: Message) -> None:
        assert self.policy is not None  # flatten() sets the policy it writes with
        for name, value in msg.raw_items():
            if isinstance(value, str) and value.isascii() and len(name) + len(value) < 76 \
                    and "\n" not in value and "\r" not in value:
                self._fp.write(f"{name}: {value}\r\n".encode("ascii"))
            else:
                self._fp.write(self.policy.fold_binary(name, value))
        self.write(self._NL)


def as_smtp_bytes(msg: Message) -> bytes:
    """The message as CRLF bytes, ready for SMTP DATA."""
    out = BytesIO()
    _SmtpGenerator(out, mangle_from_=False, policy=_SMTP_LINES).flatten(msg)
    return out.getvalue()


def plain_text(msg: Message) -> str:
    for part in msg.walk():
        if part.get_content_type() == "text/plain":
            payload = part.get_payload(decode=True)
            if isinstance(payload, bytes):
                return payload.decode(part.get_content_charset() or "utf-8")
    return ""


def render_message(name: str, *, subject: str, village: Village, **context: Any) -> OutboxMessage:
    """Render `mail/<name>.txt` and `mail/<name>.html` into an outbox Message."""
    from coop.core.outbox import Message
    context["village"] = village
    # Straight from the Jinja environment: mail needs none of the page context processors
    # (the bell count, the CSP nonce, the signed-in user), which would cost more than the render.
    env = current_app.jinja_env
    return Message(subject=subject,
                   text=env.get_template(f"mail/{name}.txt").render(context),
                   html=env.get_template(f"mail/{name}.html").render(context))


class MailConnection:
    """Context manager around one SMTP session (or the console/file stand-ins)."""

    def __init__(self, config: Mapping[str, Any] | None = None) -> None:
        self.config = config or current_app.config
        self.backend = self.config["MAIL_BACKEND"]
        self.smtp: smtplib.SMTP | None = None

    def __enter__(self) -> MailConnection:
        if self.backend == "smtp":
            c = self.config
            cls = smtplib.SMTP_SSL if c["MAIL_USE_SSL"] else smtplib.SMTP
            self.smtp = cls(c["MAIL_HOST"], c["MAIL_PORT"], timeout=c["MAIL_TIMEOUT"])
            if c["MAIL_USE_TLS"]:
                self.smtp.starttls()
            if c["MAIL_USERNAME"]:
                self.smtp.login(c["MAIL_USERNAME"], c["MAIL_PASSWORD"] or "")
        return self

    def send(self, msg: Message) -> None:
        if self.backend == "smtp":
            if self.smtp is None:
                raise RuntimeError("MailConnection.send outside its with-block")
            self.smtp.sendmail(parseaddr(str(msg["From"]))[1] or self.config["MAIL_SENDER"],
                               [parseaddr(msg["To"])[1]], as_smtp_bytes(msg))
        elif self.backend == "file":
            folder = Path(self.config["MAIL_FILE_DIR"])
            folder.mkdir(parents=True, exist_ok=True)
            name = msg["Message-ID"].strip("<>").replace("@", "_").replace("/", "_")
            (folder / f"{name}.eml").write_bytes(bytes(msg))
        elif self.backend == "console":
            print("=" * 72, file=sys.stdout)
            print(plain_text(msg), file=sys.stdout)
            print(f"(mail aan {msg['To']}: {msg['Subject']})", file=sys.stdout, flush=True)
        else:
            raise ValueError(f"unknown MAIL_BACKEND {self.backend!r}")

    def __exit__(self, *exc: object) -> None:
        if self.smtp is not None:
            try:
                self.smtp.quit()
            except smtplib.SMTPException:
                self.smtp.close()
            except OSError:
                pass
            self.smtp = None
