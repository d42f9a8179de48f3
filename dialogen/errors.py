"""The exception root of the domain. Domain *rejections* (a late answer, an unknown option) are
replies to the participant, not exceptions; these are for broken input files and lookups."""

from __future__ import annotations


class DialogenError(Exception):
    """Root of every exception raised by ``dialogen``."""


class DialogueFileError(DialogenError):
    """A dialogue file that cannot be used; ``problems`` says where and what, one line each."""

    def __init__(self, source: str, problems: list[str]) -> None:
        self.source = source
        self.problems = problems
        super().__init__("\n".join(f"{source}: {p}" for p in problems))


class UnknownParticipantError(DialogenError):
    def __init__(self, participant_id: str) -> None:
        self.participant_id = participant_id
        super().__init__(f"no participant with id {participant_id}")


class QuestionKindError(DialogenError, LookupError):
    """A question kind that is not registered, or a name registered twice."""
