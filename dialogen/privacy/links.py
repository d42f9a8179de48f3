"""Links that point at a person: a profile on a social network, or an address with an e-mail
address or a listed name in it. An organisation's page (``https://vng.nl/rubrieken/over-de-vng``,
``www.utrecht.nl``) is public and stays.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from urllib.parse import unquote, urlsplit

from dialogen.privacy.identifiers import EMAIL, Found

_TLDS = "nl|com|org|net|eu|be|de|io|me|info|frl|social|app|dev|online"
_URL = re.compile(
    r"(?<![\w@.\-/])(?:"
    r"(?:https?://|www\.)[^\s<>\"'\[\]{}]+"
    rf"|(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+(?:{_TLDS})(?![\w-])(?:/[^\s<>\"'\[\]{{}}]*)?"
    r")",
    re.IGNORECASE,
)
_TRAILING = ".,;:!?'\")]"

#: Sites where any page below the domain belongs to one account, usually a person's.
_PROFILE_SITES = frozenset({
    "facebook.com", "fb.com", "twitter.com", "x.com", "instagram.com", "tiktok.com",
    "threads.net", "github.com", "gitlab.com", "bsky.app", "medium.com", "youtube.com",
    "linkedin.com", "wa.me", "t.me", "mastodon.social", "social.overheid.nl",
})  # fmt: skip
#: First path segments on those sites that are not an account (an organisation, a search).
_NOT_AN_ACCOUNT = frozenset({
    "company", "school", "showcase", "groups", "events", "pages", "hashtag", "search", "explore",
    "topics", "orgs", "features", "about", "help", "legal", "privacy", "watch", "feed", "jobs",
})  # fmt: skip
#: On LinkedIn only these first segments are a person's.
_LINKEDIN_PERSONAL = frozenset({"in", "pub", "profile", "posts"})
_HOST_PREFIXES = ("www.", "m.", "mobile.", "nl.", "nl-nl.")


def find_personal_links(text: str, names_in: Callable[[str], bool]) -> Iterator[Found]:
    """Links to a person: ``names_in(words)`` says whether a listed name occurs in the link's
    path and query, spelled as words ("jan-jansen" is given as "jan jansen")."""
    for match in _URL.finditer(text):
        start, end = match.span()
        end = start + len(_trim(match.group()))
        if _is_personal(text[start:end], names_in):
            yield start, end


def _trim(url: str) -> str:
    """Drop sentence punctuation after a link; keep a closing bracket that belongs to it."""
    while url and url[-1] in _TRAILING:
        if url[-1] == ")" and url.count("(") >= url.count(")"):
            break
        url = url[:-1]
    return url


def _is_personal(url: str, names_in: Callable[[str], bool]) -> bool:
    parts = urlsplit(url if "://" in url else f"https://{url}")
    host = (parts.hostname or "").lower()
    for prefix in _HOST_PREFIXES:
        host = host.removeprefix(prefix)
    path = unquote(parts.path)
    query = unquote(" ".join((parts.query, parts.fragment)))
    segments = [segment for segment in path.split("/") if segment]
    if host in _PROFILE_SITES and segments:
        first = segments[0].lower()
        if host == "linkedin.com":
            if first in _LINKEDIN_PERSONAL:
                return True
        elif first not in _NOT_AN_ACCOUNT:
            return True
    if "@" in parts.netloc or EMAIL.search(path) or EMAIL.search(query):
        return True
    words = re.sub(r"[\W_]+", " ", f"{path} {query}")
    return names_in(words)
