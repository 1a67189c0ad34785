"""Articles split over several pages: pagination found by parse_page, parts joined in order by the transform."""

from __future__ import annotations

from datetime import UTC, datetime

import duckdb

from etl.extract import parse_page
from etl.extract.multipage import join_article_parts
from etl.normalise.urls import article_page
from etl.portals.registry import Portal
from etl.records import RawPage
from etl.store.staging import CRAWL, new_batch, write_raw_pages
from etl.transform import transform_batch

PORTAL = Portal(id="mau", name="Cổng thông tin điện tử Tỉnh ủy Mẫu", province="Mẫu", url="https://mau.dcs.vn/",
                platform="generic")
BASE = "https://mau.dcs.vn/tin-tuc/dai-hoi-dang-bo-tinh-lan-thu-xvii-1234.html"
FETCHED = datetime(2025, 6, 1, 3, 0, tzinfo=UTC)
PARTS = {
    1: [("Sáng 12/8, Đại hội đại biểu Đảng bộ tỉnh lần thứ XVII, nhiệm kỳ 2025 - 2030 khai mạc trọng thể với sự tham dự "
        "của 350 đại biểu đại diện cho hơn 90 nghìn đảng viên trong toàn Đảng bộ tỉnh."),
        ("Phát biểu khai mạc, đồng chí Bí thư Tỉnh ủy nhấn mạnh đại hội có ý nghĩa đặc biệt quan trọng, đánh dấu bước "
        "phát triển mới của tỉnh trong giai đoạn đổi mới, hội nhập.")],
    2: [("Nhiệm kỳ qua, tốc độ tăng trưởng kinh tế bình quân của tỉnh đạt 7,2%/năm; thu nhập bình quân đầu người "
        "tăng gấp 1,6 lần so với đầu nhiệm kỳ; tỷ lệ hộ nghèo giảm còn 1,8%."),
        "Đại hội đề ra 18 chỉ tiêu chủ yếu và 3 khâu đột phá chiến lược cho nhiệm kỳ 2025 - 2030."],
    3: [("Đại hội đã bầu Ban Chấp hành Đảng bộ tỉnh khóa XVII gồm 55 đồng chí và bầu đoàn đại biểu đi dự Đại hội "
        "đại biểu toàn quốc lần thứ XIV của Đảng."),
        "Đại hội bế mạc chiều 14/8 sau ba ngày làm việc khẩn trương, dân chủ, đoàn kết."],
}


def url_of(n: int, style: str = "query") -> str:
    if n == 1:
        return BASE
    return f"{BASE}?page={n}" if style == "query" else BASE.replace(".html", f"/trang-{n}.html")


def page_html(n: int, style: str = "query", total: int = 3) -> str:
    pager = " ".join(
        f"<span>{k}</span>" if k == n else f'<a href="{url_of(k, style)}">{k}</a>' for k in range(1, total + 1)
    )
    if n < total:
        pager += f' <a href="{url_of(n + 1, style)}">Trang sau »</a>'
    paragraphs = "".join(f"<p>{p}</p>" for p in PARTS[n])
    byline = '<p style="text-align:right"><strong>Minh Anh</strong></p>' if n == total else ""
    title = "Khai mạc Đại hội đại biểu Đảng bộ tỉnh lần thứ XVII" + ("" if n == 1 else f" (Trang {n})")
    return f"""<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>{title} - Tỉnh ủy Mẫu</title></head>
<body><div class="menu"><a href="/">Trang chủ</a> <a href="/tin-tuc">Tin tức</a> <a href="/van-ban">Văn bản</a></div>
<div class="breadcrumb"><a href="/">Trang chủ</a> » <a href="/tin-tuc">Tin tức</a></div>
<article><h1>{title}</h1><div class="date">Thứ Ba, 12/08/2025 - 08:15</div>
<div class="content">{paragraphs}{byline}</div>
<div class="article-pages">Trang: {pager}</div></article>
<div class="footer">Bản quyền thuộc về Tỉnh ủy Mẫu</div></body></html>"""


