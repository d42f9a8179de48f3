"""Municipality reference data (CBS 2024), networks and the tolerant name matcher."""

import re
from pathlib import Path

import pytest

from dialogen.stakeholders.municipalities import (
    MAX_SUGGESTIONS,
    PROVINCES,
    MatchKind,
    Municipality,
    MunicipalityMatch,
    MunicipalityRegistry,
    ReferenceDataError,
    UnknownMunicipalityError,
)

AMSTERDAM, ROTTERDAM, DEN_HAAG, UTRECHT = "GM0363", "GM0599", "GM0518", "GM0344"
BERGEN_NH, BERGEN_L = "GM0373", "GM0893"


@pytest.fixture(scope="module")
def registry() -> MunicipalityRegistry:
    return MunicipalityRegistry.load()


def matched_code(registry: MunicipalityRegistry, text: str) -> str | None:
    match = registry.match(text)
    return match.municipality.cbs_code if match.municipality else None


# --- the bundled CBS list -------------------------------------------------------------------


def test_the_list_holds_the_342_municipalities_of_2024(registry: MunicipalityRegistry) -> None:
    municipalities = registry.all()
    assert len(municipalities) == 342
    assert len({m.cbs_code for m in municipalities}) == 342
    assert len({m.name for m in municipalities}) == 342
    assert all(re.fullmatch(r"GM\d{4}", m.cbs_code) for m in municipalities)


def test_every_province_is_one_of_the_twelve_as_cbs_writes_them(
    registry: MunicipalityRegistry,
) -> None:
    assert len(registry.provinces()) == 12
    assert "Fryslân" in registry.provinces()
    assert {m.province for m in registry.all()} == set(registry.provinces())


def test_the_list_is_the_state_on_1_january_2024(registry: MunicipalityRegistry) -> None:
    names = {m.name for m in registry.all()}
    assert {"Voorne aan Zee", "Dijk en Waard", "Land van Cuijk", "Maashorst"} <= names
    assert not {"Brielle", "Hellevoetsluis", "Westvoorne", "Weesp", "Uden"} & names
    assert registry.by_code("GM1992").province == "Zuid-Holland"


def test_official_cbs_spelling_is_kept(registry: MunicipalityRegistry) -> None:
    assert registry.by_code(DEN_HAAG).name == "'s-Gravenhage"
    assert registry.by_code("GM1900").name == "Súdwest-Fryslân"
    assert registry.by_code(BERGEN_NH).name == "Bergen (NH.)"
    assert registry.by_code(BERGEN_L).name == "Bergen (L.)"
    assert registry.by_code("GM0164").name == "Hengelo"


def test_by_code_accepts_usual_spellings_of_a_code(registry: MunicipalityRegistry) -> None:
    assert registry.by_code("gm0363").name == "Amsterdam"
    assert registry.by_code("0363").name == "Amsterdam"
    assert registry.by_code("363").name == "Amsterdam"  # Excel drops leading zeros


def test_by_code_names_an_unknown_code(registry: MunicipalityRegistry) -> None:
    with pytest.raises(UnknownMunicipalityError, match="GM9999"):
        registry.by_code("GM9999")


