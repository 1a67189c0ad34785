"""Unicode and whitespace normalisation for Vietnamese text.

Portal pages mix NFC and NFD (decomposed tone marks from windows-1258 pages and copy-paste from Word), old and
new tone placement ("hoà"/"hòa") and every kind of space.  Everything we store goes through :func:`clean_text`
so that equality, search and de-duplication see one spelling.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Zero-width characters and soft hyphens: invisible but break word matching.
_INVISIBLE_RE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
# All horizontal whitespace, including NBSP, the ideographic space and other Unicode spaces.
_SPACE_RE = re.compile(r"[^\S\n]+")
_BLANK_LINES_RE = re.compile(r"\n\s*\n+")


def nfc(text: str) -> str:
    """Compose to NFC: decomposed tone marks (windows-1258, Word) become single code points."""
    return unicodedata.normalize("NFC", text)


def collapse_whitespace(text: str) -> str:
    """One line of text: every run of whitespace (NBSP, tabs, newlines) becomes one space."""
    text = _INVISIBLE_RE.sub("", text)
    return " ".join(text.split())


def clean_text(text: str) -> str:
    """NFC plus collapsed whitespace on one line."""
    if len(text) <= _CACHE_MAX_LEN:  # short strings (lines, titles, link texts) recur: memoised
        return _clean_text_cached(text)
    if len(text) <= _LONG_CACHE_MAX_LEN:  # a page's paragraphs pass through every line rule: memoised briefly
        return _clean_long_cached(text)
    return collapse_whitespace(nfc(text))


# Short strings recur across pages (menu items, labels) and get a big cache; longer ones (paragraphs, a block's
# text) recur within one page, as each extraction step reads them again, and get a small one.  Memory stays
# bounded: at most maxsize * max length characters per cache; longer texts are not memoised.
_CACHE_MAX_LEN = 512
_LONG_CACHE_MAX_LEN = 16384


@lru_cache(maxsize=16384)
def _clean_text_cached(text: str) -> str:
    return collapse_whitespace(nfc(text))


@lru_cache(maxsize=32)
def _clean_long_cached(text: str) -> str:
    return collapse_whitespace(nfc(text))


def join_paragraphs(paragraphs: list[str] | tuple[str, ...]) -> str:
    """Paragraphs separated by exactly one newline, each cleaned, empty ones dropped."""
    cleaned = (clean_text(p) for p in paragraphs)
    return "\n".join(p for p in cleaned if p)


def split_paragraphs(text: str) -> list[str]:
    """Inverse of :func:`join_paragraphs`: non-empty cleaned lines."""
    return [line for line in (clean_text(x) for x in nfc(text).split("\n")) if line]


def normalise_block(text: str) -> str:
    """Multi-line text: NFC, spaces collapsed inside each line, paragraphs joined by one newline."""
    text = _INVISIBLE_RE.sub("", nfc(text)).replace("\r\n", "\n").replace("\r", "\n")
    text = _SPACE_RE.sub(" ", text)
    text = _BLANK_LINES_RE.sub("\n", text)
    return join_paragraphs(text.split("\n"))


_FOLD_TABLE = str.maketrans({"đ": "d", "Đ": "D"})


class _FoldTable(dict):
    """``str.translate`` table: each character to itself without its combining marks (computed on first use).

    Stripping the marks of the NFD form character by character is the same as stripping them from the NFD form
    of the whole string: canonical reordering only moves the combining marks, which are all dropped."""

    def __missing__(self, code: int) -> str:
        decomposed = unicodedata.normalize("NFD", chr(code))
        value = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
        self[code] = value
        return value


_FOLD_CHARS = _FoldTable({ord("đ"): "d", ord("Đ"): "D"})  # đ/Đ first, as the letters of their own they are


def fold_vietnamese(text: str, lower: bool = False) -> str:
    """Accent-insensitive fold: "Đảng ủy" -> "Dang uy".

    đ/Đ are letters of their own (not d plus a mark), so NFD stripping alone would leave them; they are mapped
    explicitly before the combining marks are removed.
    """
    if text.isascii():  # nothing to fold (class names, ids, folded text again)
        return text.lower() if lower else text
    if len(text) <= _CACHE_MAX_LEN:
        return _fold_cached(text, lower)
    if len(text) <= _LONG_CACHE_MAX_LEN:
        return _fold_long_cached(text, lower)
    return _fold(text, lower)


def _fold(text: str, lower: bool) -> str:
    folded = unicodedata.normalize("NFC", nfc(text).translate(_FOLD_CHARS))
    return folded.lower() if lower else folded


@lru_cache(maxsize=16384)
def _fold_cached(text: str, lower: bool) -> str:
    return _fold(text, lower)


@lru_cache(maxsize=32)
def _fold_long_cached(text: str, lower: bool) -> str:
    return _fold(text, lower)


# Two conventions place the tone mark of a word-final oa/oe/uy differently: on the second vowel ("hoà", "uỷ",
# the newer school spelling) or on the first ("hòa", "ủy", the spelling most portals and dictionaries use).
# We map to the first-vowel form so both spellings index the same way.
_TONES = ("\u0300", "\u0301", "\u0303", "\u0309", "\u0323")  # huyền, sắc, ngã, hỏi, nặng
_OLD_NEW_PAIRS = (("o", "a"), ("o", "e"), ("u", "y"))


def _build_tone_map() -> tuple[dict[str, str], re.Pattern[str]]:
    mapping: dict[str, str] = {}
    for first, second in _OLD_NEW_PAIRS:
        for tone in _TONES:
            for f, s in ((first, second), (first.upper(), second.upper()), (first.upper(), second)):
                second_marked = unicodedata.normalize("NFC", f + s + tone)
                first_marked = unicodedata.normalize("NFC", f + tone + s)
                mapping[second_marked] = first_marked
    # Every pair is two characters.  The pairs lead the pattern, so that re scans for their first letters (o, u)
    # quickly, and "not after q" is checked behind the pair: (?<![qQ]..) there is (?<![qQ]) before it.
    assert all(len(pair) == 2 for pair in mapping)
    pattern = re.compile(
        r"(" + "|".join(sorted(map(re.escape, mapping), key=len, reverse=True)) + r")(?<![qQ]..)(?![^\W\d_])"
    )
    return mapping, pattern


_TONE_MAP, _TONE_RE = _build_tone_map()
# After "q" the u belongs to the consonant ("quý", "quỷ"): the mark always sits on y there, so "q" is excluded.


@lru_cache(maxsize=8)  # one article's text is normalised for its row, its doc_refs and its people in a row
def normalise_tone_marks(text: str) -> str:
    """One tone placement for word-final oa/oe/uy: "hoà" -> "hòa", "uỷ" -> "ủy", "thuỷ" -> "thủy".

    Only word-final pairs differ between the conventions ("hoàn", "quý" are the same in both and stay as they are).
    """
    text = nfc(text)
    return _TONE_RE.sub(lambda m: _TONE_MAP[m.group(1)], text)
