"""The local folder transport: .eml files in, .eml files out."""

from __future__ import annotations

import os
from email import message_from_bytes, policy
from pathlib import Path

import pytest

from bot.mail.contracts import MailTransport, MailTransportError
from bot.mail.transports.folder import FolderConfig, FolderTransport
from tests.bot.mail.sample import sample_mail

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
    assert (tmp_path / "in" / "processed" / "antwoord.eml").exists()


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


async def test_same_name_twice_keeps_both_processed_files(
    transport: FolderTransport, tmp_path: Path
) -> None:
    for _ in range(2):
        drop(tmp_path / "in", "antwoord.eml", REPLY, 1_000)
        [mail] = await transport.fetch_new()
        await transport.mark_processed(mail.uid)
    assert len(list((tmp_path / "in" / "processed").iterdir())) == 2


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