def raw(n: int, style: str = "query") -> RawPage:
    return RawPage(url=url_of(n, style), portal="mau", fetched_at=FETCHED, status=200,
                   content_type="text/html; charset=utf-8", body=page_html(n, style).encode("utf-8"))


def test_article_page_recognises_page_markers():
    assert article_page(BASE + "?page=2") == (BASE, 2)
    assert article_page(BASE.replace(".html", "/trang-3.html")) == (BASE, 3)
    assert article_page("https://mau.dcs.vn/tin-tuc/bai-viet-99/trang-2") == ("https://mau.dcs.vn/tin-tuc/bai-viet-99", 2)
    assert article_page(BASE) == (BASE, 1)


def test_parse_page_reports_the_pagination_and_keeps_the_pager_out_of_the_text():
    for style in ("query", "path"):
        first = parse_page(raw(1, style), PORTAL).article
        second = parse_page(raw(2, style), PORTAL).article
        assert first is not None and second is not None
        assert first.extras["part_of"] == BASE and first.extras["page_number"] == 1
        assert first.extras["page_count"] == 3 and first.extras["next_page"] == url_of(2, style)
        assert second.extras["page_number"] == 2 and second.url == url_of(2, style)
        assert first.text.split("\n") == PARTS[1]
        assert second.text.split("\n") == PARTS[2]
        assert "Trang" not in first.text and "Trang sau" not in second.text


def test_single_page_article_has_no_pagination_extras():
    page = page_html(1, total=1)
    result = parse_page(RawPage(url=BASE, portal="mau", fetched_at=FETCHED, status=200, body=page.encode()), PORTAL)
    assert result.article is not None and "part_of" not in result.article.extras


def test_join_article_parts_orders_parts_and_takes_the_last_pages_byline():
    results = [parse_page(raw(n), PORTAL) for n in (3, 1, 2)]  # out of order, as a crawl finds them
    assert join_article_parts(results) == 2
    article = results[0].article
    assert all(r.article is article for r in results)
    assert article.text.split("\n") == PARTS[1] + PARTS[2] + PARTS[3]
    assert article.url == BASE and article.author == "Minh Anh"
    assert article.title == "Khai mạc Đại hội đại biểu Đảng bộ tỉnh lần thứ XVII"
    assert article.extras["pages_joined"] == [1, 2, 3]


def test_a_part_without_its_first_page_stays_alone():
    results = [parse_page(raw(2), PORTAL), parse_page(raw(3), PORTAL)]
    assert join_article_parts(results) == 0
    assert results[0].article.url == url_of(2)


def test_transform_joins_two_pages_of_one_article_in_one_batch(tmp_path):
    batch = new_batch(tmp_path / "staging", "mau")
    # page 2 first: the crawler may fetch the parts in any order
    pages = [raw(2), raw(1)]
    pages[0].body = page_html(2, total=2).encode("utf-8")
    pages[1].body = page_html(1, total=2).encode("utf-8")
    write_raw_pages(batch, pages)
    (batch.path / CRAWL).write_text('{"portal": "mau", "finish_reason": "finished"}', encoding="utf-8")
    summary = transform_batch(batch, None)
    assert summary.pages == 2
    con = duckdb.connect()
    articles = con.execute(f"SELECT url, text, author FROM read_parquet('{batch.parquet('articles')}')").fetchall()
    assert len(articles) == 1
    url, text, author = articles[0]
    assert url == BASE and text.split("\n") == PARTS[1] + PARTS[2] and author == "Minh Anh"
    page_rows = con.execute(
        f"SELECT url, article_id FROM read_parquet('{batch.parquet('pages')}') ORDER BY url").fetchall()
    assert len(page_rows) == 2 and len({article_id for _, article_id in page_rows}) == 1
