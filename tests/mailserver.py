"""Mail servers that fail, for the tests of what a failed mail leaves behind.

These stand in for the SMTP server, not for our code: the services and notifications run as
they do in production and meet the failure where Django's mail backend raises it.

- `unreachable_smtp`: Django's real SMTP backend pointed at a port on 127.0.0.1 where nothing
  listens, so every send fails with "Connection refused" (an `OSError`), as with a mail server
  that is down.
- `RefusingServer`: a server that refuses the addresses in `RefusingServer.refused` with an
  `smtplib.SMTPRecipientsRefused`, as a real server does for a recipient it will not take, and
  delivers the others to `django.core.mail.outbox`.
"""

import smtplib
import socket
from contextlib import contextmanager

from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.test.utils import override_settings


def _closed_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]  # free, and closed again when the probe closes


@contextmanager
def unreachable_smtp():
    with override_settings(
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=_closed_port(),
        EMAIL_TIMEOUT=5,
    ):
        yield


class RefusingServer(BaseEmailBackend):
    refused: set[str] = set()

    def send_messages(self, messages):
        for message in messages:
            bad = sorted(a for a in message.recipients() if a in self.refused)
            if bad:
                raise smtplib.SMTPRecipientsRefused(
                    {address: (550, b"5.1.1 Mailbox unavailable") for address in bad}
                )
            mail.outbox.append(message)
        return len(messages)


@contextmanager
def refusing(*addresses: str):
    RefusingServer.refused = {a.lower() for a in addresses}
    try:
        with override_settings(EMAIL_BACKEND="tests.mailserver.RefusingServer"):
            yield
    finally:
        RefusingServer.refused = set()
