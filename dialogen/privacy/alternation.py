"""One regular expression for many literal strings, shared by their common prefixes.

``alternation(["jan de vries", "jan jansen"])`` gives ``jan\\s+(?:de\\s+vries|jansen)``: a
thousand names become one pattern that the regex engine walks like a tree, so matching costs
about the length of the text, not the number of names. A space in a string matches any run of
white space.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_END = ""

_Trie = dict[str, "_Trie"]


def alternation(strings: Iterable[str]) -> str:
    """A pattern (without groups) matching exactly the given strings; longer ones are preferred
    where one string is a prefix of another. Empty when ``strings`` is."""
    trie: _Trie = {}
    for string in strings:
        if not string:
            continue
        node = trie
        for char in string:
            node = node.setdefault(char, {})
        node[_END] = {}
    return _pattern(trie)


def _pattern(node: _Trie) -> str:
    branches = [_literal(char) + _pattern(child) for char, child in sorted(node.items()) if char]
    if not branches:
        return ""
    if len(branches) == 1:
        body = branches[0]
        grouped = f"(?:{body})" if _END in node else body
    else:
        grouped = "(?:" + "|".join(branches) + ")"
    return f"{grouped}?" if _END in node else grouped


def _literal(char: str) -> str:
    return r"\s+" if char == " " else re.escape(char)
