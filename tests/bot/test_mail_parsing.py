"""Inbound mail parsing: raw .eml fixtures -> parsed mail -> new text -> answers."""

from __future__ import annotations

import json
from email import policy
from email.parser import BytesParser
from pathlib import Path

import pytest

from bot.mail.inbound.answer_split import AnswerPart, split_answers
from bot.mail.inbound.body_decoding import decode_text
from bot.mail.inbound.classify import Bounce, MailKind, bounce_details, classify
from bot.mail.inbound.extract import extract_new_text, extract_new_text_from_mail
from bot.mail.inbound.html_text import html_to_text
from bot.mail.inbound.parse import parse_message

FIXTURES = Path(__file__).parent / "mail_fixtures"
EML_FILES = sorted(FIXTURES.glob("*.eml"))
ANSWER_FILES = sorted(FIXTURES.glob("*.answers.json"))
NON_ANSWERS = {"auto_reply_nl": MailKind.AUTO_REPLY, "dsn_hard_bounce": MailKind.BOUNCE}


def _mail(name: str):
    return parse_message((FIXTURES / f"{name}.eml").read_bytes())


def _words(text: str) -> str:
    return " ".join(text.split())


def test_fixture_set_is_complete() -> None:
    """At least 80 real-world reply formats, each described in the manifest, with its expected
    new text and (for answers) its expected answers."""
    manifest = json.loads((FIXTURES / "manifest.json").read_text(encoding="utf-8"))
    assert len(EML_FILES) >= 80
    assert sorted(manifest) == sorted(eml.stem for eml in EML_FILES)
    languages = {entry["language"] for entry in manifest.values()}
    assert len(languages) >= 27
    for eml in EML_FILES:
        assert eml.with_suffix(".expected.txt").exists(), eml.name
        if eml.stem not in NON_ANSWERS:
            assert eml.with_suffix(".answers.json").exists(), eml.name


@pytest.mark.parametrize("eml", EML_FILES, ids=lambda p: p.stem)
def test_fixture_extracts_expected_text(eml: Path) -> None:
    mail = parse_message(eml.read_bytes())
    expected = eml.with_suffix(".expected.txt").read_text(encoding="utf-8").strip()
    assert extract_new_text_from_mail(mail) == expected
    assert classify(mail) is NON_ANSWERS.get(eml.stem, MailKind.ANSWER)


@pytest.mark.parametrize("answers_file", ANSWER_FILES, ids=lambda p: p.name.split(".")[0])
def test_fixture_splits_into_expected_answers(answers_file: Path) -> None:
    spec = json.loads(answers_file.read_text(encoding="utf-8"))
    mail = _mail(answers_file.name.split(".")[0])
    parts = split_answers(extract_new_text_from_mail(mail), spec["question_count"])
    assert [[p.question_number, p.text] for p in parts] == spec["answers"]
    assert any(p.unnumbered_mismatch for p in parts) is spec["unnumbered_mismatch"]


@pytest.mark.parametrize(
    "name",
    [
        "outlook_nl_desktop",
        "outlook_web_nl",
        "outlook_mobile_nl",
        "gmail_nl",
        "gmail_en",
        "iphone_nl",
        "android_nl",
        "auto_reply_nl",
    ],
)
def test_html_alternative_gives_the_same_new_text(name: str) -> None:
    message = BytesParser(policy=policy.default).parsebytes((FIXTURES / f"{name}.eml").read_bytes())
    html = message.get_body(preferencelist=("html",))
    sender = message["from"].addresses[0].display_name
    text = extract_new_text(html_to_text(html.get_content()), sender_name=sender)
    assert _words(text) == _words((FIXTURES / f"{name}.expected.txt").read_text(encoding="utf-8"))


