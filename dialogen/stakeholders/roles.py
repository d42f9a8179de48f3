"""The roles a participant can have, as asked in the profile questions."""

from __future__ import annotations

from dialogen.conversation.replies import Choice

ROLES: tuple[Choice, ...] = (
    Choice("raadslid", "Raadslid"),
    Choice("burgemeester", "Burgemeester"),
    Choice("wethouder", "Wethouder"),
    Choice("gemeentesecretaris", "Gemeentesecretaris"),
    Choice("griffier", "Griffier"),
    Choice("gemeenteambtenaar", "Gemeenteambtenaar"),
    Choice("bestuurder-samenwerkingsverband", "Bestuurder of directeur samenwerkingsverband"),
    Choice("anders", "Anders"),
)

ROLE_ALIASES: dict[str, tuple[str, ...]] = {
    "raadslid": (
        "gemeenteraadslid",
        "raad",
        "fractievoorzitter",
        "steunfractielid",
        "commissielid",
    ),
    "burgemeester": ("burgervader", "loco-burgemeester"),
    "wethouder": ("gedeputeerde",),
    "gemeentesecretaris": ("secretaris", "algemeen directeur", "directeur gemeente"),
    "griffier": ("raadsgriffier", "griffiemedewerker"),
    "gemeenteambtenaar": ("ambtenaar", "beleidsmedewerker", "adviseur", "medewerker"),
    "bestuurder-samenwerkingsverband": (
        "directeur samenwerkingsverband",
        "bestuurder",
        "directeur",
    ),
    "anders": ("overig", "andere"),
}

ROLES_WITHOUT_MUNICIPALITY = frozenset({"bestuurder-samenwerkingsverband", "anders"})
"""Roles for which "no municipality" is an acceptable answer."""


def role_label(value: str | None) -> str:
    return next((c.label for c in ROLES if c.value == value), "onbekend")


ROLE_GROUPS: dict[str, str] = {
    "burgemeester": "bestuur",
    "wethouder": "bestuur",
    "raadslid": "raad",
    "griffier": "raad",
    "gemeentesecretaris": "ambtelijk",
    "gemeenteambtenaar": "ambtelijk",
    "bestuurder-samenwerkingsverband": "samenwerkingsverband",
    "anders": "anders",
}
"""The role groups figures and routing use: board (mayors, aldermen), council (councillors,
clerks), the civil service (secretaries, civil servants), cooperation bodies, others."""

ROLE_GROUP_LABELS: dict[str, str] = {
    "bestuur": "Bestuur",
    "raad": "Raad en griffie",
    "ambtelijk": "Ambtelijke organisatie",
    "samenwerkingsverband": "Samenwerkingsverbanden",
    "anders": "Anders",
}


def role_group(role: str | None) -> str:
    """The role group of a role (a role group given as the role stays itself)."""
    if role in ROLE_GROUP_LABELS:
        return role
    return ROLE_GROUPS.get(role or "", "anders")
