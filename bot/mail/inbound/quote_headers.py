"""Where a quoted or forwarded message starts: attribution lines, header blocks, separators.

Built once from the per-language data in :mod:`bot.mail.inbound.reply_phrases`:

* an attribution ("On … wrote:", "Op … schreef …:", "Am 01.10.2024 um 12:47 schrieb …:",
  "Le mar. 1 oct. 2024 à 12:47, … a écrit :"), also wrapped over two or three lines when a long
  name or ``<address>`` was pushed to the next line. One without a date ("Jan schreef:") counts
  only with an address in it or a ``>`` quote right below it, so "Zoals ik schreef:" stays text;
* a header block ("From: / Sent: / To: / Subject:" in any of the languages, bold or not, also
  when a long name or address is wrapped onto the next line, and in any field order as long as
  it names the sender, a date and the recipient or subject; or all on one line);
* a separator ("-----Original Message-----", "-------- Doorgestuurd bericht --------",
  "--- Original ---", "——— Doorgestuurd bericht ———", "Begin forwarded message:"), Outlook's
  line of underscores, or another ruled line when a header block or attribution follows it.

Lines are plain text after HTML conversion, with invisible characters already removed.
"""

from __future__ import annotations

import re

from bot.mail.inbound.reply_phrases import LANGUAGES

__all__ = ["attribution_length", "starts_original", "is_header_field"]

_PLACEHOLDER = re.compile(r"\{(?:who|date|time)\}")
_MAX_ATTRIBUTION_CHARS = 500
_DATE_HINT = re.compile(r"\d")
_ADDRESS_HINT = re.compile(r"@|<[^<>]*>")
_RULE_CHARS = "-_—–=~*•·"
_QUOTED = re.compile(r"^\s*>")


def _template_pattern(template: str) -> str:
    """A template such as "Am {date} um {time} schrieb {who}:" as a loose regular expression:
    its words in order, anything (at least one character) where a placeholder stands."""
    parts: list[str] = []
    for index, literal in enumerate(_PLACEHOLDER.split(template)):
        if index:
            parts.append(r".+?")
        if not any(ch.isalpha() for ch in literal):
            continue  # only punctuation between two placeholders: part of them
        words = literal.replace(":", " : ").split()
        parts.append(r"\s*" + r"\s*".join(re.escape(word) for word in words))
    return "^" + "".join(parts) + r"\s*$"


def _verb(template: str) -> str:
    """The template's longest word ("wrote", "schrieb", "geschreven")."""
    return max(re.findall(r"[^\W\d_]+", _PLACEHOLDER.sub(" ", template)), key=len).lower()


def _templates(dated: bool) -> dict[str, list[re.Pattern[str]]]:
    """The templates by their longest word. A line is only tried against the templates whose
    word it holds: one expression of all of them backtracks for milliseconds per line."""
    found: dict[str, list[re.Pattern[str]]] = {}
    for language in LANGUAGES.values():
        for template in language.wrote:
            if ("{date}" in template) is dated:
                patterns = found.setdefault(_verb(template), [])
                pattern = re.compile(_template_pattern(template), re.I)
                if pattern not in patterns:
                    patterns.append(pattern)
    return found


_DATED = _templates(dated=True)
_UNDATED = _templates(dated=False)
_VERB = re.compile(
    "|".join(sorted(map(re.escape, {*_DATED, *_UNDATED}), key=len, reverse=True)), re.I
)


def _matches(templates: dict[str, list[re.Pattern[str]]], text: str, verbs: set[str]) -> bool:
    return any(pattern.match(text) for verb in verbs for pattern in templates.get(verb, ()))


def _alternatives(words: set[str]) -> str:
    """Longest first, so "Kopie (CC)" wins over "Kopie"; inner spaces match any spacing."""
    ordered = sorted(words, key=lambda word: (-len(word), word))
    return "|".join(r"\s+".join(re.escape(part) for part in word.split()) for word in ordered)


def _roles() -> dict[str, str]:
    """Every field name (lower case, single spaces) with its role."""
    roles: dict[str, str] = {}
    for language in LANGUAGES.values():
        for role, names in language.fields.items():
            for name in names:
                roles.setdefault(" ".join(name.lower().split()), role)
    return roles