def test_parsed_headers_of_outlook_reply() -> None:
    mail = _mail("outlook_nl_desktop")
    assert mail.from_address == "p.jansen@zwartewaterland.example"
    assert mail.from_name == "Jansen, Petra"
    assert mail.to_addresses == ("dialoog+r7k2m9@vng.example",)
    assert mail.in_reply_to == "<stap3.r7k2m9.20241001101200@dialoog.vng.example>"
    assert mail.references == ("<stap3.r7k2m9.20241001101200@dialoog.vng.example>",)
    assert mail.message_id.startswith("<AM0PR09MB1234") and mail.message_id.endswith(">")
    assert mail.subject == "RE: VNG-dialoog stap 3: Verkennen"
    assert mail.date is not None and mail.date.utcoffset() is not None
    assert (mail.body_format, mail.too_large, mail.problems) == ("plain", False, ())


def test_charsets_and_encoded_headers_decode_accents() -> None:
    latin = _mail("iso_8859_1")
    assert "échte" in latin.body and "ideeën" in latin.body and "coördinatie" in latin.body
    assert latin.subject.endswith("reäctie gemeente Heerde")
    cp1252 = _mail("windows_1252")
    assert cp1252.from_name == "René Smeets"
    assert all(ch in cp1252.body for ch in "’“”–€ë")
    assert "privéadres" in _mail("forwarded_nl").body


def test_html_only_mail_does_not_leak_script_or_style() -> None:
    mail = _mail("html_only")
    assert mail.body_format == "html"
    for leaked in ("SCRIPT-MUST-NOT-LEAK", "ALSO-NOT", "font-family", "trackOpen"):
        assert leaked not in mail.body
    assert "> 1. Met welke gemeenten" in mail.body  # blockquote marked as quote


def test_winmail_dat_is_reported() -> None:
    mail = _mail("winmail_dat")
    assert mail.has_winmail_dat and mail.attachment_names == ("winmail.dat",)
    assert not _mail("outlook_nl_desktop").has_winmail_dat


def test_bounce_details_of_dsn() -> None:
    mail = _mail("dsn_hard_bounce")
    assert bounce_details(mail) == Bounce("onbekend@zwolle.example", hard=True, status="5.1.10")
    assert mail.returned_message_id == "<stap3.z9q4m2.20241001101200@dialoog.vng.example>"
    assert bounce_details(_mail("gmail_nl")) is None
    assert bounce_details(_mail("auto_reply_nl")) is None


# -- edge cases ------------------------------------------------------------------

HEAD = b"From: Jan <jan@gemeente.example>\r\nTo: dialoog@vng.example\r\nSubject: Re: stap 3\r\n"


def test_empty_and_header_only_mails() -> None:
    assert parse_message(b"").body == ""
    mail = parse_message(HEAD + b"\r\n")
    assert (mail.body, mail.body_format, mail.from_address) == ("", "", "jan@gemeente.example")
    assert extract_new_text_from_mail(mail) == "" and split_answers("", 3) == []


@pytest.mark.parametrize(
    "raw",
    [
        HEAD + b"Content-Type: multipart/mixed\r\n\r\n1. Zwolle\r\n",  # no boundary
        HEAD
        + b"Content-Type: multipart/mixed; boundary=x\r\n\r\n--x\r\n\r\n1. Zwolle\r\n",  # unclosed
        HEAD + b"Content-Transfer-Encoding: base64\r\n\r\nMS4gWnd2bGxl!!!*\r\n",  # bad base64
        b"From: <<<@@@>>>\r\nTo: ,,,;;;\r\nDate: gisteren\r\nSubject: =?x?Q?broken?=\r\n\r\n"
        b"1. Zwolle\r\n",
        b"\x00\xff\xfe garbage without headers \r\n\r\n\x80\x81",
        HEAD + b"Content-Type: text/plain; charset=\xff\xfe\r\n\r\n1. Zwolle\r\n",
        HEAD
        + b"Content-Type: multipart/mixed; boundary=a\r\n\r\n"
        + b"--a\r\nContent-Type: multipart/mixed; boundary=a\r\n\r\n" * 60,
    ],
    ids=["no-boundary", "unclosed", "bad-base64", "bad-headers", "garbage", "8bit-charset", "deep"],
)
def test_broken_mime_never_raises(raw: bytes) -> None:
    mail = parse_message(raw)
    assert isinstance(mail.body, str) and isinstance(extract_new_text_from_mail(mail), str)
    classify(mail)


