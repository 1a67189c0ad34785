"""Portal furniture: the blocks and lines around (and inside) an article that are not the article.

Two layers, because neither alone is enough.  Structural removal drops whole elements whose tag, class/id or
link density says "navigation" before text extraction.  Line rules then catch what survives inside the article
container on real portals: view counters, visitor statistics, tool links, "Tin liên quan" headings followed by
lists of headlines, image file names used as captions, copyright footers.  Rules match on text folded to
lower-case ASCII (``fold_vietnamese``), so "Lượt xem", "LƯỢT XEM" and "Luot xem" are one rule.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from lxml import html as lxml_html

from etl.extract.select import css
from etl.normalise.text import clean_text, fold_vietnamese

# --- structural -----------------------------------------------------------------------------------------------

DROP_TAGS = (
    "script",
    "style",
    "noscript",
    "nav",
    "aside",
    "footer",
    "form",
    "iframe",
    "select",
    "button",
    "input",
    "textarea",
    "svg",
    "object",
    "embed",
    "template",
    "marquee",
)

# class/id tokens that mark furniture.  Matched against folded "class id" text split into tokens on - _ space.
_FURNITURE_TOKENS = (
    r"menu|menutop|mainmenu|submenu|navbar|nav|navigation|sidebar|side-bar|leftcol|rightcol|col-left|col-right"
    r"|footer|foot|copyright|comments?|binh-?luan|y-?kien|feedback|related|lien-?quan|tin-?lien-?quan"
    r"|tinlienquan|other-?news|tin-?khac|tinkhac|cung-?chuyen-?muc|thong-?ke|thongke|statistic|stats|counter"
    r"|visitor|luot-?truy-?cap|share|sharing|social|socialicon|addthis|print|in-?bai|sendmail|email-?share|tools?"
    r"|breadcrumbs?|duong-?dan|banner|quang-?cao|advert|ads|adv|search|tim-?kiem|timkiem|weblink|lien-?ket"
    r"|website-?lien-?ket|lich-?cong-?tac|hotnews|tin-?nong|tin-?noi-?bat|tieu-?diem|most-?view|xem-?nhieu"
    r"|tags?|keywords?|rating|vote|poll|newsletter|login|header-?top|topbar|logo|popup|modal|ribbon|pager"
    r"|pagination|phan-?trang|back-?to-?top|ve-?dau-?trang"
)
_FURNITURE_RE = re.compile(rf"(?:^|[\s_-])(?:{_FURNITURE_TOKENS.replace('-?', '[- ]?')})(?:$|[\s_\d-])")


_CAMEL_RE = re.compile(r"(?<=[a-z])(?=[A-Z])")


def attribute_text(element: lxml_html.HtmlElement) -> str:
    """Folded "class id" of an element, with - kept so that tin-lien-quan matches as a unit."""
    raw = f"{element.get('class', '')} {element.get('id', '')}"
    return fold_vietnamese(raw, lower=True).strip()


def is_furniture_by_attributes(element: lxml_html.HtmlElement) -> bool:
    raw = f"{element.get('class', '')} {element.get('id', '')}"
    attrs = fold_vietnamese(raw, lower=True).strip()  # attribute_text(element)
    if not attrs:
        return False
    if _FURNITURE_RE.search(f" {attrs} "):
        return True
    # Split camelCase ASP.NET ids (ctl00_TinLienQuan) into tokens too (without any, the text is the same).
    spaced = _CAMEL_RE.sub(" ", raw)
    return spaced != raw and bool(_FURNITURE_RE.search(f" {fold_vietnamese(spaced, lower=True)} "))


class TextCache:
    """Per-page memo of the text measures that furniture removal and classification ask for again and again
    (each block's prose, each link's text length), so a page costs one reading of each block, not one per
    enclosing element asked about.  A value depends only on the element's own subtree, which only changes when
    something inside it is removed: ``remove_element`` forgets the removed element's ancestors."""

    __slots__ = ("links", "prose")

    def __init__(self) -> None:
        self.prose: dict[lxml_html.HtmlElement, int] = {}  # a block's prose_length share (-1: not a leaf block)
        self.links: dict[lxml_html.HtmlElement, int] = {}  # len(clean_text(a.text_content())) of a link

    def forget_ancestors(self, element: lxml_html.HtmlElement) -> None:
        for ancestor in element.iterancestors():
            self.prose.pop(ancestor, None)
            self.links.pop(ancestor, None)


