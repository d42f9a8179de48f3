"""Validating a stakeholder sheet: invitees, rejections with line numbers, merging by e-mail."""

from __future__ import annotations

import pytest

from dialogen.stakeholders.municipalities import MunicipalityRegistry
from dialogen.stakeholders.sheet import (
    InviteeList,
    SheetRow,
    StakeholderFileError,
    match_province,
    match_role,
    validate_sheet,
)

HEADER = ("Naam", "E-mailadres", "Functie", "Gemeente", "Provincie", "Netwerken", "Kanaal")


def sheet(
    *rows: tuple[str, ...], header: tuple[str, ...] = HEADER, first_line: int = 1
) -> list[SheetRow]:
    return [SheetRow(first_line + n, cells) for n, cells in enumerate((header, *rows))]


def check(registry: MunicipalityRegistry, *rows: tuple[str, ...], **kwargs: object) -> InviteeList:
    return validate_sheet(sheet(*rows, **kwargs), registry)  # type: ignore[arg-type]


def reasons(result: InviteeList) -> dict[int, str]:
    return {r.line: r.reason for r in result.rejections}


def test_a_valid_row_becomes_an_invitee_with_province_and_networks_derived(registry) -> None:
    result = check(
        registry,
        ("Jan Jansen", "Jan.Jansen@Gemeente.NL", "Burgemeester", "Den Haag", "", "", "Teams"),
    )
    assert result.rejections == ()
    (invitee,) = result.invitees
    assert invitee.email == "jan.jansen@gemeente.nl"
    assert (invitee.role, invitee.municipality_code, invitee.province) == (
        "burgemeester",
        "GM0518",
        "Zuid-Holland",
    )
    assert invitee.networks is None  # derived from the municipality when stored
    assert invitee.preferred_channel == "teams"
    assert invitee.lines == (2,)


@pytest.mark.parametrize(
    ("written", "role"),
    [
        ("Burgemeester", "burgemeester"),
        ("burgemester", "burgemeester"),  # a typo
        ("Raadsgriffier", "griffier"),  # an alias
        ("Gemeentesecretaris / algemeen directeur", "gemeentesecretaris"),  # one role named twice
        ("GRIFFIER", "griffier"),
        ("Bestuurder of directeur samenwerkingsverband", "bestuurder-samenwerkingsverband"),
    ],
)
def test_roles_are_matched_tolerantly(written: str, role: str) -> None:
    assert match_role(written) == role


def test_a_role_naming_two_roles_is_not_guessed() -> None:
    assert match_role("Wethouder / Griffier") == ("griffier", "wethouder")
    assert match_role("Kok") == ()


@pytest.mark.parametrize(
    ("written", "province"),
    [
        ("Fryslân", "Fryslân"),
        ("Friesland", "Fryslân"),
        ("noord holland", "Noord-Holland"),
        ("NH", "Noord-Holland"),
        ("Provincie Utrecht", "Utrecht"),
        ("Atlantis", None),
    ],
)
def test_provinces_are_matched_tolerantly(written: str, province: str | None) -> None:
    assert match_province(written) == province


def test_rejected_rows_carry_their_line_number_and_a_precise_reason(registry) -> None:
    result = check(
        registry,
        ("Geen Mail", "", "Wethouder", "Utrecht", "", "", ""),
        ("Fout Adres", "piet@gemeente", "Wethouder", "Utrecht", "", "", ""),
        ("Onbekende Rol", "kok@gemeente.nl", "Kok", "Utrecht", "", "", ""),
        ("Twee Bergens", "b@gemeente.nl", "Raadslid", "Bergen", "", "", ""),
        ("Verkeerde Provincie", "v@gemeente.nl", "Raadslid", "Amsterdam", "Utrecht", "", ""),
        ("Onbekend Netwerk", "n@gemeente.nl", "Raadslid", "Utrecht", "", "G50", ""),
        ("Faxer", "f@gemeente.nl", "Raadslid", "Utrecht", "", "", "fax"),
        ("Zonder Gemeente", "z@gemeente.nl", "Griffier", "", "", "", ""),
        ("Niet Bestaand", "a@gemeente.nl", "Raadslid", "Atlantis", "", "", ""),
    )
    assert result.invitees == ()
    got = reasons(result)
    assert got[2] == "e-mailadres ontbreekt"
    assert got[3] == "e-mailadres 'piet@gemeente' is ongeldig"
    assert got[4].startswith("rol 'Kok' is onbekend; kies uit: Raadslid, Burgemeester")
    assert got[5] == (
        "gemeente 'Bergen' is niet eenduidig: bedoelt u Bergen (L.), Limburg of "
        "Bergen (NH.), Noord-Holland?"
    )
    assert (
        got[6] == "provincie 'Utrecht' past niet bij gemeente Amsterdam (die ligt in Noord-Holland)"
    )
    assert got[7] == "netwerk 'G50' is onbekend; kies uit: G4, G40, M50, P10, K80"
    assert got[8] == "kanaal 'fax' is onbekend; kies 'teams' of 'mail'"
    assert got[9] == "gemeente ontbreekt (verplicht voor de rol griffier)"
    assert got[10] == "gemeente 'Atlantis' bestaat niet in de gemeentelijke indeling van 2024"


