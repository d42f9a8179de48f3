"""The conversation as a table: one :class:`PhaseSpec` per :class:`Phase`.

Each row says which commands the phase takes, what free input does there, what it asks again
(``ask``) and which prompt a card submit must name, plus the flags the handlers use to tell groups
of phases apart. A new phase is a row here plus its handlers; no other table or check lists
groups of phases (handlers ask a row's flags).
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from dialogen.conversation import leaving, own_data, profile, steps
from dialogen.conversation import messages as msg
from dialogen.conversation.context import PhaseSpec
from dialogen.conversation.inputs import Command
from dialogen.conversation.state import Phase

C = Command
_OWN_DATA = frozenset({C.MY_DATA, C.ERASE, C.ERASE_ALL})  # wherever one is not asked to confirm
_ALWAYS = frozenset({C.HELP, C.STATUS, C.STOP}) | _OWN_DATA
_JOINING = _ALWAYS | {C.START}
_TAKING_PART = _ALWAYS | {C.CHANGE_DATA}

PHASES: Mapping[Phase, PhaseSpec] = MappingProxyType(
    {
        Phase.WELCOME: PhaseSpec(
            _JOINING,
            profile.input_welcome,
            ask=profile.greet,
            not_started=True,
            before_consent=True,
        ),
        Phase.CONSENT: PhaseSpec(
            _JOINING,
            profile.input_consent,
            ask=profile.ask_consent,
            input_id="consent",
            not_started=True,
            before_consent=True,
            plain_by_mail=True,
        ),
        Phase.DECLINED: PhaseSpec(
            _JOINING,
            leaving.repeat_standing,
            before_consent=True,
            standing=msg.DECLINED,
        ),
        Phase.CONFIRM_PROFILE: PhaseSpec(
            _ALWAYS,
            profile.input_profile_check,
            ask=profile.ask_profile_check,
            input_id="profile",
            in_profile=True,
            plain_by_mail=True,
        ),
        Phase.ROLE: PhaseSpec(
            _ALWAYS,
            profile.input_role,
            ask=profile.ask_role,
            input_id="role",
            in_profile=True,
            plain_by_mail=True,
        ),
        Phase.MUNICIPALITY: PhaseSpec(
            _ALWAYS | {C.BACK},
            profile.input_municipality,
            ask=profile.ask_municipality,
            input_id="municipality",
            in_profile=True,
            plain_by_mail=True,
        ),
        Phase.ANSWERING: PhaseSpec(
            _TAKING_PART | {C.BACK, C.SKIP, C.MY_ANSWERS, C.PAUSE, C.RESUME, C.START},
            steps.input_answer,
            ask=steps.ask_current_question,
            asks_question=True,
            in_step=True,
        ),
        Phase.IDLE: PhaseSpec(
            _TAKING_PART | {C.BACK, C.MY_ANSWERS, C.START, C.RESUME},
            steps.input_idle,
            between_questions=True,
        ),
        Phase.PAUSED: PhaseSpec(
            _TAKING_PART | {C.MY_ANSWERS, C.RESUME, C.START},
            steps.input_paused,
            in_step=True,
            between_questions=True,
        ),
        Phase.CONFIRM_STOP: PhaseSpec(
            frozenset({C.HELP}),
            leaving.input_confirm_stop,
            ask=leaving.ask_stop,
            input_id="stop",
            plain_by_mail=True,
        ),
        Phase.OPTED_OUT: PhaseSpec(
            frozenset({C.HELP, C.START}) | _OWN_DATA,
            leaving.repeat_standing,
            opted_out=True,
            standing=msg.STILL_OPTED_OUT,
        ),
        Phase.CHANGE_WHAT: PhaseSpec(
            _ALWAYS,
            own_data.input_change,
            ask=own_data.ask_change,
            input_id="change",
            about_own_data=True,
            plain_by_mail=True,
        ),
        Phase.NAME: PhaseSpec(
            _ALWAYS,
            own_data.input_name,
            ask=own_data.ask_name,
            input_id="name",
            about_own_data=True,
            plain_by_mail=True,
        ),
        Phase.CHANNEL: PhaseSpec(
            _ALWAYS,
            own_data.input_channel,
            ask=own_data.ask_channel,
            input_id="channel",
            about_own_data=True,
            plain_by_mail=True,
        ),
        Phase.CONFIRM_ERASE: PhaseSpec(
            frozenset({C.HELP, C.ERASE_ALL}),
            own_data.input_confirm_erase,
            ask=own_data.ask_erase,
            input_id="erase",
            about_own_data=True,
            plain_by_mail=True,
        ),
        Phase.CONFIRM_ERASE_ALL: PhaseSpec(
            frozenset({C.HELP}),
            own_data.input_confirm_erase_all,
            ask=own_data.ask_erase_all,
            input_id="erase_all",
            about_own_data=True,
            plain_by_mail=True,
        ),
    }
)

ACCEPTS: Mapping[Phase, frozenset[Command]] = MappingProxyType(
    {phase: spec.commands for phase, spec in PHASES.items()}
)
"""Which commands each phase takes (read from ``PHASES``)."""
