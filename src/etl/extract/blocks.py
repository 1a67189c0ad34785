"""Text of an HTML subtree as lines, one per block element.

trafilatura decides *which* text is the article; this module answers the simpler question "what are the
visible lines of this element", which header/date search, captions, classification and the fallback body need.
"""

from __future__ import annotations

from lxml import etree
from lxml import html as lxml_html

from etl.normalise.text import clean_text

BLOCK_TAGS = frozenset(
    {
        "p",
        "div",
        "li",
        "ul",
        "ol",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "tr",
        "td",
        "th",
        "table",
        "section",
        "article",
        "blockquote",
        "figure",
        "figcaption",
        "br",
        "dd",
        "dt",
        "dl",
        "header",
        "footer",
        "center",
        "pre",
        "main",
        "aside",
        "nav",
        "form",
        "hr",
        "caption",
        "tbody",
        "thead",
    }
)
_SKIP_TAGS = frozenset({"script", "style", "noscript", "template", "head", "title", "select", "option"})


def block_lines(element: lxml_html.HtmlElement) -> list[str]:
    """Visible text of ``element`` split at block boundaries, each line cleaned; empty lines dropped."""
    parts: list[str] = []
    _walk(element, parts, is_root=True)
    return [line for line in (clean_text(x) for x in "".join(parts).split("\n")) if line]


def _walk(element: etree._Element, parts: list[str], is_root: bool = False) -> None:
    tag = element.tag if isinstance(element.tag, str) else ""
    if tag in _SKIP_TAGS or not isinstance(element.tag, str):
        if not is_root and element.tail:
            parts.append(element.tail)
        return
    block = tag.lower() in BLOCK_TAGS
    if block:
        parts.append("\n")
    if element.text:
        parts.append(element.text)
    for child in element:
        _walk(child, parts)
    if block:
        parts.append("\n")
    if not is_root and element.tail:
        parts.append(element.tail)
