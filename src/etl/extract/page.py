"""``parse_page``: one saved page in, one ``PageResult`` out.

The function is pure (no fetching, no clock, no database) and total (bad input becomes ``kind="error"`` with a
message, never an exception), so a batch of thousands of pages can be re-extracted at any time with new rules.
"""

from __future__ import annotations

import copy
import logging
import re
from dataclasses import dataclass, field

from lxml import etree
from lxml import html as lxml_html

from etl.extract.blocks import block_lines
from etl.extract.body import Body, clean_body, extract_lines
from etl.extract.classify import classify, decide, densest_region
from etl.extract.decode import DecodedPage, Rejection, decode_page
from etl.extract.furniture import TextCache, prose_length, strip_furniture
from etl.extract.images import collect_images
from etl.extract.metadata import (
    breadcrumb_category,
    canonical_link,
    choose_headline,
    date_from_json_ld,
    date_from_meta,
    find_date,
    json_ld_objects,
    meta_author,
    meta_content,
    strip_site_name,
)
from etl.extract.multipage import find_article_pages
from etl.extract.platforms import PlatformRules, rules_for
from etl.extract.select import css
from etl.normalise.bylines import parse_byline
from etl.normalise.text import clean_text, fold_vietnamese, join_paragraphs
from etl.normalise.urls import article_id, canonical_url
from etl.portals.registry import Portal
from etl.records import Article, PageResult, RawPage

log = logging.getLogger(__name__)

WHOLE_PAGE_BELOW = 0.6
_XML_DECL_RE = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)
_AUTHOR_LABEL_RE = re.compile(
    r"^(tác giả( bài viết)?|người viết|tin,? ảnh|bài,? ảnh|pv|btv)\s*:\s*", re.IGNORECASE
)


@dataclass
class PageContext:
    """What the steps of extraction share about one page."""

    raw: RawPage
    portal: Portal | None
    rules: PlatformRules
    doc: lxml_html.HtmlElement
    site_names: tuple[str, ...]
    notes: dict[str, object] = field(default_factory=dict)


def parse_page(raw: RawPage, portal: Portal | None = None) -> PageResult:
    """Extract one raw page: an Article for articles, the kind ("listing", "other", "error") for the rest."""
    try:
        decoded = decode_page(raw)
    except Exception as exc:
        log.exception("decoding failed for %s", getattr(raw, "url", raw))
        return PageResult(kind="error", error=f"undecodable page: {type(exc).__name__}: {exc}")
    if isinstance(decoded, Rejection):
        return PageResult(
            kind=decoded.kind, html=decoded.html, charset=decoded.charset, error=decoded.message
        )
    try:
        return _parse_decoded(raw, portal, decoded)
    except Exception as exc:
        log.exception("extraction failed for %s", raw.url)
        return PageResult(
            kind="error",
            html=decoded.html,
            charset=decoded.charset,
            error=f"extraction failed: {type(exc).__name__}: {exc}",
        )


def _parse_html(text: str) -> lxml_html.HtmlElement | None:
    text = _XML_DECL_RE.sub("", text, count=1)
    try:
        return lxml_html.document_fromstring(text)
    except (etree.ParserError, ValueError):
        return None


def _first(doc: lxml_html.HtmlElement, selector: str, min_chars: int = 0) -> lxml_html.HtmlElement | None:
    for element in css(doc, selector):
        if min_chars <= 0 or len(clean_text(element.text_content())) >= min_chars:  # (no need to read it for 0)
            return element
    return None


def _content_parts(doc: lxml_html.HtmlElement, selector: str) -> list[lxml_html.HtmlElement]:
    """Every element the content selector matches, outermost only, in document order.

    A selector list may name several parts of one article ("div.hometext, #news-bodyhtml"); they are read
    together.  Without any match of at least 80 characters the generic path takes over.
    """
    matches = css(doc, selector)
    parts = [m for m in matches if not any(other in matches for other in m.iterancestors())]
    texts = [clean_text(m.text_content()) for m in parts]
    parts = [m for m, text in zip(parts, texts, strict=True) if text]
    if sum(len(text) for text in texts) < 80:  # (the empty ones add nothing)
        return []
    return parts


