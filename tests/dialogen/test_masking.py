"""Masking personal data in contributions: what other participants see of a shared answer.

The fixtures in ``masking_cases.yaml`` are sentences as officials write them, with what must go
and what must stay; the tests below pin down the checks behind them (mod-97, 11-proof), how
overlapping findings resolve, that masking twice changes nothing, that every municipality
survives, how a facilitator's correction is applied, and that a long text against a long list is
fast.
"""

from __future__ import annotations

import random
import time
from pathlib import Path
from typing import Any

import pytest
import yaml

from dialogen.privacy.checksums import iban_is_valid, passes_eleven_proof
from dialogen.privacy.masking import (
    Category,
    MaskedSpan,
    Masker,
    MaskResult,
    adjust,
    apply_spans,
    mask_text,
)
from dialogen.stakeholders.municipalities import MunicipalityRegistry

FIXTURES = yaml.safe_load((Path(__file__).parent / "masking_cases.yaml").read_text("utf-8"))
CASES: list[dict[str, Any]] = FIXTURES["cases"]
LIST: list[str] = FIXTURES["names"]


@pytest.fixture(scope="module")
def masker() -> Masker:
    return Masker(LIST)


def _case_id(case: dict[str, Any]) -> str:
    kind = "masks" if "expected" in case else "stays"
    return f"{kind}: {' '.join(case['text'].split()[:5])}"


def _masker_for(case: dict[str, Any], default: Masker) -> Masker:
    return Masker(case["names"]) if "names" in case else default


# ================================================================ the fixture set


