"""Reply headers, separators and signatures as the major clients write them in the EU's
languages (and Frisian, Norwegian, Russian, Ukrainian); never nothing from a mail that has text."""

from __future__ import annotations

import pytest

from bot.mail.inbound.extract import extract_new_text
from bot.mail.inbound.reading import domain_input
from bot.mail.inbound.reply_phrases import LANGUAGES
from dialogen.dialogue.loader import default_dialogue_path, load_dialogue

TOP = "2. 4\n3. A, C"
QUOTED = "> 1. Welk beeld heeft u van de regionale samenwerking?\n> 2. Hoe tevreden bent u?"
ORIGINAL = "Geachte heer, mevrouw,\n\n1. Welk beeld heeft u?\n\n2. Hoe tevreden bent u?"


def _fill(template: str) -> str:
    return template.format(
        who="Verenigingsdialoog <dialoog@vng.example>", date="1.10.2024", time="10:12"
    )


def _cases() -> list[tuple[str, str]]:
    cases: list[tuple[str, str]] = []
    for code, language in LANGUAGES.items():
        for number, template in enumerate(language.wrote):
            cases.append((f"{code}-wrote-{number}", f"{TOP}\n\n{_fill(template)}\n{QUOTED}"))
        fields = language.fields
        block = "\n".join(
            f"{fields[role][0]}: {value}"
            for role, value in (
                ("from", "Verenigingsdialoog <dialoog@vng.example>"),
                ("date", "1.10.2024 10:12"),
                ("to", "Petra Jansen <p.jansen@gemeente.example>"),
                ("subject", "Stap Verkennen"),
            )
        )
        cases.append((f"{code}-header-block", f"{TOP}\n\n{block}\n\n{ORIGINAL}"))
        for number, separator in enumerate(language.separators):
            cases.append(
                (f"{code}-separator-{number}", f"{TOP}\n\n-------- {separator} --------\n{block}")
            )
        for number, phrase in enumerate(language.sent_from):
            cases.append((f"{code}-sent-from-{number}", f"{TOP}\n\n{phrase} iPhone\n\n{QUOTED}"))
    return cases


@pytest.mark.parametrize(("body"), [body for _, body in _cases()], ids=[n for n, _ in _cases()])
def test_every_languages_reply_header_ends_the_new_text(body: str) -> None:
    assert extract_new_text(body) == TOP


