"""The ``dialoog`` command: serve the bot, chat with it in a terminal, check a dialogue file,
build the Teams app package. Further verbs register themselves through ``VERBS``."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from pydantic import ValidationError

from bot.cli import mail as cli_mail
from bot.cli import outbox as cli_outbox
from bot.cli import people as cli_people
from bot.cli import planning as cli_planning
from bot.settings import Settings
from dialogen.errors import DialogenError

Verb = Callable[[argparse._SubParsersAction], None]  # noqa: SLF001 - argparse has no public type


def _settings(**overrides: object) -> Settings:
    try:
        return Settings(**{k: v for k, v in overrides.items() if v is not None})
    except ValidationError as exc:
        problems = "; ".join(e["msg"].removeprefix("Value error, ") for e in exc.errors())
        raise SystemExit(f"Configuratiefout: {problems}") from None


def _configure_logging(level: str) -> None:
    logging.basicConfig(
        level=level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )


# ---------------------------------------------------------------- serve


def _add_serve(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("serve", help="run the bot (POST /api/messages, GET /healthz)")
    parser.add_argument("--port", type=int, help="port (default 3978)")
    parser.add_argument("--host", help="address to listen on (default 127.0.0.1)")
    parser.add_argument(
        "--dialogue", type=Path, help="dialogue file (default: the shipped one, demo calendar)"
    )
    parser.set_defaults(run=_serve)


def _serve(args: argparse.Namespace) -> int:
    from aiohttp import web

    from bot.app import create_app

    settings = _settings(port=args.port, host=args.host, dialogue_file=args.dialogue)
    _configure_logging(settings.log_level)
    app = create_app(settings, extensions=tuple(SERVE_EXTENSIONS))
    logging.getLogger("bot.cli.command").info(
        "Dialoogbot listening on http://%s:%d/api/messages (database: %s)",
        settings.host,
        settings.port,
        settings.database_url.split("@")[-1],
    )
    web.run_app(app, host=settings.host, port=settings.port, print=None)
    return 0


SERVE_EXTENSIONS: list[Callable] = [cli_outbox.serve_outbox]
"""Hook point: other packages (the scheduler) append ``extension(app)`` callables here."""


# ---------------------------------------------------------------- chat


def _add_chat(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "chat", help="talk to the dialogue in this terminal as a test participant"
    )
    parser.add_argument(
        "--as", dest="who", default="test", help="test participant name (default: test)"
    )
    parser.add_argument(
        "--dialogue", type=Path, help="dialogue file (default: the shipped one, demo calendar)"
    )
    parser.set_defaults(run=_chat)


def _chat(args: argparse.Namespace) -> int:
    from bot.app import build_service
    from bot.teams.cards import prompt_text
    from dialogen.conversation.inputs import Install, Text
    from dialogen.conversation.replies import Prompt, Say
    from dialogen.door.service import Identity, InboundEvent

    settings = _settings(dialogue_file=args.dialogue)
    _configure_logging("WARNING")
    service = build_service(settings)
    identity = Identity(channel="cli", teams_user_id=f"cli:{args.who}", name=args.who)
    print(f"Chat met de dialoogbot als '{args.who}'. Stoppen: Ctrl-D.\n")
    message = Install()
    while True:
        for reply in service.handle(InboundEvent(identity, message)).replies:
            text = (
                reply.text
                if isinstance(reply, Say)
                else prompt_text(reply)
                if isinstance(reply, Prompt)
                else ""
            )
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


def _check(args: argparse.Namespace) -> int:
    from dialogen.dialogue.loader import load_dialogue

    try:
        dialogue = load_dialogue(args.file)
    except DialogenError as exc:
        print(exc, file=sys.stderr)
        return 1
    questions = sum(len(s.questions) for s in dialogue.steps)
    print(
        f"{args.file}: OK — '{dialogue.title}', {len(dialogue.steps)} steps, {questions} questions"
    )
    return 0


# ---------------------------------------------------------------- manifest


def _add_manifest(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("manifest", help="write the Teams app package (zip) for sideloading")
    parser.add_argument("--app-id", required=True, help="the bot's Microsoft App ID (a GUID)")
    parser.add_argument("--output", type=Path, default=Path("dialoogbot-teams.zip"))
    parser.set_defaults(run=_manifest)


def _manifest(args: argparse.Namespace) -> int:
    from manifest.build import write_manifest_zip

    try:
        path = write_manifest_zip(args.app_id, args.output)
    except ValueError as exc:
        print(f"dialoog manifest: {exc}", file=sys.stderr)
        return 2
    print(f"Teams app package written to {path}")
    return 0


VERBS: list[Verb] = [
    _add_serve,
    _add_chat,
    _add_check,
    _add_manifest,
    cli_outbox.add_outbox,
    cli_planning.add_planning_verbs,
    cli_people.add_people_verbs,
    cli_mail.add_mail_verbs,
]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="dialoog", description="Dialoogbot: the 7V association dialogue in Teams and by mail"
    )
    sub = parser.add_subparsers(dest="verb", required=True)
    for add in VERBS:
        add(sub)
    args = parser.parse_args(argv)
    return int(args.run(args) or 0)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
