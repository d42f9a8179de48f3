"""The one place that links a participant id to its pseudonym.

The answer side stores only ``Pseudonyms.of(participant_id)`` — HMAC-SHA256 of the id under the
server secret — so the engine can find a participant's own answers while someone holding only the
answer table cannot tell whose they are. Everything that needs "whose answers are these" asks this
object (or the store, handing it this object); nothing else holds the secret.
"""

from __future__ import annotations

import hashlib
import hmac
from typing import NoReturn


class Pseudonyms:
    """Holds the pseudonym secret: never log, print or pickle it."""

    def __init__(self, secret: bytes) -> None:
        if len(secret) < 16:
            raise ValueError("the pseudonym secret is too short")
        self._secret = secret

    def of(self, participant_id: str) -> str:
        return hmac.new(self._secret, participant_id.encode(), hashlib.sha256).hexdigest()

    def subkey(self, label: bytes) -> bytes:
        """A key of its own for another purpose (e.g. mail reply tokens), derived one way: whoever
        holds it cannot compute pseudonyms."""
        return hmac.new(self._secret, label, hashlib.sha256).digest()

    def __repr__(self) -> str:
        return "Pseudonyms(<secret>)"

    def __reduce__(self) -> NoReturn:
        raise TypeError("Pseudonyms holds a secret and is not to be pickled")


def pseudonym(secret: bytes, participant_id: str) -> str:
    """``Pseudonyms(secret).of(participant_id)``, for tests that check the stored values."""
    return Pseudonyms(secret).of(participant_id)
