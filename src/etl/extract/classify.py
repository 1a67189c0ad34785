"""Is this page an article, a listing, or something else?

Portals hold far more listings (category pages, pagination, tag pages) and odd pages (contacts, galleries,
search results, the home page) than articles, and loading a listing as an article pollutes the archive.  The
decision weighs evidence rather than trusting any single signal: the portal's article URL pattern, og:type,
a headline followed by substantial prose in one container, versus many headline-like links with short texts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from lxml import html as lxml_html

from etl.extract.furniture import TextCache, prose_length
from etl.normalise.text import clean_text

_SEARCH_URL_RE = re.compile(
    r"(search|tim-?kiem|timkiem|tra-?cuu|ketqua|[?&](q|k|keyword|tukhoa|key)=)", re.IGNORECASE
)
_OTHER_URL_RE = re.compile(
    r"(lien-?he|contact|gioi-?thieu|so-?do|sitemap|album|gallery|thu-?vien-?anh"
    r"|video|dang-?nhap|login|hoi-?dap|gop-?y)",
    re.IGNORECASE,
)


@dataclass
class Evidence:
    url_match: bool | None = None
    og_article: bool = False
    has_headline: bool = False
    body_chars: int = 0
    long_paragraphs: int = 0
    region_headline_links: int = 0
    teasers: int = 0
    title_is_category: bool = False
    page_headline_links: int = 0
    is_home: bool = False
    is_list: bool = False
    is_search: bool = False
    score: int = 0
    reasons: list[str] = field(default_factory=list)


def headline_links(element: lxml_html.HtmlElement) -> int:
    """Distinct links whose text looks like a headline (>= 4 words, >= 20 chars)."""
    return len({a.get("href") for a in element.iter("a") if _is_headline_link(a)})


def _is_headline_link(anchor: lxml_html.HtmlElement) -> bool:
    text = clean_text(anchor.text_content())
    href = anchor.get("href") or ""
    return (
        len(text) >= 20 and len(text.split()) >= 4 and bool(href) and not href.startswith(("#", "javascript"))
    )


def teaser_items(region: lxml_html.HtmlElement) -> int:
    """Distinct links that head a small item with its own teaser text (a listing's row: link, date, summary).

    Article paragraphs do not share a small element with a headline link; listing rows always do.
    """
    hrefs: set[str] = set()
    for element in region.iter("li", "tr", "div", "article", "section", "dl", "td"):
        links = {a.get("href") for a in element.iter("a") if _is_headline_link(a)}
        if len(links) != 1:
            continue
        text = clean_text(element.text_content())
        if len(text) > 700:
            continue
        linked = sum(len(clean_text(a.text_content())) for a in element.iter("a"))
        if len(text) - linked >= 40:
            hrefs.update(links)
    return len(hrefs)


def densest_region(root: lxml_html.HtmlElement, cache: TextCache | None = None) -> lxml_html.HtmlElement:
    """The deepest element that still holds most (80%) of the page's prose: the article body or the list."""
    total = prose_length(root, cache)
    if total == 0:
        return root
    current = root
    while True:
        best = None
        for child in current:
            if not isinstance(child.tag, str):
                continue
            if prose_length(child, cache) >= 0.8 * total:
                best = child
                break
        if best is None:
            return current
        current = best


def classify(
    *,
    url: str,
    article_url_pattern: str | None,
    og_article: bool,
    has_headline: bool,
    paragraphs: list[str],
    region: lxml_html.HtmlElement,
    page: lxml_html.HtmlElement,
    title_is_category: bool = False,
) -> Evidence:
    evidence = Evidence(og_article=og_article, has_headline=has_headline, title_is_category=title_is_category)
    parts = urlsplit(url)
    path_query = parts.path + (f"?{parts.query}" if parts.query else "")
    if article_url_pattern:
        evidence.url_match = bool(re.search(article_url_pattern, path_query))
    evidence.is_home = parts.path.strip("/").lower() in (
        "",
        "index.php",
        "index.html",
        "default.aspx",
        "trang-chu",
        "home",
        "vi",
        "vi-vn",
        "trang/default.aspx",
    )
    evidence.is_search = bool(_SEARCH_URL_RE.search(path_query))
    evidence.body_chars = sum(len(p) for p in paragraphs)
    evidence.long_paragraphs = sum(1 for p in paragraphs if len(p) >= 100)
    evidence.region_headline_links = headline_links(region)
    evidence.page_headline_links = headline_links(page)
    evidence.teasers = teaser_items(region)

    score = 0
    if evidence.url_match is True:
        score += 2
        evidence.reasons.append("url pattern")
    elif evidence.url_match is False:
        score -= 2
        evidence.reasons.append("url pattern mismatch")
    if og_article:  # listings rarely claim to be articles; this outweighs related-news teasers on the page
        score += 3
        evidence.reasons.append("og/article meta")
    # A list of items, each a headline link over a teaser: as many links as paragraphs.
    listy = (
        evidence.teasers >= 2
        or (evidence.teasers >= 1 and evidence.teasers >= evidence.long_paragraphs)
        or (
            evidence.region_headline_links >= 3
            and evidence.region_headline_links >= 0.6 * max(1, evidence.long_paragraphs)
        )
    )
    evidence.is_list = listy
    if evidence.body_chars >= 500 and evidence.long_paragraphs >= 2:
        score += 2
        evidence.reasons.append("prose")
    elif evidence.body_chars >= 200 and evidence.long_paragraphs >= 1:
        score += 1
        evidence.reasons.append("some prose")
    elif evidence.body_chars < 120:
        score -= 3
        evidence.reasons.append("little text")
    if not listy and evidence.long_paragraphs >= 5:
        score += 1
        evidence.reasons.append("many paragraphs")
    if has_headline and not listy and evidence.long_paragraphs >= 1:
        score += 1
        evidence.reasons.append("headline over prose")
    elif not has_headline:
        score -= 1
    if listy:
        score -= 3
        evidence.reasons.append("main region is a list of headlines")
    if title_is_category:
        score -= 2
        evidence.reasons.append("headline is the category name")
    if evidence.is_search or evidence.is_home:
        score -= 3
    elif _OTHER_URL_RE.search(parts.path):
        score -= 2
        evidence.reasons.append("contact/gallery-like URL")
    evidence.score = score
    return evidence


def decide(evidence: Evidence, url: str) -> str:
    if evidence.score >= 2:
        return "article"
    if evidence.is_home or evidence.is_search or _OTHER_URL_RE.search(urlsplit(url).path):
        return "other"
    if (
        evidence.is_list
        or evidence.teasers >= 1
        or evidence.region_headline_links >= 5
        or (evidence.url_match is False and evidence.page_headline_links >= 3)
    ):
        return "listing"
    return "other"
