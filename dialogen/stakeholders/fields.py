"""Reading one cell of a stakeholder sheet: which column a header names, and tolerant matching
of e-mail addresses, roles, provinces, networks and channels. Pure; used by
``dialogen.stakeholders.sheet``."""

from __future__ import annotations

import re
import unicodedata

from rapidfuzz import fuzz, process

from dialogen.stakeholders.municipalities import NETWORKS, PROVINCES
from dialogen.stakeholders.roles import ROLE_ALIASES, ROLES

MAX_EMAIL = 320
_ROLE_FUZZY_SCORE = 85.0

_EMAIL = re.compile(r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]{1,64}@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+$")
_BRACKETED = re.compile(r"<([^<>]+)>")
_LIST_SPLIT = re.compile(r"\s*(?:[,;/|+]|\s+en\s+)\s*")
_ROLE_SPLIT = re.compile(r"\s*[/,;|]\s*")
_NO_NETWORKS = frozenset({"geen", "-", "nvt", "n v t", "niet van toepassing"})

COLUMNS: dict[str, tuple[str, ...]] = {
    "email": ("email", "emailadres", "mail", "mailadres", "emailaddress", "emailaddresses", "upn"),
    "name": (
        "naam",
        "name",
        "volledigenaam",
        "fullname",
        "displayname",
        "weergavenaam",
        "deelnemer",
    ),
    "first_name": ("voornaam", "firstname", "givenname", "roepnaam"),
    "infix": ("tussenvoegsel", "tussenvoegsels", "voorvoegsel"),
    "last_name": ("achternaam", "lastname", "surname", "familienaam"),
    "role": ("rol", "role", "functie", "functienaam"),
    "municipality": ("gemeente", "gemeentenaam", "municipality", "gemeentecode", "cbscode"),
    "province": ("provincie", "province"),
    "networks": ("netwerk", "netwerken", "network", "networks"),
    "channel": ("kanaal", "voorkeurskanaal", "channel", "preferredchannel", "voorkeur"),
}
_PROVINCE_ALIASES: dict[str, str] = {
    "friesland": "Fryslân", "brabant": "Noord-Brabant",
    "gr": "Groningen", "fr": "Fryslân", "dr": "Drenthe", "ov": "Overijssel", "fl": "Flevoland",
    "gld": "Gelderland", "ge": "Gelderland", "ut": "Utrecht", "utr": "Utrecht",
    "nh": "Noord-Holland", "zh": "Zuid-Holland", "ze": "Zeeland", "zl": "Zeeland",
    "nb": "Noord-Brabant", "li": "Limburg", "lb": "Limburg",
}  # fmt: skip
_CHANNELS: dict[str, str] = {
    "teams": "teams", "microsoft teams": "teams", "ms teams": "teams",
    "mail": "mail", "email": "mail", "e mail": "mail",
}  # fmt: skip


def column_key(cell: str) -> str | None:
    folded = re.sub(r"[^a-z]", "", fold(cell))
    return next((key for key, names in COLUMNS.items() if folded in names), None)


def parse_email(text: str) -> str | None:
    """The address in ``text`` ("Jan <jan@x.nl>" and "mailto:" allowed), lower case; None if
    invalid."""
    bracketed = _BRACKETED.search(text)
    candidate = (bracketed.group(1) if bracketed else text).strip().removeprefix("mailto:").strip()
    if len(candidate) > MAX_EMAIL or not _EMAIL.fullmatch(candidate) or ".." in candidate:
        return None
    return candidate.lower()


def match_role(text: str) -> str | tuple[str, ...]:
    """The role value ``text`` names (value, label, alias, a small typo, or "a / b" naming one
    role twice); otherwise the tuple of roles it could mean (empty when none)."""
    table = _role_table()
    key = fold(text)
    if key in table:
        return table[key]
    parts = [p for p in _ROLE_SPLIT.split(text) if p.strip()]
    if len(parts) > 1:
        found = {match_role(p) for p in parts}
        values = {f for f in found if isinstance(f, str)}
        if len(values) == 1 and len(found) == 1:
            return values.pop()
        return tuple(sorted(values))
    hits = process.extract(
        key, list(table), scorer=fuzz.ratio, score_cutoff=_ROLE_FUZZY_SCORE, limit=None
    )
    if not hits:
        return ()
    best = max(score for _, score, _ in hits)
    closest = sorted({table[k] for k, score, _ in hits if score == best})
    return closest[0] if len(closest) == 1 else tuple(closest)


def _role_table() -> dict[str, str]:
    table: dict[str, str] = {}
    for choice in ROLES:
        table[fold(choice.value)] = choice.value
        table[fold(choice.label)] = choice.value
        for alias in ROLE_ALIASES.get(choice.value, ()):
            table[fold(alias)] = choice.value
    return table


def match_province(text: str) -> str | None:
    key = fold(text).removeprefix("provincie ").strip()
    for province in PROVINCES:
        if key in (fold(province), fold(province).replace(" ", "")):
            return province
    return _PROVINCE_ALIASES.get(key.replace(" ", ""))


def parse_network_list(text: str) -> frozenset[str] | str:
    """The networks named ("G40, M50"; "geen" = none), or the first name that is not a network."""
    if fold(text) in _NO_NETWORKS:
        return frozenset()
    found: set[str] = set()
    for name in (p for p in _LIST_SPLIT.split(text) if p.strip()):
        network = re.sub(r"\s+", "", name).upper()
        if network not in NETWORKS:
            return name
        found.add(network)
    return frozenset(found)


def match_channel(text: str) -> str | None:
    return _CHANNELS.get(fold(text))


def fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(re.sub(r"[^0-9a-z]+", " ", plain).split())
