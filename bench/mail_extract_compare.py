"""Compare reply extractors on the mail fixtures and print a table.

Runs our extractor (``bot.mail.inbound.extract``) and, when installed, the public
Python reply parsers ``mail-parser-reply`` (languages nl + en) and
``email-reply-parser`` over every answer fixture in
``tests/bot/mail_fixtures``. All get the same parsed body (HTML already turned
into text); auto-replies and bounces are skipped because they never reach
extraction.

Per parser it counts fixtures whose output is
  exact       equal to ``.expected.txt`` after normalising whitespace;
  acceptable  exact, or containing >= 95 % of the expected words with
              >= 80 % of its own words from the expected text (a few
              signature or quote words left over);
  answers ok  split by ``split_answers`` into the same answers as
              ``.answers.json``.

Usage:  .venv/bin/python bench/mail_extract_compare.py [--details]
The third-party parsers are in the test extra (``pip install -e .[test]``); a
parser that is not installed is skipped.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.mail.inbound.answer_split import split_answers  # noqa: E402
from bot.mail.inbound.classify import MailKind, classify  # noqa: E402
from bot.mail.inbound.extract import extract_new_text_from_mail  # noqa: E402
from bot.mail.inbound.parse import InboundMail, parse_message  # noqa: E402

FIXTURES = ROOT / "tests" / "bot" / "mail_fixtures"
Extractor = Callable[[InboundMail], str]


@dataclass
class Fixture:
    name: str
    mail: InboundMail
    expected: str
    answers: dict | None


def _version(distribution: str) -> str:
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return "?"


def _extractors() -> dict[str, Extractor]:
    found: dict[str, Extractor] = {
        "dialoogbot bot.mail.inbound.extract": extract_new_text_from_mail
    }
    try:
        from mailparser_reply import EmailReplyParser as MailParserReply

        parser = MailParserReply(languages=["nl", "en"])

        def latest_reply_body(mail: InboundMail) -> str:
            # .body of the latest reply leaves out its headers, signature and disclaimers
            replies = parser.read(mail.body).replies
            return replies[0].body if replies else ""

        found[f"mail-parser-reply {_version('mail-parser-reply')} (nl+en)"] = latest_reply_body
    except ImportError:
        print("mail-parser-reply not installed: skipped")
    try:
        from email_reply_parser import EmailReplyParser

        found[f"email-reply-parser {_version('email-reply-parser')}"] = lambda mail: (
            EmailReplyParser.parse_reply(mail.body) or ""
        )
    except ImportError:
        print("email-reply-parser not installed: skipped")
    return found


def _fixtures() -> list[Fixture]:
    result: list[Fixture] = []
    for eml in sorted(FIXTURES.glob("*.eml")):
        mail = parse_message(eml.read_bytes())
        if classify(mail) is not MailKind.ANSWER:
            continue
        answers_file = eml.with_suffix(".answers.json")
        result.append(
            Fixture(
                name=eml.stem,
                mail=mail,
                expected=eml.with_suffix(".expected.txt").read_text(encoding="utf-8"),
                answers=json.loads(answers_file.read_text("utf-8"))
                if answers_file.exists()
                else None,
            )
        )
    return result


def _share(part: Counter[str], whole: Counter[str]) -> float:
    total = sum(part.values())
    return sum((part & whole).values()) / total if total else 1.0


def judge(output: str, fixture: Fixture) -> tuple[str, bool]:
    """Return ("exact" | "acceptable" | "wrong", answers ok) for one output."""
    got, want = output.split(), fixture.expected.split()
    if got == want:
        verdict = "exact"
    else:
        recall = _share(Counter(want), Counter(got))
        precision = _share(Counter(got), Counter(want))
        verdict = "acceptable" if recall >= 0.95 and precision >= 0.8 else "wrong"
    answers_ok = False
    if fixture.answers is not None:
        parts = split_answers(output, fixture.answers["question_count"])
        answers_ok = [[p.question_number, p.text] for p in parts] == fixture.answers["answers"]
    return verdict, answers_ok


def main() -> int:
    arguments = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    arguments.add_argument("--details", action="store_true", help="print the per-fixture grid")
    details = arguments.parse_args().details
    fixtures = _fixtures()
    with_answers = sum(1 for f in fixtures if f.answers is not None)
    rows: list[tuple[str, int, int, int]] = []
    grid: dict[str, list[str]] = {f.name: [] for f in fixtures}
    mark = {"exact": "=", "acceptable": "~", "wrong": "x"}
    for label, extract in _extractors().items():
        exact = acceptable = answers = 0
        for fixture in fixtures:
            try:
                verdict, answers_ok = judge(extract(fixture.mail), fixture)
            except Exception:  # noqa: BLE001 - a crashing parser just scores "wrong"
                verdict, answers_ok = "wrong", False
            exact += verdict == "exact"
            acceptable += verdict in ("exact", "acceptable")
            answers += answers_ok
            grid[fixture.name].append(mark[verdict] + ("a" if answers_ok else " "))
        rows.append((label, exact, acceptable, answers))

    width = max(len(row[0]) for row in rows)
    print(
        f"\nReply extraction on {len(fixtures)} answer fixtures "
        f"({with_answers} with expected answers)\n"
    )
    print(f"{'parser':<{width}} | exact | acceptable | answers ok")
    print(f"{'-' * width}-+-------+------------+-----------")
    for label, exact, acceptable, answers in rows:
        print(
            f"{label:<{width}} | {exact:>2}/{len(fixtures):<2} "
            f"| {acceptable:>5}/{len(fixtures):<4} | {answers:>4}/{with_answers}"
        )
    if details:
        print("\n= exact, ~ acceptable, x wrong; a = answers split correctly")
        print(f"{'fixture':<22} " + " ".join(f"P{i + 1:<2}" for i in range(len(rows))))
        for name, marks in grid.items():
            print(f"{name:<22} " + " ".join(f"{m:<3}" for m in marks))
        for index, row in enumerate(rows):
            print(f"P{index + 1} = {row[0]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
