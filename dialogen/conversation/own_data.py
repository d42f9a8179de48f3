"""The participant's own data: what is stored about them ('mijn gegevens'), changing it
('gegevens wijzigen') and having it erased ('verwijder mij', 'verwijder mij en mijn antwoorden').
Plain functions over a :class:`TurnContext`.

The engine only decides: ``ctx.disclose`` asks the door to add what it stores (it holds the
identity, the engine does not), ``ctx.erase`` asks it to erase, in the same unit of work.
Changing role and municipality reuses the profile questions; name and channel have their own.
Whatever a participant sets here is marked as their own correction (``ctx.corrected``), so a
re-import does not overwrite it.
"""

from __future__ import annotations

from dataclasses import replace

from dialogen.conversation import messages as msg
from dialogen.conversation.context import TurnContext, first_input, yes_or_no
from dialogen.conversation.kinds import Raw
from dialogen.conversation.matching import normalize, pick_one
from dialogen.conversation.profile import ask_role, yes_no_prompt
from dialogen.conversation.replies import Choice, Prompt, PromptKind
from dialogen.conversation.state import Erasure, Phase
from dialogen.conversation.steps import pick_up, step_closed_under_participant

MAX_NAME = 200
_KEEP_WORDS = frozenset({"nee", "niets", "laat maar", "stop", "annuleren"})
_NO_NAME_WORDS = frozenset({"geen", "geen naam", "leeg", "wis", "verwijder"})
_CHANGE = (
    Choice("rol", msg.CHANGE_ROLE),
    Choice("naam", msg.CHANGE_NAME),
    Choice("kanaal", msg.CHANGE_CHANNEL),
    Choice("niets", msg.CHANGE_NOTHING),
)
_CHANNELS = (Choice("teams", msg.CHANNEL_TEAMS), Choice("mail", msg.CHANNEL_MAIL))


# ---------------------------------------------------------------- mijn gegevens


def my_data(ctx: TurnContext) -> None:
    ctx.event = "my_data"
    ctx.disclose = True
    ctx.reprompt()


# ---------------------------------------------------------------- gegevens wijzigen


def change_data(ctx: TurnContext) -> None:
    ctx.state = ctx.state.at(Phase.CHANGE_WHAT, resume_phase=_resume(ctx))
    ask_change(ctx)


def ask_change(ctx: TurnContext) -> None:
    ctx.add(Prompt("change", PromptKind.SINGLE, msg.CHANGE_QUESTION, _CHANGE))


def input_change(ctx: TurnContext, raw: Raw) -> None:
    picked = pick_one(first_input(raw), _CHANGE)
    if picked == "rol":
        ctx.state = ctx.state.at(Phase.ROLE, suggestions=())
        ask_role(ctx)  # then the municipality; the profile questions bring them back
    elif picked == "naam":
        ctx.state = ctx.state.at(Phase.NAME)
        ask_name(ctx)
    elif picked == "kanaal":
        ctx.state = ctx.state.at(Phase.CHANNEL)
        ask_channel(ctx)
    elif picked == "niets":
        ctx.say(msg.NOTHING_CHANGED)
        _back(ctx)
    else:
        ctx.say(msg.CHANGE_NOT_UNDERSTOOD)
        ask_change(ctx)


def ask_name(ctx: TurnContext) -> None:
    ctx.add(Prompt("name", PromptKind.OPEN, msg.name_question(ctx.profile.name)))


def input_name(ctx: TurnContext, raw: Raw) -> None:
    text = " ".join(first_input(raw).split())
    word = normalize(text)
    if word in _KEEP_WORDS:
        ctx.say(msg.NOTHING_CHANGED)
    elif word in _NO_NAME_WORDS:
        ctx.profile = replace(ctx.profile, name=None)
        _corrected(ctx, "name")
        ctx.say(msg.NAME_REMOVED)
    elif len(text) < 2 or len(text) > MAX_NAME or "@" in text:
        ctx.say(msg.NAME_NOT_UNDERSTOOD)
        ask_name(ctx)
        return
    else:
        ctx.profile = replace(ctx.profile, name=text)
        _corrected(ctx, "name")
        ctx.say(msg.name_saved(text))
    _back(ctx)


