"""Bylines at the end of portal articles."""

import pytest

from etl.normalise.bylines import parse_byline, split_glued_byline


@pytest.mark.parametrize(
    "line, author",
    [
        ("Thanh Tâm", "Thanh Tâm"),
        ("Mai Trâm", "Mai Trâm"),
        ("Vy thủy", "Vy thủy"),
        ("Bình Minh/Trung tâm TT&VH Ba Chẽ", "Bình Minh/Trung tâm TT&VH Ba Chẽ"),
        ("Tin, ảnh: Ngọc Hân", "Ngọc Hân"),
        ("Tác giả: BTG Tỉnh ủy", "BTG Tỉnh ủy"),
        ("Minh Anh (tổng hợp)", "Minh Anh (tổng hợp)"),
        ("PV", "PV"),
    ],
)
def test_bylines(line: str, author: str) -> None:
    byline = parse_byline(line)
    assert byline is not None and byline.author == author


def test_sources_are_not_authors() -> None:
    byline = parse_byline("Theo Báo Lâm Đồng")
    assert byline is not None and byline.author is None and byline.source == "Báo Lâm Đồng"
    assert parse_byline("Nguồn tin: Ban Tuyên giáo Tỉnh ủy").source == "Ban Tuyên giáo Tỉnh ủy"


@pytest.mark.parametrize(
    "line",
    [
        "Quốc phòng - an ninh được giữ vững.",
        "Hội nghị kết thúc",
        "Đảng bộ tỉnh",
        "Các đại biểu tham dự hội nghị tại điểm cầu tỉnh ngày 25/6.",
        "Tổng kết 03 Nghị quyết",
    ],
)
def test_prose_is_not_a_byline(line: str) -> None:
    assert parse_byline(line) is None or parse_byline(line).author is None


def test_byline_glued_to_the_last_sentence() -> None:
    prose, byline = split_glued_byline(
        "Tỉnh ủy trao bằng khen cho 7 tập thể về phát triển và nâng loại đô thị.Thanh Tâm"
    )
    assert prose.endswith("nâng loại đô thị.") and byline.author == "Thanh Tâm"
    assert split_glued_byline("Tỉnh ủy trao bằng khen cho 7 tập thể về phát triển đô thị.") is None
