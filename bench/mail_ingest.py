"""Inbound mail throughput: the whole pipeline against the extraction step alone.

    .venv/bin/python -m bench.mail_ingest [--mails 10000] [--batch 1000] [--read-workers 1]
        [--keep DIR]

Sets up a fresh SQLite database with one consenting participant per mail (Verkennen open), and
writes that many replies to the real Verkennen step prompt into the folder transport's inbox, in
four client styles: Outlook NL (top-posted above the "Van:/Verzonden:" block), Gmail NL (answers
typed between the quoted questions), Outlook on the web (HTML only) and iPhone NL ("Op ... heeft
... het volgende geschreven:" with ``>`` quotes). Then it measures

* extraction alone — read each file, parse it and extract the new text
  (``bot.mail.inbound.reading``);
* the whole pipeline — the poller over the folder transport, built as ``dialoog serve`` builds
  it: fetch, parse, classify, token, sender check, extract, split, ``Door.handle``
  (lock, load, decide, store answers), the confirmation queued in the outbox in the same
  transaction, mark processed. Parsing and extraction run in ``--read-workers`` reader processes
  (``DIALOOG_MAIL_READ_WORKERS``, default 1) while the bot's process does the database work;
  ``--read-workers 0`` reads in the bot's process, one mail after the other;

and prints mails/s for both, their ratio, and the peak RSS of the bench process and of its
largest reader process. Targets: pipeline >= 0.5 x extraction alone, peak RSS < 300 MB.
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import resource
import shutil
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.mail.inbound.reading import read_mail
from bot.mail.outbound.compose import Recipient, compose
from bot.mail.reply_token import ReplyToken
from bot.runtime import Runtime, build_runtime
from bot.settings import Settings
from dialogen.conversation.state import ConversationState, Phase
from dialogen.dialogue.loader import default_dialogue_path, load_dialogue
from dialogen.door.queued import MailContext
from dialogen.participation import outreach as nudging
from dialogen.stakeholders.municipalities import MunicipalityRegistry
from dialogen.store.database import Database
from dialogen.store.tables import ParticipantRow, ProgressRow

AMS = ZoneInfo("Europe/Amsterdam")
NOW = datetime(2024, 10, 1, 10, 0, tzinfo=AMS).astimezone(UTC)
SECRET = "bench-pseudonym-secret-0123456789abcdef"
ANSWERS = (
    "1. Wij werken vooral samen met de buurgemeenten in de veiligheidsregio en de GGD.",
    "2. 4",
    "3. A, C",
    "4. b",
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mails", type=int, default=10_000)
    parser.add_argument(
        "--batch", type=int, default=1000, help="mails per fetch (DIALOOG_MAIL_BATCH_SIZE)"
    )
    parser.add_argument(
        "--read-workers",
        type=int,
        default=Settings.model_fields["mail_read_workers"].default,
        help="reader processes (DIALOOG_MAIL_READ_WORKERS); 0 = read in this process",
    )
    parser.add_argument(
        "--keep", type=Path, help="work in this folder and keep it (default: a temp folder)"
    )
    args = parser.parse_args()
    root = args.keep or Path(tempfile.mkdtemp(prefix="dialoog-mail-bench-"))
    root.mkdir(parents=True, exist_ok=True)
    try:
        asyncio.run(run(root, args.mails, args.batch, args.read_workers))
    finally:
        if args.keep is None:
            shutil.rmtree(root, ignore_errors=True)


async def run(root: Path, count: int, batch: int, read_workers: int) -> None:
    settings = Settings(
        database_url=f"sqlite:///{root / 'bench.db'}",
        mail_transport="folder",
        mail_folder_inbox=root / "in",
        mail_folder_outbox=root / "out",
        mail_state_dir=root / "state",
        mail_address="dialoog@vng.example",
        mail_public_url="https://dialoog.vng.example",
        mail_batch_size=batch,
        pseudonym_secret=SECRET,
        demo_calendar=False,
        mail_replies_per_hour=5,
        mail_read_workers=read_workers,
    )
    database = Database(settings.database_url)
    database.migrate()
    runtime = build_runtime(  # as dialoog serve builds it
        settings,
        clock=lambda: NOW,
        database=database,
        dialogue=load_dialogue(default_dialogue_path()),
        municipalities=MunicipalityRegistry.load(),
    )
    mail = runtime.mail
    assert mail is not None
    started = time.perf_counter()
    people = _participants(database, count)
    _write_replies(settings, runtime, people)
    print(
        f"set-up: {count} participants and {count} reply mails in "
        f"{time.perf_counter() - started:.1f} s"
    )

    files = sorted((root / "in").glob("*.eml"))
    started = time.perf_counter()
    words = 0
    for path in files:
        words += len(
            read_mail(path.read_bytes(), max_bytes=settings.mail_max_bytes).new_text.split()
        )
    extraction = len(files) / (time.perf_counter() - started)

    readers, poller = mail.readers, mail.poller
    if readers is not None:
        await readers.start()  # as dialoog serve does at start-up, before any mail arrives
    outcomes: dict[str, int] = {}
    started = time.perf_counter()
    while True:
        summary = await poller.poll_once()
        for outcome, number in summary.outcomes.items():
            outcomes[outcome] = outcomes.get(outcome, 0) + number
        if not summary.fetched:
            break
    pipeline = count / (time.perf_counter() - started)
    await mail.close()
    reader_peak = max(
        (_peak_rss_mb(worker.pid) for worker in multiprocessing.active_children()), default=0
    )
    if readers is not None:
        readers.close()
    database.dispose()

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"outcomes: {outcomes} ({words} words extracted)")
    print(f"extraction alone: {extraction:8.0f} mails/s")
    print(f"whole pipeline:   {pipeline:8.0f} mails/s  ({read_workers} reader process(es))")
    print(f"ratio:            {pipeline / extraction:8.2f}   (target >= 0.5)")
    print(f"peak RSS:         {peak:8.0f} MB  bench process (target < 300 MB)")
    if readers is not None:
        print(f"                  {reader_peak:8.0f} MB  largest reader process")


def _peak_rss_mb(pid: int | None) -> float:
    """A child's peak resident set (VmHWM) while it runs; 0 when it cannot be read."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    return next(
        (int(line.split()[1]) / 1024 for line in status.splitlines() if line.startswith("VmHWM:")),
        0,
    )