def _combine(parts: list[lxml_html.HtmlElement]) -> lxml_html.HtmlElement:
    """One detached container holding copies of the parts, so extraction reads them as one article."""
    wrapper = lxml_html.Element("div")
    for part in parts:
        wrapper.append(copy.deepcopy(part))
    return wrapper


def _header_lines(headline: lxml_html.HtmlElement | None, extra: list[str]) -> list[str]:
    """The lines right around the headline (date, counters, category), up to the first long paragraph."""
    lines = list(extra)
    if headline is None:
        return lines
    title = clean_text(headline.text_content())
    scope = headline.getparent()
    for _ in range(4):
        if scope is None:
            break
        scope_lines = block_lines(scope)
        index = next((i for i, line in enumerate(scope_lines) if line == title), None)
        if index is not None and len(scope_lines) - index > 3:
            before = scope_lines[max(0, index - 2) : index]
            after: list[str] = []
            for line in scope_lines[index + 1 : index + 9]:
                if len(line) >= 100:
                    break
                after.append(line)
            return lines + after + before
        scope = scope.getparent()
    return lines


def _classification_scope(
    container: lxml_html.HtmlElement, region: lxml_html.HtmlElement, headline: lxml_html.HtmlElement | None
) -> lxml_html.HtmlElement:
    """Where to count headline links and teaser rows: the article block, or around the densest text (a
    one-item listing's densest text is the teaser alone, without its link)."""
    if headline is not None or container is not region:
        return container
    parent = region.getparent()
    if parent is None:
        return region
    grandparent = parent.getparent()
    return grandparent if grandparent is not None else parent


def _lca(a: lxml_html.HtmlElement, b: lxml_html.HtmlElement) -> lxml_html.HtmlElement:
    """Lowest common ancestor.  The list keeps lxml's proxies alive, so membership tests are identity tests."""
    ancestors = [a, *a.iterancestors()]
    for element in [b, *b.iterancestors()]:
        if element in ancestors:
            return element
    return a.getroottree().getroot()