def ask_channel(ctx: TurnContext) -> None:
    ctx.add(Prompt("channel", PromptKind.SINGLE, msg.CHANNEL_QUESTION, _CHANNELS))


def input_channel(ctx: TurnContext, raw: Raw) -> None:
    picked = pick_one(first_input(raw), _CHANNELS, {"mail": ("e-mail", "email", "mail")})
    if picked is None:
        ctx.say(msg.CHANNEL_NOT_UNDERSTOOD)
        ask_channel(ctx)
        return
    if picked == "mail" and not ctx.profile.has_email:
        ctx.say(msg.NO_EMAIL_FOR_MAIL)
    else:
        ctx.profile = replace(ctx.profile, channel=picked)
        _corrected(ctx, "channel")
        ctx.say(msg.CHANNEL_SAVED_MAIL if picked == "mail" else msg.CHANNEL_SAVED_TEAMS)
    _back(ctx)


# ---------------------------------------------------------------- verwijder mij


def erase(ctx: TurnContext) -> None:
    ctx.state = ctx.state.at(Phase.CONFIRM_ERASE, resume_phase=_resume(ctx))
    ask_erase(ctx)


def erase_all(ctx: TurnContext) -> None:
    ctx.state = ctx.state.at(Phase.CONFIRM_ERASE_ALL, resume_phase=_resume(ctx))
    ask_erase_all(ctx)


def ask_erase(ctx: TurnContext) -> None:
    ctx.add(yes_no_prompt("erase", msg.ERASE_QUESTION, msg.ERASE_YES, msg.ERASE_NO))


def ask_erase_all(ctx: TurnContext) -> None:
    ctx.add(yes_no_prompt("erase_all", msg.ERASE_ALL_QUESTION, msg.ERASE_YES, msg.ERASE_NO))


def input_confirm_erase(ctx: TurnContext, raw: Raw) -> None:
    _confirm_erase(ctx, raw, with_answers=False)


def input_confirm_erase_all(ctx: TurnContext, raw: Raw) -> None:
    _confirm_erase(ctx, raw, with_answers=True)


def _confirm_erase(ctx: TurnContext, raw: Raw, *, with_answers: bool) -> None:
    answer = yes_or_no(ctx, raw, ask_erase_all if with_answers else ask_erase)
    if answer:
        ctx.event = "erased_with_answers" if with_answers else "erased"
        ctx.erase = Erasure(with_answers=with_answers)
        ctx.state = ctx.state.at(Phase.WELCOME, resume_phase=None)  # nothing of it is kept
        ctx.say(msg.ERASED_ALL if with_answers else msg.ERASED)
    elif answer is False:
        ctx.say(msg.ERASE_CANCELLED)
        _back(ctx)


# ---------------------------------------------------------------- helpers


def _corrected(ctx: TurnContext, detail: str) -> None:
    ctx.corrected.add(detail)
    ctx.event = f"corrected:{detail}"


def _resume(ctx: TurnContext) -> Phase:
    """Where to come back to: where they were before any question about their data."""
    if ctx.here.about_own_data:
        return ctx.state.resume_phase or Phase.IDLE
    return ctx.state.phase


def _back(ctx: TurnContext) -> None:
    """Back where the participant was before they asked about their data."""
    ctx.state = ctx.state.at(ctx.state.resume_phase or Phase.IDLE, resume_phase=None)
    if ctx.here.opted_out or ctx.here.before_consent:
        ctx.reprompt()
    elif not step_closed_under_participant(ctx):  # it may have closed while asking
        pick_up(ctx)
