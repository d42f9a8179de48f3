"""Sending over SMTP (stdlib ``smtplib``, run in a worker thread): implicit TLS, STARTTLS or plain,
with AUTH when a username is configured. One connection is kept and reused; a connection the
server has dropped meanwhile is reopened once.

Server answers become :class:`SendResult`: a 5xx rejection of the message or its recipient is
``FAILED`` (trying again cannot help), everything else (4xx, connection trouble, refused login)
is ``RETRY``. A refused login is a configuration problem for every message, so it must not
fail the messages themselves.
"""

from __future__ import annotations

import asyncio
import logging
import smtplib
from dataclasses import dataclass
from email.utils import parseaddr
from pathlib import Path
from typing import Literal

from pydantic import SecretStr

from bot.mail.contracts import OutgoingMail, SendResult
from bot.mail.transports.tls import client_context

log = logging.getLogger(__name__)

Security = Literal["tls", "starttls", "none"]
_DEFAULT_PORTS = {"tls": 465, "starttls": 587, "none": 25}


@dataclass(frozen=True)
class SmtpConfig:
    host: str
    port: int | None = None
    security: Security = "starttls"
    username: str | None = None
    password: SecretStr | None = None
    envelope_from: str | None = None  # bounce address; default: the message's From
    timeout: float = 30.0
    ca_file: Path | None = None

    @property
    def effective_port(self) -> int:
        return self.port or _DEFAULT_PORTS[self.security]


class SmtpSender:
    def __init__(self, config: SmtpConfig) -> None:
        self.config = config
        self._connection: smtplib.SMTP | None = None
        self._lock = asyncio.Lock()

    async def send(self, mail: OutgoingMail) -> SendResult:
        async with self._lock:
            return await asyncio.to_thread(self._send, mail)

    async def close(self) -> None:
        async with self._lock:
            await asyncio.to_thread(self._disconnect)

    # ------------------------------------------------------------------ blocking parts

    def _send(self, mail: OutgoingMail) -> SendResult:
        recipients = mail.recipients
        if not recipients:
            return SendResult.failed("no recipient address")
        sender = self.config.envelope_from or _address(
            str(mail.message.get("Sender") or mail.message["From"])
        )
        for attempt in (1, 2):
            reused = self._connection is not None
            try:
                connection = self._connection or self._connect()
                refused = connection.send_message(mail.message, sender, recipients)  # drops Bcc
            except smtplib.SMTPServerDisconnected:
                self._disconnect()
                if reused and attempt == 1:
                    continue  # the kept connection had gone stale: one fresh try
                return SendResult.retry("SMTP server closed the connection")
            except smtplib.SMTPAuthenticationError as exc:
                self._disconnect()
                log.error(
                    "SMTP login refused (%s); check DIALOOG_SMTP_USERNAME/PASSWORD", exc.smtp_code
                )
                return SendResult.retry(f"SMTP login refused ({exc.smtp_code})")
            except smtplib.SMTPRecipientsRefused as exc:
                codes = sorted({code for code, _ in exc.recipients.values()})
                return _by_code(min(codes) if codes else 450, "recipient refused", codes)
            except (smtplib.SMTPSenderRefused, smtplib.SMTPDataError) as exc:
                what = (
                    "sender refused"
                    if isinstance(exc, smtplib.SMTPSenderRefused)
                    else "message refused"
                )
                self._reset()
                return _by_code(exc.smtp_code, what, [exc.smtp_code])
            except smtplib.SMTPNotSupportedError:
                return SendResult.failed("SMTP server lacks a needed extension (SMTPUTF8?)")
            except (smtplib.SMTPException, OSError) as exc:
                self._disconnect()
                log.warning("SMTP send failed (%s)", type(exc).__name__)
                return SendResult.retry(f"SMTP unavailable ({type(exc).__name__})")
            if refused:
                log.warning(
                    "SMTP server refused %d of %d recipients", len(refused), len(recipients)
                )
            return SendResult.sent()
        return SendResult.retry("SMTP server closed the connection")

    def _connect(self) -> smtplib.SMTP:
        config = self.config
        context = client_context(config.ca_file)
        connection: smtplib.SMTP
        if config.security == "tls":
            connection = smtplib.SMTP_SSL(
                config.host, config.effective_port, timeout=config.timeout, context=context
            )
        else:
            connection = smtplib.SMTP(config.host, config.effective_port, timeout=config.timeout)
        try:
            connection.ehlo()
            if config.security == "starttls":
                connection.starttls(context=context)
                connection.ehlo()
            if config.username:
                password = config.password.get_secret_value() if config.password else ""
                connection.login(config.username, password)
        except BaseException:
            _quit_quietly(connection)
            raise
        self._connection = connection
        return connection

    def _reset(self) -> None:
        if self._connection is not None:
            try:
                self._connection.rset()
            except (smtplib.SMTPException, OSError):
                self._disconnect()

    def _disconnect(self) -> None:
        if self._connection is not None:
            _quit_quietly(self._connection)
            self._connection = None


def _by_code(code: int, what: str, codes: list[int]) -> SendResult:
    reason = f"{what} ({', '.join(map(str, codes))})"
    return SendResult.failed(reason) if code >= 500 else SendResult.retry(reason)


def _address(header: str) -> str:
    return parseaddr(header)[1]


def _quit_quietly(connection: smtplib.SMTP) -> None:
    try:
        connection.quit()
    except (smtplib.SMTPException, OSError):
        connection.close()
