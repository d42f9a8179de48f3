"""Mails built to be expensive are read in bounded work: absurd headers, huge inline images.

The bounds are counted (characters handed to the email package's header parser), never timed, so
the tests do not depend on the speed of the machine."""

from __future__ import annotations

from collections.abc import Iterator
from email.headerregistry import HeaderRegistry
from pathlib import Path

import pytest

from bot.mail.inbound.extract import extract_new_text_from_mail
from bot.mail.inbound.parse import parse_message

FIXTURES = Path(__file__).parent / "mail_fixtures"


@pytest.fixture
def parsed_header_chars(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[int]]:
    """The length of every header value the email package parses (policy.default)."""
    seen: list[int] = []
    real = HeaderRegistry.__call__

    def counting(self: HeaderRegistry, name: str, value: str):  # type: ignore[no-untyped-def]
        seen.append(len(value))
        return real(self, name, value)

    monkeypatch.setattr(HeaderRegistry, "__call__", counting)
    yield seen


def test_a_content_type_with_thousands_of_parameters_is_parsed_in_bounded_work(
    parsed_header_chars: list[int],
) -> None:
    raw = (FIXTURES / "header_bomb.eml").read_bytes()
    assert len(raw) > 350_000
    mail = parse_message(raw)
    assert extract_new_text_from_mail(mail) == "1. Wij werken samen in de regio IJsselland.\n2. 3"
    assert mail.content_type == "text/plain" and "header_trimmed" in mail.problems
    assert max(parsed_header_chars) <= 10_000  # no header reaches the parser at full length
    assert sum(parsed_header_chars) <= 100_000  # the bomb alone was ~390,000 characters


@pytest.mark.parametrize("name", ["Content-Type", "Content-Disposition", "To", "References"])
def test_every_absurd_header_is_trimmed_before_parsing(
    name: str, parsed_header_chars: list[int]
) -> None:
    if name.startswith("Content-"):
        value = "inline" if name.endswith("Disposition") else "text/plain; charset=utf-8"
        value += "".join(f';\r\n p{i}="{i}"' for i in range(20_000))
    elif name == "To":
        value = ",\r\n ".join(f"persoon{i} <p{i}@gemeente.example>" for i in range(20_000))
    else:
        value = "\r\n ".join(f"<id{i}@gemeente.example>" for i in range(20_000))
    raw = (
        f"From: Jan <jan@gemeente.example>\r\nSubject: Re: stap 3\r\n{name}: {value}\r\n\r\n"
        "1. Zwolle\r\n"
    ).encode()
    mail = parse_message(raw)
    assert extract_new_text_from_mail(mail) == "1. Zwolle"
    assert sum(parsed_header_chars) <= 100_000


def test_mime_parameters_that_matter_survive_trimming() -> None:
    junk = "".join(f';\r\n x{i}="{i}"' for i in range(5_000))
    raw = (
        "From: Jan <jan@gemeente.example>\r\nSubject: Re: stap 3\r\n"
        f'Content-Type: multipart/alternative{junk}; boundary="GRENS"\r\n\r\n'
        "--GRENS\r\nContent-Type: text/plain; charset=iso-8859-1\r\n"
        "Content-Transfer-Encoding: quoted-printable\r\n\r\n1. co=F6rdinatie\r\n--GRENS--\r\n"
    ).encode()
    mail = parse_message(raw)
    assert mail.body.strip() == "1. coördinatie"


def test_an_inline_image_never_cuts_an_html_reply_and_never_becomes_an_answer() -> None:
    raw = (FIXTURES / "inline_image_html.eml").read_bytes()
    assert len(raw) > 2_100_000
    mail = parse_message(raw)
    text = extract_new_text_from_mail(mail)
    assert text == "1. Vooral met de buurgemeenten in de regio Twente.\n2. 4\n3. A, F"
    assert "html_truncated" not in mail.problems


def test_html_cut_at_the_size_limit_leaves_no_markup_behind() -> None:
    cell = "<td>" + "x" * 50 + "</td>"
    html = (
        "<table><tr>"
        + cell * 60_000
        + '<td><img src="https://example.org/a.png" alt="'
        + ("y" * 500_000)
        + '"></td></tr></table>'
    )
    raw = (
        "From: Jan <jan@gemeente.example>\r\nSubject: Re: stap 3\r\n"
        "Content-Type: text/html; charset=utf-8\r\n\r\n<p>1. Zwolle</p>" + html
    ).encode()
    mail = parse_message(raw)
    assert "<" not in mail.body and "img" not in mail.body and mail.body.startswith("1. Zwolle")
