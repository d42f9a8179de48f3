"""The VNG's provincial departments: one per province, found from a municipality's province."""

from collections import Counter

import pytest

from dialogen.stakeholders.departments import (
    DEPARTMENTS,
    Department,
    UnknownProvinceError,
    department_of,
)
from dialogen.stakeholders.municipalities import PROVINCES, MunicipalityRegistry


@pytest.fixture(scope="module")
def registry() -> MunicipalityRegistry:
    return MunicipalityRegistry.load()


def test_every_province_has_exactly_one_department() -> None:
    assert len(DEPARTMENTS) == 12
    assert Counter(d.province for d in DEPARTMENTS) == Counter(PROVINCES)
    assert tuple(d.province for d in DEPARTMENTS) == PROVINCES  # same order as the provinces
    assert len({d.name for d in DEPARTMENTS}) == 12
    assert len({d.short for d in DEPARTMENTS}) == 12


def test_the_department_follows_the_province() -> None:
    assert department_of("Groningen") == Department(
        "Vereniging van Groninger Gemeenten", "VGG", "Groningen"
    )
    assert department_of("Fryslân").short == "VFG"
    assert department_of("Noord-Brabant").name == "Vereniging Brabantse Gemeenten"
    assert department_of("Utrecht").short == "VNG Utrecht"
    for province in PROVINCES:
        assert department_of(province).province == province


def test_every_municipality_belongs_to_a_department(registry: MunicipalityRegistry) -> None:
    members = Counter(department_of(m.province).short for m in registry.all())
    assert sum(members.values()) == 342
    # Member counts the departments publish themselves agree with the CBS 2024 list.
    assert members["VGG"] == 10  # "de tien gemeenten in de provincie Groningen"
    assert members["VFG"] == 18  # "Alle 18 Friese gemeenten"
    assert members["VZG"] == 13  # "Alle dertien Zeeuwse gemeenten"
    assert members["VBG"] == 56  # "alle 56 Brabantse gemeenten"
    assert department_of(registry.by_code("GM0518").province).short == "VZHG"  # 's-Gravenhage


@pytest.mark.parametrize("name", ["Friesland", "Brabant", "groningen", "", "Nederland"])
def test_a_name_that_is_not_a_cbs_province_is_refused(name: str) -> None:
    with pytest.raises(UnknownProvinceError, match="no province") as raised:
        department_of(name)
    assert raised.value.province == name
    assert isinstance(raised.value, LookupError)


def test_a_department_checks_its_province() -> None:
    with pytest.raises(UnknownProvinceError):
        Department("Vereniging van Friese Gemeenten", "VFG", "Friesland")
    with pytest.raises(ValueError, match="name"):
        Department(" ", "VFG", "Fryslân")
