"""A report offered as a file, waiting for the facilitator's file consent (Teams), kept in the
database so that whichever replica receives the consent can finish it.

:meth:`ReportOffers.offer` stores the file sealed (``Sealing.report_offers``) under the hash of a
random token and returns the token for the consent card; :meth:`ReportOffers.claim` answers the
consent: the file for the facilitator it was offered to (taken: a second accept finds nothing),
:attr:`Claim.DECLINED` when they declined, :attr:`Claim.GONE` for an unknown, expired, already
taken or someone else's token. Offers older than ``PENDING_MINUTES`` are deleted.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum

from dialogen.contracts import Clock
from dialogen.privacy.payload_cipher import PayloadCipher, SealError
from dialogen.store import report_offers as store
from dialogen.store.database import Database

log = logging.getLogger(__name__)

PENDING_MINUTES = 60


class Claim(StrEnum):
    ACCEPTED = "accepted"
    DECLINED = "declined"
    GONE = "gone"


@dataclass(frozen=True)
class Claimed:
    claim: Claim
    name: str = ""
    data: bytes = b""


class ReportOffers:
    def __init__(
        self,
        *,
        database: Database,
        cipher: PayloadCipher,
        clock: Clock,
        minutes: int = PENDING_MINUTES,
    ) -> None:
        self._database = database
        self._cipher = cipher
        self._clock = clock
        self._max_age = timedelta(minutes=minutes)

    def offer(self, *, name: str, data: bytes, requester: str | None) -> str:
        """Keep the file for the facilitator ``requester`` (Entra object id); the card's token."""
        token = secrets.token_urlsafe(16)
        self._keep(token, name=name, data=data, requester=requester, purge=True)
        return token

    def claim(self, token: str, *, requester: str | None, accept: bool) -> Claimed:
        """The facilitator's answer to the consent card with ``token``. Accepted: the file, no
        longer offered (:meth:`put_back` when handing it over fails)."""
        if not token:
            return Claimed(Claim.GONE)
        key = _hash(token)
        now = self._clock()
        with self._database.unit_of_work() as session:
            found = store.take(session, key)
            if found is None:
                return Claimed(Claim.GONE)
            if found.offered_at < now - self._max_age:
                store.remove(session, key)
                return Claimed(Claim.GONE)
            if found.requester and found.requester != requester:
                return Claimed(Claim.GONE)  # someone else's card: it stays theirs
            store.remove(session, key)
        if not accept:
            return Claimed(Claim.DECLINED)
        try:
            data = self._cipher.open_file(found.content)
        except SealError:
            log.warning("report offer could not be opened (another key?)")
            return Claimed(Claim.GONE)
        return Claimed(Claim.ACCEPTED, found.name, data)

    def put_back(self, token: str, *, name: str, data: bytes, requester: str | None) -> None:
        """An accepted file that could not be handed over: offered again under the same token,
        so the facilitator can accept the same card once more."""
        self._keep(token, name=name, data=data, requester=requester, purge=False)

    def _keep(
        self, token: str, *, name: str, data: bytes, requester: str | None, purge: bool
    ) -> None:
        """Store the file sealed under the hash of ``token``; ``purge``: expired offers go first."""
        now = self._clock()
        sealed = self._cipher.seal_file(data)
        with self._database.unit_of_work() as session:
            purged = store.purge(session, before=now - self._max_age) if purge else 0
            store.add(
                session,
                token_hash=_hash(token),
                name=name,
                requester=requester,
                content=sealed,
                now=now,
            )
        if purged:
            log.info("report offers expired count=%d", purged)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