def _link_length(anchor: lxml_html.HtmlElement, cache: TextCache | None) -> int:
    if cache is None:
        return len(clean_text(anchor.text_content()))
    value = cache.links.get(anchor)
    if value is None:
        value = cache.links[anchor] = len(clean_text(anchor.text_content()))
    return value


def link_density(element: lxml_html.HtmlElement, cache: TextCache | None = None) -> tuple[float, int]:
    """(share of the element's text that sits inside links, length of its text)."""
    text = clean_text(element.text_content())
    if not text:
        return 0.0, 0
    linked = sum(_link_length(a, cache) for a in element.iter("a"))
    return min(1.0, linked / len(text)), len(text)


def _block_prose(block: lxml_html.HtmlElement, cache: TextCache | None) -> int:
    """What one block adds to ``prose_length``: its text length when it is paragraph-like, else 0 (-1 when it
    holds other blocks, which are counted themselves)."""
    if next(block.iterdescendants("p", "div"), None) is not None:  # (one walk, in C, not two ElementPath finds)
        return -1
    text = clean_text(block.text_content())
    if len(text) < 120:
        return 0
    linked = sum(_link_length(a, cache) for a in block.iter("a"))
    return len(text) if linked < len(text) * 0.3 else 0


def prose_length(element: lxml_html.HtmlElement, cache: TextCache | None = None) -> int:
    """Characters of paragraph-like text (>= 120 chars, not link text): how much article an element holds."""
    total = 0
    if cache is None:
        for block in element.iter("p", "div", "td", "li", "blockquote"):
            value = _block_prose(block, None)
            if value > 0:
                total += value
        return total
    known = cache.prose
    for block in element.iter("p", "div", "td", "li", "blockquote"):
        value = known.get(block)
        if value is None:
            value = known[block] = _block_prose(block, cache)
        if value > 0:
            total += value
    return total


def remove_element(element: lxml_html.HtmlElement, cache: TextCache | None = None) -> None:
    """Drop an element but keep its tail text (lxml attaches following text to the removed node)."""
    parent = element.getparent()
    if parent is None:
        return
    if cache is not None:
        cache.forget_ancestors(element)
    element.drop_tree()


def strip_furniture(
    root: lxml_html.HtmlElement,
    protected: Iterable[lxml_html.HtmlElement] = (),
    extra_selectors: str = "",
    cache: TextCache | None = None,
) -> int:
    """Remove furniture blocks from ``root`` in place; returns how many were removed.

    ``protected`` elements (the article container, the headline) and their ancestors are never removed even when
    a class name says "sidebar" (``<body class="has-sidebar">``, ``<div id="main-content-with-comments">``).
    ``cache``: the page's TextCache, if the caller keeps one (a fresh one is used otherwise).
    """
    if cache is None:
        cache = TextCache()
    keep: set[lxml_html.HtmlElement] = set()
    inside: set[lxml_html.HtmlElement] = set()  # elements within a protected one
    for element in protected:
        if element is None:
            continue
        keep.update(element.iterancestors())
        keep.add(element)
        inside.update(element.iter())
    removed = 0
    total_prose = prose_length(root, cache)
    for element in list(root.iter(*DROP_TAGS)):
        if element in keep or element.getparent() is None:
            continue
        if element.tag == "form" and total_prose and prose_length(element, cache) >= 0.5 * total_prose:
            continue  # ASP.NET wraps the whole page in <form id="aspnetForm">
        remove_element(element, cache)
        removed += 1
    if extra_selectors:
        for element in css(root, extra_selectors):
            if element not in keep and element.getparent() is not None:
                remove_element(element, cache)
                removed += 1
    total_prose = prose_length(root, cache)
    for element in list(root.iter("div", "section", "ul", "ol", "table", "span", "p", "header", "td", "dl")):
        if element.getparent() is None or element in keep:
            continue
        if is_furniture_by_attributes(element):
            if total_prose >= 300 and prose_length(element, cache) >= 0.5 * total_prose:
                continue  # most of the page's prose: the article itself ("divPrint", "print-area")
            remove_element(element, cache)
            removed += 1
    # Link-dense blocks: menus and headline lists without helpful class names.
    total_prose = prose_length(root, cache)  # again: footers and sidebars removed above no longer count
    for element in list(root.iter("div", "ul", "ol", "table", "section", "p", "td")):
        if element.getparent() is None or element in keep:
            continue
        links = sum(1 for _ in element.iter("a"))
        if not links:
            continue  # no link, no link density: the block's text need not be read
        density, length = link_density(element, cache)
        if length and ((density > 0.65 and links >= 3) or (density > 0.85 and length < 200 and links >= 1)):
            if element.tag == "p" and links < 3 and element in inside:
                continue  # a short paragraph that is a link inside the article ("Xem văn bản tại đây")
            if total_prose and prose_length(element, cache) >= 0.5 * total_prose:
                continue  # a page section holding the main text next to its menus
            remove_element(element, cache)
            removed += 1
    return removed


