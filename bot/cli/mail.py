"""``dialoog mail``: the mail channel from the command line.

- ``dialoog mail extract FILE`` prints the newly written text of a reply — a raw RFC 822 message
  (``.eml``) or a plain-text body — through exactly the code path of inbound processing
  (``bot.mail.inbound.reading``); ``--questions N`` also shows how it splits into answers.
- ``dialoog mail invite`` queues the invitation by mail for invitees who prefer mail (and with
  ``--include-without-teams`` for those Teams cannot reach yet); ``--dry-run`` only counts them.
- ``dialoog mail reach`` shows which channel reaches the participants (Teams, mail, none, and
  why); ``--list`` per participant.
- ``dialoog mail poll`` processes what is in the inbox now, once (``dialoog serve`` polls by itself).

``add_mail_verbs`` is listed in ``bot.cli.command.VERBS``; it also adds the mail channel to
``bot.cli.command.SERVE_EXTENSIONS`` so that ``dialoog serve`` polls the inbox and sends mail.
"""

from __future__ import annotations

import argparse
import asyncio
import getpass
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from aiohttp import web

    from dialogen.store.mail_contacts import Reach

_HEADER_LINE = re.compile(rb"^[!-9;-~]+:[ \t]?.*$")  # an RFC 5322 field: printable name, a colon
_MESSAGE_HEADERS = (
    b"from:",
    b"to:",
    b"subject:",
    b"date:",
    b"message-id:",
    b"received:",
    b"mime-version:",
    b"content-type:",
    b"return-path:",
)


def add_mail_verbs(sub: argparse._SubParsersAction) -> None:  # noqa: SLF001 - argparse has no public type
    from bot.cli import command as cli

    if serve_mail not in cli.SERVE_EXTENSIONS:
        cli.SERVE_EXTENSIONS.append(serve_mail)
    parser = sub.add_parser(
        "mail", help="the mail channel: extract a reply's text, invite by mail, poll"
    )
    verbs = parser.add_subparsers(dest="mail_verb", required=True)
    extract = verbs.add_parser(
        "extract", help="print the newly written text of a reply (.eml or plain text)"
    )
    extract.add_argument("file", type=Path)
    extract.add_argument(
        "--questions", type=int, help="also split the text into answers to N questions"
    )
    extract.set_defaults(run=_extract)
    invite = verbs.add_parser(
        "invite", help="queue the invitation by mail for invitees who prefer mail"
    )
    invite.add_argument(
        "--include-without-teams",
        action="store_true",
        help="also invite those the bot cannot reach in Teams yet",
    )
    invite.add_argument(
        "--dry-run", action="store_true", help="count who would be invited; queue nothing"
    )
    invite.add_argument("--dialogue", type=Path, help="dialogue file (default: the shipped one)")
    invite.set_defaults(run=_invite)
    reach = verbs.add_parser(
        "reach", help="which channel reaches the participants (Teams, mail, none)"
    )
    reach.add_argument(
        "--list", action="store_true", help="one line per participant (names and addresses)"
    )
    reach.set_defaults(run=_reach)
    poll = verbs.add_parser("poll", help="process the mail in the inbox now, once")
    poll.add_argument(
        "--dialogue", type=Path, help="dialogue file (default: the shipped one, demo calendar)"
    )
    poll.set_defaults(run=_poll)


def serve_mail(app: web.Application) -> None:
    """``dialoog serve`` extension: poll the inbox and send mail (see ``bot.mail.serving``)."""
    from bot.mail.serving import mail_extension

    mail_extension(app)


def looks_like_message(data: bytes) -> bool:
    """An RFC 822 message starts with header fields, among them one a message always has."""
    head = data.lstrip(b"\r\n")[:8192].split(b"\n\n", 1)[0].split(b"\r\n\r\n", 1)[0]
    lines = [line.rstrip(b"\r") for line in head.split(b"\n") if line.strip()]
    if not lines or not _HEADER_LINE.match(lines[0]):
        return False
    return any(line.lower().startswith(_MESSAGE_HEADERS) for line in lines)


def extract_text(data: bytes) -> str:
    """The new text of ``data`` (a message, or a plain-text body) as inbound processing sees it."""
    from bot.mail.inbound.extract import extract_new_text
    from bot.mail.inbound.parse import DEFAULT_MAX_BYTES
    from bot.mail.inbound.reading import read_mail

    if looks_like_message(data):
        return read_mail(data, max_bytes=DEFAULT_MAX_BYTES).new_text
    from bot.mail.inbound.body_decoding import decode_text

    return extract_new_text(decode_text(data, None)[0])


