"""The shipped networks file: every row valid, sourced, and counted as its header says."""

import csv
import re
from collections import Counter
from importlib.resources import files

import pytest

from dialogen.stakeholders.municipalities import NETWORKS, MunicipalityRegistry

TEXT = files("dialogen").joinpath("data").joinpath("netwerken.csv").read_text(encoding="utf-8")
COMMENTS = [line for line in TEXT.splitlines() if line.startswith("#")]
ROWS = list(csv.DictReader(line for line in TEXT.splitlines() if not line.startswith("#")))
SOURCE_IDS = {match[1] for line in COMMENTS if (match := re.match(r"# \[(\w+)\] ", line))}
PUBLISHED = {
    match[1]: (int(match[2]), int(match[3]))
    for line in COMMENTS
    if (match := re.match(r"# count (\w+): (\d+) of (\d+)", line))
}


@pytest.fixture(scope="module")
def registry() -> MunicipalityRegistry:
    return MunicipalityRegistry.load()


def members(network: str) -> set[str]:
    return {row["cbs_code"] for row in ROWS if row["netwerk"] == network}


def test_every_row_names_a_2024_municipality_by_its_cbs_name(
    registry: MunicipalityRegistry,
) -> None:
    assert ROWS
    for row in ROWS:
        assert row["netwerk"] in NETWORKS, row
        assert registry.by_code(row["cbs_code"]).name == row["naam"], row


def test_no_membership_is_listed_twice() -> None:
    pairs = Counter((row["netwerk"], row["cbs_code"]) for row in ROWS)
    assert [pair for pair, count in pairs.items() if count > 1] == []


def test_every_row_cites_a_source_from_the_header() -> None:
    assert {"G1", "M1", "P1", "K1"} <= SOURCE_IDS
    cited: set[str] = set()
    for row in ROWS:
        ids = row["bron"].split()
        assert ids, row
        assert set(ids) <= SOURCE_IDS, row
        cited.update(ids)
    assert cited == SOURCE_IDS  # and every cited source supports at least one row


def test_the_header_counts_agree_with_the_rows() -> None:
    assert set(PUBLISHED) == set(NETWORKS)
    for network, (listed, published) in PUBLISHED.items():
        assert len(members(network)) == listed, network
        assert listed <= published, network
    assert PUBLISHED == {
        "G4": (4, 4),
        "G40": (41, 41),
        "M50": (61, 61),
        "P10": (28, 31),
        "K80": (11, 64),
    }


def test_the_g4_are_not_g40_members_as_the_sources_say() -> None:
    # G1 lists the G4 and the 41 G40 cities apart (45 in all); G2 names the G4 a separate network.
    assert not members("G4") & members("G40")
    assert len(members("G4") | members("G40")) == 45


def test_the_loaded_registry_sees_the_same_memberships(registry: MunicipalityRegistry) -> None:
    for network in NETWORKS:
        assert {m.cbs_code for m in registry.members_of(network)} == members(network)
    assert registry.networks_of("GM1894") == frozenset({"M50", "P10"})  # Peel en Maas: M1, P1, P9
    assert registry.networks_of("GM1992") == frozenset({"M50"})  # Voorne aan Zee (2023)
    assert registry.networks_of("GM0180") == frozenset({"K80"})  # Staphorst