def test_headers_that_policy_default_cannot_parse_are_read_leniently() -> None:
    mail = parse_message(
        b"Message-ID: <<<q-<\r\nFrom: *@\r\nCc: Jan <jan@gemeente.example>\r\nTo:  ?Q<\r\n"
        b"Subject: Re: stap 3\r\n\r\n1. Zwolle\x00\r\n"
    )
    assert {"header:message-id", "header:from", "header:to"} <= set(mail.problems)
    assert mail.from_address == "" and mail.cc_addresses == ("jan@gemeente.example",)
    assert mail.body == "1. Zwolle\n" and mail.subject == "Re: stap 3"
    odd = parse_message(b'From: "a\\" <x@y.nl>\r\nTo: "Broken <a@b.nl>\r\n\r\n')
    assert (odd.from_address, odd.to_addresses) == ("x@y.nl", ("a@b.nl",))


def test_broken_multipart_keeps_its_text() -> None:
    mail = parse_message(HEAD + b"Content-Type: multipart/mixed\r\n\r\n1. Zwolle\r\n")
    assert "1. Zwolle" in mail.body


def test_unknown_charset_falls_back() -> None:
    raw = HEAD + b'Content-Type: text/plain; charset="x-unknown"\r\n\r\n1. co\xc3\xb6rdinatie\r\n'
    mail = parse_message(raw)
    assert mail.body.strip() == "1. coördinatie" and "unknown_charset" in mail.problems
    cp = parse_message(raw.replace(b"\xc3\xb6", b"\xf6"))
    assert cp.body.strip() == "1. coördinatie"


def test_decode_text_fallbacks() -> None:
    assert decode_text("’".encode("cp1252"), "iso-8859-1") == ("’", False)  # Outlook labelling
    assert decode_text("ë".encode(), "iso-8859-1") == ("ë", False)  # UTF-8 mislabelled
    assert decode_text(b"\x81\x8d", "utf-8")[0] == "\x81\x8d"  # latin-1 as last resort
    assert decode_text(b"abc", "base64") == ("abc", True)  # not a text codec


