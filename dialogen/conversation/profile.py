"""Welcome and profile: the privacy text and consent, then role and municipality.
Plain functions over a :class:`TurnContext`."""

from __future__ import annotations

from dataclasses import replace

from dialogen.conversation import messages as msg
from dialogen.conversation.context import TurnContext, first_input, yes_or_no
from dialogen.conversation.kinds import Raw
from dialogen.conversation.matching import closest, is_greeting, normalize, pick_one
from dialogen.conversation.replies import Choice, Prompt, PromptKind
from dialogen.conversation.state import Phase
from dialogen.conversation.steps import go_to_open_step
from dialogen.stakeholders.municipalities import Municipality
from dialogen.stakeholders.roles import ROLE_ALIASES, ROLES, ROLES_WITHOUT_MUNICIPALITY, role_label

_MUNICIPALITY_OTHER = "anders"
_NO_MUNICIPALITY_WORDS = frozenset({"geen", "geen gemeente", "niet van toepassing", "nvt", "n v t"})


# ---------------------------------------------------------------- asking


def greet(ctx: TurnContext) -> None:
    ctx.say(welcome_text(ctx))
    ctx.state = ctx.state.at(Phase.CONSENT, welcomed_by_mail=False)
    ask_consent(ctx)


def welcome_text(ctx: TurnContext) -> str:
    """The title, introduction and privacy text; dates the texts name come from the calendar."""
    d = ctx.dialogue
    dates = d.calendar_dates()
    words = {name: msg.date_words(moment, d.zone) for name, moment in dates.items()}
    return msg.welcome(d.title, fill_in(d.introduction, words), fill_in(d.privacy, words))


def fill_in(text: str, words: dict[str, str]) -> str:
    for name, value in words.items():
        text = text.replace("{" + name + "}", value)
    return text


def ask_consent(ctx: TurnContext) -> None:
    ctx.add(yes_no_prompt("consent", msg.CONSENT_QUESTION, msg.CONSENT_YES, msg.CONSENT_NO))


def ask_profile_check(ctx: TurnContext) -> None:
    place = municipality_name(ctx, ctx.profile.municipality_code)
    question = msg.profile_check(role_label(ctx.profile.role), place)
    ctx.add(yes_no_prompt("profile", question, msg.PROFILE_YES, msg.PROFILE_NO))


def ask_role(ctx: TurnContext) -> None:
    ctx.add(
        Prompt(
            "role", PromptKind.SINGLE, msg.ROLE_QUESTION, ROLES, hint=msg.hint_single(len(ROLES))
        )
    )


def ask_municipality(ctx: TurnContext) -> None:
    if ctx.state.suggestions:
        ctx.add(
            Prompt(
                "municipality",
                PromptKind.SINGLE,
                msg.MUNICIPALITY_PICK,
                _suggested(ctx) + (Choice(_MUNICIPALITY_OTHER, msg.MUNICIPALITY_OTHER),),
            )
        )
        return
    text = (
        msg.MUNICIPALITY_QUESTION_OPTIONAL
        if ctx.profile.role in ROLES_WITHOUT_MUNICIPALITY
        else msg.MUNICIPALITY_QUESTION
    )
    ctx.add(Prompt("municipality", PromptKind.OPEN, text))


def yes_no_prompt(input_id: str, text: str, yes: str, no: str) -> Prompt:
    return Prompt(input_id, PromptKind.SINGLE, text, (Choice("ja", yes), Choice("nee", no)))


def _suggested(ctx: TurnContext) -> tuple[Choice, ...]:
    return tuple(Choice(code, _municipality_label(ctx, code)) for code in ctx.state.suggestions)


# ---------------------------------------------------------------- answers


def input_welcome(ctx: TurnContext, _raw: Raw) -> None:
    greet(ctx)