# --- matching what participants type --------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Amsterdam", AMSTERDAM),
        ("AMSTERDAM", AMSTERDAM),
        ("gemeente Amsterdam", AMSTERDAM),
        ("Gemeente Utrecht", UTRECHT),
        ("Utrecht (gemeente)", UTRECHT),
        ("Den Haag", DEN_HAAG),
        ("'s-Gravenhage", DEN_HAAG),
        ("’s-Gravenhage", DEN_HAAG),
        ("s Gravenhage", DEN_HAAG),
        ("Gemeente ’s-Gravenhage", DEN_HAAG),
        ("Den Bosch", "GM0796"),
        ("'s-Hertogenbosch", "GM0796"),
        ("s-Hertogenbosch", "GM0796"),
        ("Bergen NH", BERGEN_NH),
        ("Bergen (NH.)", BERGEN_NH),
        ("Bergen (Noord-Holland)", BERGEN_NH),
        ("Bergen Limburg", BERGEN_L),
        ("Bergen (L.)", BERGEN_L),
        ("Hengelo", "GM0164"),
        ("Hengelo (O.)", "GM0164"),
        ("Nuenen", "GM0820"),
        ("Nuenen, Gerwen en Nederwetten", "GM0820"),
        ("Súdwest-Fryslân", "GM1900"),
        ("Sudwest-Fryslan", "GM1900"),
        ("Sudwest Fryslan", "GM1900"),
        ("Noardeast-Fryslân", "GM1970"),
        ("noardeast fryslan", "GM1970"),
        ("Alphen-Chaam", "GM1723"),
        ("Alphen Chaam", "GM1723"),
        ("Bodegraven Reeuwijk", "GM1901"),
        ("De Fryske Marren", "GM1940"),
        ("Brielle", "GM1992"),  # merged into Voorne aan Zee on 1 January 2023
        ("Weesp", AMSTERDAM),  # merged into Amsterdam in 2022
        ("GM0599", ROTTERDAM),
    ],
)
def test_names_aliases_and_variants_match_confidently(
    registry: MunicipalityRegistry, text: str, code: str
) -> None:
    assert matched_code(registry, text) == code


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Amsterdm", AMSTERDAM),
        ("Rotterdan", ROTTERDAM),
        ("Den Hag", DEN_HAAG),
        ("Groningn", "GM0014"),
        ("Apeldorn", "GM0200"),
        ("Leeuwaarden", "GM0080"),
    ],
)
def test_small_typos_still_match(registry: MunicipalityRegistry, text: str, code: str) -> None:
    assert matched_code(registry, text) == code


def test_bergen_alone_offers_both_bergens_and_picks_neither(
    registry: MunicipalityRegistry,
) -> None:
    match = registry.match("Bergen")
    assert match.kind is MatchKind.SUGGESTIONS
    assert match.municipality is None
    assert {m.cbs_code for m in match.suggestions} == {BERGEN_NH, BERGEN_L}


def test_a_typo_between_two_names_offers_both(registry: MunicipalityRegistry) -> None:
    capelle = registry.match("Capelle")  # Kapelle, or Capelle aan den IJssel?
    assert capelle.kind is MatchKind.SUGGESTIONS
    assert {"Kapelle", "Capelle aan den IJssel"} <= {m.name for m in capelle.suggestions}
    aaten = registry.match("Aaten")  # one edit from Aalten and from Asten
    assert {"Aalten", "Asten"} <= {m.name for m in aaten.suggestions}


def test_the_start_of_a_name_gives_suggestions(registry: MunicipalityRegistry) -> None:
    match = registry.match("Alphen")
    assert match.kind is MatchKind.SUGGESTIONS
    assert {m.name for m in match.suggestions} == {"Alphen aan den Rijn", "Alphen-Chaam"}


@pytest.mark.parametrize(
    "text", ["Atlantis", "", "   ", "weet ik niet", "ja", "Friesland", "Limburg", "GM9999"]
)
def test_no_municipality_gives_an_empty_match(registry: MunicipalityRegistry, text: str) -> None:
    match = registry.match(text)
    assert match.kind is MatchKind.NONE
    assert match.municipality is None
    assert match.suggestions == ()


def test_odd_input_never_raises_and_never_gives_more_than_three_suggestions(
    registry: MunicipalityRegistry,
) -> None:
    for text in ["x" * 10_000, "🙂", "\x00", "''''", "---", "Den", "Noord", "Sint", "12", "?!"]:
        assert len(registry.match(text).suggestions) <= MAX_SUGGESTIONS


def test_a_match_is_either_confident_or_suggestions() -> None:
    amsterdam = Municipality(AMSTERDAM, "Amsterdam", "Noord-Holland")
    with pytest.raises(ValueError):
        MunicipalityMatch(amsterdam, suggestions=(amsterdam,))
    with pytest.raises(ValueError):
        MunicipalityMatch(suggestions=(amsterdam,) * 4)


