"""Joining by mail in one reply: the invitation lists the open step's questions, and answering
them is taking part.

An invitee whose role (and municipality) came with the import is invited with the privacy text,
the profile as imported and the questions of the open step. Their reply with numbered answers
gives consent and confirms the imported profile in one go, and the answers are stored at once:
one reply instead of three (consent, profile check, then the questions). A plain 'ja' or 'nee'
still answers "Wilt u meedoen?"; someone without an imported role gets the plain invitation.
Plain functions over a :class:`TurnContext`.
"""

from __future__ import annotations

from dataclasses import replace

from dialogen.conversation import messages as msg
from dialogen.conversation.context import TurnContext
from dialogen.conversation.inputs import Answers
from dialogen.conversation.profile import greet, municipality_name, welcome_text
from dialogen.conversation.prompts import BEGIN_INPUT
from dialogen.conversation.replies import Choice, Prompt, PromptKind
from dialogen.conversation.state import Phase
from dialogen.stakeholders.roles import role_label


def invite(ctx: TurnContext) -> None:
    """The invitation by mail: welcome and privacy text, then — when the profile is imported and
    a step is open — its questions to answer right away; otherwise "Wilt u meedoen?"."""
    step = ctx.dialogue.open_step(ctx.now)
    if step is None or not ctx.profile.role or ctx.state.phase is not Phase.WELCOME:
        greet(ctx)
        ctx.state = replace(ctx.state, welcomed_by_mail=True)
        return
    ctx.say(welcome_text(ctx))
    ctx.state = ctx.state.at(Phase.CONSENT, welcomed_by_mail=True)
    preamble = msg.join_by_answering(
        step.name,
        role_label(ctx.profile.role),
        municipality_name(ctx, ctx.profile.municipality_code),
    )
    ctx.add(Prompt(BEGIN_INPUT, PromptKind.SINGLE, preamble, (Choice(step.key, msg.BEGIN_LABEL),)))


def joins_by_answering(ctx: TurnContext, message: Answers) -> bool:
    """Numbered answers to the open step in reply to the invitation: consent given and the
    imported profile confirmed (the answers themselves are then taken as any mail's)."""
    if ctx.state.phase is not Phase.CONSENT or not ctx.profile.role or not message.parts:
        return False
    step = ctx.dialogue.open_step(ctx.now)
    if step is None or step.key != message.step_key:
        return False
    ctx.profile = replace(ctx.profile, consent=True)
    ctx.state = ctx.state.at(Phase.IDLE, suggestions=(), resume_phase=None)
    ctx.say(msg.JOINED_BY_ANSWERING)
    return True
