"""Whole conversations through the pure engine: ``decide(Turn, input)`` with the returned state and
answer changes fed back, as the service does. The clock is a plain value: moving ``now`` is how a
participant "comes back days later" or "finds the step closed"."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from dialogen.conversation.inputs import Input, Install, Submit, Text
from dialogen.conversation.replies import Prompt, PromptKind, Say
from dialogen.conversation.state import ConversationState, Decision, Phase, Profile
from dialogen.dialogue.definition import Dialogue
from dialogen.stakeholders.municipalities import MunicipalityRegistry
from tests.support.engine_person import Person

AMS = ZoneInfo("Europe/Amsterdam")
OCT_1 = datetime(2024, 10, 1, 10, 0, tzinfo=AMS)  # Verkennen is open (until 7 October 23:59)
AFTER_VERKENNEN = datetime(2024, 10, 8, 8, 0, tzinfo=AMS)  # between Verkennen and Verrijken
VERRIJKEN_OPEN = datetime(2024, 10, 8, 10, 0, tzinfo=AMS)

# A valid answer for each Verkennen question, in the order they are asked.
VERKENNEN_ANSWERS: list[tuple[str, str, Any]] = [
    (
        "beeld",
        "We werken samen in veel verbanden, maar de raad ziet weinig.",
        "We werken samen in veel verbanden, maar de raad ziet weinig.",
    ),
    ("waardering", "4", 4),
    ("themas", "1, 5 en 7", ["democratische-legitimiteit", "afstand-inwoner", "expertise"]),
    ("obstakel", "B", "verschillende-belangen"),
    (
        "obstakel-toelichting",
        "Bij de GGD beslist het dagelijks bestuur zonder ons.",
        "Bij de GGD beslist het dagelijks bestuur zonder ons.",
    ),
    (
        "oplossing",
        "Een gezamenlijke raadsadviescommissie werkt goed.",
        "Een gezamenlijke raadsadviescommissie werkt goed.",
    ),
    ("rol-vng", "Kennis delen en het Rijk aanspreken.", "Kennis delen en het Rijk aanspreken."),
]


class Participant(Person):
    """A small driver: keeps what the service persists (state, profile, answers) between turns."""

    def __init__(
        self,
        dialogue: Dialogue,
        registry: MunicipalityRegistry,
        *,
        now: datetime = OCT_1,
        profile: Profile | None = None,
        state: ConversationState | None = None,
        answers: Mapping[str, Mapping[str, Any]] | None = None,
    ) -> None:
        super().__init__(dialogue, registry, profile=profile or Profile(), now=now)
        self.state = state or ConversationState()
        self.answers = {k: dict(v) for k, v in (answers or {}).items()}
        self.last: Decision | None = None

    def send(self, message: Input | str) -> Decision:
        self.last = super().send(Text(message) if isinstance(message, str) else message)
        return self.last

    def says(self, message: Input | str) -> str:
        """Send, and return everything the participant sees, as one text."""
        return seen(self.send(message))

    @property
    def prompt(self) -> Prompt:
        """The last thing the participant was asked."""
        assert self.last is not None
        prompts = [r for r in self.last.replies if isinstance(r, Prompt)]
        assert prompts, f"nothing was asked; the bot said: {seen(self.last)!r}"
        return prompts[-1]

    @property
    def phase(self) -> Phase:
        return self.state.phase

    def persisted(self) -> str:
        """What the service stores for this participant, as JSON (the progress row)."""
        return json.dumps(self.state.to_dict())


def seen(decision: Decision) -> str:
    parts: list[str] = []
    for reply in decision.replies:
        if isinstance(reply, Say):
            parts.append(reply.text)
        else:
            assert isinstance(reply, Prompt)
            parts += [
                reply.text,
                *(c.label for c in reply.choices),
                reply.hint or "",
                reply.progress or "",
            ]
            if reply.current:
                parts.append(reply.current)
    return "\n".join(parts)


@pytest.fixture
def dialogue(real_dialogue: Dialogue) -> Dialogue:
    return real_dialogue


@pytest.fixture
def newcomer(dialogue: Dialogue, registry: MunicipalityRegistry) -> Participant:
    return Participant(dialogue, registry)


def onboard(p: Participant, role: str = "raadslid", municipality: str = "Utrecht") -> None:
    p.send(Install())
    p.send("ja")
    p.send(role)
    p.send(municipality)
    assert p.phase is Phase.ANSWERING, seen(p.last)


def answer_up_to(p: Participant, question_id: str) -> None:
    """Answer Verkennen questions until ``question_id`` is the one being asked."""
    for qid, typed, _ in VERKENNEN_ANSWERS:
        if qid == question_id:
            break
        assert p.state.question_id == qid
        p.send(typed)
    assert p.state.question_id == question_id


@pytest.fixture
def answering(newcomer: Participant) -> Participant:
    """A raadslid of Utrecht at the first Verkennen question."""
    onboard(newcomer)
    return newcomer


@pytest.fixture
def completed(answering: Participant) -> Participant:
    """A participant who answered every Verkennen question."""
    for _, typed, _ in VERKENNEN_ANSWERS:
        answering.send(typed)
    assert answering.phase is Phase.IDLE
    return answering


# ================================================================ the whole conversation


def test_a_newcomer_walks_from_welcome_through_the_whole_verkennen_step(
    newcomer: Participant,
) -> None:
    p = newcomer
    welcome = p.says(Install())
    assert "Verenigingsdialoog regionale samenwerking" in welcome
    assert "anoniem" in welcome  # the privacy promise comes before the consent question
    assert p.prompt.input_id == "consent" and p.phase is Phase.CONSENT

    role_question = p.says("Ja, ik doe mee")
    assert p.profile.consent is True
    assert p.prompt.input_id == "role"
    for role in (
        "Raadslid",
        "Burgemeester",
        "Wethouder",
        "Gemeentesecretaris",
        "Griffier",
        "Gemeenteambtenaar",
        "samenwerkingsverband",
        "Anders",
    ):
        assert role in role_question

    p.send("raadslid")
    assert p.prompt.input_id == "municipality" and p.prompt.kind is PromptKind.OPEN

    start = p.says("Utrecht")
    assert "raadslid" in start and "Utrecht" in start
    assert (p.profile.role, p.profile.municipality_code) == ("raadslid", "GM0344")
    assert "Stap Verkennen" in start
    assert "7 oktober 2024 om 23:59" in start  # the deadline
    assert "7 vragen" in start
    assert p.prompt.input_id == "q:verkennen:beeld"
    assert p.prompt.progress == "Vraag 1 van 7"

    for number, (qid, typed, value) in enumerate(VERKENNEN_ANSWERS, start=1):
        assert p.state.question_id == qid
        assert p.prompt.progress == f"Vraag {number} van 7"
        decision = p.send(typed)
        assert [(c.question_id, c.value) for c in decision.answers] == [(qid, value)]

    done = seen(p.last)
    assert "alle vragen van stap Verkennen" in done
    assert (
        "Verrijken" in done and "dinsdag 8 oktober 2024 om 09:00" in done
    )  # when the next step opens
    assert p.phase is Phase.IDLE
    assert p.state.completed_steps == ("verkennen",)
    assert p.answers["verkennen"] == {qid: value for qid, _, value in VERKENNEN_ANSWERS}


def test_each_question_is_asked_with_its_choices_and_a_hint(answering: Participant) -> None:
    asked: dict[str, Prompt] = {}
    for qid, typed, _ in VERKENNEN_ANSWERS:
        asked[qid] = answering.prompt
        answering.send(typed)
    assert asked["beeld"].kind is PromptKind.OPEN and not asked["beeld"].choices
    assert asked["waardering"].kind is PromptKind.SCALE
    assert [c.value for c in asked["waardering"].choices] == ["1", "2", "3", "4", "5"]
    assert (
        "Zeer ontevreden" in asked["waardering"].hint
        and "Zeer tevreden" in asked["waardering"].hint
    )
    assert asked["themas"].kind is PromptKind.MULTIPLE and asked["themas"].max_picks == 3
    assert "maximaal 3" in asked["themas"].hint
    assert asked["obstakel"].kind is PromptKind.SINGLE and len(asked["obstakel"].choices) == 6
    assert (
        asked["obstakel-toelichting"].optional and "overslaan" in asked["obstakel-toelichting"].hint
    )
    assert not asked["oplossing"].optional


def test_a_rejected_answer_keeps_the_participant_at_the_question(answering: Participant) -> None:
    p = answering
    assert "Minimaal 10 tekens" in p.says("Goed")
    assert p.state.question_id == "beeld" and not p.last.answers
    p.send(VERKENNEN_ANSWERS[0][1])
    said = p.says("9")
    assert "1 tot en met 5" in said
    assert p.prompt.input_id == "q:verkennen:waardering"  # asked again
    p.send("3")
    assert "maximaal 3" in p.says("1 2 3 4")
    assert p.state.question_id == "themas" and "themas" not in p.answers["verkennen"]


# ================================================================ profile


def test_municipality_by_its_everyday_name(newcomer: Participant) -> None:
    onboard(newcomer, role="wethouder", municipality="Den Haag")
    assert newcomer.profile.municipality_code == "GM0518"
    assert "'s-Gravenhage" in seen(newcomer.last)


def test_an_ambiguous_municipality_offers_suggestions_to_pick_from(
    newcomer: Participant, registry: MunicipalityRegistry
) -> None:
    p = newcomer
    p.send(Install())
    p.send("ja")
    p.send("griffier")
    p.send("Bergen")
    assert p.phase is Phase.MUNICIPALITY
    offered = [c.value for c in p.prompt.choices]
    assert {"GM0373", "GM0893"} <= set(offered)  # Bergen (NH.) and Bergen (L.)
    assert "Noord-Holland" in seen(p.last) and "Limburg" in seen(p.last)
    assert offered[-1] == "anders"
    said = p.says(str(offered.index("GM0373") + 1))
    assert p.profile.municipality_code == "GM0373"
    assert "Noord-Holland" in said
    assert p.phase is Phase.ANSWERING


def test_none_of_the_suggestions_asks_for_the_name_again(newcomer: Participant) -> None:
    p = newcomer
    p.send(Install())
    p.send("ja")
    p.send("griffier")
    p.send("Bergen")
    p.send(str(len(p.prompt.choices)))  # "Een andere gemeente"
    assert p.phase is Phase.MUNICIPALITY and p.prompt.kind is PromptKind.OPEN
    p.send("Bergen op Zoom")
    assert p.profile.municipality_code == "GM0748"


def test_an_unknown_municipality_asks_again(newcomer: Participant) -> None:
    p = newcomer
    p.send(Install())
    p.send("ja")
    p.send("burgemeester")
    said = p.says("Atlantis")
    assert "niet vinden" in said
    assert p.phase is Phase.MUNICIPALITY and p.profile.municipality_code is None
    p.send("Utrecht")
    assert p.profile.municipality_code == "GM0344"


def test_a_director_of_a_cooperation_body_may_name_no_municipality(newcomer: Participant) -> None:
    p = newcomer
    p.send(Install())
    p.send("ja")
    assert "'geen'" in p.says("7")  # bestuurder of directeur samenwerkingsverband
    said = p.says("geen")
    assert p.profile.role == "bestuurder-samenwerkingsverband"
    assert p.profile.municipality_code is None
    assert "Stap Verkennen" in said and p.phase is Phase.ANSWERING


def test_a_councillor_must_name_a_municipality(newcomer: Participant) -> None:
    p = newcomer
    p.send(Install())
    p.send("ja")
    p.send("raadslid")
    p.send("geen")
    assert p.phase is Phase.MUNICIPALITY


def test_an_unknown_role_is_asked_again(newcomer: Participant) -> None:
    p = newcomer
    p.send(Install())
    p.send("ja")
    assert "niet begrepen" in p.says("astronaut")
    assert p.phase is Phase.ROLE and p.prompt.input_id == "role"
    p.send("Wethouder")
    assert p.profile.role == "wethouder"


def test_a_profile_known_from_the_invitation_is_confirmed(
    dialogue: Dialogue, registry: MunicipalityRegistry
) -> None:
    p = Participant(
        dialogue, registry, profile=Profile(role="wethouder", municipality_code="GM0363")
    )
    p.send(Install())
    check = p.says("ja")
    assert "Klopt dat?" in check and "wethouder" in check and "Amsterdam" in check
    assert p.prompt.input_id == "profile"
    started = p.says("ja")
    assert "Stap Verkennen" in started
    assert (p.profile.role, p.profile.municipality_code) == ("wethouder", "GM0363")


def test_a_profile_known_from_the_invitation_can_be_changed(
    dialogue: Dialogue, registry: MunicipalityRegistry
) -> None:
    p = Participant(
        dialogue, registry, profile=Profile(role="wethouder", municipality_code="GM0363")
    )
    p.send(Install())
    p.send("ja")
    p.send("Nee, dat wil ik aanpassen")
    assert p.prompt.input_id == "role"
    p.send("burgemeester")
    p.send("Rotterdam")
    assert (p.profile.role, p.profile.municipality_code) == ("burgemeester", "GM0599")
    assert p.phase is Phase.ANSWERING


def test_back_from_the_municipality_question_asks_the_role_again(newcomer: Participant) -> None:
    p = newcomer
    p.send(Install())
    p.send("ja")
    p.send("raadslid")
    p.send("terug")
    assert p.prompt.input_id == "role"
    p.send("griffier")
    p.send("Utrecht")
    assert p.profile.role == "griffier"


# ================================================================ commands


def test_help_lists_the_commands_and_asks_the_question_again(answering: Participant) -> None:
    said = answering.says("help")
    for word in ("status", "terug", "overslaan", "mijn antwoorden", "pauze", "afmelden"):
        assert word in said
    assert answering.prompt.input_id == "q:verkennen:beeld"
    assert not answering.last.answers


@pytest.mark.parametrize("phase_setup", ["consent", "role", "idle", "opted_out"])
def test_help_works_in_every_phase(newcomer: Participant, phase_setup: str) -> None:
    p = newcomer
    p.send(Install())
    if phase_setup in ("role", "idle", "opted_out"):
        p.send("ja")
    if phase_setup in ("idle", "opted_out"):
        p.send("raadslid")
        p.send("Utrecht")
        for _, typed, _ in VERKENNEN_ANSWERS:
            p.send(typed)
    if phase_setup == "opted_out":
        p.send("afmelden")
        p.send("ja")
    before = p.state
    said = p.says("help")
    assert "afmelden" in said and "mijn antwoorden" in said
    assert p.state == before


def test_status_tells_the_step_its_deadline_and_progress(answering: Participant) -> None:
    answer_up_to(answering, "themas")
    said = answering.says("status")
    assert "Verkennen" in said and "maandag 7 oktober 2024 om 23:59" in said
    assert "2 van de 7" in said
    assert "Verrijken" in said and "8 oktober 2024 om 09:00" in said
    assert answering.prompt.input_id == "q:verkennen:themas"  # and back to the question


def test_status_before_taking_part_does_not_say_the_participant_declined(
    newcomer: Participant,
) -> None:
    newcomer.send(Install())
    said = newcomer.says("status")
    assert "Jammer" not in said
    assert "nog niet mee" in said
    assert newcomer.prompt.input_id == "consent"


def test_status_between_steps_tells_when_the_next_one_opens(completed: Participant) -> None:
    completed.now = AFTER_VERKENNEN
    said = completed.says("status")
    assert "geen stap open" in said and "Verrijken" in said and "8 oktober 2024 om 09:00" in said


def test_status_after_the_last_step_says_the_dialogue_is_over(completed: Participant) -> None:
    completed.now = datetime(2024, 12, 21, 10, 0, tzinfo=AMS)
    assert "afgerond" in completed.says("status")


def test_back_at_the_first_question_says_so(answering: Participant) -> None:
    said = answering.says("terug")
    assert "eerste vraag" in said
    assert answering.prompt.input_id == "q:verkennen:beeld"


def test_back_shows_the_earlier_answer_and_a_new_answer_replaces_it(answering: Participant) -> None:
    p = answering
    answer_up_to(p, "themas")
    p.send("terug")
    assert p.prompt.input_id == "q:verkennen:waardering"
    assert p.prompt.current == "4 (van 1 tot 5)"  # the answer given before
    said = p.says("2")
    assert "opgeslagen" in said
    assert p.answers["verkennen"]["waardering"] == 2
    assert p.state.question_id == "themas"  # back where the participant was


def test_back_from_a_completed_step_changes_the_last_answer(completed: Participant) -> None:
    p = completed
    p.send("terug")
    assert p.prompt.input_id == "q:verkennen:rol-vng"
    assert p.prompt.current == "Kennis delen en het Rijk aanspreken."
    said = p.says("Vooral het Rijk aanspreken op regio-indelingen.")
    assert "opgeslagen" in said
    assert "alle vragen" not in said  # no second "step complete"
    assert p.answers["verkennen"]["rol-vng"] == "Vooral het Rijk aanspreken op regio-indelingen."
    assert p.phase is Phase.IDLE
    p.send("terug")
    p.send("terug")
    assert p.prompt.input_id == "q:verkennen:oplossing"


def test_back_in_a_new_step_with_nothing_answered_has_nothing_to_go_back_to(
    completed: Participant,
) -> None:
    completed.now = VERRIJKEN_OPEN
    assert "geen vorige vraag" in completed.says("terug")
    assert not completed.last.answers and completed.phase is Phase.IDLE


def test_skipping_an_optional_question(answering: Participant) -> None:
    p = answering
    answer_up_to(p, "obstakel-toelichting")
    said = p.says("overslaan")
    assert "overgeslagen" in said
    assert p.state.question_id == "oplossing"
    assert "obstakel-toelichting" not in p.answers["verkennen"]
    assert not p.last.answers


def test_skipping_a_required_question_is_refused(answering: Participant) -> None:
    said = answering.says("overslaan")
    assert "verplicht" in said
    assert answering.state.question_id == "beeld" and not answering.last.answers


def test_skipping_the_last_optional_question_completes_the_step(answering: Participant) -> None:
    answer_up_to(answering, "rol-vng")
    said = answering.says("overslaan")
    assert "alle vragen van stap Verkennen" in said
    assert answering.state.completed_steps == ("verkennen",)


def test_status_counts_skipped_questions_and_says_when_the_step_is_done(
    answering: Participant,
) -> None:
    answer_up_to(answering, "obstakel-toelichting")
    answering.send("overslaan")
    assert "4 van de 7 vragen beantwoord en 1 overgeslagen" in answering.says("status")
    qid, typed, _ = VERKENNEN_ANSWERS[5]
    assert answering.state.question_id == qid == "oplossing"
    answering.send(typed)
    answering.send("overslaan")  # rol-vng, the last one
    said = answering.says("status")
    assert "U heeft deze stap af: 5 van de 7 vragen beantwoord en 2 overgeslagen" in said
    assert "Tot maandag 7 oktober 2024 om 23:59 kunt u uw antwoorden nog aanpassen" in said


def test_a_skipped_question_can_still_be_answered_after_going_back(answering: Participant) -> None:
    p = answering
    answer_up_to(p, "obstakel-toelichting")
    p.send("overslaan")
    for _, typed, _ in VERKENNEN_ANSWERS[5:]:
        p.send(typed)
    assert p.state.completed_steps == ("verkennen",)
    p.send("terug")
    p.send("terug")
    p.send("terug")
    assert p.prompt.input_id == "q:verkennen:obstakel-toelichting" and p.prompt.current is None
    said = p.says("Een voorbeeld uit de praktijk van onze regio.")
    assert "opgeslagen" in said  # the participant hears the answer was taken
    assert (
        p.answers["verkennen"]["obstakel-toelichting"]
        == "Een voorbeeld uit de praktijk van onze regio."
    )


def test_skip_when_no_question_is_open(completed: Participant) -> None:
    assert "geen vraag open" in completed.says("overslaan")


def test_my_answers_lists_the_answers_with_labels(answering: Participant) -> None:
    p = answering
    assert "nog geen antwoorden" in p.says("mijn antwoorden")
    answer_up_to(p, "obstakel")
    said = p.says("mijn antwoorden")
    assert "zonder uw naam" in said
    assert VERKENNEN_ANSWERS[0][2] in said
    assert "Afstand tot de inwoner" in said and "Bundelen van kennis en expertise" in said
    assert "4 (van 1 tot 5)" in said
    assert p.prompt.input_id == "q:verkennen:obstakel"  # back to the question


def test_pause_and_continue(answering: Participant) -> None:
    p = answering
    answer_up_to(p, "themas")
    assert "verder" in p.says("pauze")
    assert p.phase is Phase.PAUSED
    said = p.says("verder")
    assert "verder waar u was" in said
    assert p.prompt.input_id == "q:verkennen:themas"


def test_a_message_while_paused_continues_without_storing_it_as_an_answer(
    answering: Participant,
) -> None:
    p = answering
    answer_up_to(p, "themas")
    p.send("pauze")
    p.send("1")
    assert not p.last.answers and "themas" not in p.answers["verkennen"]
    assert p.phase is Phase.ANSWERING and p.prompt.input_id == "q:verkennen:themas"


def test_pause_when_nothing_is_open(completed: Participant) -> None:
    assert "niet nodig" in completed.says("pauze")
    assert completed.phase is Phase.IDLE


def test_stop_asks_for_confirmation_and_no_keeps_the_participant_in(answering: Participant) -> None:
    p = answering
    answer_up_to(p, "obstakel")
    said = p.says("stop")
    assert "Weet u zeker" in said and p.prompt.input_id == "stop"
    assert p.profile.opted_out is False
    said = p.says("nee")
    assert "blijft meedoen" in said
    assert p.prompt.input_id == "q:verkennen:obstakel"
    assert p.profile.opted_out is False


def test_stop_confirmed_opts_out_and_start_brings_the_participant_back(
    answering: Participant,
) -> None:
    p = answering
    answer_up_to(p, "obstakel")
    p.send("afmelden")
    assert "afgemeld" in p.says("Ja, afmelden")
    assert p.profile.opted_out is True and p.phase is Phase.OPTED_OUT
    assert "afgemeld" in p.says("B")  # nothing is taken as an answer now
    assert not p.last.answers
    assert "afgemeld" in p.says(Install())
    said = p.says("start")
    assert p.profile.opted_out is False
    assert "Welkom terug" in said
    assert p.prompt.input_id == "q:verkennen:obstakel"  # where the participant left off
    assert len(p.answers["verkennen"]) == 3


def test_an_unclear_answer_to_the_stop_question_asks_again(answering: Participant) -> None:
    answering.send("afmelden")
    assert "'ja' of 'nee'" in answering.says("misschien")
    assert answering.prompt.input_id == "stop" and answering.profile.opted_out is False


def test_afmelden_works_before_the_participant_ever_answered(newcomer: Participant) -> None:
    # e.g. typed in reply to the invitation, before the welcome
    said = newcomer.says("afmelden")
    assert newcomer.prompt.input_id == "stop"
    assert "Weet u zeker" in said
    newcomer.send("ja")
    assert newcomer.profile.opted_out is True


def test_afmelden_works_after_declining(newcomer: Participant) -> None:
    newcomer.send(Install())
    assert "Typ dan 'start'" in newcomer.says("Nee, nu niet")
    assert newcomer.phase is Phase.DECLINED and newcomer.profile.consent is False
    newcomer.send("afmelden")
    newcomer.send("ja")
    assert newcomer.profile.opted_out is True


def test_afmelden_at_the_consent_question(newcomer: Participant) -> None:
    newcomer.send(Install())
    newcomer.send("afmelden")
    newcomer.send("nee")  # not sure after all
    assert newcomer.prompt.input_id == "consent"
    newcomer.send("afmelden")
    newcomer.send("ja")
    assert newcomer.profile.opted_out is True and newcomer.profile.consent is False


def test_start_after_opting_out_before_consent_asks_consent_first(newcomer: Participant) -> None:
    p = newcomer
    p.send(Install())
    p.send("afmelden")
    p.send("ja")
    p.send("start")
    assert p.profile.opted_out is False
    assert p.prompt.input_id == "consent"  # never answers questions without consent
    assert p.profile.consent is False


def test_start_after_opting_out_during_the_profile_asks_the_profile(newcomer: Participant) -> None:
    p = newcomer
    p.send(Install())
    p.send("ja")
    p.send("afmelden")
    p.send("ja")
    p.send("start")
    assert p.prompt.input_id == "role"
    p.send("raadslid")
    p.send("afmelden")
    p.send("ja")
    p.send("start")
    assert p.prompt.input_id == "municipality"


def test_start_after_declining_greets_again(newcomer: Participant) -> None:
    p = newcomer
    p.send(Install())
    p.send("nee")
    assert "Jammer" in p.says("hallo")
    said = p.says("start")
    assert "anoniem" in said and p.prompt.input_id == "consent"
    p.send("ja")
    assert p.profile.consent is True and p.prompt.input_id == "role"


def test_meedoen_at_the_consent_question_is_a_yes(newcomer: Participant) -> None:
    newcomer.send(Install())
    newcomer.send("meedoen")
    assert newcomer.profile.consent is True
    assert newcomer.prompt.input_id == "role"


def test_an_unclear_consent_answer_asks_again(newcomer: Participant) -> None:
    newcomer.send(Install())
    assert "'ja' of 'nee'" in newcomer.says("wat is dit?")
    assert newcomer.prompt.input_id == "consent" and newcomer.profile.consent is False


@pytest.mark.parametrize("command", ["terug", "overslaan", "mijn antwoorden", "pauze"])
def test_commands_that_do_not_fit_the_profile_questions_ask_the_question_again(
    newcomer: Participant, command: str
) -> None:
    newcomer.send(Install())
    newcomer.send("ja")
    newcomer.says(command)
    assert newcomer.phase is Phase.ROLE and newcomer.prompt.input_id == "role"


# ================================================================ resume after a restart


def restarted(p: Participant, *, days: float) -> Participant:
    """The same participant after a restart: only the persisted state, profile and answers."""
    state = ConversationState.from_dict(json.loads(p.persisted()))
    return Participant(
        p.dialogue,
        p.registry,
        now=p.now + timedelta(days=days),
        profile=p.profile,
        state=state,
        answers=json.loads(json.dumps(p.answers)),
    )


def test_a_participant_continues_exactly_where_they_were_days_later(answering: Participant) -> None:
    answer_up_to(answering, "obstakel")
    later = restarted(answering, days=3)
    assert later.state == answering.state
    said = later.says(Install())
    assert "Welkom terug" in said
    assert (
        later.prompt.input_id == "q:verkennen:obstakel" and later.prompt.progress == "Vraag 4 van 7"
    )
    later.send("C")
    assert later.answers["verkennen"]["obstakel"] == "te-veel-verbanden"
    assert later.state.question_id == "obstakel-toelichting"


def test_a_typed_answer_after_a_restart_answers_the_open_question(answering: Participant) -> None:
    answer_up_to(answering, "waardering")
    later = restarted(answering, days=2)
    later.send("5")
    assert later.answers["verkennen"]["waardering"] == 5


def test_a_paused_participant_resumes_after_a_restart(answering: Participant) -> None:
    answer_up_to(answering, "themas")
    answering.send("pauze")
    later = restarted(answering, days=4)
    assert later.phase is Phase.PAUSED
    later.send("verder")
    assert later.prompt.input_id == "q:verkennen:themas"


def test_skipped_questions_stay_skipped_after_a_restart(answering: Participant) -> None:
    answer_up_to(answering, "obstakel-toelichting")
    answering.send("overslaan")
    answering.send(VERKENNEN_ANSWERS[5][1])
    later = restarted(answering, days=1)
    later.send("overslaan")  # rol-vng
    assert later.state.completed_steps == ("verkennen",)
    assert "alle vragen" in seen(later.last)


def test_a_restart_in_the_middle_of_the_profile(newcomer: Participant) -> None:
    newcomer.send(Install())
    newcomer.send("ja")
    newcomer.send("griffier")
    newcomer.send("Bergen")
    later = restarted(newcomer, days=1)
    later.send(Install())
    assert later.prompt.input_id == "municipality" and len(later.prompt.choices) == 3


def test_an_unknown_state_version_is_refused() -> None:
    with pytest.raises(ValueError, match="version"):
        ConversationState.from_dict({"v": 99, "phase": "idle"})


def test_no_state_is_a_newcomer() -> None:
    assert ConversationState.from_dict(None).phase is Phase.WELCOME


# ================================================================ card submits


def test_a_card_submit_for_the_current_question_is_an_answer(answering: Participant) -> None:
    p = answering
    answer_up_to(p, "waardering")
    p.send(Submit("q:verkennen:waardering", "5"))
    p.send(Submit("q:verkennen:themas", ["sturing", "expertise"]))
    assert p.answers["verkennen"]["waardering"] == 5
    assert p.answers["verkennen"]["themas"] == ["sturing", "expertise"]
    assert p.state.question_id == "obstakel"


def test_a_stale_card_submit_changes_nothing_and_shows_the_current_question(
    answering: Participant,
) -> None:
    p = answering
    answer_up_to(p, "obstakel")
    said = p.says(Submit("q:verkennen:waardering", "1"))  # the card of question 2, clicked again
    assert "niet meer aan de beurt" in said
    assert not p.last.answers and p.answers["verkennen"]["waardering"] == 4
    assert p.prompt.input_id == "q:verkennen:obstakel"
    p.send(Submit("role", "burgemeester"))  # the role card from the start
    assert not p.last.answers and p.profile.role == "raadslid"
    assert p.prompt.input_id == "q:verkennen:obstakel"


def test_a_submit_for_a_closed_step_says_it_is_closed(completed: Participant) -> None:
    completed.now = AFTER_VERKENNEN
    said = completed.says(Submit("q:verkennen:obstakel", "capaciteit"))
    assert "gesloten" in said
    assert not completed.last.answers
    assert completed.answers["verkennen"]["obstakel"] == "verschillende-belangen"


def test_consent_by_card(newcomer: Participant) -> None:
    newcomer.send(Install())
    newcomer.send(Submit("consent", "ja"))
    assert newcomer.profile.consent is True and newcomer.prompt.input_id == "role"
    newcomer.send(Submit("role", "griffier"))
    assert newcomer.profile.role == "griffier"


# ================================================================ the step closes


def test_the_step_closing_mid_step_freezes_the_answers(answering: Participant) -> None:
    p = answering
    answer_up_to(p, "obstakel")
    p.now = AFTER_VERKENNEN
    said = p.says("B")
    assert "gesloten" in said and "maandag 7 oktober 2024 om 23:59" in said
    assert "Verrijken" in said and "8 oktober 2024 om 09:00" in said
    assert not p.last.answers and "obstakel" not in p.answers["verkennen"]
    assert "geen vorige vraag" in p.says("terug")
    assert not p.last.answers
    assert "geen vraag open" in p.says("overslaan")
    mine = p.says("mijn antwoorden")  # still readable
    assert "Verkennen" in mine and VERKENNEN_ANSWERS[0][2] in mine


def test_the_next_step_starts_once_it_is_open(answering: Participant) -> None:
    p = answering
    answer_up_to(p, "obstakel")
    p.now = AFTER_VERKENNEN
    p.send("hallo")
    p.now = VERRIJKEN_OPEN
    said = p.says("hallo")
    assert "Stap Verrijken" in said and "27 oktober 2024 om 23:59" in said
    assert p.prompt.input_id == "q:verrijken:herkenning"


def test_a_participant_mid_step_when_the_next_step_is_already_open_moves_on(
    answering: Participant,
) -> None:
    p = answering
    answer_up_to(p, "themas")
    p.now = VERRIJKEN_OPEN
    said = p.says("1")
    assert "Verkennen is gesloten" in said
    assert p.prompt.input_id == "q:verrijken:herkenning"  # nothing to react to in a bare engine
    assert all(c.step_key != "verkennen" for c in p.last.answers)
    assert "themas" not in p.answers["verkennen"]


def test_a_paused_participant_learns_the_step_closed(answering: Participant) -> None:
    answer_up_to(answering, "themas")
    answering.send("pauze")
    answering.now = AFTER_VERKENNEN
    assert "gesloten" in answering.says("verder")
    assert answering.phase is Phase.IDLE


def test_after_the_step_closed_a_completed_participant_cannot_change_answers(
    completed: Participant,
) -> None:
    completed.now = AFTER_VERKENNEN
    assert "geen vorige vraag" in completed.says("terug")
    assert completed.phase is Phase.IDLE and not completed.last.answers


def test_a_newcomer_between_steps_hears_when_the_next_step_opens(
    dialogue: Dialogue, registry: MunicipalityRegistry
) -> None:
    p = Participant(dialogue, registry, now=AFTER_VERKENNEN)
    onboard_text = [p.says(Install()), p.says("ja"), p.says("raadslid"), p.says("Utrecht")]
    assert "geen stap open" in onboard_text[-1] and "8 oktober 2024 om 09:00" in onboard_text[-1]
    assert p.phase is Phase.IDLE


# ================================================================ bad input


@pytest.mark.parametrize("empty", ["", "   ", "\n\t"])
def test_an_empty_message_changes_nothing(answering: Participant, empty: str) -> None:
    answer_up_to(answering, "themas")
    before = answering.state
    said = answering.says(empty)
    assert "geen tekst ontvangen" in said
    assert answering.state == before and not answering.last.answers


def test_an_oversized_message_is_refused_with_the_limit(answering: Participant) -> None:
    before = answering.state
    said = answering.says("Een heel lang verhaal." + "x" * 4579)  # 4,601 characters
    assert "te lang" in said and "1.500" in said and "4.601" in said  # the question's limit
    assert answering.state == before and not answering.last.answers
    assert "4.001" in answering.says("x" * 4001)


def test_a_message_at_the_limit_is_read_and_checked_against_the_question(
    answering: Participant,
) -> None:
    said = answering.says("x" * 4000)
    assert "1.500" in said  # the question's own limit
    assert not answering.last.answers


def test_unknown_command_like_text_in_idle_points_to_help(completed: Participant) -> None:
    for text in ("/reset", "menu", "Hallo?"):
        said = completed.says(text)
        assert "help" in said
        assert completed.phase is Phase.IDLE and not completed.last.answers


def test_commands_are_understood_regardless_of_case_and_punctuation(answering: Participant) -> None:
    assert "mijn antwoorden" in answering.says("HELP!")
    assert "Verkennen" in answering.says("/status")
    assert "eerste vraag" in answering.says("Terug.")


def test_install_again_mid_step_welcomes_back_and_asks_the_question(answering: Participant) -> None:
    answer_up_to(answering, "waardering")
    said = answering.says(Install())
    assert "Welkom terug" in said and answering.prompt.input_id == "q:verkennen:waardering"


def test_no_to_stop_after_the_step_closed_does_not_ask_a_closed_question(
    answering: Participant,
) -> None:
    answer_up_to(answering, "obstakel")
    answering.send("afmelden")
    answering.now = AFTER_VERKENNEN  # the step closes while the participant hesitates
    said = answering.says("nee")
    assert "blijft meedoen" in said and "gesloten" in said
    assert answering.phase is Phase.IDLE
    assert not [r for r in answering.last.replies if isinstance(r, Prompt)]
    answering.send("B")  # meant for the closed question
    assert not answering.last.answers


def test_status_during_the_profile_questions_tells_the_step_and_asks_again(
    newcomer: Participant,
) -> None:
    newcomer.send(Install())
    newcomer.send("ja")
    said = newcomer.says("status")
    assert "Verkennen" in said and "7 oktober 2024 om 23:59" in said
    assert newcomer.prompt.input_id == "role"