_ROLE_OF = _roles()
_FIELD = re.compile(rf"^[\s*_]*({_alternatives(set(_ROLE_OF))})[\s*_]*:", re.I)
_FROM_NAMES = {name for name, role in _ROLE_OF.items() if role == "from"}
_SUBJECT_NAMES = {name for name, role in _ROLE_OF.items() if role == "subject"}
_ONE_LINE_HEADER = re.compile(
    rf"^[\s*_]*(?:{_alternatives(_FROM_NAMES)})[\s*_]*:.+?\s[\s*_]*"
    rf"(?:{_alternatives(_SUBJECT_NAMES)})[\s*_]*:",
    re.I,
)
_PHRASES = {phrase for language in LANGUAGES.values() for phrase in language.separators}
_FIRST_WORDS = {phrase.split()[0] for phrase in _PHRASES if len(phrase.split()[0]) > 3}
_RULE = f"[{re.escape(_RULE_CHARS)}]"
_SEPARATOR = re.compile(
    rf"^\s*{_RULE}[{re.escape(_RULE_CHARS)}\s]*(?:{_alternatives(_PHRASES)})\s*:?"
    rf"[{re.escape(_RULE_CHARS)}\s]*$"
    rf"|^\s*{_RULE}{{2,}}\s*(?:{_alternatives(_FIRST_WORDS)})\s*{_RULE}{{2,}}\s*$"
    rf"|^\s*(?:{_alternatives(_PHRASES)})\s*:\s*$",
    re.I,
)
_UNDERSCORES = re.compile(r"^\s*_{10,}\s*$")
_RULED = re.compile(rf"^\s*{_RULE}{{10,}}\s*$")
_MAX_BLOCK_LINES = 12
_MAX_WRAPPED_LINES = 2


def is_header_field(line: str) -> str | None:
    """The role ("from", "date", "to", "cc", "subject") of a header field line, or None."""
    found = _FIELD.match(line)
    return _ROLE_OF.get(" ".join(found.group(1).lower().split())) if found else None


def _is_header_block(lines: list[str], index: int) -> bool:
    """A header block starts at ``index``: consecutive field lines (a wrapped value may take a
    line or two) naming the sender, a date and the recipient or subject."""
    if _ONE_LINE_HEADER.match(lines[index]):
        return True
    if is_header_field(lines[index]) is None:
        return False
    roles: set[str] = set()
    wrapped = 0
    for line in lines[index : index + _MAX_BLOCK_LINES]:
        role = is_header_field(line)
        if role is not None:
            roles.add(role)
            wrapped = 0
        elif not line.strip() or wrapped >= _MAX_WRAPPED_LINES:
            break
        else:
            wrapped += 1
    return "from" in roles and "date" in roles and bool(roles & {"to", "subject"})


def _is_attribution(text: str, next_line: str, *, dated_only: bool = False) -> bool:
    text = " ".join(text.split())
    if len(text) > _MAX_ATTRIBUTION_CHARS or not text.endswith(":"):
        return False
    verbs = {verb.lower() for verb in _VERB.findall(text)}
    if not verbs:
        return False
    if _DATE_HINT.search(text) and _matches(_DATED, text, verbs):
        return True
    return (
        not dated_only
        and _matches(_UNDATED, text, verbs)
        and bool(_ADDRESS_HINT.search(text) or _QUOTED.match(next_line))
    )


def _next_text(lines: list[str], index: int) -> str:
    return next((line for line in lines[index:] if line.strip()), "")


def attribution_length(lines: list[str], index: int) -> int:
    """Number of lines (1-3) of an attribution line starting at ``lines[index]``, else 0."""
    first = lines[index]
    if _QUOTED.match(first) or not first.strip():
        return 0
    joined = first.strip()
    if _is_attribution(joined, _next_text(lines, index + 1)):
        return 1
    if joined[-1] in ".!?":
        return 0  # a finished sentence is not the first half of a wrapped attribution
    for extra in (1, 2):
        following = lines[index + extra] if index + extra < len(lines) else ""
        if not following.strip() or _QUOTED.match(following):
            return 0
        if _is_attribution(following.strip(), "", dated_only=True):
            return 0  # the attribution starts on the next line
        joined = f"{joined} {following.strip()}"
        if _is_attribution(joined, _next_text(lines, index + extra + 1)):
            return extra + 1
    return 0


def _introduces_quote(lines: list[str], index: int) -> bool:
    """A header field or attribution within the three lines after ``index``."""
    seen = 0
    for position in range(index + 1, len(lines)):
        if not lines[position].strip():
            continue
        if is_header_field(lines[position]) or attribution_length(lines, position):
            return True
        seen += 1
        if seen >= 3:
            return False
    return False


def starts_original(lines: list[str], index: int) -> bool:
    """True when an unquoted original message (or forward) starts at ``lines[index]``."""
    line = lines[index]
    if _QUOTED.match(line) or not line.strip():
        return False
    if _SEPARATOR.match(line) or _UNDERSCORES.match(line):
        return True
    if _RULED.match(line):
        return _introduces_quote(lines, index)
    return _is_header_block(lines, index)
