"""CSS selection that tolerates bad selectors: registry selectors are data written by people, and one typo must
send a portal down the generic path rather than fail its pages."""

from __future__ import annotations

import logging

from cssselect import SelectorError
from lxml import etree
from lxml import html as lxml_html
from lxml.cssselect import CSSSelector

log = logging.getLogger(__name__)

# Compiled selectors by selector text (CSS -> XPath translation is far slower than evaluation); an invalid
# selector maps to the error it raised, so it is reported again on every use, as before.
_COMPILED: dict[str, CSSSelector | Exception] = {}


def _compiled(selector: str) -> CSSSelector | Exception:
    compiled = _COMPILED.get(selector)
    if compiled is None:
        try:
            compiled = CSSSelector(selector, translator="html")  # what HtmlElement.cssselect compiles
        except (SelectorError, etree.XPathError) as exc:
            compiled = exc
        if len(_COMPILED) < 4096:
            _COMPILED[selector] = compiled
    return compiled


def css(element: lxml_html.HtmlElement, selector: str) -> list[lxml_html.HtmlElement]:
    """Elements matching ``selector`` in document order; [] for an empty or invalid selector."""
    if not selector or not selector.strip():
        return []
    compiled = _compiled(selector)
    if isinstance(compiled, Exception):
        log.warning("ignoring invalid CSS selector %r: %s", selector, compiled)
        return []
    try:
        return compiled(element)
    except (SelectorError, etree.XPathError) as exc:
        log.warning("ignoring invalid CSS selector %r: %s", selector, exc)
        return []
