"""parse_page end to end on small pages: metadata, body rules, purity."""

from datetime import UTC, datetime

from etl.extract import parse_page
from etl.portals.registry import Portal

from .pages import PARAGRAPHS, article_page, make_raw


def test_title_is_the_headline_without_site_suffix() -> None:
    result = parse_page(make_raw(article_page()))
    assert result.article.title == "Giao ban Khối Đảng quý II/2020"


def test_title_from_head_when_there_is_no_headline_element() -> None:
    page = (
        "<html><head><title>Hội nghị Ban Chấp hành Đảng bộ tỉnh lần thứ 21, nhiệm kỳ 2015 - 2020 | Cổng "
        "thông tin điện tử Tỉnh ủy Hậu Giang</title><meta property='og:type' content='article'></head><body>"
        + "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
        + "</body></html>"
    )
    result = parse_page(make_raw(page, url="https://x.vn/tin/1.html"))
    assert result.article.title == "Hội nghị Ban Chấp hành Đảng bộ tỉnh lần thứ 21, nhiệm kỳ 2015 - 2020"


def test_text_is_paragraphs_joined_by_one_newline() -> None:
    text = parse_page(make_raw(article_page())).article.text
    assert text.split("\n") == PARAGRAPHS


def test_meta_date_converted_to_vietnam_time() -> None:
    page = article_page(head='<meta property="article:published_time" content="2020-06-25T08:18:00Z">')
    article = parse_page(make_raw(page)).article
    assert article.published_at == datetime(2020, 6, 25, 15, 18) and article.date_source == "meta"


def test_json_ld_date() -> None:
    ld = '<script type="application/ld+json">{"@type": "NewsArticle", "datePublished": "2020-06-25T15:18:00+07:00"}</script>'
    article = parse_page(make_raw(article_page(head=ld))).article
    assert article.published_at == datetime(2020, 6, 25, 15, 18) and article.date_source == "jsonld"


def test_visible_date_near_the_headline_not_the_sidebar_or_the_clock() -> None:
    sidebar = "<ul><li><a href='/x'>Một tin khác trong thanh bên trái</a> (12/01/2019)</li></ul>"
    page = article_page(header="<div class='date'>Thứ Năm, 25/06/2020 15:18</div>", sidebar=sidebar)
    article = parse_page(make_raw(page)).article
    assert article.published_at == datetime(2020, 6, 25, 15, 18) and article.date_source == "visible"


def test_partial_date_in_the_lead_uses_the_fetch_year() -> None:
    paragraphs = [
        "Ngày 04/5, Ban Thường vụ Huyện ủy tổ chức hội nghị đánh giá kết quả công tác tháng 4 năm nay."
    ] + PARAGRAPHS[1:]
    raw = make_raw(article_page(paragraphs=paragraphs), fetched_at=datetime(2020, 5, 6, tzinfo=UTC))
    assert parse_page(raw).article.published_at == datetime(2020, 5, 4)


def test_no_date_rather_than_a_wrong_one() -> None:
    undated = [
        "Ban Thường vụ Tỉnh ủy tổ chức hội nghị giao ban Khối Đảng, đánh giá kết quả lãnh đạo đại hội điểm.",
        *PARAGRAPHS[1:],
    ]
    sidebar = "<ul><li><a href='/x'>Một tin khác trong thanh bên trái</a> (12/01/2019)</li></ul>"
    article = parse_page(make_raw(article_page(paragraphs=undated, sidebar=sidebar))).article
    assert article.published_at is None and article.date_source is None


def test_byline_dateline_and_counters() -> None:
    paragraphs = ["(LĐ online) - " + PARAGRAPHS[0], *PARAGRAPHS[1:], "Lượt xem: 1234", "Thanh Tâm"]
    article = parse_page(make_raw(article_page(paragraphs=paragraphs))).article
    assert article.dateline == "LĐ online"
    assert article.author == "Thanh Tâm"
    assert article.text.split("\n") == PARAGRAPHS


def test_byline_glued_to_the_comment_heading() -> None:
    tail = "<p>Thanh Tâm<b>Các ý kiến của bạn đọc</b></p><p>Không có quảng cáo</p>"
    article = parse_page(make_raw(article_page(tail=tail))).article
    assert article.author == "Thanh Tâm"
    assert "ý kiến" not in article.text and "quảng cáo" not in article.text


def test_captions_go_to_images_not_the_body() -> None:
    figure = (
        "<p style='text-align:center'><img src='/uploads/news/2020_06/hoi-nghi.jpg' alt=''></p>"
        "<p style='text-align:center'><em>Các đại biểu tham dự Hội nghị. Ảnh: MT</em></p>"
    )
    paragraphs_html = f"<p>{PARAGRAPHS[0]}</p>{figure}<p>{PARAGRAPHS[1]}</p><p>{PARAGRAPHS[2]}</p>"
    page = article_page(paragraphs=["x"]).replace("<p>x</p>", paragraphs_html)
    article = parse_page(make_raw(page)).article
    assert [(i.url, i.caption, i.credit) for i in article.images] == [
        (
            "https://tinhuy.example.vn/uploads/news/2020_06/hoi-nghi.jpg",
            "Các đại biểu tham dự Hội nghị.",
            "MT",
        )
    ]
    assert "Ảnh: MT" not in article.text


def test_category_from_breadcrumb_or_hint() -> None:
    crumbs = "<div class='breadcrumb'><a href='/'>Trang chủ</a> » <a href='/c'>Xây dựng Đảng</a></div>"
    page = article_page().replace("<div class='detail'>", f"<div class='detail'>{crumbs}")
    assert parse_page(make_raw(page)).article.category == "Xây dựng Đảng"
    assert (
        parse_page(make_raw(article_page(), category_hint="Tin trong tỉnh")).article.category
        == "Tin trong tỉnh"
    )


def test_canonical_url_and_article_id() -> None:
    raw = make_raw(
        article_page(head='<link rel="canonical" href="/tin-tuc/bai-viet-123.html">'),
        url="https://tinhuy.example.vn/tin-tuc/bai-viet-123.html?utm_source=zalo&fbclid=1",
    )
    article = parse_page(raw).article
    assert article.url == "https://tinhuy.example.vn/tin-tuc/bai-viet-123.html"
    assert len(article.extras["article_id"]) == 16


def test_pure_and_repeatable() -> None:
    raw = make_raw(article_page())
    first, second = parse_page(raw), parse_page(raw)
    assert first.article == second.article  # deduplication across calls would empty the second


def test_portal_selectors_override_the_platform() -> None:
    page = article_page().replace("<div class='content'>", "<div class='content'><p>Lượt xem: 5</p>")
    portal = Portal(
        id="t",
        name="T",
        province="T",
        url="https://tinhuy.example.vn/",
        platform="dnn",
        selectors={"content": "div.content", "title": ".detail h1"},
    )
    article = parse_page(make_raw(page), portal).article
    assert article.extras["platform"] == "dnn" and article.text.split("\n") == PARAGRAPHS
