"""Personal data, for requests that come in another way than the chat (a letter, a phone call)
and for the end of the dialogue:

- ``dialoog privacy export --email ADDRESS`` prints (JSON) everything stored about that
  participant — what 'mijn gegevens' shows them, and more;
- ``dialoog privacy erase --email ADDRESS [--with-answers]`` erases them, as 'verwijder mij'
  does (their answers too with ``--with-answers``);
- ``dialoog privacy unseal FILE`` prints a mail the bot keeps sealed (quarantined, or processed
  mail kept for ``DIALOOG_MAIL_KEEP_PROCESSED`` days);
- ``dialoog purge`` removes every identity once ``DIALOOG_PURGE_AFTER_DAYS`` have passed since the
  last step closed: ``--dry-run`` shows what would go, ``--yes`` does it. Anonymous answers stay.

Every action is audited (``privacy_export``, ``privacy_erase``, ``purge``) as ``cli:<os user>``,
without the address asked about. ``add_privacy_verbs`` is listed in ``bot.cli.command.VERBS``;
the work is done by :class:`dialogen.privacy.subject_rights.SubjectRights`.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.cli.context import Context

NOT_FOUND = 1
REFUSED = 1
CANNOT_RUN = 2


def add_privacy_verbs(sub: argparse._SubParsersAction) -> None:  # noqa: SLF001 - argparse has no public type
    parser = sub.add_parser(
        "privacy", help="a participant's personal data: export, erase, open a sealed mail"
    )
    verbs = parser.add_subparsers(dest="privacy_verb", required=True)
    export = verbs.add_parser("export", help="print everything stored about a participant (JSON)")
    export.add_argument("--email", required=True, help="the participant's e-mail address")
    export.set_defaults(run=_export)
    erase = verbs.add_parser("erase", help="erase a participant's identity (audited)")
    erase.add_argument("--email", required=True, help="the participant's e-mail address")
    erase.add_argument(
        "--with-answers", action="store_true", help="also erase their (anonymous) answers"
    )
    erase.set_defaults(run=_erase)
    unseal = verbs.add_parser("unseal", help="print a sealed mail (quarantine, processed)")
    unseal.add_argument("file", type=Path)
    unseal.set_defaults(run=_unseal)
    purge = sub.add_parser(
        "purge", help="after the dialogue: remove every identity (answers stay, anonymous)"
    )
    purge.add_argument("--dry-run", action="store_true", help="show what would be removed")
    purge.add_argument("--yes", action="store_true", help="really remove it")
    purge.set_defaults(run=_purge)


def _export(ctx: Context) -> int:
    ctx.configure_logging("WARNING")
    found = ctx.runtime.privacy.export(ctx.args.email, actor=ctx.actor)
    if found is None:
        print("Geen deelnemer met dit e-mailadres.", file=sys.stderr)
        return NOT_FOUND
    print(json.dumps(found, indent=2, ensure_ascii=False, default=str))
    return 0


def _erase(ctx: Context) -> int:
    ctx.configure_logging("WARNING")
    args = ctx.args
    done = ctx.runtime.privacy.erase(args.email, actor=ctx.actor, with_answers=args.with_answers)
    if done is None:
        print("Geen deelnemer met dit e-mailadres. Er is niets gewist.", file=sys.stderr)
        return NOT_FOUND
    kept = (
        f"Hun antwoorden zijn ook gewist ({done.answers})."
        if args.with_answers
        else "Hun antwoorden blijven anoniem bewaard."
    )
    print(
        f"Gewist: de deelnemer, {done.references} verbinding(en) en {done.messages} bericht(en). "
        f"{kept} Een volgende import nodigt dit adres niet opnieuw uit."
    )
    return 0


def _unseal(ctx: Context) -> int:
    from dialogen.privacy.payload_cipher import SealError

    try:
        data = ctx.args.file.read_bytes()
        sys.stdout.buffer.write(ctx.runtime.sealing.mail.open_file(data))
    except OSError as exc:
        print(f"{ctx.args.file}: {exc.strerror}", file=sys.stderr)
        return CANNOT_RUN
    except SealError:
        print(
            f"{ctx.args.file}: geen verzegelde e-mail van deze bot (of een andere sleutel).",
            file=sys.stderr,
        )
        return CANNOT_RUN
    return 0


def _purge(ctx: Context) -> int:
    ctx.configure_logging("WARNING")
    args = ctx.args
    runtime = ctx.runtime
    plan = runtime.privacy.purge_plan()
    counts = plan.counts
    files = _sealed_mail_files(ctx)
    print(
        f"Te verwijderen: {counts.participants} deelnemer(s), {counts.progress} gesprek(ken), "
        f"{counts.references} Teams-verbinding(en), {counts.messages} bericht(en), "
        f"{counts.erased_addresses} gewiste adres(sen), {counts.facilitator_requests} open "
        f"verzoek(en) van facilitatoren en {len(files)} bewaarde e-mail(s). De antwoorden blijven, "
        "anoniem."
    )
    when = plan.allowed_from.astimezone(runtime.dialogue.zone).strftime("%d-%m-%Y %H:%M")
    if args.dry_run:
        print(f"Proefrun: er is niets verwijderd. Verwijderen kan vanaf {when}.")
        return 0
    if runtime.clock() < plan.allowed_from:
        print(
            f"Nog niet: de bewaartermijn (DIALOOG_PURGE_AFTER_DAYS) loopt tot {when}.",
            file=sys.stderr,
        )
        return REFUSED
    if not args.yes:
        print("Er is niets verwijderd. Voeg --yes toe om het echt te doen.", file=sys.stderr)
        return REFUSED
    runtime.privacy.purge(actor=ctx.actor)
    for path in files:
        path.unlink(missing_ok=True)
    print("Verwijderd. Wat overblijft (de antwoorden) is anoniem.")
    return 0


def _sealed_mail_files(ctx: Context) -> list[Path]:
    """Mail the bot keeps sealed: quarantined, and processed mail with a retention."""
    settings = ctx.settings
    folders = [settings.mail_state_dir / "quarantine", settings.mail_folder_inbox / "processed"]
    found = [p for folder in folders if folder.is_dir() for p in folder.iterdir()]
    return sorted(p for p in found if p.is_file())
