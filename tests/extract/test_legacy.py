"""Legacy Vietnamese encodings: TCVN3 and VNI font text, windows-1258 behind a lying charset, decomposed
Unicode; and the old/new tone placement fold used for ``text_norm``."""

from __future__ import annotations

import unicodedata
from datetime import UTC, datetime

import pytest

from etl.extract.decode import DecodedPage, decode_page
from etl.normalise.legacy import (
    TCVN3_DECODE,
    detect_legacy,
    tcvn3_to_unicode,
    unicode_to_tcvn3,
    unicode_to_vni,
    vni_to_unicode,
    word_score,
)
from etl.normalise.text import normalise_tone_marks
from etl.records import RawPage

SENTENCES = [
    "Cộng hòa xã hội chủ nghĩa Việt Nam. Độc lập - Tự do - Hạnh phúc.",
    "Ban Thường vụ Tỉnh ủy họp cho ý kiến về công tác chuẩn bị đại hội đảng bộ cấp cơ sở nhiệm kỳ 2025 - 2030.",
    "Đồng chí Bí thư nhấn mạnh: mỗi cán bộ, đảng viên phải nêu gương, giữ gìn phẩm chất, đạo đức, lối sống.",
    "Những năm qua, phong trào thi đua “Dân vận khéo” được triển khai sâu rộng, hiệu quả ở cơ sở.",
    "Thuỷ lợi, khoẻ mạnh, hoà bình, uỷ ban, quyển sách, nguyễn, khuyến khích, giữ gìn, người, ưu tiên, Đắk Lắk.",
]


@pytest.mark.parametrize("sentence", SENTENCES)
def test_vni_round_trip(sentence):
    sentence = sentence.replace("“", '"').replace("”", '"')
    encoded = unicode_to_vni(sentence)
    assert encoded != sentence and all(ord(ch) < 0x100 for ch in encoded)
    assert vni_to_unicode(encoded) == sentence


@pytest.mark.parametrize("sentence", SENTENCES)
def test_tcvn3_round_trip(sentence):
    sentence = sentence.replace("“", '"').replace("”", '"')
    encoded = unicode_to_tcvn3(sentence)
    assert all(ord(ch) < 0x100 for ch in encoded)
    assert tcvn3_to_unicode(encoded) == sentence


def test_tcvn3_table_matches_the_published_chart_on_known_mojibake():
    # What a browser without the .VnTime font shows for well-known phrases.
    assert tcvn3_to_unicode("Céng hoµ x· héi chñ nghÜa ViÖt Nam") == "Cộng hoà xã hội chủ nghĩa Việt Nam"
    assert tcvn3_to_unicode("§éc lËp - Tù do - H¹nh phóc") == "Độc lập - Tự do - Hạnh phúc"
    assert tcvn3_to_unicode("§¶ng bé tØnh") == "Đảng bộ tỉnh"
    assert len(TCVN3_DECODE) == 74  # 7 capitals, 7 small letters, 60 toned small vowels


def test_vni_table_matches_the_published_chart_on_known_mojibake():
    assert vni_to_unicode("Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam") == "Cộng hòa xã hội chủ nghĩa Việt Nam"
    assert vni_to_unicode("Ñoäc laäp - Töï do - Haïnh phuùc") == "Độc lập - Tự do - Hạnh phúc"
    assert vni_to_unicode("THÖÔØNG TRÖÏC TÆNH UÛY") == "THƯỜNG TRỰC TỈNH ỦY"


def test_tcvn3_capitals_have_no_code():
    with pytest.raises(ValueError):
        unicode_to_tcvn3("Ủy ban")


def test_detection_tells_tcvn3_vni_and_unicode_apart():
    text = " ".join(SENTENCES[:3])
    assert detect_legacy(unicode_to_tcvn3(text)) == "tcvn3"
    assert detect_legacy(unicode_to_vni(text)) == "vni"
    assert detect_legacy(text) is None
    assert detect_legacy("Où est la bibliothèque? Très étrange, dit Müller über Äpfel; naïve façade, señor.") is None
    assert detect_legacy("The quick brown fox jumps over the lazy dog © 2024 · All rights reserved »") is None


def test_word_score_prefers_the_right_reading():
    good = SENTENCES[1]
    assert word_score(good) > 0
    assert word_score(tcvn3_to_unicode(unicode_to_vni(good))) < 0  # VNI bytes read as TCVN3: not Vietnamese


FETCHED = datetime(2024, 1, 1, tzinfo=UTC)
PAGE = ("<html><head><meta charset=\"{charset}\"><title>Tin</title></head><body><h1>{title}</h1>"
        "<div class=\"content\">{body}</div></body></html>")


def _raw(body: bytes, content_type: str = "text/html") -> RawPage:
    return RawPage(url="https://x.dcs.vn/a.html", portal="x", fetched_at=FETCHED, status=200,
                   content_type=content_type, body=body)


def _decoded(raw: RawPage) -> DecodedPage:
    decoded = decode_page(raw)
    assert isinstance(decoded, DecodedPage)
    return decoded


