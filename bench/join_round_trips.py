"""Round trips from the invitation mail to the first stored answer (issue 11, item 7).

    .venv/bin/python -m bench.join_round_trips

Runs the real mail channel (folder transport, poller, outbox sender) on a temporary SQLite
database twice: the step-by-step way ('ja' to take part, 'ja' to the imported profile, then the
questions — what every invitee had to do before) and answering the invitation's questions at once.
Prints, per way, the participant's replies and the mails both ways until the first answer is stored.
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
from pathlib import Path

if __package__ in (None, ""):  # run as a file: make the project importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from dialogen.store.database import Database  # noqa: E402
from tests.support.clock import FakeClock  # noqa: E402
from tests.support.mail_journey import ONE_REPLY, THREE_TRIPS, WHEN, to_first_answer  # noqa: E402
from tests.support.mail_world import MailWorld  # noqa: E402


async def _run(replies: tuple[str, ...]) -> tuple[int, int]:
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        database = Database(f"sqlite:///{tmp / 'dialoog.db'}")
        database.migrate()
        world = MailWorld(database, FakeClock(WHEN), tmp)
        journey = await to_first_answer(world, "ans", replies)
        database.dispose()
        return journey.replies, journey.mails


def main() -> None:
    for label, replies in (
        ("step by step (ja, ja, answers)", THREE_TRIPS),
        ("answering the invitation", ONE_REPLY),
    ):
        sent, mails = asyncio.run(_run(replies))
        print(f"{label:34} replies={sent} mails={mails}")


if __name__ == "__main__":
    main()
