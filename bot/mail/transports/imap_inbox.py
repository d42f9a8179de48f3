"""Reading the dialogue mailbox over IMAP (stdlib ``imaplib``, run in a worker thread).

New mail is ``UID SEARCH UNSEEN``, oldest first; it is read with ``BODY.PEEK[]`` so reading does
not mark it seen: a message only counts as processed once :meth:`ImapInbox.mark` deals with it.
With ``delete_processed`` (the default when no retention is configured) it is deleted from the
server: flagged ``\\Seen \\Deleted`` and expunged (``UID EXPUNGE`` where the server has UIDPLUS).
Otherwise it is flagged ``\\Seen`` (and moved into ``processed_folder`` when one is configured:
``UID MOVE`` where the server has it, otherwise copy, flag deleted and expunge).

A uid is ``"<UIDVALIDITY>:<UID>"``: when the server renumbers the mailbox (UIDVALIDITY changes),
marking an old uid is skipped rather than flagging another message; that message is then simply
fetched again, which inbound processing tolerates (idempotent by Message-ID).

One connection is kept open and reused; a dropped connection is reopened once per call.
Calls are serialised: imaplib connections are not thread-safe.
"""

from __future__ import annotations

import asyncio
import imaplib
import logging
import re
import ssl
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, TypeVar

from pydantic import SecretStr

from bot.mail.contracts import MailTransportError, RawMail
from bot.mail.transports.tls import client_context

log = logging.getLogger(__name__)

Security = Literal["tls", "starttls", "none"]
T = TypeVar("T")

_UID = re.compile(rb"\bUID (\d+)")
_DROPPED = (imaplib.IMAP4.abort, OSError, EOFError)


@dataclass(frozen=True)
class ImapConfig:
    host: str
    username: str
    password: SecretStr
    port: int | None = None
    security: Security = "tls"
    mailbox: str = "INBOX"
    processed_folder: str | None = None
    delete_processed: bool = False  # processed mail is deleted from the server
    batch_size: int = 50
    timeout: float = 30.0
    ca_file: Path | None = None

    @property
    def effective_port(self) -> int:
        return self.port or (993 if self.security == "tls" else 143)


