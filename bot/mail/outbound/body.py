"""The body of an outgoing mail, as plain text and as HTML, from the domain's replies.

- ``Say`` becomes paragraphs (the domain's ``**bold**`` kept as bold in HTML).
- A question of a step (``q:<step>:<question>``) or a step prompt or nudge (``begin``/``verder``)
  becomes the step's numbered question list: one line per question ("2. ... Kies één letter: A, B
  of C."), hints on the question's own line, choices lettered below it ("   A. ..."), scales
  described in words ("1 = ..., 5 = ...") so no line but a question starts with a number — the
  inbound splitter reads "N." as a question number.
- A :class:`~dialogen.conversation.replies.Receipt` becomes the confirmation: what was recorded per
  question, what could not be understood with a hint, and the questions still open.
- Other prompts (consent, role, ...) get their text, lettered choices or "answer ja or nee".

Everything the participant or the dialogue file wrote is HTML-escaped; the HTML has no scripts,
no remote images and no external style sheets.
"""

from __future__ import annotations

import html
import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field

from bot.mail import messages as mmsg
from dialogen.conversation import messages as msg
from dialogen.conversation.engine import BEGIN_INPUT, RESUME_INPUT
from dialogen.conversation.offers import Offer
from dialogen.conversation.replies import Prompt, Receipt, Reply, Say
from dialogen.conversation.step_answers import form_hint, form_lines
from dialogen.dialogue.definition import Dialogue, Step

__all__ = ["Body", "render_body", "form_step_of"]

_BOLD = re.compile(r"\*\*(.+?)\*\*", re.S)
_ITALIC = re.compile(r"(?<!\w)_(.+?)_(?!\w)")
_FONT = "font-family:Arial,Helvetica,sans-serif;font-size:15px;line-height:1.5;color:#1a1a1a"
_MUTED = "color:#555555"
_SMALL = "font-size:12px;color:#666666"


@dataclass(frozen=True)
class Body:
    text: str
    html: str
    step_key: str | None  # the step whose questions the mail lists: a reply answers that step


def form_step_of(replies: Sequence[Reply]) -> str | None:
    """The step whose numbered questions a mail with these replies lists, if any."""
    for reply in replies:
        if isinstance(reply, Receipt):
            return reply.step_key
        if isinstance(reply, Prompt):
            if reply.input_id in (BEGIN_INPUT, RESUME_INPUT) and reply.choices:
                return reply.choices[0].value
            if reply.input_id.startswith("q:"):
                return reply.input_id.split(":")[1]
    return None


def render_body(
    replies: Sequence[Reply],
    *,
    dialogue: Dialogue,
    answered: Collection[str] = (),
    notes: Sequence[str] = (),
    form_step: str | None = None,
    signature: str,
    unsubscribe_url: str | None,
    batch: Sequence[Offer] = (),
) -> Body:
    """``answered``: question ids of the listed step already answered (marked in the list);
    ``form_step``: list this step's questions even if no reply asks for them; ``batch``: the
    contributions to react to, listed instead of the questions when the step asks that now."""
    writer = _Writer(dialogue)
    writer.paragraph(mmsg.GREETING)
    for note in notes:
        writer.paragraph(note)
    step_key = form_step or form_step_of(replies)
    listed = False
    for reply in replies:
        if isinstance(reply, Say):
            writer.paragraph(reply.text)
        elif isinstance(reply, Receipt):
            listed = writer.receipt(reply) or listed
        elif reply.input_id in (BEGIN_INPUT, RESUME_INPUT) or reply.input_id.startswith("q:"):
            if reply.input_id in (BEGIN_INPUT, RESUME_INPUT):
                writer.paragraph(reply.text)
        else:
            writer.prompt(reply)
    step = dialogue.step(step_key) if step_key else None
    if step is not None and step.interactive and not listed and not _closed_receipt(replies):
        if batch:
            writer.batch(step, batch)
        else:
            writer.questions(step, range(1, len(step.questions) + 1), answered, heading=None)
    writer.paragraph(f"{mmsg.CLOSING}\n{signature}")
    writer.footer(mmsg.footer(dialogue.title, dialogue.contact), unsubscribe_url)
    return Body(writer.plain(), writer.document(), step_key)


def _closed_receipt(replies: Sequence[Reply]) -> bool:
    return any(isinstance(r, Receipt) and r.closed for r in replies)