# --- line level -----------------------------------------------------------------------------------------------


def _rx(*patterns: str) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns))


# Patterns are written against folded lower-case text ("luot xem" matches "Lượt xem", "LƯỢT XEM").
_DROP_LINE_RE = _rx(
    r"^\[?\s*cap nhat (vao )?(ngay|luc)\b.{0,40}\]?\s*(-\s*\[?\s*(so lan xem|luot xem)[^\]]*\]?)?$",
    r"\b(so lan xem|luot xem|luot doc|so luot xem|luot truy cap|da xem|views?)\s*[:：]?\s*[\d.,]+\s*\]?$",
    r"^\[?\s*(so lan xem|luot xem|luot doc)\s*[:：]",
    r"^(thong ke truy cap|thong ke|dang truy cap|da truy cap|hom nay|hom qua|tuan nay|thang nay|tong (so )?luot"
    r"|online|truc tuyen|tong truy cap|luot truy cap|khach|thanh vien)\s*[:：]?\s*[\d.,]*$",
    r"^(in bai( viet)?|in trang|ban in|gui email|gui (bai )?cho ban be|chia se|share|tweet|luu bai( viet)?"
    r"|ve dau trang|len dau trang|quay lai|tro ve|tro lai|xem them|doc tiep|phan hoi|bao loi|tai ve|download"
    r"|facebook|zalo|twitter|like|email|print)(\s*[|/:]\s*(in bai( viet)?|gui email|chia se|ve dau trang"
    r"|quay lai|luu bai|in|email|facebook|zalo|twitter))*\s*[|:]?$",
    r"^(khong co quang cao|quang cao|lien he quang cao)$",
    r"^(website lien ket|lien ket website|lien ket web|lich cong tac( trong)?|tim kiem.*|nhap tu khoa.*"
    r"|tu khoa|tags?|tu khoa lien quan)\s*[:：]?$",
    r"^(ban quyen|copyright|©|\(c\))",
    r"^(trang chu|home)(\s*[>»/|›]\s*.{1,40})+$",
    r"^(dang nhap|dang ky|so do (trang|website)|lien he|rss)(\s*\|\s*\S.*)?$",
    r"^\S+\.(png|jpe?g|gif|bmp|webp|tiff?)$",
    r"^[\w .,()-]{1,60}\.(png|jpe?g|gif|bmp|webp|tiff?)$",
    r"^(tap tin dinh kem|file dinh kem|tai lieu dinh kem|van ban dinh kem|dinh kem)\s*[:：]?$",
    r"^(font chu|co chu|\[?a\s*\+?\]?\s*\[?a\s*-?\]?)$",
    r"^(danh gia|binh chon)\s*[:：]?.{0,20}$",
    # an article's own pager: "Trang: 1 2 3", "Trang 2", "1 | 2 | Trang sau »", "« Trang trước"
    r"^[«‹<]*\s*trang\s*[:：]?\s*\d{1,2}((\s*[|/,-]\s*|\s+)\d{1,2})*(\s*[|/-]?\s*(trang )?(sau|truoc|tiep"
    r"( theo)?|cuoi|dau))?\s*[»›>]*$",
    r"^[«‹<]*\s*\d{1,2}((\s*[|/,-]\s*|\s+)\d{1,2})+\s*[|/-]?\s*trang (sau|tiep( theo)?)\s*[»›>]*$",
    r"^[«‹<]*\s*trang (sau|truoc|tiep|tiep theo|ke tiep|dau|cuoi)\s*[»›>]*$",
)