def _parse_decoded(raw: RawPage, portal: Portal | None, decoded: DecodedPage) -> PageResult:
    doc = _parse_html(decoded.html)
    if doc is None or doc.find(".//body") is None and not clean_text(doc.text_content()):
        return PageResult(kind="error", html=decoded.html, charset=decoded.charset, error="unparseable HTML")
    # lxml makes a Python proxy (through lxml.html's Python-level class lookup) each time an element is reached
    # while no proxy of it is alive; the many walks below would make thousands per page.  Keeping one proxy per
    # element alive for the page's extraction makes every later walk reuse them.
    proxies = list(doc.iter())  # noqa: F841 - held for its side effect
    fetched_on = raw.fetched_at.date() if raw.fetched_at else None
    rules = rules_for(portal, fetched_on)
    og_site = meta_content(doc, "og:site_name")
    site_names = tuple(x for x in ((portal.name if portal else None), og_site) if x)
    og_title = meta_content(doc, "og:title", "twitter:title") or ""
    title_el = doc.find(".//title")
    html_title = clean_text(title_el.text_content()) if title_el is not None else ""

    headline = choose_headline(doc, rules.title, [og_title, html_title], site_names)
    raw_title = clean_text(headline.text_content()) if headline is not None else (og_title or html_title)
    category = breadcrumb_category(doc, rules.category, raw_title) or (
        clean_text(raw.category_hint) if raw.category_hint else None
    )
    title = strip_site_name(raw_title, site_names, (category,) if category else ())
    content_parts = _content_parts(doc, rules.content)
    content = (
        content_parts[0] if len(content_parts) == 1 else (_combine(content_parts) if content_parts else None)
    )
    lead = _first(doc, rules.lead) if content is not None else None
    lead_lines = block_lines(lead) if lead is not None and lead not in content_parts else []
    date_el = _first(doc, rules.date)
    author_el = _first(doc, rules.author)
    header = _header_lines(headline, block_lines(date_el) if date_el is not None else [])
    author_lines = block_lines(author_el) if author_el is not None else []
    canonical = canonical_url(raw.url, canonical_link(doc))
    og_type = (meta_content(doc, "og:type") or "").lower()
    og_article = (
        og_type == "article"
        or meta_content(doc, "article:published_time") is not None
        or any(str(o.get("@type", "")).lower().endswith("article") for o in json_ld_objects(doc))
    )

    machine_date = date_from_meta(doc) or date_from_json_ld(doc)
    pagination = find_article_pages(doc, raw.url)  # before furniture removal: pagers are link-dense
    if pagination and int(pagination["page_number"]) > 1:
        canonical = canonical_url(raw.url)  # page 2 is not page 1, whatever its canonical link says

    # Structure first: furniture blocks go before any text is read.
    texts = TextCache()  # the page's block measures, shared by furniture removal and the region search
    protected = [e for e in (headline, *content_parts) if e is not None]
    if not protected:
        protected = [densest_region(doc, texts)]
    strip_furniture(doc, protected, rules.remove, texts)
    region = content if content is not None else densest_region(doc, texts)
    container = (
        content if content is not None else (_lca(headline, region) if headline is not None else region)
    )
    # trafilatura reads the article block when that block holds most of the page's prose (table layouts would
    # otherwise come out as one long row of cells); when the prose is spread wider, it reads the whole page.
    scope = None
    if content is None and prose_length(container, texts) < WHOLE_PAGE_BELOW * prose_length(doc, texts):
        scope = doc
    lines, method = extract_lines(container, raw.url, raw_title, scope=scope)
    lines = lead_lines + lines
    # Pictures often sit beside the text parts (NukeViet's home image next to the summary): look in the whole
    # article block, which furniture removal has already cleared of related-news thumbnails.
    image_scope = _lca(headline, content_parts[0]) if headline is not None and content_parts else container
    images = collect_images(image_scope, canonical)
    caption_lines = set(images.caption_lines) | set(author_lines)
    body: Body = clean_body(
        lines,
        title=title or raw_title,
        header_lines=header,
        caption_lines=caption_lines,
        category=category,
        method=method,
    )

    evidence = classify(
        url=raw.url,
        article_url_pattern=portal.article_url_pattern if portal else None,
        og_article=og_article,
        has_headline=headline is not None or (og_article and bool(title)),
        paragraphs=body.paragraphs,
        title_is_category=bool(
            category and fold_vietnamese(title, lower=True) == fold_vietnamese(category, lower=True)
        ),
        region=_classification_scope(container, region, headline),
        page=doc,
    )
    kind = decide(evidence, raw.url)
    log.debug("%s classified %s (score %s: %s)", raw.url, kind, evidence.score, ", ".join(evidence.reasons))
    if kind != "article":
        return PageResult(kind=kind, html=decoded.html, charset=decoded.charset)

    author, source = body.author, body.source
    if author_lines:  # the platform's author element wins over a guessed trailing byline
        labelled = " ".join(author_lines)
        parsed = parse_byline(labelled)
        label_free = _AUTHOR_LABEL_RE.sub("", labelled).strip(" :")
        if parsed and parsed.source:
            source = parsed.source
        elif parsed and parsed.author:
            author = parsed.author
        elif label_free and len(label_free) <= 80:
            author = label_free
    author = author or meta_author(doc, site_names)
    found_date = find_date(machine_date, header, body.paragraphs, canonical, raw.fetched_at)
    extras: dict[str, object] = {
        "article_id": article_id(canonical),
        "platform": rules.name,
        "body_method": body.method,
        "classification": evidence.reasons,
    }
    if source:
        extras["source"] = source
    extras.update(pagination)
    if decoded.legacy_font:
        extras["legacy_font"] = decoded.legacy_font
    if decoded.charset_note:
        extras["charset_note"] = decoded.charset_note
    article = Article(
        url=canonical,
        portal=raw.portal,
        title=title,
        text=join_paragraphs(body.paragraphs),
        published_at=found_date.value if found_date else None,
        date_source=found_date.source if found_date else None,
        author=author,
        category=category,
        dateline=body.dateline,
        images=images.images,
        extras=extras,
    )
    return PageResult(kind="article", html=decoded.html, charset=decoded.charset, article=article)
