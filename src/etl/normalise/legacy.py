"""Vietnamese text typed in the pre-Unicode font encodings TCVN3 (ABC, TCVN 5712:1993 "VN3") and VNI Windows.

Old portal archives hold articles typed with ``.VnTime`` (TCVN3) or ``VNI-Times`` (VNI) fonts: the bytes are
Latin-1 code points that only those fonts draw as Vietnamese letters, so a browser without the font shows
"Hµ Néi" (TCVN3) or "Haø Noäi" (VNI) for "Hà Nội".  No maintained library converts them, so the tables are here,
written from the published charts:

* TCVN3: one byte per letter.  0xA1-0xA7 are the capitals Ă Â Ê Ô Ơ Ư Đ, 0xA8-0xAE their small letters, and
  0xB5-0xFE the 60 toned small vowels (five tones of a ă â e ê i o ô ơ u ư y, in the order huyền, hỏi, ngã, sắc,
  nặng).  Toned capitals do not exist in the 8-bit set: the ``.VnTimeH`` font draws the small-letter codes as
  capitals, so converted text keeps them small (the only information the bytes hold).
* VNI: a base letter followed by a tone/shape byte ("a" + "ø" = "à", "e" + "ä" = "ệ", "o" + "â" = "ô"),
  except a few one-byte letters (ơ = "ô", ư = "ö", đ = "ñ", ì í ỉ ĩ ị, ỵ).  Capitals use the capital forms of
  the same bytes ("A" + "Ø" = "À").

Detection compares the page text before and after each conversion: a legacy page has (almost) no Vietnamese
Unicode letters and many code points that are odd in any real language ("µ", "¸", "§"; or vowel + "ø"/"ù"),
and converting it yields Vietnamese letters where those were.  Text already in Unicode (one letter of the
Vietnamese Unicode block is enough) is never converted.
"""

from __future__ import annotations

import re
import unicodedata

# --- TCVN3 (ABC) ----------------------------------------------------------------------------------------------

_TCVN3_PAIRS: list[tuple[int, str]] = [
    (0xA1, "Ă"), (0xA2, "Â"), (0xA3, "Ê"), (0xA4, "Ô"), (0xA5, "Ơ"), (0xA6, "Ư"), (0xA7, "Đ"),
    (0xA8, "ă"), (0xA9, "â"), (0xAA, "ê"), (0xAB, "ô"), (0xAC, "ơ"), (0xAD, "ư"), (0xAE, "đ"),
    # a: huyền hỏi ngã sắc nặng
    (0xB5, "à"), (0xB6, "ả"), (0xB7, "ã"), (0xB8, "á"), (0xB9, "ạ"),
    # ă
    (0xBB, "ằ"), (0xBC, "ẳ"), (0xBD, "ẵ"), (0xBE, "ắ"), (0xC6, "ặ"),
    # â
    (0xC7, "ầ"), (0xC8, "ẩ"), (0xC9, "ẫ"), (0xCA, "ấ"), (0xCB, "ậ"),
    # e
    (0xCC, "è"), (0xCE, "ẻ"), (0xCF, "ẽ"), (0xD0, "é"), (0xD1, "ẹ"),
    # ê
    (0xD2, "ề"), (0xD3, "ể"), (0xD4, "ễ"), (0xD5, "ế"), (0xD6, "ệ"),
    # i
    (0xD7, "ì"), (0xD8, "ỉ"), (0xDC, "ĩ"), (0xDD, "í"), (0xDE, "ị"),
    # o
    (0xDF, "ò"), (0xE1, "ỏ"), (0xE2, "õ"), (0xE3, "ó"), (0xE4, "ọ"),
    # ô
    (0xE5, "ồ"), (0xE6, "ổ"), (0xE7, "ỗ"), (0xE8, "ố"), (0xE9, "ộ"),
    # ơ
    (0xEA, "ờ"), (0xEB, "ở"), (0xEC, "ỡ"), (0xED, "ớ"), (0xEE, "ợ"),
    # u
    (0xEF, "ù"), (0xF1, "ủ"), (0xF2, "ũ"), (0xF3, "ú"), (0xF4, "ụ"),
    # ư
    (0xF5, "ừ"), (0xF6, "ử"), (0xF7, "ữ"), (0xF8, "ứ"), (0xF9, "ự"),
    # y
    (0xFA, "ỳ"), (0xFB, "ỷ"), (0xFC, "ỹ"), (0xFD, "ý"), (0xFE, "ỵ"),
]
TCVN3_DECODE: dict[str, str] = {chr(code): letter for code, letter in _TCVN3_PAIRS}
TCVN3_ENCODE: dict[str, str] = {letter: chr(code) for code, letter in _TCVN3_PAIRS}

# --- VNI Windows ----------------------------------------------------------------------------------------------

# Tone bytes after a vowel (small / capital form): huyền, hỏi, ngã, sắc, nặng.
_VNI_TONES = {"\u0300": ("ø", "Ø"), "\u0309": ("û", "Û"), "\u0303": ("õ", "Õ"), "\u0301": ("ù", "Ù"),
              "\u0323": ("ï", "Ï")}
