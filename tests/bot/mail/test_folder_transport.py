"""The local folder transport: .eml files in, .eml files out."""

from __future__ import annotations

import os
from email import message_from_bytes, policy
from pathlib import Path

import pytest

from bot.mail.contracts import MailTransport, MailTransportError
from bot.mail.transports.folder import FolderConfig, FolderTransport
from tests.bot.mail.sample import sample_mail
from tests.conftest import SEALING

REPLY = (
    b"From: Deelnemer <deelnemer@gemeente.test>\r\nTo: dialoog@gemeente.test\r\n"
    b"Subject: Re: Stap Verkennen\r\nMessage-ID: <reply-1@gemeente.test>\r\n\r\n1. Meer overleg\r\n"
)


@pytest.fixture
def transport(tmp_path: Path) -> FolderTransport:
    return FolderTransport(
        FolderConfig(inbox=tmp_path / "in", outbox=tmp_path / "out", batch_size=2)
    )


def drop(folder: Path, name: str, data: bytes, mtime: int) -> Path:
    path = folder / name
    path.write_bytes(data)
    os.utime(path, (mtime, mtime))
    return path


async def test_round_trip(transport: FolderTransport, tmp_path: Path) -> None:
    assert isinstance(transport, MailTransport)
    mail = sample_mail("deelnemer@gemeente.test", subject="Uitnodiging dialoog – één vraag")
    assert (await transport.send(mail)).ok
    [written] = list((tmp_path / "out").iterdir())
    assert written.suffix == ".eml" and "@" not in written.name
    parsed = message_from_bytes(written.read_bytes(), policy=policy.default)
    assert parsed["Subject"] == "Uitnodiging dialoog – één vraag"
    assert parsed["Message-ID"] == mail.message_id

    # What was sent can be dropped into the inbox as is, and comes back byte for byte.
    (tmp_path / "in" / "antwoord.eml").write_bytes(written.read_bytes())
    [received] = await transport.fetch_new()
    assert received.uid == "antwoord.eml" and received.raw == written.read_bytes()
    await transport.mark_processed(received.uid)
    assert await transport.fetch_new() == []
    assert list((tmp_path / "in" / "processed").iterdir()) == []  # deleted: nothing kept


async def test_oldest_first_in_batches_and_unmarked_mail_returns(
    transport: FolderTransport, tmp_path: Path
) -> None:
    inbox = tmp_path / "in"
    drop(inbox, "c.eml", REPLY, 3_000)
    drop(inbox, "a.eml", REPLY, 1_000)
    drop(inbox, "b.EML", REPLY, 2_000)
    drop(inbox, ".half-written.eml", b"From:", 500)
    drop(inbox, "notitie.txt", b"geen mail", 500)
    first = await transport.fetch_new()
    assert [m.uid for m in first] == ["a.eml", "b.EML"]
    assert [m.uid for m in await transport.fetch_new()] == ["a.eml", "b.EML"]  # not marked: again
    for mail in first:
        await transport.mark_processed(mail.uid)
        await transport.mark_processed(mail.uid)  # idempotent
    assert [m.uid for m in await transport.fetch_new()] == ["c.eml"]


def keeping(tmp_path: Path, days: int, now: float) -> FolderTransport:
    return FolderTransport(
        FolderConfig(
            inbox=tmp_path / "in",
            outbox=tmp_path / "out",
            keep_days=days,
            seal=SEALING.mail.seal_file,
            now=lambda: now,
        )
    )


async def test_processed_mail_kept_for_a_while_is_sealed_then_deleted(tmp_path: Path) -> None:
    day = 86_400.0
    transport = keeping(tmp_path, days=7, now=100 * day)
    for _ in range(2):  # the same name twice: both kept
        drop(tmp_path / "in", "antwoord.eml", REPLY, 1_000)
        [mail] = await transport.fetch_new()
        await transport.mark_processed(mail.uid)
    kept = sorted((tmp_path / "in" / "processed").iterdir())
    assert len(kept) == 2 and all(p.name.endswith(".sealed") for p in kept)
    for path in kept:
        assert b"deelnemer@gemeente.test" not in path.read_bytes()  # nothing readable
        assert SEALING.mail.open_file(path.read_bytes()) == REPLY  # the key opens it
        os.utime(path, (100 * day - 6 * day, 100 * day - 6 * day))
    await transport.fetch_new()
    assert len(list((tmp_path / "in" / "processed").iterdir())) == 2  # 6 days old: kept
    os.utime(kept[0], (100 * day - 8 * day, 100 * day - 8 * day))
    await transport.fetch_new()
    assert list((tmp_path / "in" / "processed").iterdir()) == [kept[1]]  # 8 days old: gone


async def test_processed_mail_an_earlier_version_kept_in_the_clear_is_deleted_or_sealed(
    tmp_path: Path,
) -> None:
    processed = tmp_path / "in" / "processed"
    processed.mkdir(parents=True)
    drop(processed, "old.eml", REPLY, 1_000)
    await keeping(tmp_path, days=3, now=2_000.0).fetch_new()
    (sealed,) = processed.iterdir()
    assert sealed.name.endswith(".sealed") and SEALING.mail.open_file(sealed.read_bytes()) == REPLY
    drop(processed, "old.eml", REPLY, 1_000)
    await FolderTransport(FolderConfig(inbox=tmp_path / "in", outbox=tmp_path / "out")).fetch_new()
    assert list(processed.iterdir()) == []  # without a retention nothing is kept, sealed or not


async def test_uid_outside_the_inbox_is_refused(transport: FolderTransport) -> None:
    with pytest.raises(MailTransportError):
        await transport.mark_processed("../out/x.eml")


async def test_no_temporary_files_are_left_in_the_outbox(
    transport: FolderTransport, tmp_path: Path
) -> None:
    for n in range(5):
        assert (await transport.send(sample_mail(f"d{n}@gemeente.test"))).ok
    names = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert len(names) == 5 and all(n.endswith(".eml") and not n.startswith(".") for n in names)
