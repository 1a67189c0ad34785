"""Article, listing or other."""

from etl.extract import parse_page
from etl.portals.registry import Portal

from .pages import PARAGRAPHS, article_page, make_raw

PORTAL = Portal(
    id="t",
    name="Cổng TTĐT Tỉnh ủy Kon Tum",
    province="Kon Tum",
    url="https://tinhuy.example.vn/",
    article_url_pattern=r"/tin-tuc/[a-z0-9-]+-\d+\.html$",
)


def listing_page(items: int) -> str:
    rows = "".join(
        f"<div class='item'><h3><a href='/tin-tuc/hoi-nghi-{n}-{n}.html'>Hội nghị Ban Thường vụ Tỉnh ủy tháng {n} năm 2024</a></h3>"
        f"<span>0{n}/05/2024</span><p>Ban Thường vụ Tỉnh ủy họp cho ý kiến về các nội dung quan trọng thuộc thẩm quyền, "
        f"trong đó có kế hoạch chuẩn bị đại hội đảng bộ các cấp...</p></div>"
        for n in range(1, items + 1)
    )
    return (
        f"<html><head><title>Tin trong tỉnh - Cổng TTĐT</title></head><body><h1>Tin trong tỉnh</h1>"
        f"<div class='list'>{rows}</div><div class='paging'><a href='?page=2'>2</a></div></body></html>"
    )


def test_an_article() -> None:
    assert parse_page(make_raw(article_page())).kind == "article"


def test_listings_of_many_and_of_one_item() -> None:
    for count in (1, 3, 12):
        result = parse_page(
            make_raw(listing_page(count), url="https://tinhuy.example.vn/tin-tuc/tin-trong-tinh")
        )
        assert result.kind == "listing", count
        assert result.article is None


def test_home_and_search_are_other() -> None:
    assert parse_page(make_raw(listing_page(8), url="https://tinhuy.example.vn/")).kind == "other"
    assert (
        parse_page(make_raw(listing_page(8), url="https://tinhuy.example.vn/tim-kiem?q=dai+hoi")).kind
        == "other"
    )


def test_contact_page_is_other() -> None:
    page = (
        "<html><head><title>Liên hệ</title></head><body><h1>Liên hệ</h1><p>Văn phòng Tỉnh ủy</p>"
        "<p>Điện thoại: 0260.3862.xxx</p><form><input name='a'></form></body></html>"
    )
    assert parse_page(make_raw(page, url="https://tinhuy.example.vn/lien-he")).kind == "other"


def test_url_pattern_and_og_type_are_evidence() -> None:
    short = article_page(paragraphs=PARAGRAPHS[:1])
    url = "https://tinhuy.example.vn/tin-tuc/giao-ban-khoi-dang-3651.html"
    assert parse_page(make_raw(short, url=url), PORTAL).kind == "article"
    og = article_page(paragraphs=PARAGRAPHS[:1], head='<meta property="og:type" content="article">')
    assert parse_page(make_raw(og)).kind == "article"