def _participants(database: Database, count: int) -> list[tuple[str, str]]:
    """Consenting participants answering Verkennen, added directly (the set-up is not measured)."""
    state = ConversationState(
        phase=Phase.ANSWERING, step_key="verkennen", question_id="beeld"
    ).to_dict()
    people = [(uuid.uuid4().hex, f"deelnemer{n}@gemeente{n % 342}.example") for n in range(count)]
    with database.unit_of_work() as session:
        for pid, email in people:
            session.add(
                ParticipantRow(
                    id=pid,
                    email=email,
                    name=f"Deelnemer {pid[:6]}",
                    role="raadslid",
                    municipality_code="0344",
                    consent=True,
                    invited=True,
                    preferred_channel="mail",
                    created_at=NOW,
                )
            )
        session.flush()
        for pid, _ in people:
            session.add(ProgressRow(participant_id=pid, state=state))
    return people


def _write_replies(settings: Settings, runtime: Runtime, people: list[tuple[str, str]]) -> None:
    dialogue = runtime.dialogue
    assert runtime.mail is not None
    mailbox, keys = runtime.mail.mailbox, runtime.mail_keys
    step = dialogue.step("verkennen")
    assert step is not None
    prompt = compose(
        kind="step_prompt",
        step_key="verkennen",
        replies=nudging.step_prompt(dialogue, step),
        context=MailContext(),
        recipient=Recipient(people[0][0], people[0][1]),
        mailbox=mailbox,
        keys=keys,
        dialogue=dialogue,
        answered=(),
        unique="bench",
        now=NOW,
    ).message
    body = prompt.get_body(("plain",))
    assert body is not None
    original = body.get_content()
    inbox = settings.mail_folder_inbox
    for number, (pid, email) in enumerate(people):
        token = keys.mint(ReplyToken(pid, "verkennen"))
        raw = STYLES[number % len(STYLES)](original, token, email, number)
        (inbox / f"{number:06d}.eml").write_bytes(raw)


