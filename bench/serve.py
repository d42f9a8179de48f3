"""The two bots ``bench/turns.py`` compares, each run as its own process on 127.0.0.1.

    python -m bench.serve dialogue --database-url sqlite:///bench.db [--profile FILE]
        [--open-step verrijken]
    python -m bench.serve echo

``dialogue`` is the real app (``bot.app.create_app``) in local mode on the shipped dialogue with
the demo calendar (Verkennen open today). ``echo`` is a bare botbuilder bot: a CloudAdapter and a
Bot whose ``on_turn`` sends the text back. Both bind a free port and print ``READY <port>`` once
they listen; SIGTERM stops them (and writes the cProfile statistics when asked to profile).
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import logging
import signal
import sys
from pathlib import Path

from aiohttp import web


def echo_app() -> web.Application:
    from botbuilder.core import Bot, MessageFactory, TurnContext
    from botbuilder.integration.aiohttp import CloudAdapter

    class EchoBot(Bot):
        async def on_turn(self, context: TurnContext) -> None:
            await context.send_activity(
                MessageFactory.text(context.activity.text or context.activity.type)
            )

    adapter = CloudAdapter()  # no app id: no token validation, like the dialogue bot in local mode
    bot = EchoBot()

    async def messages(request: web.Request) -> web.StreamResponse:
        return await adapter.process(request, bot) or web.Response(status=201)

    app = web.Application()
    app.router.add_post("/api/messages", messages)
    return app


def dialogue_app(database_url: str, workdir: Path, open_step: str | None = None) -> web.Application:
    from datetime import datetime, timedelta

    from bot.app import create_app
    from bot.runtime import build_runtime
    from bot.settings import Settings
    from dialogen.dialogue.loader import default_dialogue_path, load_dialogue

    settings = Settings(
        database_url=database_url,
        demo_calendar=True,
        pseudonym_secret="9f2c4e6a8b0d1f3e5a7c9b1d3f5e7a9c0b2d4f6e",
        pseudonym_secret_file=workdir / "bench.secret",
        mail_transport="none",  # the turns alone, as before the runtime: nothing runs beside them
        outbox_enabled=False,
        scheduler_enabled=False,
    )
    if open_step is None:
        return create_app(build_runtime(settings))
    dialogue = load_dialogue(default_dialogue_path())  # moved so ``open_step`` opened yesterday
    opened = dialogue.step(open_step)
    if opened is None:
        raise SystemExit(f"no step {open_step}")
    yesterday = datetime.now(dialogue.zone).date() - timedelta(days=1)
    shift = timedelta(days=(yesterday - opened.opens.astimezone(dialogue.zone).date()).days)
    return create_app(build_runtime(settings, dialogue=dialogue.shifted(shift)))


async def serve(app: web.Application) -> None:
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0, backlog=1024)
    await site.start()
    port = runner.addresses[0][1]
    print(f"READY {port}", flush=True)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    await stop.wait()
    await runner.cleanup()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("bot", choices=["dialogue", "echo"])
    parser.add_argument("--database-url", default="sqlite:///bench.db")
    parser.add_argument("--profile", type=Path, help="write cProfile statistics here on exit")
    parser.add_argument("--open-step", help="move the calendar so this step opened yesterday")
    parser.add_argument(
        "--log-level", default="INFO", help="the bot's log level (INFO as in production)"
    )
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=args.log_level,
        stream=sys.stderr,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    workdir = Path.cwd()
    app = (
        echo_app()
        if args.bot == "echo"
        else dialogue_app(args.database_url, workdir, args.open_step)
    )
    profiler = cProfile.Profile() if args.profile else None
    if profiler:
        profiler.enable()
    try:
        asyncio.run(serve(app))
    finally:
        if profiler and args.profile:
            profiler.disable()
            profiler.dump_stats(str(args.profile))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
