"""Dutch text into terms: what is counted and what a reader sees."""

from __future__ import annotations

from dialogen.analysis.dutch_text import Lexicon, SurfaceForms, is_stop_word, normalise, terms


def keys(text: str, lexicon: Lexicon | None = None) -> list[str]:
    return [term.key for term in terms(text, lexicon=lexicon)]


def test_function_words_are_left_out() -> None:
    assert keys("Ik denk dat het wel zo is, maar we moeten het niet doen.") == []
    assert is_stop_word("de") and is_stop_word("wordt") and not is_stop_word("jeugdzorg")


def test_forms_of_one_word_meet() -> None:
    assert normalise("gemeenten") == normalise("gemeente")
    assert normalise("regelingen") == normalise("regeling")
    assert normalise("regio's") == normalise("regio")
    assert normalise("financiën") == normalise("financien")


def test_adjacent_content_words_form_a_bigram_but_not_across_a_stop_word() -> None:
    found = terms("De democratische legitimiteit staat onder druk.")
    assert "democratische legitimiteit" in [term.surface for term in found]
    assert not any(" " in key for key in keys("De rol van de raad."))
    assert not any(" " in key for key in keys("Jeugdzorg, brandweer."))


def test_compounds_also_count_as_their_parts() -> None:
    lexicon = Lexicon(["jeugdzorg is duur", "jeugdzorg blijft", "aanbieders", "aanbieders"])
    found = keys("Jeugdzorgaanbieders klagen.", lexicon)
    assert normalise("jeugdzorg") in found and normalise("aanbieders") in found
    assert keys("De gemeenschappelijke regeling.") == keys("De gemeenschappelijke regeling.")
    assert normalise("gemeen") not in keys("De gemeenschappelijke regeling.")


def test_the_reader_sees_the_form_written_most_often() -> None:
    forms = SurfaceForms()
    for text in ("Jeugdzorg is duur.", "De jeugdzorg.", "Over jeugdzorg.", "De GGD", "de GGD"):
        forms.add(terms(text, bigrams=False))
    assert forms.word(normalise("jeugdzorg")) == "jeugdzorg"
    assert forms.word(normalise("ggd")) == "GGD"
    assert forms.word("onbekend") == "onbekend"
