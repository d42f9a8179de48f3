"""Steps and questions: opening the open step, asking, answering, skipping ahead, a whole step
answered at once (a mail reply) and the 'Begin' / 'Verder' buttons on step prompts and nudges."""

from __future__ import annotations

from dataclasses import replace

from dialogen.conversation import messages as msg
from dialogen.conversation.answering import Rejection, interpret
from dialogen.conversation.core import ConversationCore
from dialogen.conversation.inputs import Answers
from dialogen.conversation.kinds import kind_of
from dialogen.conversation.prompts import question_prompt
from dialogen.conversation.state import AnswerChange, Phase
from dialogen.conversation.step_answers import answer_step
from dialogen.dialogue.definition import Question, Step


class StepFlow(ConversationCore):
    def _on_step_answers(self, message: Answers) -> None:
        """Several answers of one step at once (a mail reply): see ``dialogen.conversation.step_answers``."""
        phase = self.state.phase
        self.event = "answers:not_now"
        if phase is Phase.OPTED_OUT:
            self.say(msg.STILL_OPTED_OUT)
            return
        if phase in (Phase.WELCOME, Phase.CONSENT, Phase.DECLINED):
            self.say(msg.ANSWERS_BEFORE_CONSENT)
            self._greet()
            return
        if phase in (Phase.CONFIRM_PROFILE, Phase.ROLE, Phase.MUNICIPALITY):
            self.say(msg.ANSWERS_BEFORE_PROFILE)
            self._reprompt()
            return
        step = self.dialogue.step(message.step_key)
        if step is None or not step.interactive:
            self.say(msg.ANSWERS_UNKNOWN_STEP)
            return
        if self.turn.now < step.opens:
            self.say(msg.step_not_open_yet(step.name, self.when(step.opens)))
            return
        closed = self.turn.now >= step.closes
        result = answer_step(
            step,
            self.answers.get(step.key, {}),
            self.state.skipped,
            message,
            closes=self.when(step.closes),
            closed=closed,
        )
        self.replies.append(result.receipt)
        if closed:
            self.event = "answers:closed"
            if self.state.step_key == step.key and phase in (Phase.ANSWERING, Phase.PAUSED):
                self.state = self.state.at(Phase.IDLE, step_key=None, question_id=None)
            return
        self.event = "answers"
        for change in result.changes:
            self.answers.setdefault(step.key, {})[change.question_id] = change.value
        self.changes.extend(result.changes)
        self.state = replace(self.state, skipped=result.skipped)
        if result.first_open is not None:  # a chat goes on at the first unanswered question
            after = Phase.PAUSED if phase is Phase.PAUSED else Phase.ANSWERING
            self.state = self.state.at(
                after, step_key=step.key, question_id=result.first_open.id, resume_phase=None
            )
            return
        self.state = self.state.at(
            Phase.IDLE, step_key=step.key, question_id=None, resume_phase=None
        )
        if step.key not in self.state.completed_steps:
            self.event = f"step_complete:{step.key}"
            self.state = replace(
                self.state, completed_steps=self.state.completed_steps + (step.key,)
            )

    def _enter_from_card(self, step_key: str) -> None:
        """'Begin' or 'Verder' on a step prompt or nudge: start or continue the open step from here."""
        if self.state.phase is Phase.OPTED_OUT:
            self.say(msg.STILL_OPTED_OUT)
            return
        step = self.dialogue.step(step_key)
        if step is not None and self.turn.now >= step.closes:
            self.say(msg.step_closed(step.name, self.when(step.closes)))
        if self.state.phase in (Phase.WELCOME, Phase.DECLINED):
            self._greet()
        elif self.state.phase is Phase.CONSENT:  # consent is given on the privacy card only
            self._ask_consent()
        elif self.state.phase is Phase.PAUSED:
            self._cmd_resume()
        else:
            self._resume()

    def _step_closed_under_participant(self) -> bool:
        """A participant mid-step when the step closed: say so, then move on."""
        if self.state.phase not in (Phase.ANSWERING, Phase.PAUSED) or not self.state.step_key:
            return False
        step = self.dialogue.step(self.state.step_key)
        if step is not None and step.is_open(self.turn.now):
            return False
        self.event = "step_closed"
        if step is not None:
            self.say(msg.step_closed(step.name, self.when(step.closes)))
        self.state = self.state.at(Phase.IDLE, step_key=None, question_id=None, resume_phase=None)
        self._go_to_open_step()
        return True

    def _ask_current_question(self) -> None:
        step = self._current_step()
        question = step.question(self.state.question_id or "") if step else None
        if step is None or question is None:
            self.state = self.state.at(Phase.IDLE, step_key=None, question_id=None)
            self._go_to_open_step()
            return
        self.replies.append(
            question_prompt(step, question, self.answers.get(step.key, {}).get(question.id))
        )

    def _current_step(self) -> Step | None:
        return self.dialogue.step(self.state.step_key) if self.state.step_key else None

    def _go_to_open_step(self) -> None:
        """Start (or continue) the open step, or say when the next one opens."""
        step = self.dialogue.open_step(self.turn.now)
        if step is None:
            self.state = self.state.at(Phase.IDLE, step_key=None, question_id=None)
            self._say_nothing_open()
            return
        question = self._next_question(step)
        if question is None:
            self.state = self.state.at(Phase.IDLE, step_key=step.key, question_id=None)
            self._say_step_complete(step)
            return
        fresh = not self.answers.get(step.key) and not self._skipped_in(step)
        if fresh:
            self.event = f"step_start:{step.key}"
            self.say(
                msg.step_intro(
                    step.name, step.purpose, step.intro, self.when(step.closes), len(step.questions)
                )
            )
        self.state = self.state.at(Phase.ANSWERING, step_key=step.key, question_id=question.id)
        self._ask_current_question()

    def _say_nothing_open(self) -> None:
        upcoming = self.dialogue.next_step(self.turn.now)
        self.say(
            msg.nothing_open(
                upcoming.name if upcoming else None, self.when(upcoming.opens) if upcoming else None
            )
        )

    def _say_step_complete(self, step: Step) -> None:
        upcoming = self.dialogue.next_step(self.turn.now)
        self.say(
            msg.step_complete(
                step.name,
                upcoming.name if upcoming else None,
                self.when(upcoming.opens) if upcoming else None,
            )
        )

    def _skipped_in(self, step: Step) -> set[str]:
        prefix = f"{step.key}:"
        return {s.removeprefix(prefix) for s in self.state.skipped if s.startswith(prefix)}

    def _next_question(self, step: Step, after: str | None = None) -> Question | None:
        done = set(self.answers.get(step.key, {})) | self._skipped_in(step)
        ids = [q.id for q in step.questions]
        start = ids.index(after) + 1 if after in ids else 0
        for question in step.questions[start:] + step.questions[:start]:
            if question.id not in done:
                return question
        return None

    def _input_answer(self, raw: str | list[str]) -> None:
        step = self._current_step()
        question = step.question(self.state.question_id or "") if step else None
        if step is None or question is None:
            self._ask_current_question()
            return
        value = interpret(question, raw)
        if isinstance(value, Rejection):
            self.event = "answer_rejected"
            self.say(value.text)
            if kind_of(question).reasks_after_rejection:
                self._ask_current_question()
            return
        self.event = "answer"
        changed = question.id in self.answers.get(step.key, {})
        self.answers.setdefault(step.key, {})[question.id] = value
        self.changes.append(AnswerChange(step.key, question.id, value))
        skipped = tuple(s for s in self.state.skipped if s != f"{step.key}:{question.id}")
        self.state = replace(self.state, skipped=skipped)
        if changed or step.key in self.state.completed_steps:  # a change, not the next question
            self.say(msg.ANSWER_SAVED)
        self._advance(step, question)

    def _advance(self, step: Step, question: Question) -> None:
        following = self._next_question(step, after=question.id)
        if following is not None:
            self.state = self.state.at(Phase.ANSWERING, question_id=following.id)
            self._ask_current_question()
            return
        self.state = self.state.at(Phase.IDLE, question_id=None)
        if step.key not in self.state.completed_steps:
            self.event = f"step_complete:{step.key}"
            self.state = replace(
                self.state, completed_steps=self.state.completed_steps + (step.key,)
            )
            self._say_step_complete(step)

    def _input_idle(self, _raw: str | list[str]) -> None:
        step = self.dialogue.open_step(self.turn.now)
        if step is not None and self._next_question(step) is not None:
            self._go_to_open_step()
        else:
            self.say(msg.NOT_UNDERSTOOD_IDLE)

    def _input_paused(self, _raw: str | list[str]) -> None:
        self._cmd_resume()