# Tone bytes after a circumflex or breve vowel, where the shape and the tone share one byte.
_VNI_CIRCUMFLEX = {"": ("â", "Â"), "\u0300": ("à", "À"), "\u0309": ("å", "Å"), "\u0303": ("ã", "Ã"),
                   "\u0301": ("á", "Á"), "\u0323": ("ä", "Ä")}
_VNI_BREVE = {"": ("ê", "Ê"), "\u0300": ("è", "È"), "\u0309": ("ú", "Ú"), "\u0303": ("ü", "Ü"),
              "\u0301": ("é", "É"), "\u0323": ("ë", "Ë")}
# One-byte letters: i with each tone, ơ, ư, đ and ỵ.
_VNI_SINGLE = {
    "ì": "ì", "í": "í", "ỉ": "æ", "ĩ": "ó", "ị": "ò", "Ì": "Ì", "Í": "Í", "Ỉ": "Æ", "Ĩ": "Ó", "Ị": "Ò",
    "ơ": "ô", "Ơ": "Ô", "ư": "ö", "Ư": "Ö", "đ": "ñ", "Đ": "Ñ", "ỵ": "î", "Ỵ": "Î",
}


def _build_vni() -> dict[str, str]:
    table: dict[str, str] = dict(_VNI_SINGLE)
    tones = ("", "\u0300", "\u0309", "\u0303", "\u0301", "\u0323")
    for small in "aeouy":
        for capital in (False, True):
            base = small.upper() if capital else small
            pick = 1 if capital else 0
            for tone in tones[1:]:
                letter = unicodedata.normalize("NFC", base + tone)
                table.setdefault(letter, base + _VNI_TONES[tone][pick])
            if small in "aeo":  # â ê ô and their tones
                for tone in tones:
                    letter = unicodedata.normalize("NFC", base + "\u0302" + tone)
                    table[letter] = base + _VNI_CIRCUMFLEX[tone][pick]
            if small == "a":  # ă and its tones
                for tone in tones:
                    letter = unicodedata.normalize("NFC", base + "\u0306" + tone)
                    table[letter] = base + _VNI_BREVE[tone][pick]
    for horn_small, single_small in (("o", "ô"), ("u", "ö")):  # ơ ư with tones: one-byte letter + tone byte
        for capital in (False, True):
            base = horn_small.upper() if capital else horn_small
            single = single_small.upper() if capital else single_small
            for tone in tones[1:]:
                letter = unicodedata.normalize("NFC", base + "\u031b" + tone)
                table[letter] = single + _VNI_TONES[tone][1 if capital else 0]
    return table


VNI_ENCODE: dict[str, str] = _build_vni()
VNI_DECODE: dict[str, str] = {code: letter for letter, code in VNI_ENCODE.items()}
_VNI_RE = re.compile("|".join(re.escape(k) for k in sorted(VNI_DECODE, key=len, reverse=True)))
_TCVN3_RE = re.compile("[" + "".join(re.escape(k) for k in TCVN3_DECODE) + "]")

# --- conversion -------------------------------------------------------------------------------------------------


def tcvn3_to_unicode(text: str) -> str:
    return _TCVN3_RE.sub(lambda m: TCVN3_DECODE[m.group(0)], text)


def vni_to_unicode(text: str) -> str:
    return _VNI_RE.sub(lambda m: VNI_DECODE[m.group(0)], text)


def unicode_to_tcvn3(text: str) -> str:
    """Unicode -> TCVN3 code points (as Latin-1 characters).  Toned capitals have no TCVN3 code: ValueError."""
    out = []
    for ch in unicodedata.normalize("NFC", text):
        if ch in TCVN3_ENCODE:
            out.append(TCVN3_ENCODE[ch])
        elif ord(ch) < 0x80 or ch in "\u00a0":
            out.append(ch)
        else:
            raise ValueError(f"{ch!r} has no TCVN3 code")
    return "".join(out)


def unicode_to_vni(text: str) -> str:
    """Unicode -> VNI Windows code points (as Latin-1 characters); ValueError for letters VNI lacks."""
    out = []
    for ch in unicodedata.normalize("NFC", text):
        if ch in VNI_ENCODE:
            out.append(VNI_ENCODE[ch])
        elif ord(ch) < 0x80 or ch in "\u00a0":
            out.append(ch)
        else:
            raise ValueError(f"{ch!r} has no VNI code")
    return "".join(out)


CONVERTERS = {"tcvn3": tcvn3_to_unicode, "vni": vni_to_unicode}

# --- detection --------------------------------------------------------------------------------------------------

# Letters only Unicode Vietnamese has (not Latin-1): ă đ ĩ ũ ơ ư and the whole Latin Extended Additional block.
_VIET_UNICODE_RE = re.compile("[\u0102\u0103\u0110\u0111\u0128\u0129\u0168\u0169\u01a0\u01a1\u01af\u01b0"
                              "\u1ea0-\u1ef9]")
