"""The sender threads of one dispatcher round: several SMTP connections at once, so the
server's replies overlap. Only plain data crosses threads (the messages to send, and each
one's outcome); the database is touched by the dispatching thread alone."""
from __future__ import annotations

import queue
import smtplib
import threading
from collections import deque
from datetime import datetime

from coop.core.clock import now
from coop.core.mail import MailConnection, compose


class Senders:
    """The shared work of one round's sender threads. Only plain data crosses threads: the
    database is touched by the dispatching thread alone."""

    def __init__(self, mails: list, mark_every: int, deadline: datetime, config, connections: int):
        self.todo = deque(mails)
        self.done: queue.Queue = queue.Queue()
        self.slots = threading.Semaphore(mark_every)
        self.slots_for = range(connections)
        self.deadline = deadline
        self.config = config
        self.stop = threading.Event()
        self.broken: str | None = None

    def release(self, n: int) -> None:
        for _ in range(n):
            self.slots.release()

    def take(self):
        """The next message, once a mark slot is free; None when done, stopped or out of time."""
        while not self.slots.acquire(timeout=0.1):
            if self.stop.is_set():
                return None
        if self.stop.is_set() or now() >= self.deadline:
            self.slots.release()
            return None
        try:
            return self.todo.popleft()
        except IndexError:
            self.slots.release()
            return None

    def work(self) -> None:
        reconnects = 1
        while not self.stop.is_set():
            item = None
            try:
                with MailConnection(self.config) as conn:
                    while (item := self.take()) is not None:
                        self.done.put((item, _send_one(conn, item)))
                        item = None
                    return
            except (smtplib.SMTPException, OSError) as err:
                # The connection broke (or never opened): the message in flight failed; try one
                # new connection, then leave the rest to the other senders or the next round.
                error = f"verbinding: {type(err).__name__}: {err}"
                if item is not None:
                    self.done.put((item, error))
                if reconnects == 0:
                    self.broken = error
                    return
                reconnects -= 1


def _send_one(conn: MailConnection, item) -> str | None:
    """Send one message; the error text for this message, or None when the server took it.
    A broken connection is raised (the caller reconnects)."""
    try:
        conn.send(compose(**item.mail))
    except smtplib.SMTPRecipientsRefused as err:
        # One recipient per message: its (code, reply), written like any other reply.
        code, reply = next(iter(err.recipients.values()))
        return f"{code} {reply.decode(errors='replace') if isinstance(reply, bytes) else reply}"
    except smtplib.SMTPResponseException as err:
        if err.smtp_code == 421:  # the server is closing the connection: reconnect
            raise
        text = err.smtp_error.decode(errors="replace") if isinstance(err.smtp_error, bytes) else err.smtp_error
        return f"{err.smtp_code} {text}"
    except (smtplib.SMTPServerDisconnected, OSError):
        raise
    except Exception as err:  # e.g. an address smtplib cannot encode: this row only
        return f"{type(err).__name__}: {err}"
    return None
