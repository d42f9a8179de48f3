"""The roster of invitees (steps Vinden and Verzamelen): importing a stakeholder sheet, and
looking up what the roster knows of someone a channel meets.

An import validates every row (``dialogen.stakeholders.sheet``), writes the accepted invitees in one
unit of work (``dialogen.store.invitations``) and records who imported how many in the audit log.
Rejected rows are reported, never written; the accepted ones are imported regardless. In the same
unit of work the released (k-safe) segments are decided again from the new invited population
(:mod:`dialogen.privacy.released_segments`): labels answers carry that are no longer shared by
``k`` invitees are widened. Someone whose data was erased at their request is not imported again
(a keyed hash of their address is kept, ``dialogen.store.erasure``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from dialogen.contracts import MunicipalityLookup
from dialogen.privacy.released_segments import Recheck, SegmentReleases
from dialogen.stakeholders.sheet import Invitee, InviteeList, SheetRow, validate_sheet
from dialogen.store import audit, erasure, invitations
from dialogen.store.database import Database

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ImportResult:
    checked: InviteeList
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    saved: bool = False
    segments: Recheck | None = None
    erased: int = 0  # rows skipped: that person asked to be erased


class Roster:
    def __init__(
        self,
        *,
        database: Database,
        municipalities: MunicipalityLookup,
        clock: Callable[[], datetime],
        releases: SegmentReleases | None = None,
        address_digest: Callable[[str], str] | None = None,
    ) -> None:
        self.database = database
        self.municipalities = municipalities
        self.clock = clock
        self.releases = releases or SegmentReleases(municipalities=municipalities)
        self.address_digest = address_digest  # None: no erased addresses to look for

    def import_rows(
        self, rows: Sequence[SheetRow], *, actor: str, dry_run: bool = False
    ) -> ImportResult:
        checked = validate_sheet(rows, self.municipalities)
        log.info(
            "stakeholder sheet checked rows=%d accepted=%d merged=%d rejected=%d",
            checked.rows,
            len(checked.invitees),
            checked.merged,
            len(checked.rejections),
        )
        now = self.clock()
        with self.database.unit_of_work() as session:
            invitees = self._not_erased(session, checked.invitees)
            if dry_run:
                return ImportResult(checked, erased=len(checked.invitees) - len(invitees))
            counts = invitations.upsert_invitees(session, invitees, now=now)
            segments = self.releases.recheck(session, now=now)
            audit.record(
                session,
                at=now,
                actor=actor,
                action="import",
                count=len(checked.invitees),
                details={
                    "rows": checked.rows,
                    "created": counts.created,
                    "updated": counts.updated,
                    "unchanged": counts.unchanged,
                    "merged": checked.merged,
                    "rejected": len(checked.rejections),
                    "segment_version": segments.version,
                    "segments_widened": segments.labels_widened,
                    "skipped_erased": len(checked.invitees) - len(invitees),
                },
            )
        log.info(
            "stakeholders imported created=%d updated=%d unchanged=%d",
            counts.created,
            counts.updated,
            counts.unchanged,
        )
        return ImportResult(
            checked,
            counts.created,
            counts.updated,
            counts.unchanged,
            saved=True,
            segments=segments,
            erased=len(checked.invitees) - len(invitees),
        )

    def _not_erased(self, session: Any, invitees: Sequence[Invitee]) -> list[Invitee]:
        if self.address_digest is None or not invitees:
            return list(invitees)
        digest = self.address_digest
        erased = erasure.erased_among(session, (digest(i.email) for i in invitees))
        return [i for i in invitees if digest(i.email) not in erased]

    def known_email(self, aad_object_id: str) -> str | None:
        """The e-mail address on record for this Entra object id (None: unknown person or no
        address)."""
        with self.database.read() as connection:  # a look-up on every Teams turn: no writer lock
            return invitations.email_known(connection, aad_object_id=aad_object_id)

    def install_targets(self) -> list[tuple[str, str]]:
        """(participant id, e-mail) of invitees not reachable in Teams yet who did not opt out."""
        with self.database.unit_of_work() as session:
            return invitations.install_targets(session)