def test_a_row_with_several_problems_names_them_all(registry) -> None:
    result = check(registry, ("X", "x@", "Kok", "Atlantis", "", "", ""))
    reason = reasons(result)[2]
    assert (
        "e-mailadres 'x@' is ongeldig" in reason and "rol 'Kok'" in reason and "Atlantis" in reason
    )


def test_a_given_province_settles_an_ambiguous_municipality(registry) -> None:
    result = check(registry, ("B", "b@gemeente.nl", "Raadslid", "Bergen", "Limburg", "", ""))
    assert result.invitees[0].municipality_code == "GM0893"


def test_a_cbs_code_without_leading_zeros_is_a_municipality(registry) -> None:
    result = check(registry, ("A", "a@amsterdam.nl", "Raadslid", "363", "", "", ""))
    assert result.invitees[0].municipality_code == "GM0363"


def test_given_networks_override_and_geen_means_none(registry) -> None:
    result = check(
        registry,
        ("A", "a@gemeente.nl", "Raadslid", "Utrecht", "", "G40, M50", ""),
        ("B", "b@gemeente.nl", "Raadslid", "Utrecht", "", "geen", "mail"),
    )
    first, second = result.invitees
    assert first.networks == frozenset({"G40", "M50"})
    assert second.networks == frozenset()
    assert second.preferred_channel == "mail"


def test_roles_without_municipality_may_give_a_province(registry) -> None:
    result = check(
        registry,
        ("Directeur", "dir@regio.nl", "Directeur samenwerkingsverband", "", "Friesland", "", ""),
    )
    (invitee,) = result.invitees
    assert (invitee.role, invitee.municipality_code, invitee.province) == (
        "bestuurder-samenwerkingsverband",
        None,
        "Fryslân",
    )


def test_duplicates_are_merged_by_e_mail_in_any_case(registry) -> None:
    result = check(
        registry,
        ("Kees", "kees@gemeente.nl", "Griffier", "Utrecht", "", "G4", ""),
        ("", "KEES@Gemeente.nl", "Raadsgriffier", "", "", "G40", "mail"),
    )
    (invitee,) = result.invitees
    assert result.merged == 1
    assert invitee.lines == (2, 3)
    assert invitee.name == "Kees"
    assert invitee.networks == frozenset({"G4", "G40"})
    assert invitee.preferred_channel == "mail"


def test_a_duplicate_that_contradicts_the_first_row_is_rejected(registry) -> None:
    result = check(
        registry,
        ("Kees", "kees@gemeente.nl", "Griffier", "Utrecht", "", "", ""),
        ("Kees", "kees@gemeente.nl", "Wethouder", "Utrecht", "", "", ""),
    )
    assert len(result.invitees) == 1 and result.merged == 0
    assert reasons(result) == {
        3: "zelfde e-mailadres als regel 2, maar een andere rol ('Wethouder' in plaats "
        "van 'Griffier')"
    }


def test_a_duplicate_in_another_municipality_names_both(registry) -> None:
    result = check(
        registry,
        ("Kees", "kees@gemeente.nl", "Griffier", "Utrecht", "", "", ""),
        ("Kees", "kees@gemeente.nl", "Griffier", "Ede", "", "", ""),
    )
    assert reasons(result)[3] == (
        "zelfde e-mailadres als regel 2, maar een andere gemeente ('Ede' in plaats van 'Utrecht')"
    )


def test_a_title_above_the_header_and_unknown_columns_are_fine(registry) -> None:
    rows = [
        SheetRow(1, ("Genodigden dialoog regionale samenwerking",)),
        SheetRow(
            3, ("E-mail", "Voornaam", "Tussenvoegsel", "Achternaam", "Rol", "Gemeente", "Telefoon")
        ),
        SheetRow(
            4, ("jan@utrecht.nl", "Jan", "van", "Dijk", "wethouder", "Utrecht", "06-12345678")
        ),
    ]
    result = validate_sheet(rows, registry)
    assert result.invitees[0].name == "Jan van Dijk"
    assert result.ignored_columns == ("Telefoon",)
    assert result.rows == 1


def test_a_sheet_without_e_mail_or_role_column_is_refused_as_a_whole(registry) -> None:
    with pytest.raises(StakeholderFileError, match="kopregel"):
        validate_sheet([SheetRow(1, ("Naam", "Rol")), SheetRow(2, ("Jan", "Wethouder"))], registry)
    with pytest.raises(StakeholderFileError, match="Regel 1: de kolom 'rol' ontbreekt"):
        validate_sheet([SheetRow(1, ("Naam", "E-mail")), SheetRow(2, ("Jan", "j@x.nl"))], registry)
    with pytest.raises(StakeholderFileError, match="twee keer"):
        validate_sheet([SheetRow(1, ("E-mail", "Rol", "Functie"))], registry)
    with pytest.raises(StakeholderFileError, match="leeg"):
        validate_sheet([], registry)