@dataclass
class _Writer:
    dialogue: Dialogue
    text: list[str] = field(default_factory=list)
    html: list[str] = field(default_factory=list)

    def paragraph(self, text: str, *, style: str = "") -> None:
        text = text.strip()
        if not text:
            return
        for part in re.split(r"\n\s*\n", text):
            self.text.append(_plain(part))
            attribute = f' style="{style}"' if style else ""
            self.html.append(f"<p{attribute}>{_markup(part)}</p>")

    def items(self, heading: str, lines: Sequence[tuple[str, str]]) -> None:
        """A heading, then (first line, second line) per item."""
        text = [heading]
        for first, second in lines:
            text.append(f"- {first}")
            if second:
                text.append("  → " + second.replace("\n", "\n    "))
        self.text.append("\n".join(text))
        rows = "".join(
            f"<li>{_escape(first)}"
            + (f"<br><strong>{_markup_plain(second)}</strong>" if second else "")
            + "</li>"
            for first, second in lines
        )
        self.html.append(f"<p><strong>{_escape(heading)}</strong></p><ul>{rows}</ul>")

    def questions(
        self, step: Step, numbers: Sequence[int], answered: Collection[str], *, heading: str | None
    ) -> None:
        closes = msg.when(step.closes, self.dialogue.zone)
        said = any(closes in text for text in self.text)  # the date once per mail
        self.paragraph(heading or mmsg.questions_heading(step.name, None if said else closes))
        self.paragraph(mmsg.HOW_TO_ANSWER)
        for number in numbers:
            question = step.questions[number - 1]
            mark = f"[{mmsg.ALREADY_ANSWERED}] " if question.id in answered else ""
            hint = form_hint(question)
            line = f"{number}. {mark}{question.text} {hint}".rstrip()
            html_line = f"<strong>{number}.</strong> {_escape(mark)}{_escape(question.text)}" + (
                f' <em style="{_MUTED}">{_escape(hint)}</em>' if hint else ""
            )
            below = form_lines(question)  # e.g. lettered choices, indented under the question
            self.text.append("\n".join([line] + [f"   {b}" for b in below]))
            if below:
                html_line += "<br>" + "<br>".join(f"&nbsp;&nbsp;&nbsp;{_escape(b)}" for b in below)
            self.html.append(f"<p>{html_line}</p>")

    def receipt(self, receipt: Receipt) -> bool:
        """The confirmation; True when it listed the questions still open."""
        if receipt.closed:
            self.paragraph(mmsg.receipt_closed(receipt.step_name, receipt.closes))
            return False
        if receipt.batch:  # reactions to a batch: what came next is listed after it
            self.paragraph(msg.batch_receipt_intro(receipt.step_name))
            self._recorded_and_problems(receipt)
            return False
        self.paragraph(mmsg.receipt_intro(receipt.step_name))
        self._recorded_and_problems(receipt)
        if receipt.unplaced_ignored:
            self.paragraph(mmsg.UNPLACED_IGNORED)
        if receipt.passed_over:
            self.paragraph(mmsg.passed_over(receipt.passed_over))
        if receipt.complete:
            self.paragraph(mmsg.receipt_complete(receipt.step_name, receipt.closes))
            self.paragraph(mmsg.CHANGE_ANSWER)
            return False
        step = self.dialogue.step(receipt.step_key)
        if step is None:
            return False
        self.questions(
            step, receipt.open_numbers, (), heading=mmsg.still_open_heading(receipt.remaining)
        )
        return True

    def _recorded_and_problems(self, receipt: Receipt) -> None:
        if receipt.recorded:
            self.items(mmsg.RECORDED_HEADING, [(f"{n}. {q}", v) for n, q, v in receipt.recorded])
        elif not receipt.problems:
            self.paragraph(mmsg.NOTHING_RECORDED)
        if receipt.problems:
            self.items(
                mmsg.PROBLEMS_HEADING, [(mmsg.problem_line(n, h), "") for n, h in receipt.problems]
            )

    def batch(self, step: Step, items: Sequence[Offer]) -> None:
        """Contributions to react to, numbered; how to react by mail above them."""
        self.paragraph(mmsg.batch_heading(step.name, msg.when(step.closes, self.dialogue.zone)))
        self.paragraph(msg.REACTION_MAIL_HOW)
        for number, item in enumerate(items, start=1):
            quoted = " ".join(item.text.split())
            self.text.append(f"{number}. “{quoted}”")
            self.html.append(f"<p><strong>{number}.</strong> <em>“{_escape(quoted)}”</em></p>")

    def prompt(self, prompt: Prompt) -> None:
        self.paragraph(prompt.text)
        values = {c.value for c in prompt.choices}
        if values == {"ja", "nee"}:
            self.paragraph(mmsg.YES_NO_BY_MAIL)
        elif prompt.choices:
            choices = msg.lettered([c.label for c in prompt.choices[:26]])
            self.text.append("\n".join(choices))
            self.html.append("<p>" + "<br>".join(_escape(c) for c in choices) + "</p>")
            self.paragraph(mmsg.CHOOSE_BY_MAIL)
        else:
            self.paragraph(mmsg.TYPE_BY_MAIL)

    def footer(self, text: str, unsubscribe_url: str | None) -> None:
        lines = [text] + ([f"{mmsg.UNSUBSCRIBE_LINE} {unsubscribe_url}"] if unsubscribe_url else [])
        self.text.append("-- \n" + "\n".join(lines))
        link = (
            f' <a href="{_escape(unsubscribe_url)}">{_escape(mmsg.UNSUBSCRIBE_LINK)}</a>'
            if unsubscribe_url
            else ""
        )
        self.html.append(
            f'<hr style="border:none;border-top:1px solid #cccccc">'
            f'<p style="{_SMALL}">{_escape(text)}{link}</p>'
        )

    def plain(self) -> str:
        return "\n\n".join(self.text) + "\n"

    def document(self) -> str:
        return (
            '<!DOCTYPE html>\n<html lang="nl"><head><meta charset="utf-8">'
            f"<title>{_escape(self.dialogue.title)}</title></head>"
            f'<body style="{_FONT}"><div style="max-width:640px">'
            + "\n".join(self.html)
            + "</div></body></html>\n"
        )


def _escape(text: str) -> str:
    return html.escape(text, quote=True)


def _markup_plain(text: str) -> str:
    """Text someone wrote (an answer): escaped, line breaks kept, no markdown."""
    return _escape(text).replace("\n", "<br>")


def _plain(text: str) -> str:
    return _ITALIC.sub(r"\1", _BOLD.sub(r"\1", text))


def _markup(text: str) -> str:
    escaped = _escape(text)
    escaped = _BOLD.sub(r"<strong>\1</strong>", escaped)
    escaped = _ITALIC.sub(r"<em>\1</em>", escaped)
    return escaped.replace("\n", "<br>")