def _headers(token: str, email: str, number: int, content_type: str) -> str:
    return (
        f'From: "Deelnemer {number}" <{email}>\nTo: Dialoog <dialoog+{token}@vng.example>\n'
        f"Subject: RE: Stap Verkennen is begonnen: denkt u mee? [ref:{token}]\n"
        "Date: Tue, 01 Oct 2024 12:47:02 +0200\n"
        f"Message-ID: <reply-{number}@gemeente.example>\n"
        f"In-Reply-To: <dialoog.{token}.bench@vng.example>\n"
        f"References: <dialoog.{token}.bench@vng.example>\nMIME-Version: 1.0\n"
        f"Content-Type: {content_type}; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n"
    )


def _outlook(original: str, token: str, email: str, number: int) -> bytes:
    text = (
        "Beste,\n\n" + "\n".join(ANSWERS) + f"\n\nMet vriendelijke groet,\n\nDeelnemer {number}\n"
        "Raadslid | Gemeente Zwartewaterland\nT 038 123 45 67\n\n"
        "Van: Verenigingsdialoog <dialoog@vng.example>\nVerzonden: dinsdag 1 oktober 2024 10:12\n"
        f"Aan: Deelnemer {number} <{email}>\nOnderwerp: Stap Verkennen is begonnen\n\n{original}"
    )
    return (_headers(token, email, number, "text/plain") + text).replace("\n", "\r\n").encode()


def _gmail_inline(original: str, token: str, email: str, number: int) -> bytes:
    answers = {2: "4", 4: "B", 6: "Een gezamenlijke raadscommissie per regio werkt goed."}
    lines = [
        "Hallo,",
        "",
        "Mijn antwoorden staan tussen de vragen.",
        "",
        "Op di 1 okt 2024 om 10:12 schreef Verenigingsdialoog <dialoog@vng.example>:",
        "",
    ]
    current = None
    source = original.split("\n")
    for index, line in enumerate(source):
        lines.append(f"> {line}".rstrip())
        if line[:2].rstrip(".").isdigit() and ". " in line[:4]:
            current = int(line.split(".")[0])
        following = source[index + 1] if index + 1 < len(source) else ""
        if current in answers and not following.startswith("   "):
            lines += ["", answers[current], ""]
            current = None
    return (
        (_headers(token, email, number, "text/plain") + "\n".join(lines))
        .replace("\n", "\r\n")
        .encode()
    )


def _outlook_web_html(original: str, token: str, email: str, number: int) -> bytes:
    quoted = "".join(f"<div>{line}</div>" for line in original.split("\n")[:40])
    html = (
        '<html><head><style>p{margin:0}</style></head><body><div dir="ltr">'
        + "".join(f"<div>{answer}</div>" for answer in ANSWERS)
        + "<div><br></div><div>Groet,</div><div>Deelnemer</div></div>"
        '<hr style="display:inline-block;width:98%"><div id="divRplyFwdMsg" dir="ltr">'
        "<b>Van:</b> Verenigingsdialoog &lt;dialoog@vng.example&gt;<br>"
        "<b>Verzonden:</b> dinsdag 1 oktober 2024 10:12<br>"
        f"<b>Aan:</b> {email}<br><b>Onderwerp:</b> Stap Verkennen</div>{quoted}</body></html>"
    )
    return (_headers(token, email, number, "text/html") + html).replace("\n", "\r\n").encode()


def _iphone(original: str, token: str, email: str, number: int) -> bytes:
    quoted = "\n".join(f"> {line}".rstrip() for line in original.split("\n"))
    text = (
        "\n".join(ANSWERS) + "\n\nVerzonden vanaf mijn iPhone\n\n"
        "> Op 1 okt. 2024 om 10:12 heeft Verenigingsdialoog <dialoog@vng.example> "
        "het volgende geschreven:\n"
        f">\n{quoted}\n"
    )
    return (_headers(token, email, number, "text/plain") + text).replace("\n", "\r\n").encode()


STYLES = (_outlook, _gmail_inline, _outlook_web_html, _iphone)


if __name__ == "__main__":
    main()
