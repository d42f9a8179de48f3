"""Options the door supplies: the hook through which a question's options can be the dialogue's
curated themes instead of a fixed list in the dialogue file.

A priority question (``ranking``, ``points``, ``top``) with ``options_from: themes`` gets its
options each turn, the way the reactions question gets its offers: before the engine decides, the
door looks up the current list and hands it in ``Turn.options`` as (step key, question id) →
options.
The engine then works on the dialogue *as asked* (:func:`as_asked`): every kind, the read-back and
the mail receipt see the current options, a card that names an option no longer there is refused
with the current list, and where the door supplies nothing the file's ``options`` (a fallback,
possibly none) stay.

For the door (theme storage is built separately):

- :func:`sourced` lists the questions that want options and from where;
- an option's ``value`` must stay the same while the theme lives (a card and a stored answer name
  it), ``label`` is what participants read; at most :data:`MAX_OPTIONS`, values unique;
- letters and numbers in a typed or mailed answer name *positions* in the list the participant
  was shown, so the list should not change once the step is open (the themes issue refuses
  curation after Voorkeuren opened); a mail listing the questions is rendered from
  ``as_asked(dialogue, options)`` too.
"""

from __future__ import annotations

from collections.abc import Mapping

from dialogen.conversation.kinds.priority import MAX_OPTIONS, options_from
from dialogen.dialogue.definition import Dialogue, Option, Question, Step

__all__ = ["MAX_OPTIONS", "OptionLists", "as_asked", "sourced"]

OptionLists = Mapping[tuple[str, str], tuple[Option, ...]]
"""(step key, question id) → the options to ask with."""


def sourced(dialogue: Dialogue, source: str = "themes") -> tuple[tuple[Step, Question], ...]:
    """The questions whose options come from ``source`` (``options_from: themes``)."""
    return tuple(
        (step, question)
        for step in dialogue.steps
        for question in step.questions
        if options_from(question) == source
    )


def as_asked(dialogue: Dialogue, options: OptionLists) -> Dialogue:
    """``dialogue`` with the supplied options in place, for the questions that take them.

    Supplied lists for questions without ``options_from`` are ignored (a fixed list is the file's
    to change); an empty list leaves the file's fallback. Raises ValueError for a list the kinds
    cannot ask (too long, or a value twice): the door's mistake, not the participant's.
    """
    if not options:
        return dialogue
    steps: list[Step] = []
    changed = False
    for step in dialogue.steps:
        questions = tuple(_with(step, q, options.get((step.key, q.id))) for q in step.questions)
        if any(new is not old for new, old in zip(questions, step.questions, strict=True)):
            changed = True
            steps.append(step.model_copy(update={"questions": questions}))
        else:
            steps.append(step)
    return dialogue.model_copy(update={"steps": tuple(steps)}) if changed else dialogue


def _with(step: Step, question: Question, supplied: tuple[Option, ...] | None) -> Question:
    if not supplied or options_from(question) is None:
        return question
    if len(supplied) > MAX_OPTIONS:
        raise ValueError(
            f"{step.key}/{question.id}: {len(supplied)} options supplied, at most {MAX_OPTIONS}"
        )
    values = [o.value for o in supplied]
    if len(set(values)) != len(values):
        raise ValueError(f"{step.key}/{question.id}: option values supplied twice")
    return question.model_copy(update={"options": tuple(supplied)})
