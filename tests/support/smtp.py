"""A real SMTP server on loopback (aiosmtpd) that keeps what it receives and can refuse."""
from __future__ import annotations

import email
import socket
import threading
from email.message import EmailMessage
from email.policy import default as default_policy

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class RecordingHandler:
    def __init__(self):
        self.messages: list[EmailMessage] = []
        self.refuse_with: str | None = None  # e.g. "451 4.3.0 Try again later"
        self.refuse_every: int = 0  # refuse every n-th message (0: none)
        self.refuse_rcpt_with: str | None = None  # e.g. "550 5.1.1 User unknown": refused at RCPT TO
        self._count = 0
        self._lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.refuse_rcpt_with:
            return self.refuse_rcpt_with
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        with self._lock:
            self._count += 1
            if self.refuse_with:
                return self.refuse_with
            if self.refuse_every and self._count % self.refuse_every == 0:
                return "451 4.3.0 Please try again later"
            msg = email.message_from_bytes(envelope.content, policy=default_policy)
            self.messages.append(msg)
        return "250 OK"


class SMTPServer:
    """Start with `with SMTPServer() as smtp:`; `smtp.port`, `smtp.messages`."""

    def __init__(self):
        self.handler = RecordingHandler()
        self.port = free_port()
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)

    @property
    def messages(self) -> list[EmailMessage]:
        return self.handler.messages

    def clear(self) -> None:
        self.handler.messages.clear()
        self.handler.refuse_with = None
        self.handler.refuse_every = 0
        self.handler.refuse_rcpt_with = None

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if address in m["To"]]

    def __enter__(self) -> SMTPServer:
        self.controller.start()
        return self

    def __exit__(self, *exc) -> None:
        self.controller.stop()


def body_text(msg: EmailMessage) -> str:
    part = msg.get_body(("plain",))
    return part.get_content() if part is not None else ""
