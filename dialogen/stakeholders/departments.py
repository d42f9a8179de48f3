"""The twelve provincial departments (afdelingen) of the VNG: one per province.

Every municipality is a member of the department of its own province ("All municipalities are
members of their provincial department", vng.nl, "How are we organized?"), so the department
follows the province and needs no membership file of its own. It can serve as a segment dimension
("afdeling") wherever the province is known.

API:

- ``Department(name, short, province)``: the department's own name, the short form it uses
  itself, and the province (spelled as CBS and ``PROVINCES`` spell it: "Fryslân").
- ``DEPARTMENTS``: all twelve, in CBS province order (the order of ``PROVINCES``).
- ``department_of(province) -> Department``; a name that is not one of ``PROVINCES`` raises
  ``UnknownProvinceError``. For a municipality: ``department_of(registry.by_code(code).province)``.

Sources for the names (stored copies of the public pages; the VNG list is the authority for the
set of twelve):

- vng.nl/artikelen/provinciale-afdelingen: "Er zijn 12 provinciale afdelingen", listing Afdeling
  Utrecht, Afdeling Overijssel, Afdeling Gelderland, Vereniging Brabantse Gemeenten, Vereniging
  van Drentse Gemeenten, VNG Flevoland, Vereniging van Friese Gemeenten, Vereniging van Groninger
  Gemeenten, Vereniging van Noord-Hollandse Gemeenten, Vereniging van Zuid-Hollandse Gemeenten,
  Vereniging van Zeeuwse Gemeenten and the Vereniging van Limburgse Gemeenten (VLG, "Alle
  Limburgse gemeenten zijn lid van de VLG").
- Each department's own site for its usual name and short form: groningergemeenten.nl (VGG, "de
  tien gemeenten in de provincie Groningen"), friesegemeenten.nl (VFG, "Alle 18 Friese
  gemeenten"), vdgdrenthe.nl (VDG), vngoverijssel.nl (VNG Overijssel), vnggelderland.nl (VNG
  Gelderland), vngutrecht.nl ("VNG afdeling Utrecht", also "VNG Utrecht"; "alle Utrechtse
  gemeenten"), vnhg.info (VNHG), vzhg.nl (VZHG, "Alle gemeenten in Zuid-Holland"),
  samenzeeland.nl/over-ozo/vzg (VZG, "Alle dertien Zeeuwse gemeenten"),
  verenigingbrabantsegemeenten.nl/over (VBG, "alle 56 Brabantse gemeenten"). VNG Flevoland is
  named on the VNG page only.
"""

from __future__ import annotations

from dataclasses import dataclass

from dialogen.errors import DialogenError
from dialogen.stakeholders.municipalities import PROVINCES


class UnknownProvinceError(DialogenError, LookupError):
    """The name is not one of the twelve provinces as CBS spells them."""

    def __init__(self, province: str) -> None:
        super().__init__(f"no province {province!r}; expected one of {', '.join(PROVINCES)}")
        self.province = province


@dataclass(frozen=True, slots=True)
class Department:
    """A provincial department of the VNG."""

    name: str
    short: str
    province: str

    def __post_init__(self) -> None:
        if self.province not in PROVINCES:
            raise UnknownProvinceError(self.province)
        if not self.name.strip() or not self.short.strip():
            raise ValueError(f"the department of {self.province} needs a name and a short form")


#: All twelve departments, in CBS province order.
DEPARTMENTS: tuple[Department, ...] = (
    Department("Vereniging van Groninger Gemeenten", "VGG", "Groningen"),
    Department("Vereniging van Friese Gemeenten", "VFG", "Fryslân"),
    Department("Vereniging van Drentse Gemeenten", "VDG", "Drenthe"),
    Department("VNG Overijssel", "VNG Overijssel", "Overijssel"),
    Department("VNG Flevoland", "VNG Flevoland", "Flevoland"),
    Department("VNG Gelderland", "VNG Gelderland", "Gelderland"),
    Department("VNG afdeling Utrecht", "VNG Utrecht", "Utrecht"),
    Department("Vereniging van Noord-Hollandse Gemeenten", "VNHG", "Noord-Holland"),
    Department("Vereniging van Zuid-Hollandse Gemeenten", "VZHG", "Zuid-Holland"),
    Department("Vereniging van Zeeuwse Gemeenten", "VZG", "Zeeland"),
    Department("Vereniging Brabantse Gemeenten", "VBG", "Noord-Brabant"),
    Department("Vereniging van Limburgse Gemeenten", "VLG", "Limburg"),
)

_BY_PROVINCE = {department.province: department for department in DEPARTMENTS}


def department_of(province: str) -> Department:
    """The VNG department of the municipalities in ``province`` (CBS spelling, e.g. "Fryslân")."""
    try:
        return _BY_PROVINCE[province]
    except KeyError:
        raise UnknownProvinceError(province) from None
