"""The participant's own data in the pure engine: 'mijn gegevens' asks the door to show what is
stored, 'gegevens wijzigen' changes role, municipality, name or channel at any time (marked as
their own correction), 'verwijder mij' erases after a confirmation — also by mail."""

from __future__ import annotations

from dataclasses import replace

import pytest

from dialogen.conversation import messages as msg
from dialogen.conversation.inputs import Answers, Text
from dialogen.conversation.replies import Prompt, Say
from dialogen.conversation.state import ConversationState, Decision, Erasure, Phase
from dialogen.dialogue.definition import Dialogue
from dialogen.stakeholders.municipalities import MunicipalityRegistry
from tests.support.engine_person import PROFILE, Person


@pytest.fixture
def person(real_dialogue: Dialogue, registry: MunicipalityRegistry) -> Person:
    """At the second question of Verkennen, with an e-mail address on record."""
    someone = Person(real_dialogue, registry, profile=replace(PROFILE, has_email=True))
    someone.state = ConversationState(
        Phase.ANSWERING, step_key="verkennen", question_id="waardering"
    )
    someone.answers = {"verkennen": {"beeld": "Wij werken veel samen in de regio."}}
    return someone


def texts(decision: Decision) -> str:
    return "\n".join(r.text for r in decision.replies if isinstance(r, Say | Prompt))


def asked(decision: Decision) -> Prompt:
    return [r for r in decision.replies if isinstance(r, Prompt)][-1]


def test_my_data_asks_the_door_to_show_it_and_changes_nothing(person: Person) -> None:
    before = person.state
    decision = person.send(Text("Mijn gegevens"))
    assert decision.disclose and decision.event == "my_data"
    assert person.state == before and decision.profile is None and not decision.answers
    assert asked(decision).input_id == "q:verkennen:waardering"  # and on with the question


def test_the_help_names_the_commands_for_one_s_own_data(person: Person) -> None:
    shown = texts(person.send(Text("help")))
    for word in ("mijn gegevens", "gegevens wijzigen", "verwijder mij"):
        assert f"**{word}**" in shown


def test_changing_the_name_is_marked_as_their_own_correction(person: Person) -> None:
    assert asked(person.send(Text("gegevens wijzigen"))).input_id == "change"
    assert asked(person.send(Text("2"))).input_id == "name"
    decision = person.send(Text("Anna  de   Vries"))
    assert person.profile.name == "Anna de Vries" and decision.corrected == {"name"}
    assert msg.name_saved("Anna de Vries") in texts(decision)
    assert person.state.phase is Phase.ANSWERING and person.state.question_id == "waardering"
    decision = person.send(Text("gegevens wijzigen"))
    person.send(Text("naam"))
    decision = person.send(Text("geen"))
    assert person.profile.name is None and decision.corrected == {"name"}


def test_changing_the_channel_needs_an_address_for_mail(
    person: Person, real_dialogue: Dialogue, registry: MunicipalityRegistry
) -> None:
    person.send(Text("gegevens wijzigen"))
    person.send(Text("kanaal"))
    decision = person.send(Text("per e-mail"))
    assert person.profile.channel == "mail" and decision.corrected == {"channel"}
    without = Person(real_dialogue, registry)  # no address known
    without.state = person.state
    without.send(Text("gegevens wijzigen"))
    without.send(Text("kanaal"))
    decision = without.send(Text("mail"))
    assert without.profile.channel == "teams" and msg.NO_EMAIL_FOR_MAIL in texts(decision)
    assert not decision.corrected


def test_changing_role_and_municipality_reuses_the_profile_questions(person: Person) -> None:
    person.send(Text("gegevens wijzigen"))
    assert asked(person.send(Text("rol"))).input_id == "role"
    assert asked(person.send(Text("griffier"))).input_id == "municipality"
    decision = person.send(Text("Zwolle"))
    assert (person.profile.role, person.profile.municipality_code) == ("griffier", "GM0193")
    assert "Genoteerd: griffier, gemeente Zwolle" in texts(decision)
    assert person.state.phase is Phase.ANSWERING  # on with the step
    assert person.state.resume_phase is None


def test_nothing_to_change_goes_back_where_they_were(person: Person) -> None:
    person.send(Text("gegevens wijzigen"))
    decision = person.send(Text("niets"))
    assert msg.NOTHING_CHANGED in texts(decision) and decision.profile is None
    assert asked(decision).input_id == "q:verkennen:waardering"


def test_erasing_asks_first_and_keeps_the_answers_unless_asked(person: Person) -> None:
    decision = person.send(Text("verwijder mij"))
    assert asked(decision).input_id == "erase" and "Uw antwoorden blijven bewaard" in texts(
        decision
    )
    decision = person.send(Text("nee"))
    assert decision.erase is None and msg.ERASE_CANCELLED in texts(decision)
    assert person.state.question_id == "waardering"
    person.send(Text("verwijder mij"))
    decision = person.send(Text("ja"))
    assert decision.erase == Erasure(with_answers=False) and msg.ERASED in texts(decision)


def test_erasing_the_answers_too(person: Person) -> None:
    assert asked(person.send(Text("Verwijder mij en mijn antwoorden"))).input_id == "erase_all"
    decision = person.send(Text("ja"))
    assert decision.erase == Erasure(with_answers=True) and msg.ERASED_ALL in texts(decision)


def test_the_answers_can_be_added_to_an_erasure_being_confirmed(person: Person) -> None:
    person.send(Text("verwijder mij"))
    assert asked(person.send(Text("verwijder mij en mijn antwoorden"))).input_id == "erase_all"


def test_someone_who_opted_out_can_still_see_and_erase_their_data(person: Person) -> None:
    person.state = ConversationState(Phase.OPTED_OUT)
    person.profile = replace(person.profile, opted_out=True)
    assert person.send(Text("mijn gegevens")).disclose
    person.send(Text("verwijder mij"))
    assert person.send(Text("ja")).erase == Erasure(with_answers=False)


def test_a_plain_ja_by_mail_confirms_an_erasure(person: Person) -> None:
    person.send(Answers("verkennen", (), "verwijder mij"))
    decision = person.send(Answers("verkennen", (), "Ja"))
    assert decision.erase == Erasure(with_answers=False)


def test_numbered_answers_by_mail_are_still_answers_while_a_question_is_open(
    person: Person,
) -> None:
    decision = person.send(Answers("verkennen", ((2, "4"),)))
    assert [c.question_id for c in decision.answers] == ["waardering"]
