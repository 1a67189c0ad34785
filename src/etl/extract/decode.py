"""From raw bytes to a decoded HTML string, or a clear reason why there is none.

Checks run in the order a person would ask: did the fetch fail, is it HTML at all, can it be decoded, is it
whole.  Messages say whether a retry can help ("transient") or not ("terminal"), because the crawler and the
flows act on that distinction.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from w3lib.encoding import html_to_unicode

from etl.normalise.text import nfc
from etl.records import RawPage

log = logging.getLogger(__name__)

# Attachments portals link from articles: fetching them is not an error, but they are not pages.
_ATTACHMENT_TYPES = re.compile(
    r"^(application/(pdf|msword|vnd\.|zip|x-rar|rar|octet-stream)|image/|audio/|video/)", re.IGNORECASE
)
_HTML_TYPES = re.compile(
    r"^(text/html|application/xhtml\+xml|text/plain|application/xml|text/xml)", re.IGNORECASE
)
_MAGIC = (
    (b"%PDF", "application/pdf"),
    (b"\x89PNG", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF8", "image/gif"),
    (b"PK\x03\x04", "application/zip"),
    (b"\xd0\xcf\x11\xe0", "application/msword"),
)
_FEED_TYPES = re.compile(r"^application/(rss|atom)\+xml", re.IGNORECASE)
_TRANSIENT_STATUS = {408, 425, 429, 500, 502, 503, 504, 520, 521, 522, 523, 524}


@dataclass(frozen=True)
class DecodedPage:
    html: str
    charset: str


@dataclass(frozen=True)
class Rejection:
    """Why a raw page yields no HTML: ``kind`` is "error" or "other" (a healthy non-HTML attachment)."""

    kind: str
    message: str
    html: str | None = None
    charset: str | None = None


def _sniff_binary(body: bytes) -> str | None:
    head = body[:8]
    for magic, mime in _MAGIC:
        if head.startswith(magic):
            return mime
    return None


def _detect(body: bytes) -> str | None:
    """Fallback when neither header, BOM nor meta names the charset."""
    try:
        from charset_normalizer import from_bytes
    except ImportError:  # optional: w3lib then assumes utf-8 with replacement
        return None
    best = from_bytes(body[:200_000]).best()
    return best.encoding if best else None


def decode_page(raw: RawPage) -> DecodedPage | Rejection:
    """Decode ``raw.body`` (header charset, BOM, <meta>, detection; NFC), or say why it cannot be a page."""
    if raw.error:
        return Rejection("error", f"fetch failed: {raw.error}")
    if raw.status is None:
        return Rejection("error", "no HTTP response (transient)")
    if not 200 <= raw.status < 300:
        retry = "transient" if raw.status in _TRANSIENT_STATUS else "terminal"
        return Rejection("error", f"HTTP {raw.status} ({retry})")
    body = raw.body or b""
    if not body.strip():
        return Rejection("error", "empty body (transient)")
    content_type = (raw.content_type or "").split(";")[0].strip().lower()
    sniffed = _sniff_binary(body)
    if sniffed or (content_type and _ATTACHMENT_TYPES.match(content_type) and not _looks_like_html(body)):
        kind = sniffed or content_type
        return Rejection("other", f"non-HTML attachment ({kind}), {len(body)} bytes")
    if _FEED_TYPES.match(content_type) or (
        content_type in ("application/xml", "text/xml")
        and re.search(rb"<(rss|feed|urlset|sitemapindex)\b", body[:2000])
    ):
        return Rejection("other", f"feed or sitemap ({content_type}), not a page")
    if content_type and not _HTML_TYPES.match(content_type) and not _looks_like_html(body):
        return Rejection("error", f"unsupported content type {content_type!r} (terminal)")
    header = (
        f"text/html; charset={_charset_param(raw.content_type)}" if _charset_param(raw.content_type) else None
    )
    try:
        charset, text = html_to_unicode(header, body, auto_detect_fun=_detect)
    except (LookupError, UnicodeError, ValueError) as exc:  # a broken codec name in a header
        log.warning("decoding %s failed: %s", raw.url, exc)
        text, charset = body.decode("utf-8", errors="replace"), "utf-8"
    text = nfc(text)
    if not _looks_like_html(text[:5000].encode("utf-8", "ignore")) and "<" not in text[:2000]:
        if content_type == "text/plain":  # robots.txt and the like: healthy, just not a page
            return Rejection("other", "plain text, not a page", text, charset)
        return Rejection("error", "body is not HTML (terminal)", text, charset)
    if _is_truncated(text):
        return Rejection("error", "truncated page (transient)", text, charset)
    return DecodedPage(text, charset)


def _charset_param(content_type: str | None) -> str | None:
    match = re.search(r"charset\s*=\s*[\"']?([\w.:-]+)", content_type or "", re.IGNORECASE)
    return match.group(1) if match else None


def _looks_like_html(body: bytes) -> bool:
    head = body[:4000].lower()
    return b"<html" in head or b"<!doctype html" in head or b"<body" in head or b"<head" in head


def _is_truncated(text: str) -> bool:
    """A page whose end never arrived: neither </html> nor </body> in its tail (portals always close both)."""
    tail = text[-4000:].lower()
    return "</html>" not in tail and "</body>" not in tail
