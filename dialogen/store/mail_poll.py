"""Polling a mailbox from several replicas: a lease (one replica polls at a time; another takes
over when the holder stops renewing it) and the transport's place in the mailbox (Graph's delta
link and the ids handed out but not yet marked processed), both in the database so any replica
continues where the last one stopped. Keyed by a hash of the mailbox address; no mail content.
"""

from __future__ import annotations

import hashlib
import logging
import time
import uuid
from collections.abc import Callable
from typing import Any

from sqlalchemy import JSON, Column, Float
from sqlalchemy.exc import IntegrityError
from sqlmodel import Field, SQLModel

from dialogen.store.database import Database

log = logging.getLogger(__name__)


class MailPollLeaseRow(SQLModel, table=True):
    __tablename__ = "mail_poll_lease"

    mailbox: str = Field(primary_key=True, max_length=64)  # sha256 of the address
    holder: str = Field(max_length=64)
    expires_at: float = Field(sa_column=Column(Float, nullable=False))  # wall-clock seconds


class MailPollStateRow(SQLModel, table=True):
    __tablename__ = "mail_poll_state"

    mailbox: str = Field(primary_key=True, max_length=64)
    state: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))


def mailbox_key(address: str) -> str:
    return hashlib.sha256(address.strip().lower().encode()).hexdigest()


class MailboxLease:
    """:class:`bot.mail.contracts.PollLease` in the database."""

    def __init__(
        self,
        database: Database,
        address: str,
        *,
        seconds: float,
        clock: Callable[[], float] = time.time,
        holder: str | None = None,
    ) -> None:
        self._database = database
        self._mailbox = mailbox_key(address)
        self._seconds = seconds
        self._clock = clock
        self.holder = holder or uuid.uuid4().hex
        self._held = False

    def hold(self) -> bool:
        try:
            return self._hold()
        except IntegrityError:  # another replica created the lease at the same moment
            self._held = False
            return False

    def _hold(self) -> bool:
        now = self._clock()
        with self._database.unit_of_work() as session:
            row = session.get(MailPollLeaseRow, self._mailbox, with_for_update=True)
            if row is None:
                row = MailPollLeaseRow(mailbox=self._mailbox, holder=self.holder, expires_at=0.0)
            elif row.holder != self.holder and row.expires_at > now:
                if self._held:
                    log.warning("mail poll lease taken over by another replica")
                self._held = False
                return False
            elif row.holder != self.holder:
                log.info("mail poll lease taken over (the previous holder stopped renewing)")
            row.holder = self.holder
            row.expires_at = now + self._seconds
            session.add(row)
        self._held = True
        return True

    def release(self) -> None:
        if not self._held:
            return
        with self._database.unit_of_work() as session:
            row = session.get(MailPollLeaseRow, self._mailbox, with_for_update=True)
            if row is not None and row.holder == self.holder:
                row.expires_at = 0.0  # the next replica need not wait for it to run out
                session.add(row)
        self._held = False


class MailPollState:
    """:class:`bot.mail.contracts.PollStateStore` in the database."""

    def __init__(self, database: Database, address: str) -> None:
        self._database = database
        self._mailbox = mailbox_key(address)

    def load(self) -> dict[str, object] | None:
        with self._database.unit_of_work() as session:
            row = session.get(MailPollStateRow, self._mailbox)
            return dict(row.state) if row is not None else None

    def save(self, state: dict[str, object]) -> None:
        with self._database.unit_of_work() as session:
            row = session.get(MailPollStateRow, self._mailbox, with_for_update=True)
            if row is None:
                row = MailPollStateRow(mailbox=self._mailbox, state=dict(state))
            else:
                row.state = dict(state)
            session.add(row)
