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

from etl.normalise.legacy import (
    _ODD_LATIN1_RE,
    _VIET_UNICODE_RE,
    convert_legacy,
    detect_legacy,
    word_score,
)
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
    legacy_font: str | None = None  # "tcvn3" / "vni" when text typed in a pre-Unicode font was converted
    charset_note: str | None = None  # why the charset differs from the declared one ("declared utf-8, ...")


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
    charset, text, note = repair_charset(body, charset, text)
    text, legacy = convert_legacy_fonts(body, charset, text)
    text = nfc(text)
    if not _looks_like_html(text[:5000].encode("utf-8", "ignore")) and "<" not in text[:2000]:
        if content_type == "text/plain":  # robots.txt and the like: healthy, just not a page
            return Rejection("other", "plain text, not a page", text, charset)
        return Rejection("error", "body is not HTML (terminal)", text, charset)
    if _is_truncated(text):
        return Rejection("error", "truncated page (transient)", text, charset)
    return DecodedPage(text, charset, legacy, note)


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


# --- charsets that lie, legacy fonts -----------------------------------------------------------------------------

_UTF8_NAMES = {"utf-8", "utf8", "utf_8"}
_WESTERN = {"latin-1", "latin1", "iso-8859-1", "iso8859-1", "iso8859_1", "cp1252", "windows-1252", "ascii",
            "us-ascii"}
_TAG_RE = re.compile(r"(<!--.*?-->|<script\b.*?</script>|<style\b.*?</style>|<[^>]*>)", re.DOTALL | re.IGNORECASE)


def _codec(charset: str) -> str:
    import codecs

    try:
        return codecs.lookup(charset).name
    except LookupError:
        return charset.lower()


def _single_byte(charset: str) -> bool:
    name = _codec(charset)
    if name.replace("_", "-") in _UTF8_NAMES or name in ("utf-8",):
        return False
    try:
        return len(bytes(range(0x80, 0x100)).decode(name, errors="replace")) == 0x80
    except LookupError:
        return False


def _visible(html: str) -> str:
    return " ".join(part for part in _TAG_RE.split(html) if part and not part.startswith("<"))


def repair_charset(body: bytes, charset: str, text: str) -> tuple[str, str, str | None]:
    """Second-guess a charset that does not fit the bytes: a page declared UTF-8 whose bytes are not UTF-8
    (windows-1258 saved by an old editor), a page declared Latin-1/windows-1252 whose bytes are UTF-8 or
    windows-1258.  Readings are compared by how Vietnamese their words look (:func:`word_score`); the declared
    one wins unless another is clearly better.  Returns (charset, text, note)."""
    name = _codec(charset)
    readings: dict[str, str] = {}
    if name == "utf-8" and "\ufffd" in text and b"\xef\xbf\xbd" not in body:
        readings["cp1258"] = body.decode("cp1258", errors="replace")
    elif _single_byte(name) and any(b > 0x7F for b in body):
        try:
            readings["utf-8"] = body.decode("utf-8")
        except UnicodeDecodeError:
            pass
        if name in {_codec(x) for x in _WESTERN}:
            readings["cp1258"] = body.decode("cp1258", errors="replace")
    if not readings:
        return charset, text, None
    declared_score = word_score(_visible(nfc(text)))
    best, best_score = None, declared_score
    for candidate, reading in readings.items():
        score = word_score(_visible(nfc(reading)))
        if score > best_score + 5:
            best, best_score = candidate, score
    if best is None:
        return charset, text, None
    log.info("charset %s does not fit the bytes; read as %s", charset, best)
    return best, readings[best], f"declared {charset}, read as {best}"


def convert_legacy_fonts(body: bytes, charset: str, text: str) -> tuple[str, str | None]:
    """Convert the text runs typed in TCVN3 or VNI (see :mod:`etl.normalise.legacy`); markup is left alone.

    The legacy letters are Latin-1 code points: for a single-byte charset the bytes are re-read as Latin-1
    (windows-1258 would already have mangled them), for UTF-8 the text is used as it is.  Runs that hold a
    Vietnamese Unicode letter are Unicode (a modern page's chrome around an old article) and stay as they are.
    Returns (text, "tcvn3" | "vni" | None)."""
    single = _single_byte(charset)
    view = body.decode("latin-1") if single else text
    if len(_ODD_LATIN1_RE.findall(view)) < 8:
        return text, None
    parts = _TAG_RE.split(view)
    candidates = [i for i, part in enumerate(parts)
                  if part and not part.startswith("<") and part.strip() and not _VIET_UNICODE_RE.search(part)]
    if not candidates:
        return text, None
    joined = " ".join(parts[i] for i in candidates)
    encoding = detect_legacy(joined)
    if encoding is None:
        return text, None
    if single:
        proper = " ".join(parts[i].encode("latin-1").decode(charset, errors="replace") for i in candidates)
    else:
        proper = joined
    converted_score = word_score(convert_legacy(joined, encoding))
    if converted_score <= word_score(proper) + max(5, len(joined.split()) // 10):
        return text, None
    for i in candidates:
        parts[i] = convert_legacy(parts[i], encoding)
    if single:  # markup and runs left alone: read with the page's charset as before
        parts = [p if i in set(candidates) else p.encode("latin-1").decode(charset, errors="replace")
                 for i, p in enumerate(parts)]
    log.info("text typed in the %s font encoding converted to Unicode", encoding)
    return "".join(parts), encoding
