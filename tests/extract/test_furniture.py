"""Furniture: structural removal and the line rules that catch what survives inside the article."""

import pytest
from lxml import html as lxml_html

from etl.extract.furniture import (
    clean_lines,
    is_furniture_by_attributes,
    is_furniture_line,
    is_stop_heading,
    split_glued_stop,
    strip_furniture,
)


@pytest.mark.parametrize(
    "line",
    [
        "[ Cập nhật vào ngày (01/07/2020) ] - [ Số lần xem: 626 ]",
        "Số lần xem: 1.204",
        "Lượt xem: 870",
        "LƯỢT ĐỌC: 15",
        "Đã xem: 1372",
        "Thống kê truy cập",
        "Hôm nay: 1911",
        "Đã truy cập: 6556406",
        "Đang truy cập: 45",
        "Online: 12",
        "Không có quảng cáo",
        "In bài viết | Gửi email | Về đầu trang",
        "Chia sẻ",
        "Về đầu trang",
        "Website liên kết",
        "Lịch công tác trống",
        "Tìm kiếm theo chuyên mục - nội dung - ngày tháng",
        "01.7.2020 a.png",
        "28.9.2023.jpg",
        "Bản quyền thuộc về Tỉnh ủy Hậu Giang",
        "© 2024 Cổng thông tin điện tử",
        "Trang chủ > Tin tức > Chính trị",
        "Tập tin đính kèm",
    ],
)
def test_furniture_lines(line: str) -> None:
    assert is_furniture_line(line)


@pytest.mark.parametrize(
    "line",
    [
        "Hôm nay, Ban Thường vụ Tỉnh ủy tổ chức hội nghị sơ kết công tác 6 tháng đầu năm.",
        "Lượt xem các bộ phim tài liệu về Bác tăng mạnh trong dịp kỷ niệm.",
        "Tổng kết 03 Nghị quyết chuyên đề Tỉnh ủy về phát triển và nâng loại đô thị.",
    ],
)
def test_prose_is_not_furniture(line: str) -> None:
    assert not is_furniture_line(line)


@pytest.mark.parametrize(
    "heading",
    [
        "Chuyên mục khác",
        "Tin cùng chuyên mục",
        "Các tin khác",
        "Tin Nóng",
        "Tin tiêu điểm",
        "Tin liên quan",
        "Các ý kiến của bạn đọc",
        "Bình luận",
        "Những tin mới hơn",
        "Các tin đã đưa",
    ],
)
def test_stop_headings(heading: str) -> None:
    assert is_stop_heading(heading)


def test_everything_after_a_stop_heading_goes() -> None:
    kept, removed = clean_lines(
        ["Đoạn một của bài.", "Tin liên quan", "Hội nghị Ban Chấp hành lần thứ 20", "Đoạn không thuộc bài."]
    )
    assert kept == ["Đoạn một của bài."]
    assert "Hội nghị Ban Chấp hành lần thứ 20" in removed


def test_stop_heading_glued_to_the_byline() -> None:
    assert split_glued_stop("Thanh TâmCác ý kiến của bạn đọc") == "Thanh Tâm"
    kept, _ = clean_lines(
        ["Đoạn cuối của bài viết.", "Thanh TâmCác ý kiến của bạn đọc", "Không có quảng cáo"]
    )
    assert kept == ["Đoạn cuối của bài viết.", "Thanh Tâm"]


@pytest.mark.parametrize(
    "cls, furniture",
    [
        ("tin-lien-quan", True),
        ("related-news", True),
        ("box-thongke", True),
        ("menu-top", True),
        ("breadcrumbs-wrap", True),
        ("other-news", True),
        ("news-content", False),
        ("content-detail", False),
        ("bodytext margin-bottom-lg", False),
        ("hometext m-bottom", False),
    ],
)
def test_furniture_by_class(cls: str, furniture: bool) -> None:
    assert is_furniture_by_attributes(lxml_html.fromstring(f'<div class="{cls}">x</div>')) is furniture


def test_camel_case_ids_are_tokenised() -> None:
    assert is_furniture_by_attributes(lxml_html.fromstring('<div id="ctl00_TinLienQuan">x</div>'))


def test_structure_removal_keeps_the_article_even_inside_a_print_div() -> None:
    prose = (
        "Ban Thường vụ Tỉnh ủy tổ chức hội nghị sơ kết công tác 6 tháng đầu năm, triển khai nhiệm vụ. " * 3
    )
    doc = lxml_html.document_fromstring(
        f"<html><body><form id='aspnetForm'><div class='menu'><a href='/'>Trang chủ</a><a href='/x'>Tin</a>"
        f"<a href='/y'>Ảnh</a></div><div id='divPrint'><h1>Tiêu đề bài</h1><p>{prose}</p><p>{prose}</p></div>"
        f"<div class='tin-lien-quan'><a href='/1'>Một tin khác rất dài để làm tiêu đề</a></div>"
        f"<aside>Thống kê truy cập</aside></form></body></html>"
    )
    strip_furniture(doc)
    text = doc.text_content()
    assert "Tiêu đề bài" in text and prose.strip() in text
    assert "Trang chủ" not in text and "Một tin khác" not in text and "Thống kê" not in text
