"""Local folder transport: mail as ``.eml`` files, so the mail channel can be tried without a
server.

- Incoming: every ``*.eml`` file in the inbox folder is a received message (oldest first).
  Whoever drops files into the inbox should write them under another name (or elsewhere) first
  and rename them into place, so a half-written file is never picked up; files whose name starts
  with a dot are ignored.
- Processed: a processed mail holds its sender and what they answered, so it is not kept as it
  came. By default (``keep_days`` 0) it is deleted once processed; with ``keep_days`` it is kept
  sealed (``<inbox>/processed/<name>.sealed``, AES-GCM under a key derived from the pseudonym
  secret; ``dialoog privacy unseal`` opens one) and deleted after that many days. Processed mail
  left in the clear by an earlier version is sealed or deleted the same way.
- Outgoing: each sent message is written to the outbox folder atomically (a hidden temporary
  file in the same folder, flushed, then renamed), named ``<time ns>-<random>.eml`` so the names
  sort in sending order and carry no address.
"""

from __future__ import annotations

import asyncio
import logging
import os
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bot.mail.contracts import MailTransportError, OutgoingMail, RawMail, SendResult

log = logging.getLogger(__name__)

PROCESSED = "processed"


SEALED_SUFFIX = ".sealed"


@dataclass(frozen=True)
class FolderConfig:
    inbox: Path
    outbox: Path
    batch_size: int = 100
    keep_days: int = 0  # processed mail: 0 = delete at once; else kept sealed this many days
    seal: Callable[[bytes], bytes] | None = None  # needed when keep_days > 0
    now: Callable[[], float] = time.time  # for the retention (file times are wall-clock)

    def __post_init__(self) -> None:
        if self.batch_size < 1:
            raise ValueError("batch_size must be at least 1")
        if self.keep_days < 0:
            raise ValueError("keep_days cannot be negative")
        if self.keep_days and self.seal is None:
            raise ValueError("keeping processed mail needs a key to seal it with")


class FolderTransport:
    name = "folder"

    def __init__(self, config: FolderConfig) -> None:
        self.config = config
        self.processed = config.inbox / PROCESSED
        for folder in (config.inbox, self.processed, config.outbox):
            folder.mkdir(parents=True, exist_ok=True)

    async def fetch_new(self) -> list[RawMail]:
        await asyncio.to_thread(self._expire)
        return await asyncio.to_thread(self._fetch)

    async def mark_processed(self, uid: str) -> None:
        await asyncio.to_thread(self._mark, uid)

    async def send(self, mail: OutgoingMail) -> SendResult:
        try:
            path = await asyncio.to_thread(self._write, mail.as_bytes())
        except OSError as exc:
            log.error("could not write outgoing mail to the outbox folder (%s)", type(exc).__name__)
            return SendResult.retry(f"outbox folder not writable ({type(exc).__name__})")
        log.info("mail written to outbox folder file=%s", path.name)
        return SendResult.sent()

    async def close(self) -> None:
        return None

    # ------------------------------------------------------------------ blocking parts

    def _fetch(self) -> list[RawMail]:
        try:
            candidates = [
                entry
                for entry in os.scandir(self.config.inbox)
                if entry.is_file()
                and entry.name.lower().endswith(".eml")
                and not entry.name.startswith(".")
            ]
        except OSError as exc:
            raise MailTransportError(f"inbox folder not readable ({type(exc).__name__})") from exc
        candidates.sort(key=lambda entry: (_mtime(entry), entry.name))
        mails: list[RawMail] = []
        for entry in candidates[: self.config.batch_size]:
            try:
                mails.append(RawMail(uid=entry.name, raw=Path(entry.path).read_bytes()))
            except FileNotFoundError:  # moved away meanwhile (another poller, a person)
                continue
        return mails

    def _mark(self, uid: str) -> None:
        if Path(uid).name != uid or uid in ("", ".", ".."):
            raise MailTransportError("not a file name of the inbox folder")
        source = self.config.inbox / uid
        try:
            self._keep_sealed(source)
            source.unlink()
        except FileNotFoundError:
            return  # already processed: marking is idempotent
        except OSError as exc:
            raise MailTransportError(
                f"could not put a processed mail away ({type(exc).__name__})"
            ) from exc

    def _keep_sealed(self, source: Path) -> None:
        """With a retention: the mail, sealed, into the processed folder (atomically)."""
        seal = self.config.seal
        if not self.config.keep_days or seal is None:
            return
        sealed = seal(source.read_bytes())
        name = f"{source.stem}-{secrets.token_hex(4)}{SEALED_SUFFIX}"
        temporary = self.processed / f".{name}.tmp"
        try:
            with open(temporary, "wb") as handle:
                handle.write(sealed)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temporary, self.processed / name)
        finally:
            temporary.unlink(missing_ok=True)

    def _expire(self) -> None:
        """Processed mail past its retention goes; mail an earlier version left in the clear is
        sealed (or, without a retention, deleted)."""
        cutoff = self.config.now() - self.config.keep_days * 86400
        try:
            entries = [e for e in os.scandir(self.processed) if e.is_file()]
        except OSError:
            return
        for entry in entries:
            path = Path(entry.path)
            try:
                if path.name.endswith(SEALED_SUFFIX):
                    if _mtime(entry) < cutoff:
                        path.unlink(missing_ok=True)
                elif not path.name.startswith("."):
                    self._keep_sealed(path)
                    path.unlink(missing_ok=True)
            except OSError as exc:
                log.warning("processed mail could not be cleaned up (%s)", type(exc).__name__)

    def _write(self, data: bytes) -> Path:
        name = f"{time.time_ns():020d}-{secrets.token_hex(4)}.eml"
        final = self.config.outbox / name
        temporary = self.config.outbox / f".{name}.tmp"
        try:
            with open(temporary, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temporary, final)
        finally:
            temporary.unlink(missing_ok=True)
        return final


def _mtime(entry: os.DirEntry[str]) -> float:
    try:
        return entry.stat().st_mtime
    except FileNotFoundError:
        return 0.0
