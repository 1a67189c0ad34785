"""Article metadata from a parsed page: headline, publication date, category, canonical URL, meta author.

Each value has an order of trust.  Machine-readable sources come first (meta tags, JSON-LD) because they are
unambiguous; visible text near the headline comes next, read only inside the article header so that a sidebar
item's date or the crawl time can never be taken for the article's.
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from lxml import html as lxml_html

from etl.extract.select import css
from etl.normalise.dates import (
    date_from_url,
    parse_iso_datetime,
    parse_partial_date,
    parse_vietnamese_date,
    to_local_naive,
)
from etl.normalise.text import clean_text, fold_vietnamese

log = logging.getLogger(__name__)

_META_DATE_KEYS = (
    "article:published_time",
    "og:published_time",
    "og:article:published_time",
    "datepublished",
    "pubdate",
    "publishdate",
    "publish-date",
    "date",
    "dc.date.issued",
    "dc.date",
    "dcterms.created",
    "sailthru.date",
    "parsely-pub-date",
    "article.published",
    "published_time",
    "created",
)
_SITE_WORDS_RE = re.compile(
    r"(cong thong tin|cong ttdt|trang thong tin|trang ttdt|website|dcs\.vn|gov\.vn|\.vn\b|bao dien tu|dang bo tinh"
    r"|tinh uy|thanh uy|huyen uy|thi uy|ban tuyen giao|portal|trang chu)",
    re.IGNORECASE,
)
_ONE_DAY = timedelta(days=1)
_TITLE_SEPARATORS_RE = re.compile(r"\s+(?:[-–—|:»]|::)\s+")
_TITLE_CLASS_RE = re.compile(r"(^|[\s_-])(title|tieu-?de|tieude|headline|news-?title|article-?title)([\s_-]|$)")
_CRUMB_CLASS_RE = re.compile(r"breadcrumb|duong-?dan|path-?detail|(^|\s)path(\s|$)")


@dataclass
class DateFinding:
    value: datetime
    source: str  # "meta", "jsonld", "visible", "url"


def meta_content(doc: lxml_html.HtmlElement, *keys: str) -> str | None:
    """First non-empty <meta property|name|itemprop=key content=...> among ``keys`` (case-insensitive)."""
    wanted = {k.lower() for k in keys}
    found: dict[str, str] = {}
    for meta in doc.iter("meta"):
        key = (meta.get("property") or meta.get("name") or meta.get("itemprop") or "").strip().lower()
        content = meta.get("content")
        if key in wanted and content and content.strip() and key not in found:
            found[key] = content.strip()
    for key in keys:
        if key.lower() in found:
            return found[key.lower()]
    return None


def json_ld_objects(doc: lxml_html.HtmlElement) -> list[dict]:
    """All JSON-LD objects on the page, @graph flattened; broken blocks are skipped (portals hand-write them)."""
    objects: list[dict] = []
    for script in doc.iter("script"):
        if (script.get("type") or "").lower() != "application/ld+json" or not script.text:
            continue
        try:
            data = json.loads(script.text.strip())
        except ValueError:
            continue
        stack = data if isinstance(data, list) else [data]
        for item in stack:
            if isinstance(item, dict):
                objects.append(item)
                graph = item.get("@graph")
                if isinstance(graph, list):
                    objects.extend(g for g in graph if isinstance(g, dict))
    return objects


def _is_article_ld(obj: dict) -> bool:
    kind = obj.get("@type")
    kinds = kind if isinstance(kind, list) else [kind]
    return any(isinstance(k, str) and k.lower().endswith(("article", "posting", "report")) for k in kinds)


def date_from_meta(doc: lxml_html.HtmlElement) -> DateFinding | None:
    for key in _META_DATE_KEYS:
        value = meta_content(doc, key)
        parsed = parse_iso_datetime(value) if value else None
        if parsed:
            return DateFinding(parsed, "meta")
    for time in doc.iter("time"):
        if time.get("itemprop", "").lower() == "datepublished" or "publish" in (time.get("class") or ""):
            parsed = parse_iso_datetime(time.get("datetime") or "")
            if parsed:
                return DateFinding(parsed, "meta")
    return None


def date_from_json_ld(doc: lxml_html.HtmlElement) -> DateFinding | None:
    for obj in json_ld_objects(doc):
        if not _is_article_ld(obj):
            continue
        for key in ("datePublished", "dateCreated", "uploadDate"):
            value = obj.get(key)
            parsed = parse_iso_datetime(value) if isinstance(value, str) else None
            if parsed:
                return DateFinding(parsed, "jsonld")
    return None


def date_from_text(lines: list[str], reference: datetime | None) -> DateFinding | None:
    """A full date in the header lines, else a partial "Ngày 04/5" in them (year from ``reference``).

    A date after the fetch cannot be the publication date (an event announced ahead), so it is skipped.
    Without a reference (a page of unknown fetch time) partial dates are not guessed.
    """
    for line in lines:
        parsed = parse_vietnamese_date(line, reference)
        if parsed and (reference is None or parsed <= to_local_naive(reference) + _ONE_DAY):
            return DateFinding(parsed, "visible")
    if reference is None:
        return None
    for line in lines:
        parsed = parse_partial_date(line, reference)
        if parsed:
            return DateFinding(parsed, "visible")
    return None


def find_date(
    machine: DateFinding | None,
    header_lines: list[str],
    first_paragraphs: list[str],
    url: str,
    reference: datetime | None,
) -> DateFinding | None:
    """Meta/JSON-LD (``machine``, read before furniture removal drops <script>), then visible header text,
    then the URL, then the lead paragraph's "Ngày 04/5"."""
    found = machine or date_from_text(header_lines, reference)
    if found:
        return found
    from_url = date_from_url(url)
    if from_url:
        return DateFinding(from_url, "url")
    for line in first_paragraphs[:2] if reference is not None else ():
        parsed = parse_partial_date(line, reference)
        if parsed:
            return DateFinding(parsed, "visible")
    return None


