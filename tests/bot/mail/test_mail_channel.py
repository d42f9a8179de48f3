"""The mail channel end to end on the folder transport: a step prompt goes out, a participant
replies the way Outlook or Gmail would, the answers land in the anonymous store and a confirmation
comes back — and everything that must not become an answer does not."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.mail.reply_token import Purpose, ReplyToken
from dialogen.door.mail_intake import CONFIRMATION, NOTICE
from dialogen.store import recipients
from dialogen.store.database import Database
from tests.conftest import SEALING
from tests.support.clock import FakeClock
from tests.support.mail_replies import gmail_inline_reply, html_text, outlook_nl_reply, plain_text
from tests.support.mail_world import MAILBOX, MailWorld

AMS = ZoneInfo("Europe/Amsterdam")
WHEN = datetime(2024, 10, 1, 12, 47, tzinfo=AMS)
BEELD = "Vooral met Zwolle en Kampen. Met Zwolle werken we samen in de GGD IJsselland."
ANSWERS = f"1. {BEELD}\n2. 4\n3. A, C\n4. b"


@pytest.fixture
def world(sqlite_database: Database, clock: FakeClock, tmp_path: Path) -> MailWorld:
    return MailWorld(sqlite_database, clock, tmp_path)


async def test_a_step_prompt_goes_out_with_numbered_lettered_questions(world: MailWorld) -> None:
    participant, prompt = await world.prompted()
    assert (
        str(prompt["Subject"]).strip().startswith("Stap Verkennen is begonnen")
        and "[ref:" in prompt["Subject"]
    )
    assert prompt["Reply-To"].addresses[0].addr_spec.startswith("dialoog+")
    assert prompt["Auto-Submitted"] == "auto-generated"
    assert prompt["Message-ID"].endswith("@vng.example>")
    unsubscribe = str(prompt["List-Unsubscribe"])
    assert (
        "<mailto:dialoog+" in unsubscribe
        and f"<{'https://dialoog.vng.example'}/mail/afmelden/" in unsubscribe
    )
    assert prompt["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    text = plain_text(prompt)
    assert "\n3. Welke thema's" in text and "\n   A. Democratische legitimiteit" in text
    assert "(1 = Zeer ontevreden, 5 = Zeer tevreden)" in text
    numbered = [line for line in text.splitlines() if line[:1].isdigit()]
    assert [line.split(".")[0] for line in numbered] == [
        str(n) for n in range(1, 8)
    ]  # only questions
    assert "<img" not in html_text(prompt) and "<script" not in html_text(prompt)
    assert world.keys.read(str(prompt["Reply-To"].addresses[0].addr_spec)[8:48]) == ReplyToken(
        participant, "verkennen"
    )


async def test_an_outlook_reply_is_stored_and_confirmed_per_question(world: MailWorld) -> None:
    participant, prompt = await world.prompted()
    reply = outlook_nl_reply(
        prompt, sender=world.address("petra"), name="Petra", text=ANSWERS, when=WHEN
    )
    world.drop(reply)
    summary = await world.poll()
    assert summary.outcomes == {"handled:answers": 1} and world.inbox_files() == []
    assert world.answers(participant) == {
        "beeld": BEELD,
        "waardering": 4,
        "themas": ["democratische-legitimiteit", "bestuurslaag"],
        "obstakel": "verschillende-belangen",
    }
    await world.send_outbox()
    (confirmation,) = world.sent()
    assert (
        str(confirmation["Subject"])
        .strip()
        .startswith("Ontvangen: uw antwoorden voor stap Verkennen")
    )
    assert (
        confirmation["In-Reply-To"] == read_id(reply)
        and confirmation["Auto-Submitted"] == "auto-replied"
    )
    assert confirmation["To"].addresses[0].addr_spec == world.address("petra")
    text = plain_text(confirmation)
    assert "- 1. Welk beeld heeft u" in text and f"  → {BEELD}" in text
    assert "  → 4 (van 1 tot en met 5)" in text
    assert (
        "  → A. Democratische legitimiteit en de rol van de raad; "
        "C. Voorkomen van een extra bestuurslaag" in text
    )
    assert "  → B. Gemeenten hebben verschillende belangen" in text
    assert "Deze 3 vragen staan nog open:" in text and "\n5. Kunt u dat obstakel" in text
    assert "\n1. Welk beeld" not in text  # answered questions are not asked again


def read_id(raw: bytes) -> str:
    from tests.support.mail_replies import read

    return str(read(raw)["Message-ID"])


async def test_answers_typed_under_the_quoted_questions_are_recognised(world: MailWorld) -> None:
    participant, prompt = await world.prompted()
    reply = gmail_inline_reply(
        prompt,
        sender=world.address("petra"),
        name="Petra Jansen",
        answers={2: "4", 4: "C", 6: "Een gezamenlijke raadscommissie werkt goed."},
        when=WHEN,
    )
    world.drop(reply)
    await world.poll()
    assert world.answers(participant) == {
        "waardering": 4,
        "obstakel": "te-veel-verbanden",
        "oplossing": "Een gezamenlijke raadscommissie werkt goed.",
    }


async def test_what_is_not_understood_comes_back_with_a_lettered_hint(world: MailWorld) -> None:
    participant, prompt = await world.prompted()
    world.drop(
        outlook_nl_reply(
            prompt,
            sender=world.address("petra"),
            name="Petra",
            text=f"1. {BEELD}\n4. Q\n2. heel tevreden",
            when=WHEN,
        )
    )
    await world.poll()
    await world.send_outbox()
    text = plain_text(world.sent()[0])
    assert "Vraag 4: Kies één letter: A tot en met F." in text
    assert (
        "Vraag 2: Kies een cijfer van 1 tot en met 5 (1 = Zeer ontevreden, 5 = Zeer tevreden)."
        in text
    )
    assert world.answers(participant) == {"beeld": BEELD}


async def test_the_same_inbox_processed_twice_after_a_crash_changes_nothing(
    world: MailWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    participant, prompt = await world.prompted()
    world.drop(
        outlook_nl_reply(
            prompt, sender=world.address("petra"), name="Petra", text=ANSWERS, when=WHEN
        )
    )
    # 1. a crash inside the transaction (after the answers, before the confirmation): nothing stays
    from dialogen.door import mail_intake as inbound

    real_enqueue = inbound.outbox.enqueue
    monkeypatch.setattr(
        inbound.outbox, "enqueue", lambda *a, **k: (_ for _ in ()).throw(OSError("disk"))
    )
    summary = await world.poll()
    assert summary.failed == 1 and world.answers(participant) == {} and not world.rows(CONFIRMATION)
    monkeypatch.setattr(inbound.outbox, "enqueue", real_enqueue)
    # 2. processed, then the process dies before marking the mail processed
    for raw in await world.transport.fetch_new():
        world.inbound.process(raw)
    assert len(world.inbox_files()) == 1
    # 3. after the restart the same inbox is processed again: a duplicate, nothing changes
    summary = await world.poll()
    assert summary.outcomes == {"duplicate": 1} and world.inbox_files() == []
    assert len(world.answers(participant)) == 4 and len(world.rows(CONFIRMATION)) == 1
    await world.send_outbox()
    assert len(world.sent()) == 1


async def test_a_reply_after_the_step_closed_is_not_counted(
    world: MailWorld, clock: FakeClock
) -> None:
    participant, prompt = await world.prompted()
    clock.set(datetime(2024, 10, 8, 8, 0, tzinfo=AMS))
    world.drop(
        outlook_nl_reply(
            prompt, sender=world.address("petra"), name="Petra", text=ANSWERS, when=WHEN
        )
    )
    await world.poll()
    assert world.answers(participant) == {}
    clock.set(datetime(2024, 10, 8, 9, 0, tzinfo=AMS))  # the send window is open
    await world.send_outbox()
    (closed,) = world.sent()
    assert str(closed["Subject"]).strip().startswith("Stap Verkennen is gesloten")
    assert "Stap Verkennen is gesloten sinds maandag 7 oktober 2024 om 23:59" in plain_text(closed)


async def test_a_forged_token_stores_nothing_and_gets_a_polite_reply(world: MailWorld) -> None:
    participant, prompt = await world.prompted()
    forged = outlook_nl_reply(
        prompt, sender=world.address("petra"), name="Petra", text=ANSWERS, when=WHEN
    )
    token = str(prompt["Reply-To"].addresses[0].addr_spec)[8:48]
    fake = ("a" if token[5] != "a" else "b").join([token[:5], token[6:]])
    world.drop(forged.replace(token.encode(), fake.encode()))
    stranger = outlook_nl_reply(
        prompt, sender="iemand@elders.example", name="Iemand", text=ANSWERS, when=WHEN
    )
    world.drop(stranger.replace(token.encode(), fake.encode()))
    summary = await world.poll()
    assert summary.outcomes == {"forged_token": 1, "unknown_sender": 1}
    assert world.answers(participant) == {}
    (to_stranger,) = world.sent()  # sent at once: a stranger has no outbox row
    assert to_stranger["To"].addresses[0].addr_spec == "iemand@elders.example"
    assert (
        "niets opgeslagen" in plain_text(to_stranger)
        and to_stranger["Auto-Submitted"] == "auto-replied"
    )
    await world.send_outbox()
    (notice,) = world.sent()
    assert notice["To"].addresses[0].addr_spec == world.address("petra")
    assert "niet koppelen" in plain_text(notice)


async def test_a_reply_from_another_address_goes_to_the_registered_one(world: MailWorld) -> None:
    participant, prompt = await world.prompted()
    world.drop(
        outlook_nl_reply(
            prompt, sender="collega@gemeente.example", name="Collega", text=ANSWERS, when=WHEN
        )
    )
    assert (await world.poll()).outcomes == {"wrong_sender": 1}
    assert world.answers(participant) == {}
    await world.send_outbox()
    (notice,) = world.sent()
    assert notice["To"].addresses[0].addr_spec == world.address("petra")
    text = plain_text(notice)
    assert (
        "ander e-mailadres" in text and "\n1. Welk beeld heeft u" in text
    )  # answer from here instead


async def test_auto_replies_and_bounces_are_never_answered(world: MailWorld) -> None:
    participant, prompt = await world.prompted()
    token = str(prompt["Reply-To"].addresses[0].addr_spec)
    world.drop(
        (
            f"From: {world.address('petra')}\r\nTo: {token}\r\n"
            "Subject: Automatisch antwoord: vragen\r\n"
            "Auto-Submitted: auto-replied\r\nMessage-ID: <oof-1@gemeente.example>\r\n\r\n"
            "Ik ben afwezig tot 14 oktober.\r\n1. Ja\r\n"
        ).encode()
    )
    world.drop(_hard_bounce(world.address("petra"), str(prompt["Message-ID"])))
    assert (await world.poll()).outcomes == {"auto_reply": 1, "bounce_hard": 1}
    assert (
        world.answers(participant) == {}
        and world.rows(CONFIRMATION) == []
        and world.rows(NOTICE) == []
    )
    assert world.participant(participant).mail_undeliverable
    await world.send_outbox()
    assert world.sent() == []


def _hard_bounce(recipient: str, message_id: str) -> bytes:
    return (
        "From: Mail Delivery System <MAILER-DAEMON@mx.gemeente.example>\r\n"
        f"To: {MAILBOX}\r\nSubject: Undelivered Mail Returned to Sender\r\n"
        "Message-ID: <bounce-1@mx.gemeente.example>\r\nMIME-Version: 1.0\r\n"
        'Content-Type: multipart/report; report-type=delivery-status; boundary="b"\r\n\r\n'
        "--b\r\nContent-Type: text/plain\r\n\r\nYour message could not be delivered.\r\n"
        "--b\r\nContent-Type: message/delivery-status\r\n\r\n"
        "Reporting-MTA: dns; mx.gemeente.example\r\n\r\n"
        f"Final-Recipient: rfc822; {recipient}\r\nAction: failed\r\nStatus: 5.1.1\r\n\r\n"
        f"--b\r\nContent-Type: text/rfc822-headers\r\n\r\nMessage-ID: {message_id}\r\n\r\n--b--\r\n"
    ).encode()


async def test_confirmations_are_limited_per_address(world: MailWorld) -> None:
    participant, prompt = await world.prompted()
    for number in range(7):
        world.drop(
            outlook_nl_reply(
                prompt,
                sender=world.address("petra"),
                name="Petra",
                text=f"2. {number % 5 + 1}",
                when=WHEN,
            )
        )
    summary = await world.poll()
    assert (
        summary.processed == 7 and world.answers(participant)["waardering"] == 2
    )  # all answers count
    assert len(world.rows(CONFIRMATION)) == 5  # world.settings.mail_replies_per_hour


async def test_attachments_size_and_html_are_handled_and_said(world: MailWorld) -> None:
    participant, prompt = await world.prompted()
    reply = outlook_nl_reply(
        prompt,
        sender=world.address("petra"),
        name="Petra",
        text="1. <script>alert('x')</script> De raad <b>mist</b> grip op de GGD.\n2. 3",
        when=WHEN,
        html=True,
    )
    from tests.support.mail_replies import read

    message = read(reply)
    message.add_attachment(
        b"%PDF-1.4 x" * 10, maintype="application", subtype="pdf", filename="notitie.pdf"
    )
    world.drop(bytes(message))
    await world.poll()
    assert world.answers(participant)["waardering"] == 3
    await world.send_outbox()
    (confirmation,) = world.sent()
    assert "Uw e-mail had een bijlage. Bijlagen lezen wij niet." in plain_text(confirmation)
    page = html_text(confirmation)
    assert "<script" not in page and "&lt;script&gt;" in page and "<b>mist" not in page


async def test_broken_mails_do_not_stop_the_poller(world: MailWorld) -> None:
    participant, prompt = await world.prompted()
    token = str(prompt["Reply-To"].addresses[0].addr_spec)
    world.drop(b"\x00\xff garbage without headers \r\n\r\n\xfe")
    world.drop(
        (
            f"From: {world.address('petra')}\r\nTo: {token}\r\nSubject: x\r\nMIME-Version: 1.0\r\n"
            'Content-Type: multipart/mixed; boundary="nope"\r\n\r\n--wrong\r\n'
        ).encode()
    )
    world.drop(
        (
            f"From: {world.address('petra')}\r\nTo: {token}\r\nSubject: x\r\n"
            "Content-Type: text/plain; charset=x-unknown-8\r\n\r\n2. 5\r\n"
        ).encode()
    )
    summary = await world.poll()
    assert summary.processed == 3 and summary.failed == 0 and world.inbox_files() == []
    assert world.answers(participant) == {"waardering": 5}


async def test_a_poisonous_mail_is_quarantined_and_the_next_one_goes_on(
    world: MailWorld, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    participant, prompt = await world.prompted()
    world.drop(b"Subject: gif\r\n\r\nx", name="0001-gif.eml")
    world.drop(
        outlook_nl_reply(
            prompt, sender=world.address("petra"), name="Petra", text="2. 4", when=WHEN
        ),
        name="0002-goed.eml",
    )
    real = world.inbound.process

    def process(raw, read=None):  # type: ignore[no-untyped-def]
        if raw.uid == "0001-gif.eml":
            raise ValueError("cannot handle this one")
        return real(raw, read)

    monkeypatch.setattr(world.inbound, "process", process)
    for _ in range(world.poller.max_attempts):
        await world.poll()
    assert world.answers(participant) == {"waardering": 4} and world.inbox_files() == []
    assert (tmp_path / "quarantine").exists()
    reasons = list((tmp_path / "quarantine").glob("*.reason.txt"))
    assert len(reasons) == 1 and "ValueError after 5 attempts" in reasons[0].read_text()
    (kept,) = (tmp_path / "quarantine").glob("*.eml.sealed")  # sealed: it names its sender
    assert world.runtime.sealing.mail.open_file(kept.read_bytes()) == b"Subject: gif\r\n\r\nx"


async def test_a_mailto_unsubscribe_opts_out(world: MailWorld) -> None:
    participant, prompt = await world.prompted()
    unsubscribe = world.keys.mint(ReplyToken(participant, None, Purpose.UNSUBSCRIBE))
    assert unsubscribe in str(prompt["List-Unsubscribe"])
    world.drop(
        (
            f"From: {world.address('petra')}\r\nTo: dialoog+{unsubscribe}@vng.example\r\n"
            "Subject: afmelden\r\nAuto-Submitted: auto-generated\r\n"
            "Message-ID: <u1@gemeente.example>\r\n\r\n"
            "afmelden\r\n"
        ).encode()
    )
    assert (await world.poll()).outcomes == {"unsubscribed": 1}
    assert world.participant(participant).opted_out
    with world.database.unit_of_work() as session:
        assert participant not in {
            c.participant_id for c in recipients.contacts(session, cipher=SEALING.progress)
        }


async def test_a_huge_mail_is_read_up_to_the_cap_and_said_so(
    sqlite_database: Database, clock: FakeClock, tmp_path: Path
) -> None:
    world = MailWorld(sqlite_database, clock, tmp_path, mail_max_bytes=64 * 1024)
    participant, prompt = await world.prompted()
    from tests.support.mail_replies import read

    message = read(
        outlook_nl_reply(
            prompt, sender=world.address("petra"), name="Petra", text="2. 5", when=WHEN
        )
    )
    message.add_attachment(
        b"\x89PNG" + bytes(range(256)) * 2000, maintype="image", subtype="png", filename="scan.png"
    )
    world.drop(bytes(message))
    await world.poll()
    assert world.answers(participant) == {"waardering": 5}
    await world.send_outbox()
    assert "Uw e-mail was erg groot." in plain_text(world.sent()[0])


async def test_a_mail_without_text_stores_nothing_and_says_why(world: MailWorld) -> None:
    participant, prompt = await world.prompted()
    from tests.support.mail_replies import read

    message = read(
        outlook_nl_reply(prompt, sender=world.address("petra"), name="Petra", text="x", when=WHEN)
    )
    message.clear_content()
    message.add_attachment(
        b"%PDF-1.4", maintype="application", subtype="pdf", filename="antwoorden.pdf"
    )
    world.drop(bytes(message))
    assert (await world.poll()).outcomes == {"empty": 1}
    assert world.answers(participant) == {}
    await world.send_outbox()
    (notice,) = world.sent()
    text = plain_text(notice)
    assert (
        "geen nieuw antwoord in uw e-mail" in text
        and "Bijlagen lezen wij niet" in text
        and "\n1. Welk beeld" in text
    )
