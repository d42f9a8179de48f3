"""Not taking part: stopping ('afmelden' and its "are you sure?"), the one-click opt-out from a
mail, what someone who is not taking part is told, and coming back. Plain functions over a
:class:`TurnContext`."""

from __future__ import annotations

from dataclasses import replace

from dialogen.conversation import messages as msg
from dialogen.conversation.context import TurnContext, yes_or_no
from dialogen.conversation.kinds import Raw
from dialogen.conversation.profile import (
    ask_municipality,
    ask_role,
    greet,
    yes_no_prompt,
)
from dialogen.conversation.state import Phase
from dialogen.conversation.steps import go_to_open_step, pick_up, step_closed_under_participant
from dialogen.stakeholders.roles import ROLES_WITHOUT_MUNICIPALITY


def stop(ctx: TurnContext) -> None:
    """'afmelden', also before or without consent: ask whether they are sure."""
    ctx.state = ctx.state.at(Phase.CONFIRM_STOP, resume_phase=ctx.state.phase)
    ask_stop(ctx)


def ask_stop(ctx: TurnContext) -> None:
    ctx.add(yes_no_prompt("stop", msg.STOP_QUESTION, msg.STOP_YES, msg.STOP_NO))


def input_confirm_stop(ctx: TurnContext, raw: Raw) -> None:
    answer = yes_or_no(ctx, raw, ask_stop)
    if answer:
        _opt_out(ctx, msg.OPTED_OUT)
    elif answer is False:
        ctx.say(msg.STOP_CANCELLED)
        ctx.state = ctx.state.at(ctx.state.resume_phase or Phase.IDLE, resume_phase=None)
        if not step_closed_under_participant(ctx):  # it may have closed while asking
            pick_up(ctx)


def opt_out_at_once(ctx: TurnContext) -> None:
    """A one-click unsubscribe: no "are you sure?"."""
    _opt_out(ctx, msg.OPTED_OUT_ONE_CLICK)


def _opt_out(ctx: TurnContext, told: str) -> None:
    ctx.event = "opted_out"
    ctx.profile = replace(ctx.profile, opted_out=True)
    ctx.state = ctx.state.at(Phase.OPTED_OUT, resume_phase=None)
    ctx.say(told)


def repeat_standing(ctx: TurnContext, _raw: Raw) -> None:
    """Whoever said no or opted out hears that again, whatever they send."""
    if ctx.here.standing is not None:
        ctx.say(ctx.here.standing)


def opt_in(ctx: TurnContext) -> None:
    """'start' after opting out: back where they stopped (consent, profile, or the questions)."""
    ctx.event = "opted_in"
    ctx.profile = replace(ctx.profile, opted_out=False)
    ctx.say(msg.WELCOME_BACK)
    if not ctx.profile.consent:
        greet(ctx)
    elif not ctx.profile.role:
        ctx.state = ctx.state.at(Phase.ROLE, resume_phase=None)
        ask_role(ctx)
    elif not ctx.profile.municipality_code and ctx.profile.role not in ROLES_WITHOUT_MUNICIPALITY:
        ctx.state = ctx.state.at(Phase.MUNICIPALITY, resume_phase=None, suggestions=())
        ask_municipality(ctx)
    else:
        ctx.state = ctx.state.at(Phase.IDLE)
        go_to_open_step(ctx)