# --- title ----------------------------------------------------------------------------------------------------


def strip_site_name(title: str, site_names: tuple[str, ...] = (), categories: tuple[str, ...] = ()) -> str:
    """Drop " - Cổng TTĐT Tỉnh ủy ...", " | Báo ..." suffixes and a leading category ("Chính trị - ...").

    Only segments that look like a site name (or equal the portal's name or a known category) are removed, so a
    headline's own dashes ("nhiệm kỳ 2015 - 2020") survive.
    """
    title = clean_text(title)
    folded_sites = {fold_vietnamese(s, lower=True) for s in site_names if s}
    folded_categories = {fold_vietnamese(c, lower=True) for c in categories if c}
    for _ in range(3):
        parts = _TITLE_SEPARATORS_RE.split(title)
        if len(parts) < 2:
            break
        last = fold_vietnamese(parts[-1], lower=True)
        first = fold_vietnamese(parts[0], lower=True)
        if (
            last in folded_sites
            or (_SITE_WORDS_RE.search(last) and len(parts[-1]) < 90)
            or any(s and (s in last or last in s) for s in folded_sites)
        ):
            title = title[: title.rfind(parts[-1])].rstrip(" -–—|:»")
            continue
        if first in folded_categories or first in folded_sites:
            title = title[len(parts[0]) :].lstrip(" -–—|:»")
            continue
        break
    return title.strip()


def headline_candidates(doc: lxml_html.HtmlElement, selector: str = "") -> list[lxml_html.HtmlElement]:
    """Elements that may hold the headline: the platform's title selector, then h1, then title-classed h2/h3."""
    found: list[lxml_html.HtmlElement] = []
    found.extend(css(doc, selector))
    found.extend(doc.iter("h1"))
    for element in doc.iter("h2", "h3", "div", "span", "p"):
        cls = fold_vietnamese(f"{element.get('class', '')} {element.get('id', '')}", lower=True)
        if _TITLE_CLASS_RE.search(cls):
            found.append(element)
    return found


