"""Exchange Web Services transport (exchangelib): for Exchange Server on premises (including
Exchange SE) and for Exchange Online tenants that allow-listed the app — until EWS is switched
off there (see the design notes). Everything exchangelib does is blocking, so each call runs in
a worker thread, one at a time.

- Incoming: polling ``inbox.filter(is_read=False)`` oldest first, with the MIME content
  (FindItem for the ids, GetItem for ``MimeContent``). The uid is ``"<ItemId> <ChangeKey>"``.
- Processed: with ``delete_processed`` (the default when no retention is configured) the item is
  deleted (DeleteItem, ``HardDelete``: not in Deleted Items, gone from the mailbox). Otherwise
  ``IsRead = true`` (UpdateItem), and a move into ``processed_folder`` (a folder under the inbox,
  created when missing) when configured.
- Outgoing: CreateItem with the MIME content and ``MessageDisposition=SendOnly``.

Authentication: NTLM or basic with a service account that has access to the dialogue mailbox
(delegate), or OAuth client credentials (app-only, impersonation of the mailbox) with the token
from the configured authority. The endpoint and the server version are configured, so there is
no autodiscover and no version probing.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, TypeVar

from exchangelib.errors import ErrorServerBusy, EWSError, ResponseMessageError, UnauthorizedError
from oauthlib.oauth2 import OAuth2Error
from pydantic import SecretStr

from bot.mail.contracts import MailTransportError, OutgoingMail, RawMail, SendResult
from bot.mail.transports.ews_connection import open_account

__all__ = ["EwsConfig", "EwsTransport"]

log = logging.getLogger(__name__)

_EXPECTED = (EWSError, OAuth2Error, OSError)

T = TypeVar("T")
Auth = Literal["oauth", "basic", "ntlm"]


@dataclass(frozen=True)
class EwsConfig:
    mailbox: str  # primary SMTP address of the dialogue mailbox
    service_endpoint: str  # https://mail.gemeente.nl/EWS/Exchange.asmx
    auth: Auth = "ntlm"
    username: str | None = None
    password: SecretStr | None = None
    tenant_id: str | None = None
    client_id: str | None = None
    client_secret: SecretStr | None = None
    authority_host: str = "https://login.microsoftonline.com"
    oauth_scope: str = "https://outlook.office365.com/.default"
    server_version: str | None = None  # "15.2.1118.7"; None: ask the server once
    processed_folder: str | None = None
    delete_processed: bool = False  # processed mail is deleted, not kept
    batch_size: int = 50
    timeout: float = 30.0
    ca_file: Path | None = None


class EwsTransport:
    name = "ews"

    def __init__(self, config: EwsConfig) -> None:
        self.config = config
        self._account: Any = None
        self._processed: Any = None
        self._lock = asyncio.Lock()

    async def fetch_new(self) -> list[RawMail]:
        try:
            return await self._call(self._fetch)
        except _EXPECTED as exc:
            raise _transport_error(exc, "fetch") from exc

    async def mark_processed(self, uid: str) -> None:
        try:
            await self._call(lambda: self._mark(uid))
        except _EXPECTED as exc:
            raise _transport_error(exc, "mark") from exc

    async def send(self, mail: OutgoingMail) -> SendResult:
        if not mail.recipients:
            return SendResult.failed("no recipient address")
        try:
            await self._call(lambda: self._send(mail.as_bytes(include_bcc=True)))
        except _EXPECTED as exc:
            error = _transport_error(exc, "send")
            if (
                isinstance(exc, ResponseMessageError)
                and not isinstance(exc, ErrorServerBusy)
                and type(exc).__name__ in _PERMANENT_SEND_ERRORS
            ):
                return SendResult.failed(str(error))
            return SendResult.retry(str(error), after=error.retry_after)
        return SendResult.sent()

    async def close(self) -> None:
        async with self._lock:
            account, self._account = self._account, None
            if account is not None:
                await asyncio.to_thread(account.protocol.close)

    # ------------------------------------------------------------------ blocking parts

    async def _call(self, work: Callable[[], T]) -> T:
        async with self._lock:
            try:
                return await asyncio.to_thread(self._with_account, work)
            except ResponseMessageError:
                raise  # an answer about this request: the connection is fine
            except _EXPECTED:
                self._account = None  # connection or login trouble: open a fresh account next time
                raise

    def _with_account(self, work: Callable[[], T]) -> T:
        if self._account is None:
            self._account = open_account(self.config)
            self._processed = None
        return work()

    def _fetch(self) -> list[RawMail]:
        query = (
            self._account.inbox.filter(is_read=False)
            .order_by("datetime_received")
            .only("mime_content")
        )
        mails: list[RawMail] = []
        for item in query[: self.config.batch_size]:
            if isinstance(item, Exception) or not item.mime_content:
                continue  # vanished between FindItem and GetItem
            mails.append(RawMail(uid=f"{item.id} {item.changekey}", raw=bytes(item.mime_content)))
        return mails

    def _mark(self, uid: str) -> None:
        from exchangelib import Message
        from exchangelib.errors import ErrorItemNotFound

        item_id, _, changekey = uid.partition(" ")
        if not item_id or not changekey:
            raise MailTransportError("not an EWS uid of this transport")
        if self.config.delete_processed:
            deleted = self._account.bulk_delete(ids=[(item_id, None)], delete_type="HardDelete")
            problems = [r for r in deleted if isinstance(r, Exception)]
            if problems and not isinstance(problems[0], ErrorItemNotFound):
                raise problems[0]
            return
        message = Message(account=self._account, id=item_id, changekey=changekey, is_read=True)
        results = self._account.bulk_update([(message, ["is_read"])])
        problems = [r for r in results if isinstance(r, Exception)]
        if problems and not isinstance(problems[0], ErrorItemNotFound):
            raise problems[0]
        if problems or self.config.processed_folder is None:
            return
        updated = results[0]  # (id, new changekey)
        moved = self._account.bulk_move(ids=[updated], to_folder=self._processed_folder())
        problems = [r for r in moved if isinstance(r, Exception)]
        if problems and not isinstance(problems[0], ErrorItemNotFound):
            raise problems[0]

    def _processed_folder(self) -> Any:
        """The processed folder directly under the inbox; found with one shallow FindFolder
        (exchangelib's ``inbox / name`` would first walk the whole folder tree), created if
        missing."""
        if self._processed is None:
            from exchangelib import Folder
            from exchangelib.folders import SHALLOW, FolderCollection

            inbox = self._account.inbox
            name = self.config.processed_folder
            children = FolderCollection(account=self._account, folders=[inbox]).find_folders(
                depth=SHALLOW
            )
            found = next(
                (f for f in children if not isinstance(f, Exception) and f.name == name), None
            )
            if found is None:
                found = Folder(parent=inbox, name=name)
                found.save()
            self._processed = found
        return self._processed

    def _send(self, mime: bytes) -> None:
        from exchangelib import Message

        Message(account=self._account, mime_content=mime).send(save_copy=False)


def _transport_error(exc: BaseException, what: str) -> MailTransportError:
    """An exchangelib/oauthlib/network error as a transport error, without server text."""
    if isinstance(exc, ErrorServerBusy):
        return MailTransportError(f"EWS {what}: server busy", retry_after=exc.back_off)
    if isinstance(exc, (UnauthorizedError, OAuth2Error)):
        return MailTransportError(f"EWS {what}: credentials refused ({type(exc).__name__})")
    if isinstance(exc, ResponseMessageError):
        return MailTransportError(f"EWS {what}: {type(exc).__name__}")
    return MailTransportError(f"EWS {what}: server unreachable ({type(exc).__name__})")


# EWS response codes that no retry can fix for this message.
_PERMANENT_SEND_ERRORS = frozenset(
    {
        "ErrorInvalidRecipients",
        "ErrorMimeContentConversionFailed",
        "ErrorMimeContentInvalid",
        "ErrorMessageSizeExceeded",
        "ErrorInvalidRequest",
        "ErrorItemCorrupt",
    }
)
