"""The full simulated dialogue the report tests read (the issue's proof): ``dialoog simulate``'s
3,000 invitees over all seven steps, Teams and mail, through the real door — built once per
source version and kept.

Simulating it costs minutes of CPU (``bench``-style figures: see the module's ``--help``), so:

- it is built in a **separate process** that the test session starts as soon as collection shows
  a test needs it (:func:`start`, from ``tests/conftest.py``), and runs beside the rest of the
  suite on the machine's other core; the session fixture waits for that process (no timing);
- the finished database is **kept** in ``.cache/full-dialogue/`` (``DIALOOG_TEST_CACHE`` moves
  it), named by a hash of everything that decides what it holds: the source of ``dialogen``,
  ``planning`` and ``bot`` (Python and data files), this module, the participants, the seed and
  the tests' pseudonym secret. Any change to those builds it anew; a clean clone (CI) builds it
  once per run.

Tests get a copy of the kept file (a report made on it writes its version row there).

    .venv/bin/python -m tests.support.full_dialogue --output /tmp/full.db [--participants N]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import warnings
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[2]
PARTICIPANTS = 3000
SEED = 3
START = datetime(2024, 8, 1, tzinfo=ZoneInfo("Europe/Amsterdam"))  # before Vinden opens
SOURCES = ("dialogen", "planning", "bot")
SUFFIXES = (".py", ".yaml", ".yml", ".csv", ".json", ".txt")


def cache_dir() -> Path:
    return Path(os.environ.get("DIALOOG_TEST_CACHE") or ROOT / ".cache") / "full-dialogue"


def source_hash(participants: int = PARTICIPANTS, seed: int = SEED) -> str:
    from tests.conftest import SECRET

    digest = hashlib.sha256(f"{participants}:{seed}:".encode() + SECRET)
    files = [Path(__file__)]
    for folder in SOURCES:
        files += sorted(
            p
            for p in (ROOT / folder).rglob("*")
            if p.suffix in SUFFIXES and p.is_file() and "__pycache__" not in p.parts
        )
    for path in files:
        digest.update(str(path.relative_to(ROOT)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:20]


@dataclass(frozen=True)
class Kept:
    database: Path  # the kept SQLite file (copy it before writing)
    summary: list[str]  # the simulation's summary lines (its own timing included)


def kept(participants: int = PARTICIPANTS, seed: int = SEED) -> Path:
    return cache_dir() / f"dialogue-{participants}-{seed}-{source_hash(participants, seed)}.db"


class Build:
    """The kept database, or the process building it (started by :func:`start`)."""

    def __init__(self, participants: int = PARTICIPANTS, seed: int = SEED) -> None:
        self.target = kept(participants, seed)
        self.participants, self.seed = participants, seed
        self.process: subprocess.Popen[bytes] | None = None
        self.log = self.target.with_suffix(".log")

    def start(self) -> None:
        if self.process is not None or self.target.exists():
            return
        self.target.parent.mkdir(parents=True, exist_ok=True)
        command = [
            sys.executable,
            "-m",
            "tests.support.full_dialogue",
            "--output",
            str(self.target),
            "--participants",
            str(self.participants),
            "--seed",
            str(self.seed),
        ]
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(command, cwd=ROOT, stdout=log, stderr=log)

    def wait(self) -> Kept:
        self.start()
        if self.process is not None:
            code = self.process.wait()
            if code != 0 or not self.target.exists():
                tail = self.log.read_text(errors="replace")[-3000:]
                raise RuntimeError(f"simulating the full dialogue failed ({code}):\n{tail}")
        summary = json.loads(self.target.with_suffix(".json").read_text())
        return Kept(self.target, summary)

    def stop(self) -> None:
        """End the build this session started, if it still runs (the session ended early)."""
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait()


def build(output: Path, *, participants: int, seed: int) -> list[str]:
    """Simulate into a fresh SQLite file, then move it to ``output`` in one step."""
    from bot.simulation.run import SimulationClock, simulate
    from dialogen.dialogue.loader import default_dialogue_path, load_dialogue
    from dialogen.stakeholders.municipalities import MunicipalityRegistry
    from dialogen.store.database import Database
    from tests.conftest import make_runtime, test_settings

    warnings.simplefilter("ignore")
    output.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=output.parent) as folder:
        work = Path(folder)
        database = Database(f"sqlite:///{work / 'dialoog.db'}")
        database.migrate()
        runtime = make_runtime(
            test_settings(work),
            database=database,
            clock=SimulationClock(START),
            dialogue=load_dialogue(default_dialogue_path()),
            registry=MunicipalityRegistry.load(),
        )
        summary = simulate(runtime, participants=participants, seed=seed)
        database.dispose()
        whole = work / "whole.db"  # one file, WAL folded in
        with sqlite3.connect(work / "dialoog.db") as source, sqlite3.connect(whole) as target:
            source.backup(target)
        lines = summary.lines()
        output.with_suffix(".json").write_text(json.dumps(lines))
        os.replace(whole, output)
    return lines


def copy_of(found: Kept, folder: Path) -> Path:
    copy = folder / "dialoog.db"
    shutil.copyfile(found.database, copy)
    return copy


def main() -> None:
    # stopped by the session (it ended early): leave through the cleanup, no half-built file
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--output", type=Path, required=True)
    parser.add_argument("--participants", type=int, default=PARTICIPANTS)
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args()
    lines = build(args.output, participants=args.participants, seed=args.seed)
    print("\n".join(lines), flush=True)


if __name__ == "__main__":
    main()
