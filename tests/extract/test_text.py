"""Unicode and whitespace normalisation."""

import unicodedata

from etl.normalise.text import (
    clean_text,
    fold_vietnamese,
    join_paragraphs,
    nfc,
    normalise_block,
    normalise_tone_marks,
    split_paragraphs,
)


def test_nfc_composes_decomposed_tone_marks() -> None:
    decomposed = unicodedata.normalize("NFD", "Đảng bộ tỉnh")
    assert nfc(decomposed) == "Đảng bộ tỉnh"


def test_clean_text_collapses_every_kind_of_space() -> None:
    assert clean_text("  Tỉnh\u00a0ủy \t Kon\u200bTum \n") == "Tỉnh ủy KonTum"


def test_paragraphs_are_joined_by_exactly_one_newline() -> None:
    assert join_paragraphs(["  Một ", "", "Hai\n\nba"]) == "Một\nHai ba"
    assert normalise_block("Một\r\n\r\n\r\nHai  \n  Ba") == "Một\nHai\nBa"
    assert split_paragraphs("Một\n\n Hai ") == ["Một", "Hai"]


def test_fold_maps_d_stroke_explicitly() -> None:
    assert fold_vietnamese("Đảng ủy Đắk Lắk") == "Dang uy Dak Lak"
    assert fold_vietnamese("đồng chí", lower=True) == "dong chi"
    assert fold_vietnamese("Đảng") != "Đang"


def test_tone_marks_map_both_conventions_to_one() -> None:
    assert normalise_tone_marks("hoà") == "hòa"
    assert normalise_tone_marks("Tỉnh uỷ") == "Tỉnh ủy"
    assert normalise_tone_marks("thuỷ lợi") == "thủy lợi"
    assert normalise_tone_marks("Hoà Bình") == normalise_tone_marks("Hòa Bình")


def test_tone_marks_leave_unambiguous_words_alone() -> None:
    for word in ("hoàn thành", "quý", "quỷ", "thuyền", "khoảng"):
        assert normalise_tone_marks(word) == word
