"""Sealing what must be kept for a while but must not be readable from a copy of the database or
the working directory: queued messages (they can quote a participant's answers), where a
participant is in the conversation (which questions they answered or passed over), mail kept
after processing and quarantined mail, and what a chat turn replied (kept with the processed event
so that a redelivered activity gets the same answer again).

AES-256-GCM (``cryptography``) with a key of its own per purpose, derived one way from the
pseudonym secret (:meth:`dialogen.privacy.pseudonyms.Pseudonyms.subkey`): whoever holds one of
these keys can neither compute pseudonyms nor open what another key sealed. Every sealed value
has a fresh random nonce, and the purpose's label is bound in as associated data, so a value
moved from one place to another does not open there.

The runtime builds one :class:`Sealing` and hands each part to whoever needs it, as it hands out
:class:`~dialogen.privacy.pseudonyms.Pseudonyms`; the store never reads settings.
"""

from __future__ import annotations

import base64
import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, NoReturn

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from dialogen.errors import DialogenError
from dialogen.privacy.pseudonyms import Pseudonyms

OUTBOX_PAYLOAD = b"dialoog outbox payload v1"
PROGRESS_STATE = b"dialoog progress state v1"
MAIL_AT_REST = b"dialoog mail at rest v1"
TURN_REPLIES = b"dialoog turn replies v1"
REPORT_OFFER = b"dialoog report offer v1"

SEALED = "sealed"
"""The one key of a sealed JSON document: ``{"sealed": "v1.<base64url>"}``."""
_VERSION = "v1."
_MAGIC = b"DIALOOG-SEALED-1\n"  # sealed bytes (files) start with this
_NONCE = 12


class SealError(DialogenError, ValueError):
    """A sealed value could not be opened: another key, or changed on the way."""


class PayloadCipher:
    """Seals and opens values for one purpose. Holds a key: never log, print or pickle it."""

    def __init__(self, key: bytes, purpose: bytes) -> None:
        if len(key) != 32:
            raise ValueError("a payload key is 32 bytes")
        self._aead = AESGCM(key)
        self._purpose = purpose

    @classmethod
    def derived_from(cls, pseudonyms: Pseudonyms, purpose: bytes) -> PayloadCipher:
        return cls(pseudonyms.subkey(purpose), purpose)

    # ------------------------------------------------------------ bytes

    def seal(self, plain: bytes) -> bytes:
        nonce = os.urandom(_NONCE)
        return nonce + self._aead.encrypt(nonce, plain, self._purpose)

    def open(self, sealed: bytes) -> bytes:
        try:
            return self._aead.decrypt(sealed[:_NONCE], sealed[_NONCE:], self._purpose)
        except (InvalidTag, ValueError) as error:
            raise SealError("sealed value cannot be opened with this key") from error

    # ------------------------------------------------------------ JSON documents

    def seal_json(self, document: Mapping[str, Any]) -> dict[str, str]:
        """``{"sealed": "v1.…"}``: what a JSON column stores instead of ``document``."""
        plain = json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode()
        return {SEALED: _VERSION + base64.urlsafe_b64encode(self.seal(plain)).decode("ascii")}

    def open_json(self, stored: Mapping[str, Any]) -> dict[str, Any]:
        """The document a JSON column holds: opened when sealed, as it is when it predates
        sealing (written before migration 0008), ``{}`` for a wiped one."""
        token = stored.get(SEALED)
        if token is None:
            return dict(stored)
        if not isinstance(token, str) or not token.startswith(_VERSION):
            raise SealError("not a sealed document of a known version")
        try:
            raw = base64.urlsafe_b64decode(token[len(_VERSION) :].encode("ascii"))
        except ValueError as error:
            raise SealError("sealed document is not base64") from error
        opened = json.loads(self.open(raw))
        if not isinstance(opened, dict):
            raise SealError("sealed document is not an object")
        return opened

    # ------------------------------------------------------------ files

    def seal_file(self, plain: bytes) -> bytes:
        return _MAGIC + self.seal(plain)

    def open_file(self, sealed: bytes) -> bytes:
        if not sealed.startswith(_MAGIC):
            raise SealError("not a sealed file")
        return self.open(sealed[len(_MAGIC) :])

    def __repr__(self) -> str:
        return f"PayloadCipher({self._purpose.decode()!r}, <key>)"

    def __reduce__(self) -> NoReturn:
        raise TypeError("PayloadCipher holds a key and is not to be pickled")


@dataclass(frozen=True)
class Sealing:
    """One cipher per purpose, all derived from the pseudonym secret."""

    outbox: PayloadCipher
    progress: PayloadCipher
    mail: PayloadCipher
    replies: PayloadCipher
    report_offers: PayloadCipher  # a report file waiting for a facilitator's consent in Teams

    @classmethod
    def derived_from(cls, pseudonyms: Pseudonyms) -> Sealing:
        return cls(
            outbox=PayloadCipher.derived_from(pseudonyms, OUTBOX_PAYLOAD),
            progress=PayloadCipher.derived_from(pseudonyms, PROGRESS_STATE),
            mail=PayloadCipher.derived_from(pseudonyms, MAIL_AT_REST),
            replies=PayloadCipher.derived_from(pseudonyms, TURN_REPLIES),
            report_offers=PayloadCipher.derived_from(pseudonyms, REPORT_OFFER),
        )