@pytest.mark.parametrize(
    "body",
    [
        # a long name and the address pushed onto the next lines
        f"{TOP}\n\nVan: Jansen-de Groot, Petronella (Gemeente Zwartewaterland, afdeling\n"
        "Bestuursondersteuning) <p.jansen@zwartewaterland.example>\nVerzonden: dinsdag 1 "
        "oktober 2024 10:12\nAan: Verenigingsdialoog\n<dialoog@vng.example>\nOnderwerp: Stap\n\n"
        + ORIGINAL,
        f"{TOP}\n\nOn Tue, Oct 1, 2024 at 10:12 AM Verenigingsdialoog regionale samenwerking <\n"
        f"dialoog+abcdefghijklmnopqrstuvwxyz234567@vng.example> wrote:\n\n{QUOTED}",
        f"{TOP}\n\nOp di 1 okt 2024 om 10:12 schreef Verenigingsdialoog regionale\nsamenwerking <"
        f"\ndialoog@vng.example>:\n\n{QUOTED}",
        # starting with the date
        f"{TOP}\n\nAm 01.10.2024 um 12:47 schrieb Verenigingsdialoog <dialoog@vng.example>:\n"
        + QUOTED,
        f"{TOP}\n\nLe mar. 1 oct. 2024 à 12:47, Verenigingsdialoog <dialoog@vng.example> a "
        f"écrit :\n\n{QUOTED}",
        f"{TOP}\n\nDatum: 1 oktober 2024 10:12\nVan: Verenigingsdialoog\nAan: Petra\n"
        f"Onderwerp: Stap\n\n{ORIGINAL}",
        # decorated and ruled separators
        f"{TOP}\n\n________________________________\nVan: Verenigingsdialoog\n\n{ORIGINAL}",
        f"{TOP}\n\n------------------ Original ------------------\n{ORIGINAL}",
        f"{TOP}\n\n--- Original ---\nFrom: Verenigingsdialoog\n{ORIGINAL}",
        f"{TOP}\n\n——— Doorgestuurd bericht ———\n{ORIGINAL}",
        f"{TOP}\n\n==============================\nVan: Verenigingsdialoog <dialoog@vng.example>\n"
        f"Datum: 1 oktober 2024\nAan: Petra\nOnderwerp: Stap\n\n{ORIGINAL}",
        # invisible characters some webmail adds
        "2. 4\u200b\u200e\n3. A, C\u00a0\ufeff\u00ad\u200f\u202c\n\n" + QUOTED,
        # sent from a phone, any language
        f"{TOP}\n\nEnvoyé de mon iPhone\n\n{QUOTED}",
        f"{TOP}\n\nОтправлено с iPhone\n\n{QUOTED}",
        f"{TOP}\n\nНадіслано з iPhone\n\n{QUOTED}",
        f"{TOP}\n\nLähetetty iPhonesta\n\n{QUOTED}",
        f"{TOP}\n\nWysłane z iPhone'a",
        f"{TOP}\n\nVerzonden vanaf mijn Galaxy",
        f"{TOP}\n\nGet Outlook for Android<https://aka.ms/AAb9ysg>",
    ],
    ids=[
        "wrapped-outlook-block",
        "gmail-address-on-next-line",
        "gmail-nl-three-lines",
        "am-date-schrieb",
        "le-date-a-ecrit",
        "header-block-date-first",
        "outlook-underscores",
        "foxmail-original",
        "dashes-original",
        "em-dash-forward",
        "ruled-line-then-header",
        "invisible-characters",
        "fr-iphone",
        "ru-iphone",
        "uk-iphone",
        "fi-iphone",
        "pl-iphone",
        "samsung-nl",
        "outlook-android",
    ],
)
def test_real_world_headers_separators_and_signatures(body: str) -> None:
    assert extract_new_text(body) == TOP


def test_text_that_only_resembles_a_reply_header_is_kept() -> None:
    kept = (
        "2. Zoals ik eerder schreef:\nde regio is te groot.\n\n"
        "3. Wij werken met Outlook en Teams, maar de regio niet.\nDat is lastig."
    )
    assert extract_new_text(kept) == kept


def test_a_forward_keeps_the_line_written_above_it() -> None:
    body = (
        "Ter info, mijn antwoord: 2. 4\n\n---------- Forwarded message ---------\n"
        "From: Verenigingsdialoog <dialoog@vng.example>\nDate: Tue, Oct 1, 2024 at 10:12 AM\n"
        f"Subject: Stap Verkennen\nTo: <p.jansen@gemeente.example>\n\n{ORIGINAL}"
    )
    assert extract_new_text(body) == "Ter info, mijn antwoord: 2. 4"


def test_a_citation_the_participant_wrote_between_their_own_lines_is_kept() -> None:
    body = (
        "2. 4\n\n3. A, C\n> De raad moet aan het stuur blijven. (uit onze regiovisie)\n"
        f"Daarom kies ik A.\n\nOp di 1 okt 2024 om 10:12 schreef Dialoog <dialoog@vng.example>:\n"
        f"{QUOTED}"
    )
    assert extract_new_text(body) == (
        "2. 4\n\n3. A, C\n> De raad moet aan het stuur blijven. (uit onze regiovisie)\n"
        "Daarom kies ik A."
    )


@pytest.mark.parametrize(
    "body",
    [
        f"Op di 1 okt 2024 om 10:12 schreef Dialoog <dialoog@vng.example>:\n{QUOTED}",
        "\n\nVan: Dialoog\nVerzonden: dinsdag 1 oktober 2024\nAan: Petra\nOnderwerp: x\n\n"
        + ORIGINAL,
        f"Verzonden vanaf mijn iPhone\n\n{QUOTED}",
    ],
    ids=["gmail", "outlook", "iphone"],
)
def test_a_reply_that_is_only_a_quote_has_no_new_text(body: str) -> None:
    assert extract_new_text(body) == ""


def test_numbers_without_answers_are_no_answer_at_all() -> None:
    step = load_dialogue(default_dialogue_path()).step("verkennen")
    assert domain_input(step, "1.\n2.") is None
    assert domain_input(step, "2. 4") is not None
