"""Welcome and profile: the privacy text and consent, then role and municipality."""

from __future__ import annotations

from dataclasses import replace

from dialogen.conversation import messages as msg
from dialogen.conversation.answering import normalize, pick_one
from dialogen.conversation.core import ConversationCore, first_input, yes_no
from dialogen.conversation.replies import Choice, Prompt, PromptKind
from dialogen.conversation.state import Phase
from dialogen.stakeholders.municipalities import Municipality
from dialogen.stakeholders.roles import ROLE_ALIASES, ROLES, ROLES_WITHOUT_MUNICIPALITY, role_label

_MUNICIPALITY_OTHER = "anders"
_NO_MUNICIPALITY_WORDS = frozenset({"geen", "geen gemeente", "niet van toepassing", "nvt", "n v t"})


class ProfileFlow(ConversationCore):
    def _on_install(self) -> None:
        if self.state.phase is Phase.WELCOME:
            self._greet()
        elif self.state.phase is Phase.CONSENT:
            self._greet()  # e.g. invited by mail, now opening Teams: show the privacy text again
        elif self.state.phase is Phase.OPTED_OUT:
            self.say(msg.STILL_OPTED_OUT)
        else:
            self.say(msg.WELCOME_BACK)
            self._resume()

    def _greet(self) -> None:
        d = self.dialogue
        self.say(msg.welcome(d.title, d.introduction, d.privacy))
        self.state = self.state.at(Phase.CONSENT)
        self._ask_consent()

    def _ask_consent(self) -> None:
        self.replies.append(
            Prompt(
                "consent",
                PromptKind.SINGLE,
                msg.CONSENT_QUESTION,
                (Choice("ja", msg.CONSENT_YES), Choice("nee", msg.CONSENT_NO)),
            )
        )

    def _ask_profile_check(self) -> None:
        place = self._municipality_name(self.profile.municipality_code)
        self.replies.append(
            Prompt(
                "profile",
                PromptKind.SINGLE,
                msg.profile_check(role_label(self.profile.role), place),
                (Choice("ja", msg.PROFILE_YES), Choice("nee", msg.PROFILE_NO)),
            )
        )

    def _ask_role(self) -> None:
        self.replies.append(
            Prompt(
                "role",
                PromptKind.SINGLE,
                msg.ROLE_QUESTION,
                ROLES,
                hint=msg.hint_single(len(ROLES)),
            )
        )

    def _ask_municipality(self) -> None:
        if self.state.suggestions:
            choices = tuple(
                Choice(code, self._municipality_label(code)) for code in self.state.suggestions
            )
            self.replies.append(
                Prompt(
                    "municipality",
                    PromptKind.SINGLE,
                    msg.MUNICIPALITY_PICK,
                    choices + (Choice(_MUNICIPALITY_OTHER, msg.MUNICIPALITY_OTHER),),
                )
            )
            return
        text = (
            msg.MUNICIPALITY_QUESTION_OPTIONAL
            if self.profile.role in ROLES_WITHOUT_MUNICIPALITY
            else msg.MUNICIPALITY_QUESTION
        )
        self.replies.append(Prompt("municipality", PromptKind.OPEN, text))

    def _input_welcome(self, _raw: str | list[str]) -> None:
        self._greet()

    def _input_consent(self, raw: str | list[str]) -> None:
        answer = yes_no(raw)
        if answer is None:
            self.say(msg.YES_NO_NOT_UNDERSTOOD)
            self._ask_consent()
        elif answer:
            self.event = "consent"
            self.profile = replace(self.profile, consent=True)
            if self.profile.role:
                self.state = self.state.at(Phase.CONFIRM_PROFILE)
                self._ask_profile_check()
            else:
                self.state = self.state.at(Phase.ROLE)
                self._ask_role()
        else:
            self.event = "declined"
            self.state = self.state.at(Phase.DECLINED)
            self.say(msg.DECLINED)

    def _input_declined(self, _raw: str | list[str]) -> None:
        self.say(msg.DECLINED)

    def _input_profile_check(self, raw: str | list[str]) -> None:
        answer = yes_no(raw)
        if answer is None:
            self.say(msg.YES_NO_NOT_UNDERSTOOD)
            self._ask_profile_check()
        elif answer:
            self._profile_done()
        else:
            self.state = self.state.at(Phase.ROLE)
            self._ask_role()

    def _input_role(self, raw: str | list[str]) -> None:
        value = pick_one(first_input(raw), ROLES, ROLE_ALIASES)
        if value is None:
            self.say(msg.ROLE_NOT_UNDERSTOOD)
            self._ask_role()
            return
        self.profile = replace(self.profile, role=value)
        self.state = self.state.at(Phase.MUNICIPALITY, suggestions=())
        self._ask_municipality()

    def _input_municipality(self, raw: str | list[str]) -> None:
        text = first_input(raw)
        if self.state.suggestions:
            offered = tuple(Choice(c, self._municipality_label(c)) for c in self.state.suggestions)
            picked = pick_one(
                text, offered + (Choice(_MUNICIPALITY_OTHER, msg.MUNICIPALITY_OTHER),)
            )
            if picked == _MUNICIPALITY_OTHER:
                self.state = self.state.at(Phase.MUNICIPALITY, suggestions=())
                self._ask_municipality()
                return
            if picked is not None:
                self._set_municipality(picked)
                return
        if (
            normalize(text) in _NO_MUNICIPALITY_WORDS
            and self.profile.role in ROLES_WITHOUT_MUNICIPALITY
        ):
            self.profile = replace(self.profile, municipality_code=None)
            self._profile_done()
            return
        found = self.turn.municipalities.match(text)
        if found.municipality is not None:
            self._set_municipality(found.municipality.cbs_code)
        elif found.suggestions:
            self.state = self.state.at(
                Phase.MUNICIPALITY, suggestions=tuple(m.cbs_code for m in found.suggestions)
            )
            self._ask_municipality()
        else:
            self.state = self.state.at(Phase.MUNICIPALITY, suggestions=())
            self.say(msg.MUNICIPALITY_NOT_FOUND)

    def _set_municipality(self, code: str) -> None:
        self.profile = replace(self.profile, municipality_code=code)
        self._profile_done()

    def _profile_done(self) -> None:
        self.event = "profile"
        place = self._place(self.profile.municipality_code)
        self.say(
            msg.profile_saved(
                role_label(self.profile.role),
                place.name if place else None,
                place.province if place else None,
            )
        )
        self.state = self.state.at(Phase.IDLE, suggestions=())
        self._go_to_open_step()

    def _place(self, code: str | None) -> Municipality | None:
        if not code:
            return None
        try:
            return self.turn.municipalities.by_code(code)
        except LookupError:
            return None

    def _municipality_name(self, code: str | None) -> str | None:
        place = self._place(code)
        return place.name if place else None

    def _municipality_label(self, code: str) -> str:
        place = self._place(code)
        if place is None:
            return code
        if "(" in place.name:  # "Bergen (L.), Limburg" rather than "Bergen (L.) (Limburg)"
            return f"{place.name}, {place.province}"
        return f"{place.name} ({place.province})"
