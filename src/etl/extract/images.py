"""Article images with their captions and credits.

On portals a caption is whatever sits next to the picture: a <figcaption>, the next table row, or a short
centred/italic paragraph right after it ("Các đại biểu tham dự Hội nghị. Ảnh: MT").  Captions belong to the image,
not the body text, so we collect them here and the body cleaner removes exactly these lines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urljoin

from lxml import html as lxml_html

from etl.extract.blocks import block_lines
from etl.normalise.text import clean_text, fold_vietnamese
from etl.records import Image

_CREDIT_RE = re.compile(
    r"\(?\s*(?:Ảnh|Ảnh minh họa|Ảnh minh hoạ|Ảnh tư liệu|Nguồn ảnh|Photo|Ảnh và tin|Tin và ảnh)\s*:\s*"
    r"(?P<credit>[^()]{1,60}?)\s*\)?\s*\.?$",
    re.IGNORECASE,
)
_FILENAME_RE = re.compile(r"^[\w .,()\-]{1,80}\.(?:png|jpe?g|gif|bmp|webp|tiff?)$", re.IGNORECASE)
_SKIP_SRC_RE = re.compile(
    r"(icon|logo|banner|spacer|blank|pixel|button|btn|arrow|bullet|loading|avatar"
    r"|/skins?/|/themes?/|/portals?/_default/|captcha|qrcode|flag)",
    re.IGNORECASE,
)
_MAX_CAPTION = 300


@dataclass
class ImageFinding:
    images: list[Image] = field(default_factory=list)
    caption_lines: set[str] = field(default_factory=set)  # exact lines to remove from the body


def split_credit(caption: str) -> tuple[str | None, str | None]:
    """ "Các đại biểu tham dự Hội nghị. Ảnh: MT" -> ("Các đại biểu tham dự Hội nghị.", "MT")."""
    text = clean_text(caption)
    match = _CREDIT_RE.search(text)
    if not match:
        return (text or None), None
    before = text[: match.start()].strip(" -–|")
    return (before or None), match.group("credit").strip()


def is_filename(text: str) -> bool:
    return bool(_FILENAME_RE.match(clean_text(text)))


def looks_like_caption(text: str) -> bool:
    """Short and either credited ("Ảnh: MT") or without sentence structure of body prose."""
    text = clean_text(text)
    return 0 < len(text) <= _MAX_CAPTION


def _usable_src(img: lxml_html.HtmlElement) -> str | None:
    src = img.get("data-src") or img.get("data-original") or img.get("src") or ""
    src = src.strip()
    if not src or src.startswith("data:") or _SKIP_SRC_RE.search(src):
        return None
    for attr in ("width", "height"):
        value = (img.get(attr) or "").strip().rstrip("px")
        if value.isdigit() and int(value) < 80:
            return None
    return src


def _caption_block(img: lxml_html.HtmlElement) -> list[str]:
    """Caption lines for one image, nearest evidence first."""
    figure = next((a for a in img.iterancestors("figure")), None)
    if figure is not None:
        caption = figure.find(".//figcaption")
        if caption is not None:
            return block_lines(caption)
    cell = next((a for a in img.iterancestors("td")), None)
    if cell is not None:
        table = next(cell.iterancestors("table"), None)
        row = next(cell.iterancestors("tr"), None)
        if table is not None and row is not None:
            lines = [line for line in block_lines(cell) if line]
            rows = [r for r in table.iter("tr") if next(r.iterancestors("table"), None) is table]
            after = rows[rows.index(row) + 1 :] if row in rows else []
            for next_row in after[:3]:
                lines.extend(block_lines(next_row))
            if sum(len(x) for x in lines) <= _MAX_CAPTION * 2:
                return lines
    # The block holding the image, if it holds a short text too; otherwise the next short sibling block.
    holder = img.getparent()
    while holder is not None and holder.tag in ("a", "span", "strong", "b", "em", "i", "font"):
        holder = holder.getparent()
    if holder is None:
        return []
    own = block_lines(holder)
    if own and sum(len(x) for x in own) <= _MAX_CAPTION and holder.tag in ("p", "div", "center"):
        if any(not is_filename(line) for line in own):
            return own
        # Only the uploaded file name next to the picture ("28.9.2023.jpg"): the caption follows.
        return own + _sibling_caption(holder)
    if own:
        return []
    return _sibling_caption(holder)


def _sibling_caption(holder: lxml_html.HtmlElement) -> list[str]:
    """A short centred/italic/credited block right after the image's block."""
    sibling = holder.getnext()
    while sibling is not None and (
        not isinstance(sibling.tag, str)
        or (not clean_text(sibling.text_content()) and sibling.find(".//img") is None)
    ):
        sibling = sibling.getnext()  # skip comments and empty spacer blocks
    if sibling is None or sibling.find(".//img") is not None:
        return []
    text = clean_text(sibling.text_content())
    style = (sibling.get("style") or "").replace(" ", "").lower()
    cls = fold_vietnamese(sibling.get("class") or "", lower=True)
    emphasised = (
        sibling.find(".//em") is not None or sibling.find(".//i") is not None or sibling.tag in ("em", "i")
    )
    if (
        text
        and len(text) <= _MAX_CAPTION
        and (
            "text-align:center" in style
            or "caption" in cls
            or "chu-thich" in cls
            or emphasised
            or _CREDIT_RE.search(text)
            or sibling.get("align") == "center"
        )
    ):
        lines = block_lines(sibling)
        if lines and all(is_filename(line) for line in lines):
            return lines + _sibling_caption(sibling)  # the file name printed under the picture, then the caption
        return lines
    return []


def collect_images(container: lxml_html.HtmlElement, base_url: str) -> ImageFinding:
    """Images inside the article container, with caption and credit."""
    finding = ImageFinding()
    seen: set[str] = set()
    for img in container.iter("img"):
        src = _usable_src(img)
        if not src:
            continue
        url = urljoin(base_url, src)
        if url in seen:
            continue
        seen.add(url)
        lines = _caption_block(img)
        finding.caption_lines.update(lines)
        text_lines = [line for line in lines if not is_filename(line)]
        caption, credit = split_credit(" ".join(text_lines)) if text_lines else (None, None)
        if caption is None and credit is None:
            alt = clean_text(img.get("alt") or img.get("title") or "")
            if alt and not is_filename(alt) and len(alt) <= _MAX_CAPTION:
                caption = alt
        finding.images.append(Image(url=url, caption=caption, credit=credit))
    return finding