def choose_headline(
    doc: lxml_html.HtmlElement, selector: str, hint_titles: list[str], site_names: tuple[str, ...]
) -> lxml_html.HtmlElement | None:
    """The element holding the article's own headline.

    Candidates that merely repeat the site name (a logo in an <h1>) are skipped; among the rest, one that
    agrees with og:title/<title> wins, else the first.
    """
    folded_sites = {fold_vietnamese(s, lower=True) for s in site_names if s}
    hints = [fold_vietnamese(clean_text(h), lower=True) for h in hint_titles if h]
    usable: list[lxml_html.HtmlElement] = []
    for element in headline_candidates(doc, selector):
        text = clean_text(element.text_content())
        folded = fold_vietnamese(text, lower=True)
        if not 10 <= len(text) <= 400 or folded in folded_sites or _SITE_WORDS_RE.match(folded):
            continue
        if element.find(".//a[@href]") is not None or any(a.get("href") for a in element.iterancestors("a")):
            continue  # a linked heading is an item pointing elsewhere (listings, sidebars), not this page's
        if element not in usable:
            usable.append(element)
    for element in usable:
        folded = fold_vietnamese(clean_text(element.text_content()), lower=True)
        if any(folded and (folded in h or h.startswith(folded[:60])) for h in hints):
            return element
    h1s = [e for e in usable if e.tag == "h1" or (selector and e in css(doc, selector))]
    if h1s:
        return h1s[0]
    if hints:
        # No candidate agrees with og:title/<title>: look for the element that prints that title (a bold <p>).
        return find_text_element(doc, hint_titles, site_names)
    return usable[0] if usable else None


def find_text_element(
    doc: lxml_html.HtmlElement, texts: list[str], site_names: tuple[str, ...] = ()
) -> lxml_html.HtmlElement | None:
    """The deepest body element whose whole text equals one of ``texts`` (site-name suffixes stripped)."""
    wanted = set()
    for text in texts:
        if text:
            wanted.add(fold_vietnamese(strip_site_name(text, site_names), lower=True))
    wanted.discard("")
    body = doc.find(".//body")
    if body is None or not wanted:
        return None
    best = None
    for element in body.iter():
        if not isinstance(element.tag, str) or element.tag in ("script", "style", "title", "a"):
            continue
        folded = fold_vietnamese(clean_text(element.text_content()), lower=True)
        if folded in wanted and len(folded) >= 10:
            best = element  # iter() is document order: later matches are deeper
    return best


def canonical_link(doc: lxml_html.HtmlElement) -> str | None:
    for link in doc.iter("link"):
        if (link.get("rel") or "").lower() == "canonical" and link.get("href"):
            return link.get("href")
    return meta_content(doc, "og:url")


def breadcrumb_category(doc: lxml_html.HtmlElement, selector: str, title: str) -> str | None:
    """The last breadcrumb before the article: platform selector, else any element classed breadcrumb."""
    candidates: list[lxml_html.HtmlElement] = []
    candidates.extend(css(doc, selector))
    for element in doc.iter("div", "ul", "ol", "nav", "p", "span"):
        cls = fold_vietnamese(f"{element.get('class', '')} {element.get('id', '')}", lower=True)
        if _CRUMB_CLASS_RE.search(cls):
            candidates.append(element)
    folded_title = fold_vietnamese(clean_text(title), lower=True)
    for element in candidates:
        crumbs = [
            clean_text(a.text_content())
            for a in element.iter("a", "span", "li")
            if a.find(".//a") is None and a.find(".//li") is None and a.find(".//span") is None
        ]
        crumbs = [c.strip(" >»/|›") for c in crumbs]
        crumbs = [c for c in crumbs if c and c not in (">", "»", "/", "|", "›")]
        deduped: list[str] = []
        for crumb in crumbs:
            if not deduped or deduped[-1] != crumb:
                deduped.append(crumb)
        while deduped and (fold_vietnamese(deduped[-1], lower=True) == folded_title or len(deduped[-1]) > 80):
            deduped.pop()
        deduped = [
            c for c in deduped if fold_vietnamese(c, lower=True) not in ("trang chu", "home", "trang chinh")
        ]
        if deduped:
            return deduped[-1]
    return None


def meta_author(doc: lxml_html.HtmlElement, site_names: tuple[str, ...]) -> str | None:
    """<meta name=author> or JSON-LD author, unless it is only the site's name (common on portals)."""
    value = meta_content(doc, "author", "article:author", "dc.creator")
    if not value:
        for obj in json_ld_objects(doc):
            author = obj.get("author") if _is_article_ld(obj) else None
            if isinstance(author, dict):
                value = author.get("name")
            elif isinstance(author, list) and author and isinstance(author[0], dict):
                value = author[0].get("name")
            elif isinstance(author, str):
                value = author
            if value:
                break
    if not value:
        return None
    value = clean_text(value)
    folded = fold_vietnamese(value, lower=True)
    if _SITE_WORDS_RE.search(folded) or any(fold_vietnamese(s, lower=True) == folded for s in site_names):
        return None
    if value.startswith("http") or len(value) > 80:
        return None
    return value
