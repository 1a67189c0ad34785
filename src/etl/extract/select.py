"""CSS selection that tolerates bad selectors: registry selectors are data written by people, and one typo must
send a portal down the generic path rather than fail its pages."""

from __future__ import annotations

import logging

from cssselect import SelectorError
from lxml import etree
from lxml import html as lxml_html

log = logging.getLogger(__name__)


def css(element: lxml_html.HtmlElement, selector: str) -> list[lxml_html.HtmlElement]:
    """Elements matching ``selector`` in document order; [] for an empty or invalid selector."""
    if not selector or not selector.strip():
        return []
    try:
        return element.cssselect(selector)
    except (SelectorError, etree.XPathError) as exc:
        log.warning("ignoring invalid CSS selector %r: %s", selector, exc)
        return []
