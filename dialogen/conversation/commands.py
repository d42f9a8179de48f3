"""The commands (help, status, back, skip, my answers, pause, resume, stop, start) and opting out."""

from __future__ import annotations

from dataclasses import replace

from dialogen.conversation import messages as msg
from dialogen.conversation.answering import describe_value
from dialogen.conversation.core import ConversationCore, yes_no
from dialogen.conversation.inputs import Command
from dialogen.conversation.replies import Choice, Prompt, PromptKind
from dialogen.conversation.state import Phase
from dialogen.stakeholders.roles import ROLES_WITHOUT_MUNICIPALITY

C = Command


class CommandFlow(ConversationCore):
    def _on_opt_out(self) -> None:
        self.event = "opted_out"
        self.profile = replace(self.profile, opted_out=True)
        self.state = self.state.at(Phase.OPTED_OUT, resume_phase=None)
        self.say(msg.OPTED_OUT_ONE_CLICK)

    def _ask_stop(self) -> None:
        self.replies.append(
            Prompt(
                "stop",
                PromptKind.SINGLE,
                msg.STOP_QUESTION,
                (Choice("ja", msg.STOP_YES), Choice("nee", msg.STOP_NO)),
            )
        )

    def _input_confirm_stop(self, raw: str | list[str]) -> None:
        answer = yes_no(raw)
        if answer is None:
            self.say(msg.YES_NO_NOT_UNDERSTOOD)
            self._ask_stop()
        elif answer:
            self.event = "opted_out"
            self.profile = replace(self.profile, opted_out=True)
            self.state = self.state.at(Phase.OPTED_OUT, resume_phase=None)
            self.say(msg.OPTED_OUT)
        else:
            self.say(msg.STOP_CANCELLED)
            self.state = self.state.at(self.state.resume_phase or Phase.IDLE, resume_phase=None)
            if not self._step_closed_under_participant():  # it may have closed while asking
                self._resume()

    def _input_opted_out(self, _raw: str | list[str]) -> None:
        self.say(msg.STILL_OPTED_OUT)

    def _command_not_now(self, command: Command) -> None:
        if command is C.SKIP:
            self.say(msg.NOTHING_TO_SKIP)
        elif command is C.BACK:
            self.say(msg.NOTHING_TO_GO_BACK_TO)
        elif command is C.PAUSE:
            self.say(msg.NOT_PAUSABLE)
        elif self.state.phase is Phase.OPTED_OUT:
            self.say(msg.STILL_OPTED_OUT)
            return
        else:
            self.say(msg.NOT_NOW)
        self._reprompt()

    def _cmd_help(self) -> None:
        self.say(msg.help_text(msg.HELP_COMMANDS))
        self._reprompt()

    def _cmd_status(self) -> None:
        if self.state.phase in (Phase.WELCOME, Phase.CONSENT):
            self.say(msg.NOT_STARTED)
            self._reprompt()
            return
        if self.state.phase in (Phase.DECLINED, Phase.OPTED_OUT):
            self.say(msg.STILL_OPTED_OUT if self.state.phase is Phase.OPTED_OUT else msg.DECLINED)
            return
        step = self.dialogue.open_step(self.turn.now)
        upcoming = self.dialogue.next_step(self.turn.now)
        next_line = (
            msg.next_step_line(upcoming.name, self.when(upcoming.opens)) if upcoming else None
        )
        if step is None:
            self._say_nothing_open()
        else:
            given = self.answers.get(step.key, {})
            passed = sum(
                1
                for q in step.questions
                if q.id not in given and f"{step.key}:{q.id}" in self.state.skipped
            )
            self.say(
                msg.status(
                    step.name,
                    self.when(step.closes),
                    len(given),
                    passed,
                    len(step.questions),
                    next_line,
                )
            )
        self._reprompt()

    def _cmd_back(self) -> None:
        if self.state.phase is Phase.MUNICIPALITY:
            self.state = self.state.at(Phase.ROLE, suggestions=())
            self._ask_role()
            return
        step = self.dialogue.open_step(self.turn.now)
        if step is None or (self.state.phase is Phase.IDLE and not self.answers.get(step.key)):
            self.say(msg.NOTHING_TO_GO_BACK_TO)
            return
        ids = [q.id for q in step.questions]
        if self.state.phase is Phase.ANSWERING and self.state.question_id in ids:
            index = ids.index(self.state.question_id)
            if index == 0:
                self.say(msg.BACK_AT_FIRST)
                self._ask_current_question()
                return
            target = ids[index - 1]
        else:
            target = ids[-1]
        self.state = self.state.at(Phase.ANSWERING, step_key=step.key, question_id=target)
        self._ask_current_question()

    def _cmd_skip(self) -> None:
        step = self._current_step()
        question = step.question(self.state.question_id or "") if step else None
        if step is None or question is None:
            self.say(msg.NOTHING_TO_SKIP)
            return
        if question.required:
            self.say(msg.SKIP_REQUIRED)
            return
        key = f"{step.key}:{question.id}"
        if key not in self.state.skipped:
            self.state = replace(self.state, skipped=self.state.skipped + (key,))
        self.say(msg.SKIPPED)
        self._advance(step, question)

    def _cmd_my_answers(self) -> None:
        lines: list[str] = []
        for step in self.dialogue.steps:
            given = self.answers.get(step.key) or {}
            if not given:
                continue
            lines.append(f"**{step.name}**")
            for number, question in enumerate(step.questions, start=1):
                if question.id in given:
                    lines.append(
                        f"{number}. {question.text}\n   → {describe_value(question, given[question.id])}"
                    )
        self.say(msg.MY_ANSWERS_HEADER + "\n\n" + "\n".join(lines) if lines else msg.NO_ANSWERS)
        self._reprompt()

    def _cmd_pause(self) -> None:
        self.state = self.state.at(Phase.PAUSED)
        self.say(msg.PAUSED)

    def _cmd_resume(self) -> None:
        if self.state.phase is Phase.PAUSED:
            self.say(msg.RESUMED)
            self.state = self.state.at(Phase.ANSWERING)
        self._resume()

    def _resume(self) -> None:
        if self.state.phase in (Phase.IDLE, Phase.PAUSED):
            self.state = self.state.at(Phase.IDLE)
            self._go_to_open_step()
        else:
            self._reprompt()

    def _cmd_stop(self) -> None:
        # Also before or without consent: whoever says "afmelden" gets no more messages.
        self.state = self.state.at(Phase.CONFIRM_STOP, resume_phase=self.state.phase)
        self._ask_stop()

    def _cmd_start(self) -> None:
        phase = self.state.phase
        if phase is Phase.CONSENT:  # "meedoen" / "start" answers "Wilt u meedoen?"
            self._input_consent("ja")
        elif phase in (Phase.WELCOME, Phase.DECLINED):
            self._greet()
        elif phase is Phase.OPTED_OUT:
            self.event = "opted_in"
            self.profile = replace(self.profile, opted_out=False)
            self.say(msg.WELCOME_BACK)
            # Whoever opted out before finishing consent or profile picks up there, not at the questions.
            if not self.profile.consent:
                self._greet()
            elif not self.profile.role:
                self.state = self.state.at(Phase.ROLE, resume_phase=None)
                self._ask_role()
            elif (
                not self.profile.municipality_code
                and self.profile.role not in ROLES_WITHOUT_MUNICIPALITY
            ):
                self.state = self.state.at(Phase.MUNICIPALITY, resume_phase=None, suggestions=())
                self._ask_municipality()
            else:
                self.state = self.state.at(Phase.IDLE)
                self._go_to_open_step()
        else:
            self._resume()