def test_a_municipality_is_validated_when_made() -> None:
    with pytest.raises(ValueError, match="GM"):
        Municipality("0363", "Amsterdam", "Noord-Holland")
    with pytest.raises(ValueError, match="province"):
        Municipality(AMSTERDAM, "Amsterdam", "Friesland")  # CBS writes Fryslân
    assert "Friesland" not in PROVINCES


# --- networks -------------------------------------------------------------------------------


def test_the_g4_are_in_the_g4(registry: MunicipalityRegistry) -> None:
    for code in (AMSTERDAM, ROTTERDAM, DEN_HAAG, UTRECHT):
        assert registry.networks_of(code) == frozenset({"G4"})
    assert {m.name for m in registry.members_of("G4")} == {
        "Amsterdam",
        "Rotterdam",
        "'s-Gravenhage",
        "Utrecht",
    }


def test_the_bundled_g40_list_holds_the_41_cities(registry: MunicipalityRegistry) -> None:
    g40 = {m.name for m in registry.members_of("G40")}
    assert len(g40) == 41
    assert {"Eindhoven", "Groningen", "Amstelveen", "Hengelo"} <= g40
    assert not g40 & {m.name for m in registry.members_of("G4")}


def test_a_municipality_without_known_networks_has_none(registry: MunicipalityRegistry) -> None:
    assert registry.networks_of("GM0888") == frozenset()  # Beek


def test_a_facilitator_networks_file_replaces_the_bundled_one(tmp_path: Path) -> None:
    supplied = tmp_path / "netwerken-facilitator.csv"
    supplied.write_text(
        "# Aangeleverd door de facilitator\nnetwerk,cbs_code\nM50,GM1992\nK80,GM0088\nG4,GM0363\n",
        encoding="utf-8",
    )
    registry = MunicipalityRegistry.load(networks_path=supplied)
    assert registry.networks_of("GM1992") == frozenset({"M50"})
    assert registry.networks_of("GM0088") == frozenset({"K80"})
    assert registry.networks_of(AMSTERDAM) == frozenset({"G4"})
    assert registry.networks_of(ROTTERDAM) == frozenset()  # not in the supplied file
    assert registry.members_of("G40") == ()


def test_a_facilitator_file_saved_by_dutch_excel_is_read(tmp_path: Path) -> None:
    supplied = tmp_path / "netwerken.csv"
    supplied.write_text("netwerk;cbs_code\ng40;772\nP10;GM1680\n", encoding="utf-8-sig")
    registry = MunicipalityRegistry.load(networks_path=supplied)
    assert registry.networks_of("GM0772") == frozenset({"G40"})  # Eindhoven
    assert registry.networks_of("GM1680") == frozenset({"P10"})  # Aa en Hunze


def test_an_unknown_code_in_a_networks_file_names_the_file_and_line(tmp_path: Path) -> None:
    supplied = tmp_path / "netwerken.csv"
    supplied.write_text(
        "# opmerking\nnetwerk,cbs_code\nG4,GM0363\n\nG40,GM9999\n", encoding="utf-8"
    )
    with pytest.raises(ReferenceDataError) as raised:
        MunicipalityRegistry.load(networks_path=supplied)
    message = str(raised.value)
    assert str(supplied) in message
    assert "line 5" in message
    assert "GM9999" in message


def test_an_unknown_network_name_is_reported(tmp_path: Path) -> None:
    supplied = tmp_path / "netwerken.csv"
    supplied.write_text("netwerk,cbs_code\nG50,GM0363\n", encoding="utf-8")
    with pytest.raises(ReferenceDataError, match=r"line 2: unknown network 'G50'"):
        MunicipalityRegistry.load(networks_path=supplied)


def test_a_networks_file_without_the_expected_columns_is_reported(tmp_path: Path) -> None:
    supplied = tmp_path / "netwerken.csv"
    supplied.write_text("network,code\nG4,GM0363\n", encoding="utf-8")
    with pytest.raises(ReferenceDataError, match=r"line 1: missing column\(s\) netwerk, cbs_code"):
        MunicipalityRegistry.load(networks_path=supplied)


def test_members_of_rejects_an_unknown_network(registry: MunicipalityRegistry) -> None:
    with pytest.raises(ValueError, match="G 40"):
        registry.members_of("G 40")
