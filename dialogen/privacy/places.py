"""Place names the masker must leave alone: every municipality (CBS 2024), the names people
use for some of them, former municipalities, provinces and a few large places that are not a
municipality of their own. A surname that is also a place ("Best", "Bergen", "Ede") is masked only
where the text uses it as a person's name (see :mod:`dialogen.privacy.person_names`).
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache

from dialogen.privacy.words import phrase
from dialogen.stakeholders.municipalities import PROVINCES, Municipality, MunicipalityRegistry

#: Everyday names, former municipalities (merged 2019-2023) and large places inside another
#: municipality, as people write them.
OTHER_PLACES = (
    "Den Haag", "Den Bosch", "Nederland", "Friesland", "Brabant", "Randstad", "Holland",
    "Weesp", "Beemster", "Heerhugowaard", "Langedijk", "Uden", "Landerd", "Boxmeer", "Cuijk",
    "Grave", "Mill en Sint Hubert", "Sint Anthonis", "Brielle", "Hellevoetsluis", "Westvoorne",
    "Appingedam", "Delfzijl", "Loppersum", "Haaren", "Haren", "Ten Boer", "Giessenlanden",
    "Molenwaard", "Leerdam", "Zederik", "Vianen", "Geldermalsen", "Neerijnen", "Lingewaal",
    "Binnenmaas", "Cromstrijen", "Korendijk", "Oud-Beijerland", "Strijen", "Nuenen", "Scheveningen",
    "Hoofddorp", "Zaandam", "Schiphol",
)  # fmt: skip


def place_names(
    municipalities: Iterable[Municipality], extra: Iterable[str] = ()
) -> frozenset[str]:
    """Place names as phrases (see :func:`dialogen.privacy.words.phrase`): each municipality
    ("bergen nh." and "bergen", "'s-gravenhage" and "gravenhage"), the provinces,
    :data:`OTHER_PLACES` and ``extra``."""
    names: set[str] = set()
    for name in (*(m.name for m in municipalities), *PROVINCES, *OTHER_PLACES, *extra):
        names.add(phrase(name))
        if "(" in name:
            names.add(phrase(name.split("(")[0]))
        if phrase(name).startswith("'s-"):
            names.add(phrase(name)[3:])
    names.discard("")
    return frozenset(names)


@cache
def bundled_places() -> frozenset[str]:
    """:func:`place_names` of the bundled CBS 2024 list (read once per process: reference data)."""
    return place_names(MunicipalityRegistry.load().all())
