"""Reply tokens: stable, opaque, unforgeable, and found again wherever a client left them."""

from __future__ import annotations

import uuid

import pytest

from bot.mail.inbound.parse import parse_message
from bot.mail.mailbox import Mailbox, find_token
from bot.mail.reply_token import TOKEN_LENGTH, Purpose, ReplyToken, TokenKeys
from dialogen.privacy.pseudonyms import Pseudonyms

KEYS = TokenKeys(b"a test secret for reply tokens, 32+ bytes")
PID = uuid.UUID(int=12345).hex
MAILBOX = Mailbox("dialoog@vng.example", "Dialoog", "https://dialoog.vng.example")


@pytest.mark.parametrize("step", [None, "verkennen", "voortzetten"])
@pytest.mark.parametrize("purpose", list(Purpose))
def test_a_token_reads_back_as_minted(step: str | None, purpose: Purpose) -> None:
    token = KEYS.mint(ReplyToken(PID, step, purpose))
    assert len(token) == TOKEN_LENGTH and token == token.lower()
    assert KEYS.read(token) == ReplyToken(PID, step, purpose)
    assert KEYS.read(token.upper()) == ReplyToken(PID, step, purpose)  # some systems upper-case
    assert KEYS.mint(ReplyToken(PID, step, purpose)) == token  # stable


def test_a_token_hides_the_participant_id() -> None:
    token = KEYS.mint(ReplyToken(PID, "verkennen"))
    assert PID not in token and bytes.fromhex(PID) not in token.encode()
    other = KEYS.mint(ReplyToken(uuid.UUID(int=12346).hex, "verkennen"))
    assert sum(a != b for a, b in zip(token, other, strict=True)) > 20


def test_changed_or_foreign_tokens_are_refused() -> None:
    token = KEYS.mint(ReplyToken(PID, "verkennen"))
    for position in range(TOKEN_LENGTH):
        flipped = "b" if token[position] != "b" else "c"
        assert KEYS.read(token[:position] + flipped + token[position + 1 :]) is None
    assert TokenKeys(b"another secret of enough length!!").read(token) is None
    assert KEYS.read("x" * TOKEN_LENGTH) is None and KEYS.read("kort") is None


def test_derived_keys_differ_from_the_pseudonym_secret_use() -> None:
    secret = b"pseudonym secret pseudonym secret"
    assert TokenKeys.derived_from(Pseudonyms(secret)).mint(ReplyToken(PID)) != TokenKeys(
        secret
    ).mint(ReplyToken(PID))


def _reply(headers: str) -> bytes:
    return (
        headers + "From: p@gemeente.example\r\nContent-Type: text/plain\r\n\r\n1. Ja\r\n"
    ).encode()


def test_the_token_is_found_in_the_plus_address_subject_or_thread() -> None:
    token = KEYS.mint(ReplyToken(PID, "verkennen"))
    expected = ReplyToken(PID, "verkennen")
    for headers in (
        f"To: Dialoog <dialoog+{token}@VNG.example>\r\nSubject: RE: vragen\r\n",
        f"To: dialoog@vng.example\r\nSubject: RE: Stap Verkennen [ref:{token}]\r\n",
        f"To: dialoog@vng.example\r\nSubject: RE: x\r\n"
        f"In-Reply-To: <dialoog.{token}.abc@vng.example>\r\n",
    ):
        found = find_token(parse_message(_reply(headers)), MAILBOX, KEYS)
        assert found.token == expected and not found.forged


def test_a_forged_reference_is_recognised_as_forged() -> None:
    fake = "a" * TOKEN_LENGTH
    found = find_token(
        parse_message(_reply(f"To: dialoog+{fake}@vng.example\r\nSubject: x\r\n")), MAILBOX, KEYS
    )
    assert found.token is None and found.forged
    plain = find_token(
        parse_message(_reply("To: dialoog@vng.example\r\nSubject: x\r\n")), MAILBOX, KEYS
    )
    assert plain.token is None and not plain.forged


def test_a_long_mailbox_name_keeps_the_token_out_of_the_address() -> None:
    long = Mailbox("dialoogregionalesamenwerking@vng.nl", "Dialoog", "https://x.example")
    assert (
        not long.carries_tokens and long.reply_to("t" * 40) == "dialoogregionalesamenwerking@vng.nl"
    )
    assert MAILBOX.reply_to("t" * 40) == f"dialoog+{'t' * 40}@vng.example"
    assert MAILBOX.is_own("Dialoog+abc@VNG.example") and not MAILBOX.is_own("dialoog2@vng.example")