def test_the_fixture_set_covers_both_sides() -> None:
    stays = [case for case in CASES if "expected" not in case]
    assert len(CASES) >= 100
    assert len(stays) >= 40
    assert len({case["text"] for case in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=_case_id)
def test_fixture(case: dict[str, Any], masker: Masker) -> None:
    result = _masker_for(case, masker).mask(case["text"])
    assert result.text == case.get("expected", case["text"])


@pytest.mark.parametrize("case", CASES, ids=_case_id)
def test_masking_masked_text_changes_nothing(case: dict[str, Any], masker: Masker) -> None:
    chosen = _masker_for(case, masker)
    once = chosen.mask(case["text"])
    twice = chosen.mask(once.text)
    assert twice.text == once.text
    assert twice.spans == ()


# ================================================================ check digits


@pytest.mark.parametrize(
    "iban",
    [
        "NL91 ABNA 0417 1643 00",
        "NL91ABNA0417164300",
        "nl91abna0417164300",
        "BE68 5390 0754 7034",
        "DE89 3704 0044 0532 0130 00",
        "FR14 2004 1010 0505 0001 3M02 606",
        "GB82 WEST 1234 5698 7654 32",
    ],
)
def test_valid_ibans_pass_mod_97(iban: str) -> None:
    assert iban_is_valid(iban)


@pytest.mark.parametrize(
    "iban",
    [
        "NL91 ABNA 0417 1643 01",  # one digit off
        "NL19 ABNA 0417 1643 00",  # check digits swapped
        "NL91 ABNA 0417 1643 0",  # too short for NL
        "NL91 ABNA 0417 1643 000",  # too long for NL
        "XX91 ABNA 0417 1643 00",  # no such country
        "NL00 TEST 0000 0000 00",
        "NL91-ABNA-0417-1643-00",
    ],
)
def test_invalid_ibans_fail(iban: str) -> None:
    assert not iban_is_valid(iban)


def test_an_iban_that_fails_mod_97_is_not_masked() -> None:
    assert mask_text("Rekening NL91 ABNA 1417 1643 00 bestaat niet.").spans == ()


@pytest.mark.parametrize("number", ["111222333", "123456782", "123.456.782", "1234.56.782"])
def test_bsns_pass_the_eleven_proof(number: str) -> None:
    assert passes_eleven_proof(number)


@pytest.mark.parametrize(
    "number", ["123456789", "111222334", "000000000", "12345678", "1234567820"]
)
def test_other_numbers_fail_the_eleven_proof(number: str) -> None:
    assert not passes_eleven_proof(number)


def test_nine_digits_failing_the_eleven_proof_stay() -> None:
    text = "Kenmerk 123456789 en BSN 123456782."
    assert mask_text(text).text == "Kenmerk 123456789 en BSN [bsn]."


# ================================================================ spans and overlaps


def _masked_parts(original: str, result: MaskResult) -> list[tuple[str, Category]]:
    return [(original[s.start : s.end], s.category) for s in result.spans]


def test_spans_point_into_the_original_text(masker: Masker) -> None:
    original = "Wethouder Jansen (j.jansen@ede.nl, 06-12345678) woont op Kerkplein 3a."
    result = masker.mask(original)
    assert _masked_parts(original, result) == [
        ("Jansen", Category.NAME),
        ("j.jansen@ede.nl", Category.EMAIL),
        ("06-12345678", Category.PHONE),
        ("Kerkplein 3a", Category.ADDRESS),
    ]
    assert result.counts == {
        Category.NAME: 1,
        Category.EMAIL: 1,
        Category.PHONE: 1,
        Category.ADDRESS: 1,
    }
    assert result.masked == 4


def test_phone_like_digits_inside_an_iban_are_part_of_the_iban() -> None:
    original = "Rekening NL91 ABNA 0417 1643 00."
    result = mask_text(original)
    assert _masked_parts(original, result) == [("NL91 ABNA 0417 1643 00", Category.IBAN)]


def test_an_e_mail_address_inside_a_link_makes_one_link() -> None:
    original = "Zie https://forms.regio.nl/aanmelden?mail=jan@ede.nl."
    result = mask_text(original)
    assert result.text == "Zie [link]."
    assert [s.category for s in result.spans] == [Category.LINK]


def test_a_listed_name_inside_an_e_mail_address_makes_one_address(masker: Masker) -> None:
    original = "Mail jan.jansen@ede.nl of Jan Jansen zelf."
    assert masker.mask(original).text == "Mail [e-mailadres] of [naam] zelf."


def test_a_name_and_its_later_mentions_never_overlap(masker: Masker) -> None:
    original = "Esther van der Mark, ofwel Esther, ofwel mevrouw Van der Mark."
    result = masker.mask(original)
    assert result.text == "[naam], ofwel [naam], ofwel mevrouw [naam]."
    ends = [(s.start, s.end) for s in result.spans]
    assert all(a_end <= b_start for (_, a_end), (b_start, _) in zip(ends, ends[1:], strict=False))


def test_a_text_without_personal_data_gives_no_spans(masker: Masker) -> None:
    result = masker.mask("In 2024 werkten 12 gemeenten samen; zie artikel 10 van de Wgr.")
    assert result.spans == ()
    assert result.counts == {}


def test_a_result_never_shows_text_in_its_repr(masker: Masker) -> None:
    result = masker.mask("Mevrouw De Vries (06-12345678) vond het een goed idee.")
    shown = repr(result)
    assert shown == "MaskResult(masked=2, naam=1, telefoonnummer=1)"
    assert "Vries" not in shown and "idee" not in shown


# ================================================================ names


def test_a_single_listed_name_is_a_surname_that_needs_a_title() -> None:
    masker = Masker(["Kuipers", "Jo"])
    plain = "Kuipers zei het al. Jo was er niet; de Kuipersstraat wel."
    assert masker.mask(plain).text == plain
    titled = "Kuipers zei het al, en wethouder KUIPERS ook; de Kuipersstraat niet."
    expected = "[naam] zei het al, en wethouder [naam] ook; de Kuipersstraat niet."
    assert masker.mask(titled).text == expected


def test_a_name_can_be_listed_surname_first() -> None:
    masker = Masker(["Vries, Anna de", "Jansen, J. (wethouder)"])
    text = "Anna de Vries en J. Jansen kwamen samen."
    assert masker.mask(text).text == "[naam] en [naam] kwamen samen."


def test_entries_that_are_no_name_are_ignored() -> None:
    masker = Masker(["", "   ", "van der", "(wethouder)", "x" * 200, "Anna de Vries"])
    text = "Van der Mark en mevrouw De Vries spraken over de x-as."
    assert masker.mask(text).text == "Van der Mark en mevrouw [naam] spraken over de x-as."


def test_every_municipality_survives_when_surnames_equal_them() -> None:
    municipalities = [m.name for m in MunicipalityRegistry.load().all()]
    assert len(municipalities) == 342
    names = [f"Jan {name}" for name in municipalities]
    names += [f"Anna van {name}" for name in municipalities]
    masker = Masker(names)
    changed = []
    for name in municipalities:
        text = (
            f"In {name} werkt de gemeente {name} samen; de burgemeester van {name} "
            f"en de wethouder van {name} ook, net als de raad van {name}."
        )
        if masker.mask(text).text != text:
            changed.append(name)
    assert changed == []


# ================================================================ a facilitator's correction


def test_a_facilitator_can_unmask_and_mask_by_offsets(masker: Masker) -> None:
    original = "Wethouder Jansen belde 06-12345678 over het Fietsplan van Kees."
    result = masker.mask(original)
    name = next(s for s in result.spans if s.category is Category.NAME)
    start = original.index("Kees")
    adjusted = adjust(
        original,
        result,
        unmask=[name],
        mask=[MaskedSpan(start, start + len("Kees"), Category.NAME)],
    )
    assert adjusted.text == "Wethouder Jansen belde [telefoonnummer] over het Fietsplan van [naam]."
    assert adjusted.counts == {Category.PHONE: 1, Category.NAME: 1}


def test_a_span_added_over_others_replaces_them(masker: Masker) -> None:
    original = "Bel 06-12345678 of 06-87654321."
    result = masker.mask(original)
    whole = MaskedSpan(4, len(original) - 1, Category.PHONE)
    assert adjust(original, result, mask=[whole]).text == "Bel [telefoonnummer]."


def test_spans_that_overlap_or_leave_the_text_are_refused() -> None:
    with pytest.raises(ValueError):
        apply_spans("abcdef", [MaskedSpan(0, 3, Category.NAME), MaskedSpan(2, 4, Category.BSN)])
    with pytest.raises(ValueError):
        apply_spans("abc", [MaskedSpan(1, 5, Category.NAME)])
    with pytest.raises(ValueError):
        MaskedSpan(3, 3, Category.NAME)


# ================================================================ speed


def _participant_list(size: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    given = "Jan Piet Kees Anna Esther Sanne Lotte Fleur Willem Henk Joost Roos Karin Bram Daan"
    infixes = ["", "", "", "van ", "de ", "van der ", "van den ", "ter ", "'t "]
    surnames = (
        "Jansen Vries Bakker Visser Smit Meijer Mulder Boer Dijkstra Bos Vos Peters Hendriks "
        "Dekker Brouwer Wit Dijk Graaf Veen Heuvel Berg Kok Jacobs Haan Vermeulen Schouten "
        "Willems Hoekstra Koster Prins Kuipers Post Huisman Best Ede Putten Venlo Bergen"
    )
    names: set[str] = set()
    while len(names) < size:
        names.add(
            f"{rng.choice(given.split())} {rng.choice(infixes)}{rng.choice(surnames.split())}"
        )
    return sorted(names)


def test_a_long_text_against_a_long_list_is_fast() -> None:
    names = _participant_list(1000, seed=7)
    rng = random.Random(7)
    pieces = [
        "De regio werkt samen met wethouder Jansen en mevrouw De Vries aan de Wgr.",
        f"{names[10]} belde 06-12345678 en mailde j.jansen@ede.nl over de begroting.",
        "In Best, Ede en Bergen (NH.) willen 15.000 inwoners meer grip op de regio.",
        "Zie https://vng.nl/rubrieken/over-de-vng en artikel 12 lid 3 van de Wgr.",
    ]
    text = ""
    while len(text) < 2000:
        text += rng.choice(pieces) + " "
    text = text[:2000]

    started = time.perf_counter()
    masker = Masker(names)
    built = time.perf_counter() - started
    started = time.perf_counter()
    for _ in range(10):
        result = masker.mask(text)
    per_text = (time.perf_counter() - started) / 10

    assert result.counts[Category.NAME] > 0 and result.counts[Category.PHONE] > 0
    # Measured: about 0.1 s to build, 2-10 ms per text; the bounds leave room for a busy machine.
    assert built < 3.0
    assert per_text < 0.1
