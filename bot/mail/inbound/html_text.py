"""Turn the HTML body of a mail into plain text with the stdlib ``html.parser``.

The output keeps what reply extraction needs: one line per block element
(``<p>``, ``<div>``, ``<li>``, ``<tr>``...), a line break per ``<br>``, numbered
items for ``<ol>``, a line of underscores for ``<hr>`` (the Outlook on the web
reply separator) and a ``"> "`` prefix per level for quoting ``<blockquote>``
elements, so quoted text looks the same as in a plain-text reply.
``<script>``, ``<style>``, ``<head>`` and similar content never leaks.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

__all__ = ["html_to_text", "without_inline_data", "cut_html", "HR_LINE"]

HR_LINE = "_" * 32

_SKIPPED = frozenset({"script", "style", "head", "title", "template", "noscript", "svg", "xml"})
_BLOCKS = frozenset(
    {
        "address",
        "article",
        "aside",
        "center",
        "dd",
        "div",
        "dl",
        "dt",
        "fieldset",
        "figure",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "main",
        "nav",
        "ol",
        "p",
        "section",
        "table",
        "tbody",
        "thead",
        "tfoot",
        "tr",
        "ul",
    }
)
_VOID = frozenset({"br", "hr", "img", "meta", "link", "input", "wbr", "col", "area", "base"})
_SPACES = re.compile(r"[ \t\r\n\f\v]+")
_MAX_NESTING = 200
#: ``data:`` URIs (inline images, fonts) inside an attribute value or a style: never text.
_INLINE_DATA = re.compile(r"data:[\w.+/-]*+(?:;[\w.+-]++(?:=[\w.+-]*+)?)*+,[^\"'\s)>]*+", re.I)


def _is_quoting_blockquote(attrs: dict[str, str]) -> bool:
    """Tell a reply quote from a blockquote that only indents (Gmail's "indent")."""
    if attrs.get("type", "").lower() == "cite" or "quote" in attrs.get("class", "").lower():
        return True
    style = attrs.get("style", "").replace(" ", "").lower()
    return "border:none" not in style


class _TextBuilder(HTMLParser):
    """Collects text lines while walking the HTML tag stream."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self._line: list[str] = []
        self._line_depth = 0
        self._quote_depth = 0
        self._quote_stack: list[bool] = []
        self._skip_depth = 0
        self._pre_depth = 0
        self._lists: list[list[int]] = []  # [is_ordered, next number]
        self._paragraph_gap = True  # Outlook's MsoNormal paragraphs are lines, not paragraphs

    # -- line handling -------------------------------------------------
    def _write(self, text: str) -> None:
        if not self._line:
            self._line_depth = self._quote_depth
        self._line.append(text)

    def _end_line(self, *, force: bool = False) -> None:
        """Finish the current line; ``force`` also emits an empty line (``<br>``)."""
        if not self._line and not force:
            return
        depth = self._line_depth if self._line else self._quote_depth
        text = "".join(self._line).strip(" ")
        self.lines.append("> " * depth + text if depth else text)
        self._line = []

    def _blank_line(self) -> None:
        self._end_line()
        if self.lines and self.lines[-1].strip("> "):
            self.lines.append("> " * self._quote_depth)

    # -- parser callbacks ----------------------------------------------
    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        tag = tag.lower()
        if tag in _SKIPPED:
            if tag not in _VOID:
                self._skip_depth += 1
            return
        if self._skip_depth:
            return
        values = {name.lower(): (value or "") for name, value in attrs}
        if tag == "br":
            self._end_line(force=True)
        elif tag == "hr":
            self._end_line()
            self.lines.append("> " * self._quote_depth + HR_LINE)
        elif tag == "blockquote":
            self._end_line()
            quoting = _is_quoting_blockquote(values)
            self._quote_stack.append(quoting)
            if quoting and self._quote_depth < _MAX_NESTING:
                self._quote_depth += 1
        elif tag == "pre":
            self._end_line()
            self._pre_depth += 1
        elif tag in ("ol", "ul"):
            self._end_line()
            start = values.get("start", "1")
            number = int(start) if start.isdigit() else 1
            if len(self._lists) < _MAX_NESTING:
                self._lists.append([tag == "ol", number])
        elif tag == "li":
            self._end_line()
            self._write(self._bullet())
        elif tag in ("td", "th"):
            if self._line:
                self._write(" ")
        elif tag in _BLOCKS:
            self._end_line()
            if tag == "p":
                self._paragraph_gap = not values.get("class", "").lower().startswith("mso")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag.lower() not in _VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        tag = tag.lower()
        if tag in _SKIPPED:
            self._skip_depth = max(0, self._skip_depth - 1)
            return
        if self._skip_depth:
            return
        if tag == "blockquote":
            self._end_line()
            if self._quote_stack and self._quote_stack.pop() and self._quote_depth:
                self._quote_depth -= 1
        elif tag == "pre":
            self._end_line()
            self._pre_depth = max(0, self._pre_depth - 1)
        elif tag in ("ol", "ul"):
            self._end_line()
            if self._lists:
                self._lists.pop()
        elif tag == "p" and self._paragraph_gap:
            self._blank_line()
        elif tag in _BLOCKS or tag == "li":
            self._end_line()

    def handle_data(self, data: str) -> None:
        if self._skip_depth or not data:
            return
        if self._pre_depth:
            first, *rest = data.split("\n")
            self._write(first)
            for part in rest:
                self._end_line(force=True)
                self._write(part)
            return
        text = _SPACES.sub(" ", data)
        if not self._line:
            text = text.lstrip(" ")
        if text:
            self._write(text)

    def _bullet(self) -> str:
        if not self._lists:
            return "- "
        current = self._lists[-1]
        if not current[0]:
            return "- "
        number = current[1]
        current[1] += 1
        return f"{number}. "

    def result(self) -> str:
        self._end_line()
        cleaned: list[str] = []
        for line in self.lines:
            line = line.replace("\xa0", " ").rstrip()
            if not line.strip("> ") and cleaned and not cleaned[-1].strip("> "):
                continue  # at most one empty line in a row
            cleaned.append(line)
        return "\n".join(cleaned).strip("\n")


def without_inline_data(html: str) -> str:
    """``html`` without the content of ``data:`` URIs (an inline image can be megabytes)."""
    return _INLINE_DATA.sub("data:,", html) if "data:" in html else html


def cut_html(html: str, limit: int) -> str:
    """The first ``limit`` characters of ``html``, never ending inside a tag."""
    if len(html) <= limit:
        return html
    head = html[:limit]
    opening = head.rfind("<")
    return head[:opening] if opening > head.rfind(">") else head


def html_to_text(html: str) -> str:
    """Return readable plain text for an HTML mail body; never raises, never returns markup."""
    builder = _TextBuilder()
    try:
        builder.feed(html)
        if builder.rawdata.lstrip().startswith("<"):
            builder.rawdata = ""  # an unfinished tag at the end is markup, not text
        builder.close()
    except Exception:  # noqa: BLE001 - html.parser is lenient, but never let a body break parsing
        pass
    return builder.result()
