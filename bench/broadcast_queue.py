"""How long a facilitator's broadcast takes to queue: ``Broadcasts.send_step_prompt`` (audience,
send-window slot, one outbox row per participant) for every participant, in one process.

    .venv/bin/python -m bench.broadcast_queue [--participants 12000] [--database-url URL]

Participants and their Teams conversation references are written in bulk first (not measured);
the queueing is what runs behind the facilitator's "Bevestigen". Sending is ``bench.broadcast``.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import delete

from bench.broadcast import populate
from dialogen.dialogue.loader import default_dialogue_path, load_dialogue
from dialogen.privacy.pseudonyms import Pseudonyms
from dialogen.store.database import Database
from dialogen.store.outbox import OutboxRow
from planning.broadcasts import Broadcasts

DURING_VERKENNEN = datetime(2024, 10, 1, 10, 0, tzinfo=ZoneInfo("Europe/Amsterdam"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--participants", type=int, default=12_000)
    parser.add_argument("--database-url", help="default: a new SQLite file")
    args = parser.parse_args()
    database = Database(args.database_url or f"sqlite:///{Path(tempfile.mkdtemp()) / 'queue.db'}")
    database.migrate()
    populate(database, args.participants, "http://127.0.0.1:9/")
    with database.engine.begin() as connection:  # populate also queues prompts; here we queue them
        connection.execute(delete(OutboxRow.__table__))  # type: ignore[attr-defined]
    broadcasts = Broadcasts(
        database=database,
        dialogue=load_dialogue(default_dialogue_path()),
        clock=lambda: DURING_VERKENNEN,
        pseudonyms=Pseudonyms(b"bench-secret-0123456789abcdef0123"),
    )
    started = time.perf_counter()
    queued = broadcasts.send_step_prompt("verkennen", actor="cli:bench")
    seconds = time.perf_counter() - started
    print(
        f"queued {queued} of {args.participants} step prompts in {seconds:.1f} s "
        f"({queued / seconds:.0f}/s, {database.url.get_backend_name()})"
    )
    database.dispose()


if __name__ == "__main__":
    main()
