"""Reply tokens: how a mail reply finds its way back to (participant, step) without an identity in
the answer store and without a table of issued tokens.

A token is 25 bytes, written as 40 characters of lower-case base32 (safe in an address's local
part, which some systems lower-case):

- 1 header byte in the clear: version (3 bits), purpose (2 bits: reply or unsubscribe) and step
  (3 bits: 0 = no step, 1..7 = the 7V steps in order);
- the participant id (a uuid4, 16 bytes), encrypted: XOR with HMAC-SHA256(pad key, tag), so the
  internal id never shows in a mail;
- an 8-byte tag: HMAC-SHA256(tag key, header + participant id), truncated.

Both keys are derived from one secret (``DIALOOG_MAIL_TOKEN_SECRET``, or else from the pseudonym
secret with a label of its own). Nobody can make a token for someone else or change its step
without the secret; the same (participant, step, purpose) always gives the same token. The token
travels in the Reply-To plus address (``dialoog+<token>@...``), in the subject (``[ref:<token>]``)
and in the Message-ID, so a reply is recognised when any of them survives.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import re
from dataclasses import dataclass
from enum import IntEnum

from dialogen.dialogue.definition import STEP_KEYS
from dialogen.privacy.pseudonyms import Pseudonyms

__all__ = ["Purpose", "ReplyToken", "TokenKeys", "TOKEN_LENGTH", "SUBJECT_REF", "MESSAGE_ID_REF"]

VERSION = 1
TOKEN_LENGTH = 40
_TAG_BYTES = 8
_ID_BYTES = 16
TOKEN_TEXT = rf"[a-z2-7]{{{TOKEN_LENGTH}}}"
SUBJECT_REF = re.compile(rf"\[ref:({TOKEN_TEXT})\]", re.I)
MESSAGE_ID_REF = re.compile(rf"<dialoog\.({TOKEN_TEXT})\.", re.I)
_DERIVATION_LABEL = b"dialoog mail reply tokens v1"


class Purpose(IntEnum):
    REPLY = 1  # answers to a step, or a turn of the conversation (no step)
    UNSUBSCRIBE = 2  # the List-Unsubscribe address and one-click link


@dataclass(frozen=True)
class ReplyToken:
    participant_id: str
    step_key: str | None = None
    purpose: Purpose = Purpose.REPLY


class TokenKeys:
    """Mints and reads tokens. Holds keys: never log or print it."""

    def __init__(self, secret: bytes) -> None:
        if len(secret) < 16:
            raise ValueError("the reply token secret is too short")
        self._tag_key = hmac.new(secret, b"tag", hashlib.sha256).digest()
        self._pad_key = hmac.new(secret, b"pad", hashlib.sha256).digest()

    @classmethod
    def derived_from(cls, pseudonyms: Pseudonyms) -> TokenKeys:
        """Keys of their own, derived one-way from the pseudonym secret."""
        return cls(pseudonyms.subkey(_DERIVATION_LABEL))

    def __repr__(self) -> str:
        return "TokenKeys(<secret>)"

    def mint(self, token: ReplyToken) -> str:
        try:
            participant = bytes.fromhex(token.participant_id)
        except ValueError:
            participant = b""
        if len(participant) != _ID_BYTES:
            raise ValueError("reply tokens need a 32-hex-digit participant id")
        step = STEP_KEYS.index(token.step_key) + 1 if token.step_key else 0
        header = bytes([(VERSION << 5) | (int(token.purpose) << 3) | step])
        tag = self._tag(header + participant)
        sealed = bytes(a ^ b for a, b in zip(participant, self._pad(tag), strict=True))
        return base64.b32encode(header + sealed + tag).decode("ascii").lower()

    def read(self, text: str) -> ReplyToken | None:
        """The token in ``text``; None when this secret did not make it (forged, mangled, old)."""
        if len(text) != TOKEN_LENGTH:
            return None
        try:
            raw = base64.b32decode(text.upper())
        except (binascii.Error, ValueError):
            return None
        header, sealed, tag = raw[:1], raw[1 : 1 + _ID_BYTES], raw[1 + _ID_BYTES :]
        participant = bytes(a ^ b for a, b in zip(sealed, self._pad(tag), strict=True))
        if not hmac.compare_digest(tag, self._tag(header + participant)):
            return None
        version, purpose, step = header[0] >> 5, (header[0] >> 3) & 0b11, header[0] & 0b111
        if version != VERSION or purpose not in Purpose._value2member_map_ or step > len(STEP_KEYS):
            return None
        return ReplyToken(
            participant.hex(), STEP_KEYS[step - 1] if step else None, Purpose(purpose)
        )

    def _tag(self, data: bytes) -> bytes:
        return hmac.new(self._tag_key, data, hashlib.sha256).digest()[:_TAG_BYTES]

    def _pad(self, tag: bytes) -> bytes:
        return hmac.new(self._pad_key, tag, hashlib.sha256).digest()[:_ID_BYTES]
