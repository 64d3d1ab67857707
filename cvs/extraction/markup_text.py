"""HTML and Markdown CVs as text with their block structure kept.

Blocks (paragraphs, headings, list items, table cells) each start a line, as the
DOCX reader does; headings are preceded by a blank line so that they stand
alone as section breaks; list items keep a bullet. Scripts, styles and other
non-content elements are dropped. Markdown is rendered with markdown-it
(CommonMark + tables) and read by the same walker, so both formats share one
notion of structure.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import lxml.html
from lxml import etree
from markdown_it import MarkdownIt

from .errors import CORRUPT_FILE, ExtractionError

# Content never shown as text (or shown only by a browser's chrome).
_SKIP = frozenset({
    "script", "style", "noscript", "template", "head", "title", "meta", "link", "svg", "math", "iframe",
    "object", "embed", "canvas", "button", "select", "option", "textarea",
})
_BLOCK = frozenset({
    "address", "article", "aside", "blockquote", "body", "dd", "details", "dialog", "div", "dl", "dt",
    "fieldset", "figcaption", "figure", "footer", "form", "header", "hgroup", "hr", "html", "legend", "li",
    "main", "nav", "ol", "p", "pre", "section", "summary", "table", "tbody", "td", "tfoot", "th", "thead",
    "tr", "ul", "caption",
})
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*>", re.I)
_SPACES = re.compile(r"[ \t\r\n\f\v\u00a0]+")
BULLET = "• "


@dataclass
class _Lines:
    lines: list[str] = field(default_factory=list)
    current: list[str] = field(default_factory=list)

    def add(self, text: str | None, *, pre: bool = False) -> None:
        if not text:
            return
        if pre:
            head, *rest = text.split("\n")
            self.current.append(head)
            for line in rest:
                self.end()
                self.current.append(line)
        else:
            self.current.append(_SPACES.sub(" ", text))

    def end(self) -> None:
        line = "".join(self.current).strip()
        self.current = []
        if line and line != BULLET.strip():
            self.lines.append(line)

    def blank(self) -> None:
        self.end()
        if self.lines and self.lines[-1] != "":
            self.lines.append("")


def _walk(node: etree._Element, out: _Lines, pre: bool = False) -> bool:
    """Append the text of ``node`` (not its tail) to ``out``; return whether it held a table."""
    tag = node.tag.lower() if isinstance(node.tag, str) else ""
    has_table = False
    if tag in _SKIP or not isinstance(node.tag, str):
        return False  # comments and processing instructions carry no text
    heading = tag in _HEADINGS
    block = heading or tag in _BLOCK
    if heading:
        out.blank()
    elif block:
        out.end()
    if tag == "li":
        out.add(BULLET)
    if tag == "table":
        has_table = True
    if tag == "br":
        out.end()
    pre = pre or tag == "pre"
    out.add(node.text, pre=pre)
    for child in node:
        has_table = _walk(child, out, pre) or has_table
        out.add(child.tail, pre=pre)
    if block:
        out.end()
    return has_table


def html_to_text(markup: str) -> tuple[str, bool]:
    """Return (text, has_tables) of an HTML document or fragment."""
    markup = _XML_DECLARATION.sub("", markup, count=1)
    if not markup.strip():
        return "", False
    try:
        root = lxml.html.document_fromstring(markup)
    except (etree.ParserError, ValueError) as exc:
        raise ExtractionError(CORRUPT_FILE, "The HTML document cannot be read.") from exc
    out = _Lines()
    has_tables = _walk(root, out)
    out.end()
    while out.lines and out.lines[-1] == "":
        out.lines.pop()
    return "\n".join(out.lines), has_tables


_MARKDOWN = MarkdownIt("commonmark").enable("table")


def markdown_to_text(source: str) -> tuple[str, bool]:
    """Return (text, has_tables) of a Markdown document: markup stripped, headings as section breaks."""
    return html_to_text(_MARKDOWN.render(source))
