"""The ``dialoog`` command: serve the bot, chat with it in a terminal, check a dialogue file, build
the Teams app package — and the operator verbs of the other ``bot.cli`` modules (``VERBS``).

Each verb's ``run`` receives a :class:`~bot.cli.context.Context`: the arguments, the settings and
the runtime (built once, on first use)."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from bot.cli import mail as cli_mail
from bot.cli import moderation as cli_moderation
from bot.cli import outbox as cli_outbox
from bot.cli import people as cli_people
from bot.cli import planning as cli_planning
from bot.cli import privacy as cli_privacy
from bot.cli import reporting as cli_reporting
from bot.cli import simulate as cli_simulate
from bot.cli import themes as cli_themes
from bot.cli.context import Context
from dialogen.errors import DialogenError

AddVerbs = Callable[[argparse._SubParsersAction], None]  # noqa: SLF001 - argparse has no public type
DIALOGUE_HELP = "dialogue file (default: the shipped one, demo calendar)"


# ---------------------------------------------------------------- serve


def _add_serve(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("serve", help="run the bot (POST /api/messages, GET /healthz)")
    parser.add_argument("--port", type=int, help="port (default 3978)")
    parser.add_argument("--host", help="address to listen on (default 127.0.0.1)")
    parser.add_argument(
        "--insecure-local-mode",
        action="store_true",
        default=None,
        help="without an app id, listen on a non-loopback address anyway: NO token validation, "
        "anyone who reaches the port can speak for any Teams user",
    )
    parser.add_argument("--dialogue", type=Path, help=DIALOGUE_HELP)
    parser.set_defaults(run=_serve)


def _serve(ctx: Context) -> int:
    from aiohttp import web

    from bot.app import create_app

    settings = ctx.settings
    ctx.configure_logging()
    app = create_app(ctx.runtime)  # the app closes the runtime on shutdown
    logging.getLogger(__name__).info(
        "Dialoogbot listening on http://%s:%d/api/messages (database: %s)",
        settings.host,
        settings.port,
        settings.database_url.split("@")[-1],
    )
    web.run_app(app, host=settings.host, port=settings.port, print=None)
    return 0


# ---------------------------------------------------------------- chat


def _add_chat(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "chat", help="talk to the dialogue in this terminal as a test participant"
    )
    parser.add_argument(
        "--as", dest="who", default="test", help="test participant name (default: test)"
    )
    parser.add_argument("--dialogue", type=Path, help=DIALOGUE_HELP)
    parser.set_defaults(run=_chat)


def _chat(ctx: Context) -> int:
    from bot.teams.cards import prompt_text
    from dialogen.conversation.inputs import Input, Install, Text
    from dialogen.conversation.replies import Prompt, Say
    from dialogen.door.events import Identity, InboundEvent
    from dialogen.facilitation.actions import as_plain_replies

    ctx.configure_logging("WARNING")
    door = ctx.runtime.door
    who = ctx.args.who
    identity = Identity(channel="cli", teams_user_id=f"cli:{who}", name=who)
    print(f"Chat met de dialoogbot als '{who}'. Stoppen: Ctrl-D.\n")
    message: Input = Install()
    while True:
        outcome = door.handle(InboundEvent(identity, message))
        replies = outcome.replies + (outcome.later().replies if outcome.later else ())
        for reply in as_plain_replies(replies):
            text = prompt_text(reply) if isinstance(reply, Prompt) else ""
            text = reply.text if isinstance(reply, Say) else text
            print(text.replace("**", "").replace("_", "") + "\n")
        try:
            line = input("> ")
        except (EOFError, KeyboardInterrupt):
            print()
            return 0
        message = Text(line)


# ---------------------------------------------------------------- check


def _add_check(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("check", help="validate a dialogue file")
    parser.add_argument("file", type=Path)
    parser.set_defaults(run=_check)


def _check(ctx: Context) -> int:
    from dialogen.dialogue.loader import load_dialogue

    path = ctx.args.file
    try:
        dialogue = load_dialogue(path)
    except DialogenError as exc:
        print(exc, file=sys.stderr)
        return 1
    questions = sum(len(s.questions) for s in dialogue.steps)
    print(f"{path}: OK — '{dialogue.title}', {len(dialogue.steps)} steps, {questions} questions")
    return 0


# ---------------------------------------------------------------- manifest


def _add_manifest(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("manifest", help="write the Teams app package (zip) for sideloading")
    parser.add_argument("--app-id", required=True, help="the bot's Microsoft App ID (a GUID)")
    parser.add_argument("--output", type=Path, default=Path("dialoogbot-teams.zip"))
    parser.add_argument(
        "--dashboard-url", help="https address of the bot: adds the dashboard as a personal tab"
    )
    parser.set_defaults(run=_manifest)


def _manifest(ctx: Context) -> int:
    from manifest.build import write_manifest_zip

    try:
        path = write_manifest_zip(
            ctx.args.app_id,
            ctx.args.output,
            dashboard_url=ctx.args.dashboard_url,
            sso_client_id=ctx.settings.dashboard_client_id if ctx.args.dashboard_url else None,
        )
    except ValueError as exc:
        print(f"dialoog manifest: {exc}", file=sys.stderr)
        return 2
    print(f"Teams app package written to {path}")
    return 0


VERBS: list[AddVerbs] = [
    _add_serve,
    _add_chat,
    _add_check,
    _add_manifest,
    cli_outbox.add_outbox,
    cli_planning.add_planning_verbs,
    cli_people.add_people_verbs,
    cli_mail.add_mail_verbs,
    cli_moderation.add_moderation_verbs,
    cli_privacy.add_privacy_verbs,
    cli_themes.add_theme_verbs,
    cli_reporting.add_reporting_verbs,
    cli_simulate.add_simulate,
]

CANNOT_RUN = 2


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="dialoog", description="Dialoogbot: the 7V association dialogue in Teams and by mail"
    )
    sub = parser.add_subparsers(dest="verb", required=True)
    for add in VERBS:
        add(sub)
    ctx = Context(parser.parse_args(argv))
    try:
        return int(ctx.args.run(ctx) or 0)
    except DialogenError as exc:  # a dialogue file that cannot be used
        print(exc, file=sys.stderr)
        return CANNOT_RUN
    finally:
        ctx.close()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