def _cp1258(text: str) -> bytes:
    """windows-1258 as editors wrote it: base letters the code page has (ô, ơ, ư, ă...), tone marks combining."""
    out = []
    for ch in text:
        try:
            out.append(ch.encode("cp1258"))
            continue
        except UnicodeEncodeError:
            pass
        parts = unicodedata.normalize("NFD", ch)
        for k in range(len(parts), 0, -1):
            head = unicodedata.normalize("NFC", parts[:k])
            try:
                out.append(head.encode("cp1258") + parts[k:].encode("cp1258"))
                break
            except UnicodeEncodeError:
                continue
        else:
            out.append(f"&#{ord(ch)};".encode())
    return b"".join(out)


def test_a_lying_utf8_declaration_over_windows_1258_bytes():
    text = " ".join(SENTENCES[1:3])
    page = PAGE.format(charset="utf-8", title="Hội nghị", body=text)
    body = _cp1258(page)
    decoded = _decoded(_raw(body))
    assert decoded.charset == "cp1258" and "declared" in (decoded.charset_note or "")
    import html

    assert text in html.unescape(decoded.html)  # (ộ has no cp1258 form: written as a character reference)


def test_a_latin1_declaration_over_utf8_bytes():
    page = PAGE.format(charset="iso-8859-1", title="Hội nghị", body=SENTENCES[1])
    decoded = _decoded(_raw(page.encode("utf-8")))
    assert SENTENCES[1] in decoded.html and decoded.charset == "utf-8"


def test_decomposed_unicode_becomes_nfc():
    page = unicodedata.normalize("NFD", PAGE.format(charset="utf-8", title="Hội nghị", body=SENTENCES[2]))
    decoded = _decoded(_raw(page.encode("utf-8")))
    assert SENTENCES[2] in decoded.html and decoded.legacy_font is None


@pytest.mark.parametrize("name,encode", [("tcvn3", unicode_to_tcvn3), ("vni", unicode_to_vni)])
def test_legacy_font_pages_are_converted_and_recorded(name, encode):
    text = " ".join(s.replace("“", '"').replace("”", '"') for s in SENTENCES[1:4])
    # a whole legacy page served as Latin-1
    page = PAGE.format(charset="iso-8859-1", title=encode("Hội nghị giao ban"), body=encode(text))
    decoded = _decoded(_raw(page.encode("latin-1"), "text/html; charset=iso-8859-1"))
    assert decoded.legacy_font == name and text in decoded.html and "Hội nghị giao ban" in decoded.html
    # legacy text inside a modern UTF-8 page whose chrome is Unicode
    page = PAGE.format(charset="utf-8", title="Hội nghị giao ban", body=f'<font face="x">{encode(text)}</font>')
    decoded = _decoded(_raw(page.encode("utf-8")))
    assert decoded.legacy_font == name and text in decoded.html and "Hội nghị giao ban" in decoded.html


def test_parse_page_records_the_legacy_font():
    from etl.extract import parse_page

    text = "\n".join(SENTENCES[1:4]).replace("“", '"').replace("”", '"')
    paragraphs = "".join(f"<p>{unicode_to_vni(p)}</p>" for p in text.split("\n"))
    page = PAGE.format(charset="windows-1252", title=unicode_to_vni("Hội nghị giao ban công tác Dân vận"),
                       body=paragraphs)
    result = parse_page(_raw(page.encode("cp1252", errors="xmlcharrefreplace")))
    assert result.article is not None and result.article.extras["legacy_font"] == "vni"
    assert result.article.text == text and result.article.title == "Hội nghị giao ban công tác Dân vận"


# --- text_norm: old and new tone placement -------------------------------------------------------------------------

@pytest.mark.parametrize("old,new", [("hoà", "hòa"), ("uỷ", "ủy"), ("thuỷ", "thủy"), ("hoá", "hóa"),
                                     ("khoẻ", "khỏe"), ("Hoà Bình", "Hòa Bình"), ("Uỷ ban", "Ủy ban"),
                                     ("toả sáng", "tỏa sáng"), ("loè loẹt", "lòe loẹt"), ("tuỳ", "tùy")])
def test_both_tone_placements_normalise_to_one_form(old, new):
    assert normalise_tone_marks(old) == normalise_tone_marks(new) == new
    assert normalise_tone_marks(unicodedata.normalize("NFD", old)) == new  # decomposed input too


@pytest.mark.parametrize("word", ["hoàn thành", "quý", "quỷ", "khuyến", "thuở", "hoạch", "người"])
def test_unambiguous_words_are_left_alone(word):
    assert normalise_tone_marks(word) == word


def test_text_norm_lets_either_spelling_find_both():
    published = "Tỉnh uỷ chỉ đạo công tác thuỷ lợi, giữ gìn hoà bình và sức khoẻ Nhân dân."
    for query in ("tỉnh ủy", "thủy lợi", "hòa bình", "sức khỏe", "tỉnh uỷ", "thuỷ lợi"):
        assert normalise_tone_marks(query).lower() in normalise_tone_marks(published).lower()
