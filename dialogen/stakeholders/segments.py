"""The coarse segment of a participant — role group, province, networks — as answers carry it and
as participation is measured. One rule for both, so the figures add up.

Province and networks follow the municipality; the stakeholder import may give them for people
without a municipality (a network's representative) or override the networks.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from dialogen.contracts import SegmentLookup


@dataclass(frozen=True)
class Segment:
    role: str | None
    province: str | None
    networks: frozenset[str]

    @property
    def networks_text(self) -> str:
        """How answers store the networks: sorted, comma separated."""
        return ",".join(sorted(self.networks))


def segment_of(
    *,
    role: str | None,
    municipality_code: str | None,
    province: str | None,
    networks: str | None,
    municipalities: SegmentLookup,
) -> Segment:
    """``province`` and ``networks`` are what the participant row holds (None = derive)."""
    place = None
    if municipality_code:
        try:
            place = municipalities.by_code(municipality_code)
        except LookupError:
            place = None
    if networks is not None:
        found = parse_networks(networks)
    elif place is not None:
        found = municipalities.networks_of(place.cbs_code)
    else:
        found = frozenset()
    return Segment(role=role, province=place.province if place else province, networks=found)


def parse_networks(text: str) -> frozenset[str]:
    return frozenset(n.strip() for n in text.split(",") if n.strip())


def networks_text(networks: frozenset[str] | None) -> str | None:
    return None if networks is None else ",".join(sorted(networks))
