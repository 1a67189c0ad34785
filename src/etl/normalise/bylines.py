"""Bylines: the author line portals print at the end of an article ("Thanh Tâm", "Mai Trâm",
"Bình Minh/Trung tâm TT&VH Ba Chẽ", "Tin, ảnh: Minh Anh").

Portal articles rarely mark the author up; the name is simply the last short paragraph.  Recognising it is a
shape test (a few capitalised words, no sentence punctuation), so the rules live here, apart from HTML.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from etl.normalise.text import clean_text

# "Tin, ảnh: X", "Bài và ảnh: X", "PV: X", "Tác giả: X"
_PREFIX_RE = re.compile(
    r"^(?:(?:tin|bài|ảnh|video|clip)(?:\s*(?:,|và|-|\+)\s*(?:tin|bài|ảnh|video|clip))*|tác giả|người viết|pv|btv|ctv|nhóm pv)"
    r"\s*:\s*",
    re.IGNORECASE,
)
# "Theo Báo Lâm Đồng", "Nguồn: TTXVN": a source, not a person.
_SOURCE_RE = re.compile(r"^(?:theo|nguồn(?: tin| bài)?)\s*:?\s+(?P<source>.{2,80})$", re.IGNORECASE)
_WORD_RE = re.compile(r"^[^\W\d_][^\W\d_.'’-]*(?:[-'’][^\W\d_]+)?\.?$")
_MAX_LEN = 90
_ABBREV_AUTHORS = {"PV", "BBT", "CTV", "BTV", "TTXVN", "VNA", "TH", "PV-CTV"}


def has_byline_prefix(line: str) -> bool:
    """ "Tin, ảnh: X", "Tác giả: X": a signature label (which must not be mistaken for a photo credit)."""
    return bool(_PREFIX_RE.match(clean_text(line))) and len(line) <= _MAX_LEN


@dataclass(frozen=True)
class Byline:
    author: str | None = None
    source: str | None = None


def _looks_like_name(text: str) -> bool:
    """2-6 words, the first capitalised, most capitalised, letters only: "Thanh Tâm", "Vy thủy", "Nguyễn Văn A"."""
    words = text.split()
    if not 1 <= len(words) <= 6:
        return False
    if not all(_WORD_RE.match(w) for w in words):
        return False
    if not words[0][0].isupper():
        return False
    if len(words) == 1:
        return words[0].rstrip(".") in _ABBREV_AUTHORS
    capitalised = sum(1 for w in words if w[0].isupper())
    return capitalised * 2 >= len(words)


def parse_byline(line: str) -> Byline | None:
    """A byline parsed from one line, or None when the line is prose.

    "Bình Minh/Trung tâm TT&VH Ba Chẽ" keeps its organisation part (the name alone is ambiguous across portals);
    "Minh Anh (tổng hợp)" and "Minh Anh - Phòng X" likewise.
    """
    raw = clean_text(line)
    text = raw.strip(" .")
    if raw.endswith(".") and not raw.endswith("./.") and len(text.split()) > 4:
        return None  # a sentence, not a signature
    if not text or len(text) > _MAX_LEN or text.endswith((";", ":", ",", "?", "!", "…")):
        return None
    source = _SOURCE_RE.match(text)
    if source:
        return Byline(source=source.group("source").strip())
    prefixed = _PREFIX_RE.match(text)
    body = text[prefixed.end() :].strip() if prefixed else text
    if not body:
        return None
    # The name is the part before an organisation or role: "/", " - ", "(".
    parts = re.split(r"\s*/\s*|\s+[-–—]\s+|\s*\(", body, maxsplit=1)
    name = parts[0].strip()
    if len(parts) > 1 and parts[1][:1].islower() and "(" not in body:
        return None  # "Quốc phòng - an ninh được giữ vững": prose around a dash
    if re.search(r"\d", name):
        return None
    if "," in name and prefixed:
        name = name.split(",")[0].strip()
    if _looks_like_name(name) or (prefixed and 1 <= len(name.split()) <= 6):
        return Byline(author=body)
    return None


_GLUED_TAIL_RE = re.compile(r"(?P<prose>.*?[.!?…”\"/)])\s*(?P<tail>[^\W\d_][^.!?…]{1,60})$")


def split_glued_byline(paragraph: str) -> tuple[str, Byline] | None:
    """ "...nâng loại đô thị.Thanh Tâm": a byline glued to the end of the last sentence (markup lost a <br>).

    Only a tail that parses as a name on its own is split off, so a normal last sentence is never cut.
    """
    match = _GLUED_TAIL_RE.match(clean_text(paragraph))
    if not match:
        return None
    byline = parse_byline(match.group("tail"))
    if byline is None or byline.author is None:
        return None
    if byline.author and len(byline.author.split()) < 2:
        return None
    return match.group("prose").strip(), byline
