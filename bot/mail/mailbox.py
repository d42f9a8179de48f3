"""The dialogue mailbox as the mail channel addresses it: its address and sender name, where
replies and unsubscribe requests go, and where a reply token is found again in a received mail."""

from __future__ import annotations

from dataclasses import dataclass

from bot.mail.inbound.parse import InboundMail
from bot.mail.reply_token import MESSAGE_ID_REF, SUBJECT_REF, TOKEN_LENGTH, ReplyToken, TokenKeys

__all__ = ["Mailbox", "TokenSearch", "find_token"]

MAX_LOCAL_PART = 64  # RFC 5321
UNSUBSCRIBE_PATH = "/mail/afmelden"


@dataclass(frozen=True)
class Mailbox:
    address: str  # the dialogue mailbox, e.g. dialoog@vng.nl
    from_name: str
    public_url: str  # where the bot's one-click unsubscribe page is reachable
    plus_addressing: bool = True

    def __post_init__(self) -> None:
        if self.address.count("@") != 1 or not all(self.address.split("@")):
            raise ValueError("the dialogue mailbox needs an address like dialoog@gemeente.nl")

    @property
    def local(self) -> str:
        return self.address.split("@")[0].lower()

    @property
    def domain(self) -> str:
        return self.address.split("@")[1].lower()

    @property
    def carries_tokens(self) -> bool:
        """Plus addresses with a token fit in a local part (else subject and Message-ID do)."""
        return self.plus_addressing and len(self.local) + 1 + TOKEN_LENGTH <= MAX_LOCAL_PART

    def reply_to(self, token: str) -> str:
        return f"{self.local}+{token}@{self.domain}" if self.carries_tokens else self.address

    def unsubscribe_url(self, token: str) -> str:
        return f"{self.public_url.rstrip('/')}{UNSUBSCRIBE_PATH}/{token}"

    def unsubscribe_mailto(self, token: str) -> str:
        if self.carries_tokens:
            return f"mailto:{self.local}+{token}@{self.domain}?subject=afmelden"
        return f"mailto:{self.address}?subject=afmelden%20%5Bref%3A{token}%5D"

    def is_own(self, address: str) -> bool:
        """The mailbox itself, with or without a plus part (a mail loop)."""
        local, _, domain = address.lower().partition("@")
        return domain == self.domain and local.split("+")[0] == self.local


@dataclass(frozen=True)
class TokenSearch:
    token: ReplyToken | None
    candidates: int  # token-shaped strings found; some but no valid token = forged or mangled

    @property
    def forged(self) -> bool:
        return self.token is None and self.candidates > 0


def find_token(mail: InboundMail, mailbox: Mailbox, keys: TokenKeys) -> TokenSearch:
    """The first valid token: in a recipient plus address, the subject, then the thread's ids."""
    candidates = _candidates(mail, mailbox)
    for text in candidates:
        token = keys.read(text)
        if token is not None:
            return TokenSearch(token, len(candidates))
    return TokenSearch(None, len(candidates))


def _candidates(mail: InboundMail, mailbox: Mailbox) -> list[str]:
    found: list[str] = []
    for address in (*mail.to_addresses, *mail.cc_addresses):
        local, _, domain = address.lower().partition("@")
        base, plus, tag = local.partition("+")
        if plus and base == mailbox.local and domain == mailbox.domain:
            found.append(tag)
    found += [m.lower() for m in SUBJECT_REF.findall(mail.subject)]
    for message_id in (mail.in_reply_to, *reversed(mail.references), mail.returned_message_id):
        found += [m.lower() for m in MESSAGE_ID_REF.findall(message_id or "")]
    return list(dict.fromkeys(found))
