"""The segments answers carry, decided and kept k-safe over time: the service around the pure
decision (:mod:`dialogen.privacy.segment_release`) and its storage
(:mod:`dialogen.store.segment_releases`).

- :meth:`SegmentReleases.released` is asked whenever answers are written (``dialogen.door.turns``):
  the participant's full segment, looked up in the newest decision. A full segment the decision
  does not know (someone who joined without an invitation, or corrected their profile) first
  makes it decide again, in the same unit of work — unless it has no role (nobody without one is
  in the population decided over: it carries nothing).
- :meth:`SegmentReleases.recheck` decides anew from the current invited population — after every
  stakeholder import, and whenever a segment is unknown. When the decision changes it is stored as
  a new version, and labels that answers carry but that are no longer safe are widened on the
  answer side, by segment value only.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from dialogen.contracts import SegmentLookup
from dialogen.privacy.anonymity import K_ANONYMITY
from dialogen.privacy.segment_release import NOTHING, Cell, decide
from dialogen.stakeholders.segments import Segment, segment_of
from dialogen.store import segment_releases as store

log = logging.getLogger(__name__)

Session = Any  # a unit of work's session (dialogen.store.database.Database.unit_of_work)


@dataclass(frozen=True)
class Recheck:
    version: int | None  # the version written now; None: the decision did not change
    labels_widened: int  # labels on the answer side that had to become coarser
    answers_relabelled: int


class SegmentReleases:
    def __init__(self, *, municipalities: SegmentLookup, k: int = K_ANONYMITY) -> None:
        self.municipalities = municipalities
        self.k = k

    def full_segment(
        self,
        *,
        role: str | None,
        municipality_code: str | None,
        province: str | None,
        networks: str | None,
    ) -> Cell:
        return Cell.of(
            segment_of(
                role=role,
                municipality_code=municipality_code,
                province=province,
                networks=networks,
                municipalities=self.municipalities,
            )
        )

    def released(self, session: Session, full: Cell, *, now: datetime) -> Segment:
        """The segment answers of someone with this full segment carry."""
        if full.role is None:
            # no decision ever knows it (the population is everyone with a role): deciding anew
            # would change nothing for them — and cost every turn before they gave their role
            return NOTHING.as_segment()
        found = store.released_for(session, full)
        if found is None:
            self.recheck(session, now=now)
            found = store.released_for(session, full) or NOTHING
        return found.as_segment()

    def recheck(self, session: Session, *, now: datetime) -> Recheck:
        store.lock_for_decision(session)
        previous = store.current(session)
        population = store.population(session, segment_of=self.full_segment)
        frozen = {
            label: {cell for cell, released in previous.items() if released == label} or {label}
            for label in store.labels_in_use(session)
        }
        release = decide(population, k=self.k, frozen=frozen)
        version = None
        if release.mapping != previous:
            version = store.store(session, release.mapping, now=now)
        relabelled = store.relabel_answers(session, release.moved)
        if version is not None or release.moved:
            log.info(
                "released segments decided version=%s cells=%d widened=%d relabelled=%d",
                version,
                len(release.mapping),
                len(release.moved),
                relabelled,
            )
        return Recheck(version, len(release.moved), relabelled)