def input_consent(ctx: TurnContext, raw: Raw) -> None:
    if ctx.state.welcomed_by_mail and is_greeting(first_input(raw)):  # e.g. hello in Teams
        ctx.event = "greeting"
        greet(ctx)
        return
    answer = yes_or_no(ctx, raw, ask_consent)
    if answer:
        ctx.event = "consent"
        ctx.profile = replace(ctx.profile, consent=True)
        if ctx.profile.role:
            ctx.state = ctx.state.at(Phase.CONFIRM_PROFILE)
            ask_profile_check(ctx)
        else:
            ctx.state = ctx.state.at(Phase.ROLE)
            ask_role(ctx)
    elif answer is False:
        ctx.event = "declined"
        ctx.state = ctx.state.at(Phase.DECLINED)
        ctx.say(msg.DECLINED)


def input_profile_check(ctx: TurnContext, raw: Raw) -> None:
    answer = yes_or_no(ctx, raw, ask_profile_check)
    if answer:
        profile_done(ctx)
    elif answer is False:
        ctx.state = ctx.state.at(Phase.ROLE)
        ask_role(ctx)


def input_role(ctx: TurnContext, raw: Raw) -> None:
    value = pick_one(first_input(raw), ROLES, ROLE_ALIASES)
    if value is None:
        near = closest(first_input(raw), ROLES, ROLE_ALIASES)
        ctx.say(msg.role_did_you_mean(near.label) if near else msg.ROLE_NOT_UNDERSTOOD)
        ask_role(ctx)
        return
    ctx.profile = replace(ctx.profile, role=value)
    ctx.corrected.add("role")  # their own word: a re-import keeps it
    ctx.state = ctx.state.at(Phase.MUNICIPALITY, suggestions=())
    ask_municipality(ctx)


def input_municipality(ctx: TurnContext, raw: Raw) -> None:
    text = first_input(raw)
    if ctx.state.suggestions:
        offered = _suggested(ctx) + (Choice(_MUNICIPALITY_OTHER, msg.MUNICIPALITY_OTHER),)
        picked = pick_one(text, offered)
        if picked == _MUNICIPALITY_OTHER:
            ctx.state = ctx.state.at(Phase.MUNICIPALITY, suggestions=())
            ask_municipality(ctx)
            return
        if picked is not None:
            _set_municipality(ctx, picked)
            return
    if normalize(text) in _NO_MUNICIPALITY_WORDS and ctx.profile.role in ROLES_WITHOUT_MUNICIPALITY:
        ctx.profile = replace(ctx.profile, municipality_code=None)
        ctx.corrected.add("municipality")
        profile_done(ctx)
        return
    found = ctx.turn.municipalities.match(text)
    if found.municipality is not None:
        _set_municipality(ctx, found.municipality.cbs_code)
    elif found.suggestions:
        codes = tuple(m.cbs_code for m in found.suggestions)
        ctx.state = ctx.state.at(Phase.MUNICIPALITY, suggestions=codes)
        ask_municipality(ctx)
    else:
        ctx.state = ctx.state.at(Phase.MUNICIPALITY, suggestions=())
        ctx.say(msg.MUNICIPALITY_NOT_FOUND)


def _set_municipality(ctx: TurnContext, code: str) -> None:
    ctx.profile = replace(ctx.profile, municipality_code=code)
    ctx.corrected.add("municipality")  # their own word: a re-import keeps it
    profile_done(ctx)


def profile_done(ctx: TurnContext) -> None:
    ctx.event = "profile"
    place = _place(ctx, ctx.profile.municipality_code)
    ctx.say(
        msg.profile_saved(
            role_label(ctx.profile.role),
            place.name if place else None,
            place.province if place else None,
        )
    )
    ctx.state = ctx.state.at(Phase.IDLE, suggestions=(), resume_phase=None)
    go_to_open_step(ctx)


# ---------------------------------------------------------------- municipalities by code


def _place(ctx: TurnContext, code: str | None) -> Municipality | None:
    if not code:
        return None
    try:
        return ctx.turn.municipalities.by_code(code)
    except LookupError:
        return None


def municipality_name(ctx: TurnContext, code: str | None) -> str | None:
    place = _place(ctx, code)
    return place.name if place else None


def _municipality_label(ctx: TurnContext, code: str) -> str:
    place = _place(ctx, code)
    if place is None:
        return code
    return msg.with_province(place.name, place.province)
