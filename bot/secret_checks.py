"""Refusing secrets that are no secret, and an unauthenticated bot on a public address.

A pseudonym secret of 32 spaces, ``'x' * 32``, ``CHANGE_ME_…`` or ``<your-secret>`` passes a
length check and protects nothing: whoever guesses it computes every pseudonym. So a secret must
not be a placeholder (see :data:`PLACEHOLDERS`) and must vary enough: at least
:data:`MIN_DISTINCT` different characters and an estimated :data:`MIN_BITS` bits (its length
times the Shannon entropy of its characters; 32 random hex characters give about 120). The app
password (a client secret Entra generates) is only checked for placeholders and sameness.

Local mode validates no tokens: anyone who reaches the port speaks for any Teams user. It runs on
a loopback address; elsewhere only with ``--insecure-local-mode``
(``DIALOOG_INSECURE_LOCAL_MODE``), a name that says what it is.
"""

from __future__ import annotations

import ipaddress
import math
import re
from collections import Counter

MIN_DISTINCT = 10
MIN_BITS = 100.0
PLACEHOLDERS = (
    "changeme",
    "changethis",
    "replaceme",
    "placeholder",
    "yoursecret",
    "yourpassword",
    "yourkey",
    "example",
    "todo",
    "fixme",
    "secrethere",
    "insertsecret",
)
_PLAIN_PLACEHOLDERS = frozenset({"secret", "password", "geheim", "wachtwoord", "test", "admin"})
_NOT_ALPHANUMERIC = re.compile(r"[^a-z0-9]")


def placeholder(value: str) -> bool:
    """``CHANGE_ME…``, ``<your-…>``, ``changeme``, ``password``, ``xxxx…`` and the like."""
    stripped = value.strip()
    if stripped.startswith("<") and stripped.endswith(">"):
        return True
    folded = _NOT_ALPHANUMERIC.sub("", stripped.lower())
    if folded in _PLAIN_PLACEHOLDERS or any(word in folded for word in PLACEHOLDERS):
        return True
    return "your-" in stripped.lower() or "your_" in stripped.lower()


def estimated_bits(value: str) -> float:
    counts = Counter(value)
    return -sum(n * math.log2(n / len(value)) for n in counts.values()) if value else 0.0


def secret_problem(name: str, value: str) -> str | None:
    """Why ``value`` cannot be the secret ``name`` (None: it can)."""
    if placeholder(value):
        return f"{name} is a placeholder; generate one, e.g. with: openssl rand -hex 32"
    if value != value.strip() or len(set(value)) < MIN_DISTINCT or estimated_bits(value) < MIN_BITS:
        return (
            f"{name} is too predictable (too few different characters); "
            "generate one, e.g. with: openssl rand -hex 32"
        )
    return None


def password_problem(name: str, value: str) -> str | None:
    """Why ``value`` cannot be the client secret ``name`` (None: it can)."""
    if not value.strip() or placeholder(value) or len(set(value)) < 4:
        return f"{name} is a placeholder; use the client secret of the app registration"
    return None


def loopback(host: str) -> bool:
    if host.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip().strip("[]")).is_loopback
    except ValueError:
        return False  # a host name: it may resolve to anything