def test_huge_mail_is_capped() -> None:
    line = b"QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWZnaGlqa2xtbm9wcXJzdHV2d3h5ejAx\r\n"
    raw = (
        HEAD + b'Content-Type: multipart/mixed; boundary="B"\r\n\r\n--B\r\n'
        b"Content-Type: text/plain; charset=utf-8\r\n\r\n1. Zwolle\r\n2. A\r\n\r\n--B\r\n"
        b'Content-Type: application/pdf\r\nContent-Disposition: attachment; filename="visie.pdf"'
        b"\r\nContent-Transfer-Encoding: base64\r\n\r\n"
        + line * (30 * 1024 * 1024 // len(line))
        + b"--B--\r\n"
    )
    mail = parse_message(raw, max_bytes=2 * 1024 * 1024)
    assert mail.too_large and mail.size == len(raw) and mail.size > 30_000_000
    assert extract_new_text_from_mail(mail) == "1. Zwolle\n2. A"
    assert mail.attachment_names == ("visie.pdf",)


def test_mail_with_only_attachments() -> None:
    raw = (
        HEAD + b'Content-Type: multipart/mixed; boundary="B"\r\n\r\n--B\r\n'
        b'Content-Type: application/pdf; name="=?utf-8?Q?Regiovisie_co=C3=B6rdinatie.pdf?="\r\n'
        b"Content-Transfer-Encoding: base64\r\n\r\nJVBERi0xLjQK\r\n--B\r\n"
        b"Content-Type: image/png\r\nContent-Disposition: inline\r\n\r\niVBORw0KGgo=\r\n--B--\r\n"
    )
    mail = parse_message(raw)
    assert mail.body == "" and mail.body_format == ""
    assert mail.attachment_names == ("Regiovisie coördinatie.pdf", "naamloos.png")
    assert extract_new_text_from_mail(mail) == "" and classify(mail) is MailKind.ANSWER


def test_attached_message_is_not_taken_as_body() -> None:
    raw = (
        HEAD + b'Content-Type: multipart/mixed; boundary="B"\r\n\r\n--B\r\n'
        b"Content-Type: text/plain\r\n\r\nZie bijlage.\r\n--B\r\n"
        b"Content-Type: message/rfc822\r\n\r\n"
        b"Subject: Oud\r\n\r\nNiet dit.\r\n--B--\r\n"
    )
    mail = parse_message(raw)
    assert mail.body.strip() == "Zie bijlage." and mail.attachment_names == ("Oud.eml",)


# -- classification rules --------------------------------------------------------


def _with(headers: bytes, body: bytes = b"1. Zwolle\r\n") -> bytes:
    return HEAD.replace(b"Subject: Re: stap 3\r\n", b"") + headers + b"\r\n" + body


@pytest.mark.parametrize(
    ("raw", "kind"),
    [
        (_with(b"Subject: Re: stap 3\r\nAuto-Submitted: no\r\n"), MailKind.ANSWER),
        (_with(b"Subject: Re: stap 3\r\nAuto-Submitted: auto-generated\r\n"), MailKind.AUTO_REPLY),
        (_with(b"Subject: Re: stap 3\r\nX-Auto-Response-Suppress: DR, RN\r\n"), MailKind.ANSWER),
        (_with(b"Subject: Re: stap 3\r\nX-Auto-Response-Suppress: OOF\r\n"), MailKind.AUTO_REPLY),
        (_with(b"Subject: Re: stap 3\r\nPrecedence: bulk\r\n"), MailKind.AUTO_REPLY),
        (_with(b"Subject: Re: stap 3\r\nX-Autoreply: yes\r\n"), MailKind.AUTO_REPLY),
        (_with(b"Subject: Re: stap 3\r\nX-Autorespond: Afwezig\r\n"), MailKind.AUTO_REPLY),
        (_with(b"Subject: [EXTERN] Automatisch antwoord: stap 3\r\n"), MailKind.AUTO_REPLY),
        (_with(b"Subject: Afwezig: stap 3\r\n"), MailKind.AUTO_REPLY),
        (_with(b"Subject: Out of Office: stap 3\r\n"), MailKind.AUTO_REPLY),
        (_with(b"Subject: Automatic reply: stap 3\r\n"), MailKind.AUTO_REPLY),
        (_with(b"Subject: Autosvar: stap 3\r\n"), MailKind.AUTO_REPLY),
        (_with(b"Subject: Gelezen: stap 3\r\n"), MailKind.AUTO_REPLY),
        (_with(b"Subject: Re: Afwezigheid in de regio\r\n"), MailKind.ANSWER),
        (_with(b"Subject: Undeliverable: stap 3\r\n"), MailKind.BOUNCE),
        (_with(b"Subject: Re: stap 3\r\nX-Failed-Recipients: a@b.example\r\n"), MailKind.BOUNCE),
    ],
)
def test_classification_headers_and_subjects(raw: bytes, kind: MailKind) -> None:
    assert classify(parse_message(raw)) is kind


def _report(
    report_type: str, status: str, sender: bytes = b"MAILER-DAEMON@mx.vng.example"
) -> bytes:
    return (
        b"From: " + sender + b"\r\nTo: dialoog@vng.example\r\nSubject: Bericht\r\n"
        b"Content-Type: multipart/report; report-type="
        + report_type.encode()
        + b'; boundary="R"\r\n\r\n--R\r\nContent-Type: text/plain\r\n\r\nZie hieronder.\r\n--R\r\n'
        b"Content-Type: message/"
        + report_type.encode()
        + b"\r\n\r\nReporting-MTA: dns; mx\r\n\r\n"
        + status.encode()
        + b"\r\n--R--\r\n"
    )


def test_delivery_reports() -> None:
    soft = parse_message(
        _report(
            "delivery-status",
            "Final-Recipient: rfc822; a@b.example\r\nAction: delayed\r\nStatus: 4.4.7",
        )
    )
    assert bounce_details(soft) == Bounce("a@b.example", hard=False, status="4.4.7")
    ok = parse_message(
        _report(
            "delivery-status",
            "Final-Recipient: rfc822; a@b.example\r\nAction: delivered\r\nStatus: 2.0.0",
        )
    )
    assert classify(ok) is MailKind.AUTO_REPLY
    receipt = parse_message(
        _report(
            "disposition-notification", "Disposition: manual/displayed", b"jan@gemeente.example"
        )
    )
    assert classify(receipt) is MailKind.AUTO_REPLY and bounce_details(receipt) is None
    plain = parse_message(
        b"From: Mail Delivery System <MAILER-DAEMON@mx.example>\r\nSubject: Mail delivery failed"
        b"\r\nX-Failed-Recipients: weg@gemeente.example\r\n\r\n550 5.1.1 User unknown\r\n"
    )
    assert bounce_details(plain) == Bounce("weg@gemeente.example", hard=True, status="5.1.1")


# -- reply extraction rules ------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            "2. B\n\nVerstuurd vanaf mijn iPad\n\n> Op 1 okt. 2024 om 10:12 heeft X <x@y.nl> het"
            " volgende geschreven:\n> 2. Vraag",
            "2. B",
        ),
        ("2. B\n\nSent from my iPhone", "2. B"),
        ("2. B\n\nGet Outlook for Android<https://aka.ms/ghei36>", "2. B"),
        ("2. B\nVerzonden met BlackBerry Work\n(www.blackberry.com)", "2. B"),
        ("2. B\n-- \nJan Jansen\nGemeente Hattem", "2. B"),
        (
            "2. B\n\nOn Tue, Oct 1, 2024 at 10:12 AM VNG Dialoog <dialoog@vng.example>"
            " wrote:\n> 2.",
            "2. B",
        ),
        (
            "2. B\n\nOp 1 okt 2024, om 10:12 heeft VNG Dialoog <\ndialoog@vng.example> het volgende"
            " geschreven:\n\n2. Vraag",
            "2. B",
        ),
        ("2. B\n\n-----Original Message-----\nFrom: X\nSent: Y", "2. B"),
        ("2. B\n\nFrom: X <x@y.nl>\nSent: Tuesday\nTo: Z\nSubject: stap 3\n\n2. Vraag", "2. B"),
        ("2. B\n\nVan: X Verzonden: di Aan: Z Onderwerp: stap 3", "2. B"),
        (
            "Bedankt voor de uitnodiging.\n\nIk doe graag mee.",
            "Bedankt voor de uitnodiging.\n\nIk doe graag mee.",
        ),
        (
            "Met vriendelijke groet,\n" + "Dit is een lange uitleg die doorgaat.\n" * 25,
            "Met vriendelijke groet,\n"
            + "Dit is een lange uitleg die doorgaat.\n" * 24
            + "Dit is een lange uitleg die doorgaat.",
        ),
        ("Op de vraag over samenwerking: goed.", "Op de vraag over samenwerking: goed."),
        (
            "Dit bericht is lastig.\nDownload het plan op uw telefoon.",
            "Dit bericht is lastig.\nDownload het plan op uw telefoon.",
        ),
        (
            "2. B\n\nDe informatie verzonden met dit e-mailbericht is uitsluitend bestemd voor",
            "2. B",
        ),
        ("> 1. Vraag\n> 2. Vraag", ""),
        ("\ufeff2.\u00a0B\u200b\r\n", "2. B"),
    ],
    ids=[
        "ipad",
        "iphone-en",
        "outlook-android",
        "blackberry",
        "dashdash",
        "on-wrote",
        "apple-wrapped",
        "original-message",
        "from-sent",
        "one-line-header",
        "thanks-kept",
        "long-after-signoff",
        "op-kept",
        "disclaimer-words-kept",
        "disclaimer",
        "only-quote",
        "invisible-chars",
    ],
)
def test_extract_rules(body: str, expected: str) -> None:
    assert extract_new_text(body) == expected


