"""Articles split over several pages ("?page=2", "Trang 2", "/trang-2").

``parse_page`` reports, for an article with its own pagination, which article it is part of and where it
stands (``extras["part_of"]``, ``["page_number"]``, ``["page_count"]``, ``["next_page"]``); the crawler follows
those links like any other, so the parts arrive in the same batch.  :func:`join_article_parts` then joins the
parts of one article found together, in page order, into the first part's record before rows are built.
A part whose first page is not in the batch stays a record of its own (nothing is invented).
"""

from __future__ import annotations

import logging
from dataclasses import replace
from urllib.parse import urljoin

from lxml import html as lxml_html

from etl.normalise.text import join_paragraphs, split_paragraphs
from etl.normalise.urls import article_page, canonical_url
from etl.records import PageResult

log = logging.getLogger(__name__)


def find_article_pages(doc: lxml_html.HtmlElement, page_url: str) -> dict[str, object]:
    """Pagination of this article (links to other pages of the same URL with a page marker), as extras.
    Empty when the page has no such links.  Read before furniture removal (pagers are link-dense)."""
    base, current = article_page(page_url)
    pages: dict[int, str] = {current: canonical_url(page_url)}
    for anchor in doc.iter("a"):
        href = (anchor.get("href") or "").strip()
        if not href or href.startswith(("#", "javascript:", "mailto:")):
            continue
        try:
            target = urljoin(page_url, href)
            target_base, number = article_page(target)
        except ValueError:
            continue
        if target_base != base:
            continue
        if number == 1 and canonical_url(target) != base:
            continue  # a link that only differs by other parameters
        pages.setdefault(number, canonical_url(target))
    if len(pages) < 2:
        return {}
    extras: dict[str, object] = {"part_of": base, "page_number": current, "page_count": max(pages)}
    if current + 1 in pages:
        extras["next_page"] = pages[current + 1]
    return extras


def join_article_parts(results: list[PageResult]) -> int:
    """Join, in place, the parts of multi-page articles found among ``results``: the first part present (page
    1 normally) gets every part's paragraphs and images in page order; each later part's result then carries
    the same joined Article, so every part's page row points at one article.  Returns how many parts were
    joined into another."""
    groups: dict[str, list[PageResult]] = {}
    for result in results:
        article = result.article
        if result.kind != "article" or article is None or not article.extras.get("part_of"):
            continue
        groups.setdefault(str(article.extras["part_of"]), []).append(result)
    joined = 0
    for base, parts in groups.items():
        numbered: dict[int, PageResult] = {}
        for part in parts:
            numbered.setdefault(int(part.article.extras.get("page_number") or 1), part)  # type: ignore[union-attr]
        if len(numbered) < 2 or 1 not in numbered:
            continue  # the first page is not in this batch: parts stay as they are
        order = [numbered[n] for n in sorted(numbered)]
        first = order[0].article
        assert first is not None
        paragraphs: list[str] = []
        images = []
        for part in order:
            assert part.article is not None
            paragraphs.extend(split_paragraphs(part.article.text))
            images.extend(part.article.images)
        whole = replace(
            first,
            url=base if first.url != base and int(first.extras.get("page_number") or 1) == 1 else first.url,
            text=join_paragraphs(paragraphs),
            images=images,
            author=first.author or next((p.article.author for p in reversed(order) if p.article.author), None),
            extras={**first.extras, "pages_joined": sorted(numbered), "next_page": None},
        )
        whole.extras.pop("next_page", None)
        for part in order:
            part.article = whole
        joined += len(order) - 1
        log.debug("joined %d pages of %s", len(order), base)
    return joined