def _extract(args: argparse.Namespace) -> int:
    from bot.mail.inbound.answer_split import split_answers

    try:
        data = args.file.read_bytes()
    except OSError as error:
        print(f"dialoog mail extract: {args.file}: {error.strerror}", file=sys.stderr)
        return 2
    text = extract_text(data)
    print(text)
    if args.questions:
        print()
        for part in split_answers(text, args.questions) if text.strip() else []:
            number = part.question_number
            label = f"vraag {number}" if number else "(voor het eerste nummer)"
            print(
                f"--- {label}{' (niet genummerd)' if part.unnumbered_mismatch else ''}\n{part.text}"
            )
    return 0


def _invite(args: argparse.Namespace) -> int:
    from bot.app import build_service
    from bot.cli.command import _configure_logging, _settings
    from bot.mail.outbound.invitations import invite_by_mail, invitees

    settings = _settings(dialogue_file=args.dialogue)
    _configure_logging(settings.log_level)
    service = build_service(settings)
    try:
        if args.dry_run:
            count = len(invitees(service, include_without_teams=args.include_without_teams))
            print(f"Proefrun: {count} genodigde(n) zouden een uitnodiging per e-mail krijgen.")
            return 0
        count = invite_by_mail(
            service,
            actor=f"cli:{getpass.getuser()}",
            include_without_teams=args.include_without_teams,
        )
    finally:
        service.database.dispose()
    print(
        f"{count} uitnodiging(en) per e-mail klaargezet. De bot verstuurt ze binnen de verzendtijden."
    )
    return 0


def _poll(args: argparse.Namespace) -> int:
    from bot.app import build_service
    from bot.cli.command import _configure_logging, _settings
    from bot.mail.setup import poller_for
    from bot.mail.transports import build_transport

    settings = _settings(dialogue_file=args.dialogue)
    _configure_logging(settings.log_level)
    service = build_service(settings)
    transport = build_transport(settings)
    poller = poller_for(settings, service, transport)  # one batch: reading in-process is fine here

    async def once() -> None:
        try:
            summary = await poller.poll_once()
        finally:
            await transport.close()
        print(
            f"E-mail: {summary.fetched} opgehaald, {summary.processed} verwerkt, {summary.failed} mislukt, "
            f"{summary.quarantined} apart gezet."
        )
        for outcome, number in sorted(summary.outcomes.items()):
            print(f"  {number} × {outcome}")

    try:
        asyncio.run(once())
    finally:
        service.database.dispose()
    return 0


REACH_WORDS = {"teams": "Teams", "mail": "e-mail", None: "niet bereikbaar"}


def _reach(args: argparse.Namespace) -> int:
    from bot.cli.command import _settings
    from dialogen.store.database import Database
    from dialogen.store.mail_contacts import reach

    database = Database(_settings().database_url)
    database.migrate()
    try:
        with database.unit_of_work() as session:
            people = reach(session)
    finally:
        database.dispose()
    totals: dict[str, int] = {}
    lines: list[str] = []
    for person in people:
        channel, why = channel_of(person)
        label = "afgemeld" if person.opted_out else REACH_WORDS[channel]
        totals[label] = totals.get(label, 0) + 1
        lines.append(
            f"{(person.name or '-')[:28]:28} {(person.email or '-')[:40]:40} {label:16} {why}"
        )
    if args.list:
        print(f"{'naam':28} {'e-mail':40} {'kanaal':16} toelichting")
        print("\n".join(lines))
    print(
        "Bereikbaar via: " + (", ".join(f"{k} {v}" for k, v in sorted(totals.items())) or "niemand")
    )
    return 0


def channel_of(person: Reach) -> tuple[str | None, str]:
    """The channel that reaches a participant (the outbox's rule) and why, in Dutch."""
    from dialogen.conversation.state import ConversationState
    from dialogen.participation.outreach import Contact, channel_for

    contact = Contact(
        participant_id="",
        consent=person.consent,
        opted_out=person.opted_out,
        preferred_channel=person.preferred_channel,
        has_email=bool(person.email) and not person.undeliverable,
        has_teams_reference=person.has_teams_reference,
        teams_reachable=person.teams_reachable,
        state=ConversationState(),
    )
    notes = []
    if person.undeliverable:
        notes.append("e-mailadres onbestelbaar")
    if person.has_teams_reference and not person.teams_reachable:
        notes.append("Teams geweigerd")
    if not person.has_teams_reference:
        notes.append("nog geen Teams-gesprek")
    return channel_for(contact), "; ".join(notes)