# Headings after which nothing belongs to the article (related lists, comment widgets, sidebars).
_STOP_HEADINGS = (
    r"chuyen muc khac",
    r"tin cung chuyen muc",
    r"cac tin khac",
    r"tin khac",
    r"tin nong",
    r"tin tieu diem",
    r"tin lien quan",
    r"bai lien quan",
    r"bai viet lien quan",
    r"tin moi hon",
    r"tin cu hon",
    r"nhung tin moi hon",
    r"nhung tin cu hon",
    r"cac tin moi hon",
    r"cac tin cu hon",
    r"tin da dua",
    r"cac tin da dua",
    r"tin moi",
    r"tin moi nhat",
    r"tin doc nhieu",
    r"tin xem nhieu",
    r"xem nhieu nhat",
    r"tin noi bat",
    r"cac ý kien cua ban doc",
    r"cac y kien cua ban doc",
    r"y kien ban doc",
    r"y kien cua ban",
    r"binh luan",
    r"gui binh luan",
    r"viet binh luan",
    r"gui y kien",
    r"y kien phan hoi",
    r"thong ke truy cap",
    r"tim kiem theo chuyen muc.*",
    r"cung chuyen muc",
    r"tin bai khac",
    r"cac bai khac",
    r"bai viet khac",
    r"xem them",
)
_STOP_RE = re.compile(rf"^(?:{'|'.join(_STOP_HEADINGS)})\s*[:：]?\s*$")
_GLUED_STOP_RE = re.compile(rf"(?P<cut>(?:{'|'.join(_STOP_HEADINGS[:-1])})\s*[:：]?\s*)$")


def is_furniture_line(line: str) -> bool:
    folded = fold_vietnamese(clean_text(line), lower=True)
    if not folded:
        return True
    if len(folded) > 220:
        return False
    return bool(_DROP_LINE_RE.search(folded))


def is_stop_heading(line: str) -> bool:
    folded = fold_vietnamese(clean_text(line), lower=True)
    return len(folded) <= 60 and bool(_STOP_RE.match(folded))


def split_glued_stop(line: str) -> str | None:
    """ "Thanh TâmCác ý kiến của bạn đọc": a stop heading glued to the previous text.  Returns the text before
    it (possibly empty), or None when the line does not end with a stop heading."""
    text = clean_text(line)
    folded = fold_vietnamese(text, lower=True)
    if len(folded) != len(text):  # folding changed the length (rare): be safe and do not cut
        return None
    match = _GLUED_STOP_RE.search(folded)
    if not match or match.start() == 0:
        return None
    before = text[: match.start()]
    # Only a glued heading (no space, or the heading capitalised after a word boundary) counts.
    if not text[match.start()].isupper():
        return None
    return before.strip()


def clean_lines(lines: list[str]) -> tuple[list[str], list[str]]:
    """Apply the line rules: (kept lines, removed lines).  Everything from a stop heading on is removed."""
    kept: list[str] = []
    removed: list[str] = []
    for index, line in enumerate(lines):
        text = clean_text(line)
        if not text:
            continue
        if is_stop_heading(text) and kept:
            removed.extend(lines[index:])
            break
        before = split_glued_stop(text)
        if before is not None and kept:
            if before:
                kept.append(before)
            removed.append(text[len(before) :])
            removed.extend(lines[index + 1 :])
            break
        if is_furniture_line(text):
            removed.append(text)
            continue
        kept.append(text)
    return kept, removed