def test_extract_drops_only_a_person_name_as_closing_line() -> None:
    assert extract_new_text("1. Zwolle\n\nJan", sender_name="Jan de Boer") == "1. Zwolle"
    kept = extract_new_text("Zwolle", sender_name="Griffie gemeente Zwolle")
    assert kept == "Zwolle"
    assert extract_new_text("Zwolle\n\nA", sender_name="A. de Vries") == "Zwolle\n\nA"
    assert extract_new_text("Zwolle\n\nde", sender_name="A. de Vries") == "Zwolle\n\nde"


def test_bottom_posting_under_full_quote_adds_no_marker() -> None:
    body = "> 1. Vraag een?\n> 2. Vraag twee?\n>\n> Met vriendelijke groet,\n> VNG\n\nZwolle\n\nA"
    assert extract_new_text(body) == "Zwolle\n\nA"


# -- answer splitting rules ------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "count", "expected"),
    [
        ("1) Zwolle\n2) A", 2, [(1, "Zwolle"), (2, "A")]),
        ("1: Zwolle\n2:A", 2, [(1, "Zwolle"), (2, "A")]),
        ("Vraag 1: Zwolle\nvraag 2 - A", 2, [(1, "Zwolle"), (2, "A")]),
        ("V1 Zwolle\nV2: A", 2, [(1, "Zwolle"), (2, "A")]),
        ("**1.** Zwolle\nAntwoord 2: A", 2, [(1, "Zwolle"), (2, "A")]),
        ("2. A\n1. Zwolle", 2, [(1, "Zwolle"), (2, "A")]),
        (
            "1. Zwolle\nen Kampen\n\nook Hattem\n2.\nA",
            2,
            [(1, "Zwolle\nen Kampen\n\nook Hattem"), (2, "A")],
        ),
        (
            "1. Drie punten:\n1. geld\n2024. tijd\n7. mensen",
            2,
            [(1, "Drie punten:\n1. geld\n2024. tijd\n7. mensen")],
        ),
        ("1. 3.5 miljoen\n12:30 uur", 2, [(1, "3.5 miljoen\n12:30 uur")]),
        ("1.\n2. A", 2, [(2, "A")]),
        ("Zwolle\n\nA", 2, [(1, "Zwolle"), (2, "A")]),
        ("Zwolle\n\nA\n\nB", 1, [(1, "Zwolle\n\nA\n\nB")]),
    ],
)
def test_split_formats(text: str, count: int, expected: list[tuple[int, str]]) -> None:
    parts = split_answers(text, count)
    assert [(p.question_number, p.text) for p in parts] == expected
    assert not any(p.unnumbered_mismatch for p in parts)


def test_split_unnumbered_mismatch_and_invalid_count() -> None:
    assert split_answers("Zwolle\n\nA\n\nB", 2) == [
        AnswerPart(1, "Zwolle\n\nA\n\nB", unnumbered_mismatch=True)
    ]
    with pytest.raises(ValueError):
        split_answers("1. Zwolle", 0)
