"""The report for a 3,000-participant dialogue: wall time and peak memory (targets: under 60 s and
1 GB on the 2-core test machine). Builds the dialogue with tests/support/report_world.py (until
``dialoog simulate`` is merged), then times making the report (facts, analysis) and rendering
Word and HTML, and the Excel export.

    .venv/bin/python bench/report.py [--people 3000]

Or on the full simulated dialogue the report tests use (``tests/support/full_dialogue.py`` keeps
it in ``.cache/full-dialogue/``; pass a copy, the report records its version there):

    cp .cache/full-dialogue/dialogue-3000-3-*.db /tmp/full.db
    .venv/bin/python bench/report.py --database sqlite:////tmp/full.db

Wall time depends on what else the machine runs (the shared 2-core machine); CPU time less so.
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
import warnings
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.reporting.page import report_html  # noqa: E402
from bot.reporting.spreadsheet import export_xlsx  # noqa: E402
from bot.reporting.word import report_docx  # noqa: E402
from dialogen.dialogue.loader import default_dialogue_path, load_dialogue  # noqa: E402
from dialogen.reporting.exports import build_export  # noqa: E402
from dialogen.reporting.review import ReportDesk  # noqa: E402
from dialogen.stakeholders.municipalities import MunicipalityRegistry  # noqa: E402
from dialogen.store.database import Database  # noqa: E402
from tests.conftest import SEALING  # noqa: E402
from tests.support.report_world import build_world  # noqa: E402

NOW = datetime(2024, 12, 5, 10, 0, tzinfo=ZoneInfo("Europe/Amsterdam"))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=3000)
    parser.add_argument(
        "--database",
        help="an existing database to report on instead, e.g. one `dialoog simulate` filled "
        "(with the secret DIALOOG_PSEUDONYM_SECRET it used)",
    )
    args = parser.parse_args()
    warnings.simplefilter("ignore")
    dialogue, registry = load_dialogue(default_dialogue_path()), MunicipalityRegistry.load()
    with tempfile.TemporaryDirectory() as folder:
        database = Database(args.database or f"sqlite:///{folder}/bench.db")
        database.migrate()
        if not args.database:
            started = time.perf_counter()
            build_world(database, dialogue, registry, people=args.people)
            took = time.perf_counter() - started
            print(f"dialogue of {args.people} people stored in {took:.1f} s")
        desk = ReportDesk(
            database=database,
            dialogue=dialogue,
            municipalities=registry,
            progress_cipher=SEALING.progress,  # tests' secret, as the simulation's
            clock=lambda: NOW,
        )
        started, cpu = time.perf_counter(), time.process_time()

        def phase(name: str) -> None:
            print(f"  {name:<12} {time.perf_counter() - started:6.1f} s", flush=True)

        made = desk.make(actor="bench", progress=phase)
        built = time.perf_counter()
        word = report_docx(made.report)
        page = report_html(made.report)
        rendered = time.perf_counter()
        report_cpu = time.process_time() - cpu
        sheet = export_xlsx(build_export(dialogue, made.facts, NOW))
        exported = time.perf_counter()
        database.dispose()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"report made (facts + analysis): {built - started:.1f} s")
    print(
        f"rendered Word {len(word) / 1e6:.1f} MB and HTML {len(page) / 1e6:.1f} MB: "
        f"{rendered - built:.1f} s"
    )
    print(f"report total: {rendered - started:.1f} s wall (target < 60 s), {report_cpu:.1f} s CPU")
    print(f"Excel export {len(sheet) / 1e6:.1f} MB: {exported - rendered:.1f} s")
    print(f"peak memory (max RSS of the process): {peak:.0f} MB (target < 1024 MB)")


if __name__ == "__main__":
    main()