class ImapInbox:
    def __init__(self, config: ImapConfig) -> None:
        self.config = config
        self._connection: imaplib.IMAP4 | None = None
        self._uidvalidity: str = ""
        self._lock = asyncio.Lock()

    async def fetch_new(self) -> list[RawMail]:
        return await self._run(self._fetch)

    async def mark(self, uid: str) -> None:
        await self._run(lambda: self._mark(uid))

    async def close(self) -> None:
        async with self._lock:
            await asyncio.to_thread(self._disconnect)

    # ------------------------------------------------------------------ plumbing

    async def _run(self, work: Callable[[], T]) -> T:
        async with self._lock:
            return await asyncio.to_thread(self._with_connection, work)

    def _with_connection(self, work: Callable[[], T]) -> T:
        for attempt in (1, 2):
            try:
                if self._connection is None:
                    self._connect()
                return work()
            except _DROPPED as exc:
                self._disconnect()
                if attempt == 2:
                    raise MailTransportError(
                        f"IMAP server unreachable ({type(exc).__name__})"
                    ) from exc
                log.info("IMAP connection lost (%s); reconnecting", type(exc).__name__)
            except imaplib.IMAP4.error as exc:
                self._disconnect()
                raise MailTransportError(f"IMAP command refused ({_first_word(exc)})") from exc
        raise AssertionError("unreachable")

    def _connect(self) -> None:
        config = self.config
        context = client_context(config.ca_file)
        connection: imaplib.IMAP4
        if config.security == "tls":
            connection = imaplib.IMAP4_SSL(
                config.host, config.effective_port, ssl_context=context, timeout=config.timeout
            )
        else:
            connection = imaplib.IMAP4(config.host, config.effective_port, timeout=config.timeout)
            if config.security == "starttls":
                connection.starttls(ssl_context=context)
        try:
            self._login(connection)
            self._ensure_processed_folder(connection)
            status, _ = connection.select(_quote(config.mailbox))
            if status != "OK":
                raise MailTransportError("IMAP mailbox cannot be opened")
            _, values = connection.response("UIDVALIDITY")
            self._uidvalidity = (values[0] or b"").decode() if values else ""
        except BaseException:
            _logout_quietly(connection)
            raise
        self._connection = connection
        log.info("IMAP connected security=%s", config.security)

    def _login(self, connection: imaplib.IMAP4) -> None:
        user = self.config.username
        password = self.config.password.get_secret_value()
        try:
            if "AUTH=PLAIN" in connection.capabilities:  # also takes non-ASCII passwords
                secret = f"\0{user}\0{password}".encode()
                connection.authenticate("PLAIN", lambda _challenge: secret)
            else:
                connection.login(user, password)
        except imaplib.IMAP4.error as exc:
            raise MailTransportError("IMAP login refused") from exc

    def _ensure_processed_folder(self, connection: imaplib.IMAP4) -> None:
        folder = self.config.processed_folder
        if folder is None or self.config.delete_processed:
            return
        status, listing = connection.list('""', _quote(folder))
        if status == "OK" and any(item for item in listing if item):
            return
        status, _ = connection.create(_quote(folder))
        if status != "OK":
            raise MailTransportError("IMAP processed folder cannot be created")

    def _disconnect(self) -> None:
        if self._connection is not None:
            _logout_quietly(self._connection)
            self._connection = None

    # ------------------------------------------------------------------ commands

    def _fetch(self) -> list[RawMail]:
        connection = self._require()
        connection.noop()  # lets the server report mail that arrived since the last poll
        status, data = connection.uid("SEARCH", "UNSEEN")
        if status != "OK":
            raise MailTransportError("IMAP search refused")
        uids = sorted({int(u) for u in (data[0] or b"").split()})[: self.config.batch_size]
        if not uids:
            return []
        status, data = connection.uid("FETCH", ",".join(map(str, uids)), "(UID BODY.PEEK[])")
        if status != "OK":
            raise MailTransportError("IMAP fetch refused")
        found: dict[int, bytes] = {}
        for part in data:
            if isinstance(part, tuple) and (match := _UID.search(part[0])):
                found[int(match.group(1))] = part[1]
        return [
            RawMail(uid=f"{self._uidvalidity}:{uid}", raw=found[uid])
            for uid in uids
            if uid in found
        ]

    def _mark(self, uid: str) -> None:
        connection = self._require()
        validity, _, number = uid.rpartition(":")
        if not number.isdigit():
            raise MailTransportError("not an IMAP uid of this transport")
        if validity != self._uidvalidity:
            log.warning(
                "IMAP mailbox was renumbered (UIDVALIDITY changed); mark skipped, the mail "
                "will be fetched again"
            )
            return
        if self.config.delete_processed:
            status, _ = connection.uid("STORE", number, "+FLAGS.SILENT", r"(\Seen \Deleted)")
            if status != "OK":
                raise MailTransportError("IMAP store refused")
            _expunge(connection, number)
            return
        status, _ = connection.uid("STORE", number, "+FLAGS.SILENT", r"(\Seen)")
        if status != "OK":
            raise MailTransportError("IMAP store refused")
        folder = self.config.processed_folder
        if folder is None:
            return
        if "MOVE" in connection.capabilities:
            status, _ = connection.uid("MOVE", number, _quote(folder))
        else:
            status, _ = connection.uid("COPY", number, _quote(folder))
            if status == "OK":
                connection.uid("STORE", number, "+FLAGS.SILENT", r"(\Deleted)")
                _expunge(connection, number)
        if status != "OK":
            raise MailTransportError("IMAP move to the processed folder refused")

    def _require(self) -> imaplib.IMAP4:
        if self._connection is None:
            raise imaplib.IMAP4.abort("not connected")
        return self._connection


def _expunge(connection: imaplib.IMAP4, number: str) -> None:
    """Remove a message flagged deleted: only that one where the server can (UIDPLUS)."""
    if "UIDPLUS" in connection.capabilities:
        connection.uid("EXPUNGE", number)
    else:
        connection.expunge()


def _quote(name: str) -> str:
    """A mailbox name as an IMAP quoted string (ASCII names; modified UTF-7 is not done here)."""
    return '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _first_word(exc: Exception) -> str:
    text = str(exc).strip()
    return text.split()[0][:40] if text else type(exc).__name__


def _logout_quietly(connection: imaplib.IMAP4) -> None:
    try:
        connection.logout()
    except (*_DROPPED, imaplib.IMAP4.error, ssl.SSLError):
        pass
