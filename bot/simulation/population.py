"""The simulated invited population: who is invited (role, municipality — and so province and
networks —, channel), and how each one behaves (whether and how far they take part, what they
care about). Drawn from the seed; the stakeholder sheet rows go through the real import.
"""

from __future__ import annotations

import random
import re
import unicodedata
from dataclasses import dataclass

from bot.simulation.texts import TOPICS, Topic
from dialogen.stakeholders.municipalities import Municipality, MunicipalityRegistry
from dialogen.stakeholders.roles import ROLES_WITHOUT_MUNICIPALITY, role_group
from dialogen.stakeholders.sheet import SheetRow

ROLE_WEIGHTS: dict[str, int] = {
    "raadslid": 52,
    "wethouder": 12,
    "gemeenteambtenaar": 12,
    "burgemeester": 5,
    "gemeentesecretaris": 5,
    "griffier": 6,
    "bestuurder-samenwerkingsverband": 5,
    "anders": 3,
}
TOPIC_LEAN: dict[str, tuple[str, ...]] = {
    # what a role group writes about more often than others
    "raad": ("democratische-legitimiteit", "financien", "jeugdzorg"),
    "bestuur": ("wonen", "energietransitie", "veiligheid", "financien"),
    "ambtelijk": ("personeel", "digitalisering", "financien"),
    "samenwerkingsverband": ("digitalisering", "jeugdzorg", "bereikbaarheid"),
    "anders": ("bereikbaarheid", "wonen"),
}
FIRST_NAMES = (
    "Anna", "Bram", "Carla", "Daan", "Eva", "Fenna", "Gijs", "Hanna", "Iris", "Jeroen",
    "Karin", "Lars", "Mila", "Niels", "Olga", "Pieter", "Quinten", "Roos", "Sanne", "Thijs",
    "Ulla", "Vincent", "Wendy", "Xander", "Yara", "Zeger", "Ahmed", "Fatima", "Mehmet", "Nadia",
)  # fmt: skip
LAST_NAMES = (
    "Jansen", "de Vries", "van den Berg", "van Dijk", "Bakker", "Janssen", "Visser", "Smit",
    "Meijer", "Mulder", "de Boer", "Vermeulen", "van Leeuwen", "Dekker", "Brouwer", "Dijkstra",
    "Hendriks", "van der Linden", "Kok", "Jacobs", "Schouten", "Yilmaz", "El Amrani", "Koster",
)  # fmt: skip
TEAMS_SHARE = 0.7  # the rest prefer mail
TENANT = "sim-tenant"


@dataclass(frozen=True)
class Persona:
    """One invitee and how they behave."""

    index: int
    name: str
    email: str
    role: str
    municipality: Municipality | None
    channel: str  # "teams" or "mail"
    joins: bool  # gives consent when first reached
    engagement: float  # the chance to take part in each later step
    topics: tuple[Topic, ...]
    agreeable: float  # how often they agree with what they read
    types: float  # in Teams: how often they type instead of clicking a card

    @property
    def group(self) -> str:
        return role_group(self.role)

    @property
    def aad_object_id(self) -> str:
        return f"00000000-0000-4000-8000-{self.index:012d}"

    @property
    def teams_user_id(self) -> str:
        return f"29:1sim-{self.index}"


def personas(count: int, seed: int, registry: MunicipalityRegistry) -> list[Persona]:
    rng = random.Random(f"population:{seed}")
    municipalities = sorted(registry.all(), key=lambda m: m.cbs_code)
    found = []
    for index in range(count):
        role = _pick(rng, ROLE_WEIGHTS)
        municipality = None
        if role not in ROLES_WITHOUT_MUNICIPALITY or rng.random() < 0.5:
            municipality = rng.choice(municipalities)
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        place = _slug(municipality.name) if municipality else "regio"
        lean = [t for t in TOPICS if t.key in TOPIC_LEAN[role_group(role)]]
        topics = tuple(rng.sample(lean, k=min(2, len(lean)))) + (rng.choice(TOPICS),)
        found.append(
            Persona(
                index=index,
                name=f"{first} {last}",
                email=f"{_slug(first)}.{_slug(last)}.{index}@{place}.nl",
                role=role,
                municipality=municipality,
                channel="teams" if rng.random() < TEAMS_SHARE else "mail",
                joins=rng.random() < 0.88,
                engagement=rng.betavariate(5, 1.6),
                topics=topics,
                agreeable=rng.betavariate(4, 3),
                types=rng.random() * 0.6,
            )
        )
    return found


def sheet(people: list[Persona]) -> list[SheetRow]:
    """The stakeholder sheet a facilitator would import for these people."""
    header = SheetRow(1, ("naam", "e-mail", "rol", "gemeente", "kanaal"))
    rows = [
        SheetRow(
            n,
            (
                p.name,
                p.email,
                p.role,
                p.municipality.cbs_code if p.municipality else "",
                p.channel,
            ),
        )
        for n, p in enumerate(people, start=2)
    ]
    return [header, *rows]


def _pick(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _slug(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", folded).strip("-")
