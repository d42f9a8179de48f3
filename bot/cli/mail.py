"""``dialoog mail``: the mail channel from the command line.

- ``dialoog mail extract FILE`` prints the newly written text of a reply — a raw RFC 822 message
  (``.eml``) or a plain-text body — through exactly the code path of inbound processing
  (``bot.mail.inbound.reading``); ``--questions N`` also shows how it splits into answers.
- ``dialoog mail invite`` queues the invitation by mail for invitees who prefer mail (and with
  ``--include-without-teams`` for those Teams cannot reach yet: a facilitator who has not set up
  Teams installation wants that); ``--dry-run`` lists who and shows the invitation, also when
  nobody would get it.
- ``dialoog mail show [FILE]`` prints a mail as its recipient reads it (default: the newest in
  the outbox folder); ``dialoog mail answer TEXT [FILE]`` writes a reply to it into the inbox
  folder, as its recipient would (trying the mail channel with the folder transport).
- ``dialoog mail reach`` shows which channel reaches the participants (Teams, mail, none, and
  why); ``--list`` per participant.
- ``dialoog mail poll`` processes what is in the inbox now, once (``dialoog serve`` polls by
  itself).

``add_mail_verbs`` is listed in ``bot.cli.command.VERBS``. (``dialoog serve`` runs the mail
channel itself when it is configured: see ``bot.serving``.)
"""

from __future__ import annotations

import argparse
import asyncio
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.cli.context import Context
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
        "--dry-run",
        action="store_true",
        help="list who would be invited and show the invitation; queue nothing",
    )
    invite.add_argument("--dialogue", type=Path, help="dialogue file (default: the shipped one)")
    invite.set_defaults(run=_invite)
    show = verbs.add_parser(
        "show", help="print a mail as its recipient reads it (default: the newest sent one)"
    )
    show.add_argument("file", type=Path, nargs="?", help="an .eml file (default: newest in outbox)")
    show.set_defaults(run=_show)
    answer = verbs.add_parser(
        "answer",
        help="write a reply to a sent mail into the inbox folder, as its recipient would (try-out)",
    )
    answer.add_argument("text", help="what the reply says, e.g. '1. Mijn antwoord 2. 4'")
    answer.add_argument("file", type=Path, nargs="?", help="the mail answered (default: newest)")
    answer.set_defaults(run=_answer)
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
    poll.set_defaults(run=_poll, mail_read_workers=0)


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


def _extract(ctx: Context) -> int:
    args = ctx.args
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


def _invite(ctx: Context) -> int:
    args = ctx.args
    ctx.configure_logging("WARNING" if args.dry_run else None)
    invitations = ctx.runtime.invitations
    if args.dry_run:
        return _invite_dry_run(ctx)
    count = invitations.invite(actor=ctx.actor, include_without_teams=args.include_without_teams)
    what = "1 uitnodiging" if count == 1 else f"{count} uitnodigingen"
    when = (
        "De bot verstuurt ze meteen (demokalender: de verzendtijden gelden hier niet)."
        if ctx.settings.use_demo_calendar
        else "De bot verstuurt ze binnen de verzendtijden."
    )
    print(f"{what} per e-mail klaargezet. {when}")
    return 0


def _invite_dry_run(ctx: Context) -> int:
    from bot.mail.outbound.body import render_body

    args = ctx.args
    runtime = ctx.runtime
    people, replies = runtime.invitations.preview(include_without_teams=args.include_without_teams)
    if people:
        print(f"Proefrun: de uitnodiging per e-mail gaat naar {_invitees(len(people))}:")
        for person in people:
            print(f"  {(person.name or '-')[:28]:28} {person.email}")
    else:
        print("Proefrun: er is niemand die nu een uitnodiging per e-mail krijgt.")
        if not args.include_without_teams:
            print(
                "Alleen genodigden met kanaal 'mail' krijgen die. Met --include-without-teams "
                "ook wie de bot in Teams nog niet kan bereiken."
            )
    print("\nZo ziet de uitnodiging eruit" + (f" voor {people[0].name}:" if people else ":"))
    body = render_body(
        replies,
        dialogue=runtime.dialogue,
        signature=runtime.dialogue.title,
        unsubscribe_url=None,
    )
    print(body.text)
    return 0


def _invitees(count: int) -> str:
    return "1 genodigde" if count == 1 else f"{count} genodigden"


def _newest(folder: Path) -> Path | None:
    files = sorted(folder.glob("*.eml"))
    return files[-1] if files else None


def _mail_file(ctx: Context) -> Path | None:
    chosen: Path | None = ctx.args.file or _newest(ctx.settings.mail_folder_outbox)
    if chosen is None:
        print(
            f"Er staat geen e-mail in {ctx.settings.mail_folder_outbox}. "
            "Verstuur eerst iets, bijvoorbeeld met 'dialoog outbox drain --once'.",
            file=sys.stderr,
        )
    return chosen


def _show(ctx: Context) -> int:
    from bot.mail.try_out import readable

    chosen = _mail_file(ctx)
    if chosen is None:
        return 2
    try:
        print(readable(chosen.read_bytes()))
    except OSError as error:
        print(f"dialoog mail show: {chosen}: {error.strerror}", file=sys.stderr)
        return 2
    return 0


def _answer(ctx: Context) -> int:
    from bot.mail.try_out import reply_to

    chosen = _mail_file(ctx)
    if chosen is None:
        return 2
    try:
        raw = reply_to(chosen.read_bytes(), ctx.args.text.replace("\\n", "\n"))
    except OSError as error:
        print(f"dialoog mail answer: {chosen}: {error.strerror}", file=sys.stderr)
        return 2
    inbox = ctx.settings.mail_folder_inbox
    inbox.mkdir(parents=True, exist_ok=True)
    target = inbox / f"antwoord-{chosen.stem}.eml"
    temporary = inbox / f".{target.name}"
    temporary.write_bytes(raw)
    temporary.rename(target)  # never a half-written file in the inbox
    print(f"Antwoord klaargezet in {target}. Verwerk het met 'dialoog mail poll'.")
    return 0


def _poll(ctx: Context) -> int:
    ctx.configure_logging()
    mail = ctx.runtime.mail  # one batch: reading in-process is fine here (mail_read_workers=0)
    if mail is None:
        print("Het e-mailkanaal staat uit (DIALOOG_MAIL_TRANSPORT=none).", file=sys.stderr)
        return 2

    async def once() -> None:
        try:
            summary = await mail.poller.poll_once()
        finally:
            await mail.close()
        print(
            f"E-mail: {summary.fetched} opgehaald, {summary.processed} verwerkt, "
            f"{summary.failed} mislukt, {summary.quarantined} apart gezet."
        )
        for outcome, number in sorted(summary.outcomes.items()):
            print(f"  {number} × {outcome}")

    asyncio.run(once())
    return 0


REACH_WORDS = {"teams": "Teams", "mail": "e-mail", None: "niet bereikbaar"}


def _reach(ctx: Context) -> int:
    from dialogen.store.mail_contacts import reach

    args = ctx.args
    with ctx.runtime.database.unit_of_work() as session:
        people = reach(session)
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