# Latin-1 code points no Vietnamese word contains: where a legacy page's letters sit.
_ODD_LATIN1_RE = re.compile("[\u00a1-\u00bf\u00c4-\u00c7\u00cb\u00ce-\u00d1\u00d6-\u00d9\u00dc-\u00df"
                            "\u00e4-\u00e7\u00eb\u00ee-\u00f1\u00f6-\u00f8\u00fb\u00fc\u00fe\u00ff]")
_VNI_PAIR_RE = re.compile("[aeouyAEOUY\u00f4\u00f6\u00d4\u00d6][\u00f8\u00f9\u00fb\u00f5\u00ef\u00e2\u00e1\u00e0"
                          "\u00e5\u00e3\u00e4\u00ea\u00e9\u00e8\u00fa\u00fc\u00eb\u00d8\u00d9\u00db\u00d5\u00cf"
                          "\u00c2\u00c1\u00c0\u00c5\u00c3\u00c4\u00ca\u00c9\u00c8\u00da\u00dc\u00cb]")
_WORD_RE = re.compile(r"[^\W\d_]+")
MIN_EVIDENCE = 8  # converted letters a page must show before it is called legacy


def _score(text: str) -> int:
    return len(_VIET_UNICODE_RE.findall(text)) - len(_ODD_LATIN1_RE.findall(text))


def detect_legacy(text: str) -> str | None:
    """ "tcvn3", "vni" or None for a text (a page's visible text, or one run of it).

    A text with any Vietnamese Unicode letter is Unicode.  Otherwise each conversion is tried; the one that
    turns the most odd Latin-1 code points into Vietnamese letters wins, if it converts at least
    ``MIN_EVIDENCE`` letters, leaves fewer odd code points than it found, and touches a fair share of words
    (a French or German page has a few "où"/"ä", a legacy Vietnamese page has one in every other word).
    """
    if not text or _VIET_UNICODE_RE.search(text):
        return None
    odd = len(_ODD_LATIN1_RE.findall(text)) + len(_VNI_PAIR_RE.findall(text))
    if odd < MIN_EVIDENCE:
        return None
    words = max(1, len(_WORD_RE.findall(text)))
    best, best_gain = None, 0
    before = word_score(text)
    for name, convert in CONVERTERS.items():
        converted = convert(text)
        gain = word_score(converted) - before
        letters = len(_VIET_UNICODE_RE.findall(converted))
        if letters >= MIN_EVIDENCE and letters >= 0.15 * words and gain > best_gain:
            best, best_gain = name, gain
    return best


def convert_legacy(text: str, encoding: str) -> str:
    return CONVERTERS[encoding](text)


_TONE_MARKS = frozenset("\u0300\u0301\u0303\u0309\u0323")
_TOKEN_RE = re.compile(r"[^\W\d_]+|[\u00a1-\u00bf\u00d7\u00f7]+")
# A Vietnamese syllable without its tone mark: onset, vowel nucleus, coda (the spelling rules, simplified).
_ONSET = r"(?:ngh|ng|gh|gi|kh|ph|th|tr|ch|nh|qu|[bcdđghklmnpqrstvx])?"
_NUCLEUS = (r"(?:iêu|yêu|oai|oay|oao|oeo|uây|uôi|uya|uyê|uyu|ươi|ươu|uơi|ai|ao|au|ay|âu|ây|eo|êu|ia|iê|iu|oa|oă"
            r"|oe|oi|ôi|ơi|oo|ua|uâ|uê|ui|uô|uơ|uy|ưa|ưi|ươ|ưu|yê|[aăâeêioôơuưy])")
_SYLLABLE_RE = re.compile(rf"^{_ONSET}{_NUCLEUS}(?:ch|ng|nh|[cmnpt])?$")


def _untoned(word: str) -> str:
    return unicodedata.normalize("NFC", "".join(
        ch for ch in unicodedata.normalize("NFD", word.lower()) if ch not in _TONE_MARKS))


def word_score(text: str) -> int:
    """How Vietnamese a text reads: +1 for a word with a non-ASCII letter that is a well-formed Vietnamese
    syllable with at most one tone mark, -2 for a word holding an odd Latin-1 code point or a non-ASCII word
    that is no syllable ("maột", "Viờũt": what legacy bytes read with the wrong table give).  Used to choose
    between readings of the same bytes (declared charset, windows-1258, TCVN3, VNI)."""
    good = bad = 0
    for word in _TOKEN_RE.findall(unicodedata.normalize("NFC", text)):
        if _ODD_LATIN1_RE.search(word):
            bad += 1
            continue
        if all(ord(ch) <= 0x7F for ch in word):
            continue
        tones = sum(1 for ch in unicodedata.normalize("NFD", word) if ch in _TONE_MARKS)
        if tones <= 1 and _SYLLABLE_RE.match(_untoned(word)):
            good += 1
        else:
            bad += 1
    return good - 2 * bad
