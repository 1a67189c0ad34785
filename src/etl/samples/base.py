"""What every sample portal shares, whatever its CMS: routing, page inventory, furniture data, responses.

A CMS family (``etl.samples.sites``) subclasses ``SampleSite`` and supplies URL shapes and markup; the data
(articles, categories, sidebar items, broken pages) and the HTTP behaviour live here, so all four families
serve the same kinds of pages and the same traps.
"""

from __future__ import annotations

import hashlib
import html
import unicodedata
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any, ClassVar
from urllib.parse import parse_qsl, unquote, urlsplit

from etl.samples.content import (
    JPEG_BYTES,
    PNG_BYTES,
    SITE_TODAY,
    Category,
    SampleArticle,
    make_pdf,
    vi_weekday_date,
)

VN_UTC_OFFSET = timedelta(hours=7)
HTML_UTF8 = "text/html; charset=utf-8"

RouteKey = tuple[str, tuple[tuple[str, str], ...]]


def esc(text: str) -> str:
    """HTML-escape text and attribute values."""
    return html.escape(text, quote=True)


def route_key(target: str) -> RouteKey:
    """Path (percent-decoded) plus the sorted query pairs, so parameter order does not matter."""
    parts = urlsplit(target)
    return unquote(parts.path) or "/", tuple(sorted(parse_qsl(parts.query, keep_blank_values=True)))


def dmy(moment: datetime | None) -> str:
    return moment.strftime("%d/%m/%Y") if moment else ""


def summary(text: str, words: int = 32) -> str:
    """The first words of a paragraph, as listings show them."""
    parts = text.split()
    return text if len(parts) <= words else " ".join(parts[:words]) + "..."


@dataclass
class Response:
    """What a sample site answers; the server turns it into HTTP."""

    status: int
    body: bytes = b""
    content_type: str | None = None
    last_modified: datetime | None = None  # naive Vietnam local time
    validators: bool = False  # send ETag/Last-Modified and honour If-None-Match / If-Modified-Since
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def etag(self) -> str:
        return '"' + hashlib.sha1(self.body).hexdigest()[:20] + '"'

    @property
    def last_modified_utc(self) -> datetime | None:
        return self.last_modified - VN_UTC_OFFSET if self.last_modified else None


@dataclass(frozen=True)
class LinkItem:
    """A sidebar or related-news entry: title, link, and the date printed beside it."""

    title: str
    href: str
    date: datetime | None = None


@dataclass(frozen=True)
class BrokenPage:
    """A page that misbehaves on purpose; ``kind`` is not_found, server_error, empty or truncated."""

    kind: str
    path: str
    title: str
    status: int


BROKEN_TITLES = {
    "not_found": "Thông báo kết quả kỳ họp thứ 9 (tin đã gỡ)",
    "server_error": "Hội nghị trực tuyến sơ kết công tác dân vận năm 2024",
    "truncated": "Tăng cường bảo vệ nền tảng tư tưởng của Đảng trên không gian mạng",
}

TRUNCATED_PARAGRAPHS = (
    (
        "Thời gian qua, Ban Chỉ đạo 35 của Tỉnh ủy đã chỉ đạo các cơ quan chức năng chủ động nắm tình hình, "
        "kịp thời đấu tranh, phản bác các quan điểm sai trái, thù địch trên không gian mạng."
    ),
    (
        "Các lực lượng nòng cốt đã đăng tải hàng nghìn tin, bài viết có chất lượng trên các trang thông tin điện "
        "tử, mạng xã hội; nhiều bài viết được Ban Tuyên giáo Trung ương đánh giá cao về tính chiến đấu và sức "
        "thuyết phục, góp phần định hướng dư luận xã hội, củng cố niềm tin của cán bộ, đảng viên và Nhân dân vào "
        "sự lãnh đạo của Đảng."
    ),
    "Thời gian tới, các cấp ủy tiếp tục thực hiện nghiêm Nghị quyết số 35-NQ/TW ngày 22/10/2018 của Bộ Chính trị.",
)

EXTERNAL_LINKS = (
    ("Báo điện tử Đảng Cộng sản Việt Nam", "https://dangcongsan.vn/"),
    ("Tạp chí Cộng sản", "https://www.tapchicongsan.org.vn/"),
    ("Cổng thông tin điện tử Chính phủ", "https://chinhphu.vn/"),
    ("Ban Tuyên giáo Trung ương", "https://tuyengiao.vn/"),
)


class SampleSite(ABC):
    """One sample portal.  ``handle(target)`` answers a request target (path + query) with a ``Response``."""

    platform: ClassVar[str]
    page_size: ClassVar[int] = 3
    disallowed_path: ClassVar[str] = "/admin/"
    # Non-article pages; each family sets its own URL shapes.
    contact_path: ClassVar[str]
    gallery_path: ClassVar[str]
    schedule_path: ClassVar[str]  # "Lịch công tác": answers 200 with an empty body
    search_path: ClassVar[str]
    pdf_path: ClassVar[str]
    pdf_title: ClassVar[str] = "Kế hoạch số 125-KH/TU tổ chức các hoạt động kỷ niệm các ngày lễ lớn năm 2024"
    pdf_date: ClassVar[datetime] = datetime(2024, 1, 15, 8, 0)

    def __init__(
        self,
        site_id: str,
        spec: dict[str, Any],
        articles: list[SampleArticle],
        base_url: str = "http://127.0.0.1",
    ) -> None:
        self.id = site_id
        self.spec = spec
        self.name: str = spec["name"]
        self.short_name: str = spec["short"]
        self.province: str = spec["province"]
        self.charset_in_header: bool = spec["charset_in_header"]
        self.categories = tuple(Category(**c) for c in spec["categories"])
        self.articles = sorted(articles, key=_newest_first)
        self.base_url = base_url.rstrip("/")
        self._routes = self._build_routes()

    # ------------------------------------------------------------------ URL shapes (per family)
    @abstractmethod
    def listing_path(self, category: Category, page: int = 1) -> str:
        """Path (+ query) of one page of a category listing."""

    @abstractmethod
    def broken_paths(self) -> dict[str, str]:
        """Paths of the deliberately broken pages, by kind (not_found, server_error, truncated, empty)."""

    def broken_pages(self) -> dict[str, BrokenPage]:
        """The deliberately broken pages, by kind, with the link titles the sidebars give them."""
        statuses = {"not_found": 404, "server_error": 500, "truncated": 200, "empty": 200}
        return {
            kind: BrokenPage(kind, path, BROKEN_TITLES.get(kind, "Lịch công tác"), statuses[kind])
            for kind, path in self.broken_paths().items()
        }

    # ------------------------------------------------------------------ markup (per family)
    @abstractmethod
    def render_home(self) -> str: ...

    @abstractmethod
    def render_listing(self, category: Category, page: int) -> str: ...

    @abstractmethod
    def render_article(self, article: SampleArticle) -> str: ...

    @abstractmethod
    def render_simple(self, heading: str, inner_html: str, path: str) -> str:
        """A page in the site's layout with a heading and some HTML (contact, gallery, search, ...)."""

    @abstractmethod
    def render_server_error(self) -> str: ...

    def extra_routes(self) -> dict[str, Callable[[], Response]]:
        """Family-specific pages (feeds, sitemaps); path (+ query) -> handler."""
        return {}

    def registry_hints(self) -> dict[str, Any]:
        """Optional registry fields (listing_urls, feeds, sitemaps, article_url_pattern, selectors)."""
        return {}

    # ------------------------------------------------------------------ shared data
    @property
    def html_content_type(self) -> str:
        return HTML_UTF8 if self.charset_in_header else "text/html"

    def url(self, path: str) -> str:
        return self.base_url + path

    def category_named(self, name: str) -> Category:
        return next(c for c in self.categories if c.name == name)

    def in_category(self, category: Category) -> list[SampleArticle]:
        return [a for a in self.articles if a.category == category.name]

    def page_count(self, category: Category) -> int:
        return max(1, -(-len(self.in_category(category)) // self.page_size))

    def listing_items(self, category: Category, page: int) -> list[SampleArticle]:
        start = (page - 1) * self.page_size
        return self.in_category(category)[start : start + self.page_size]

    def latest(self, count: int = 5) -> list[SampleArticle]:
        return self.articles[:count]

    def related(self, article: SampleArticle, count: int = 4) -> list[LinkItem]:
        """Other articles, same category first: each with its own date (a trap for date extraction)."""
        same = [a for a in self.articles if a.category == article.category and a.id != article.id]
        other = [a for a in self.articles if a.category != article.category]
        return [self.link_to(a) for a in (same + other)[:count]]

    def link_to(self, article: SampleArticle) -> LinkItem:
        return LinkItem(article.title, article.path, article.published_at)

    def hot_items(self) -> list[LinkItem]:
        """ "Tin nóng": two live articles and one deleted one (404)."""
        gone = self.broken_pages()["not_found"]
        return [
            self.link_to(self.articles[0]),
            LinkItem(gone.title, gone.path, datetime(2024, 12, 10, 9, 0)),
            self.link_to(self.articles[2]),
        ]

    def focus_items(self) -> list[LinkItem]:
        """ "Tin tiêu điểm": the oldest article, a page that always fails (500) and a truncated one."""
        broken = self.broken_pages()
        return [
            self.link_to(self.articles[-1]),
            LinkItem(
                broken["server_error"].title, broken["server_error"].path, datetime(2024, 12, 27, 14, 0)
            ),
            LinkItem(broken["truncated"].title, broken["truncated"].path, datetime(2023, 10, 5, 10, 30)),
        ]

    def visitor_stats(self) -> tuple[int, int, int]:
        """(Hôm nay, Đã truy cập, Đang truy cập): fixed numbers per site."""
        seed = int(hashlib.sha1(self.id.encode()).hexdigest()[:8], 16)
        return 1000 + seed % 2000, 5_000_000 + seed % 3_000_000, 20 + seed % 60

    @property
    def today_text(self) -> str:
        return vi_weekday_date(SITE_TODAY, with_time=False)

    def images(self) -> list[tuple[SampleArticle, Any]]:
        return [(a, img) for a in self.articles for img in a.images]

    # ------------------------------------------------------------------ inventory
    def inventory(self) -> dict[str, list[str]]:
        """Every page the site serves on purpose, by kind (paths + query)."""
        listings = [
            self.listing_path(c, p) for c in self.categories for p in range(1, self.page_count(c) + 1)
        ]
        broken = self.broken_pages()
        return {
            "home": ["/"],
            "article": [a.path for a in self.articles],
            "listing": listings,
            "contact": [self.contact_path],
            "gallery": [self.gallery_path],
            "attachment": [self.pdf_path],
            "robots": ["/robots.txt"],
            "disallowed": [self.disallowed_path],
            **{f"broken_{kind}": [page.path] for kind, page in broken.items()},
            **{kind: paths for kind, paths in self.extra_inventory().items()},
        }

    def extra_inventory(self) -> dict[str, list[str]]:
        return {}

    # ------------------------------------------------------------------ routing
    def handle(self, target: str) -> Response:
        """Answer one request target (path + query)."""
        key = route_key(target)
        handler = self._routes.get(key)
        if handler is not None:
            return handler()
        if key[0] == self.search_path:
            query = dict(key[1]).get("q") or dict(key[1]).get("k") or ""
            return self.html(self.render_search(query), validators=False)
        return self.not_found()

    def html(
        self, text: str, last_modified: datetime | None = None, validators: bool = True, status: int = 200
    ) -> Response:
        return Response(status, text.encode("utf-8"), self.html_content_type, last_modified, validators)

    def not_found(self) -> Response:
        inner = (
            '<p class="error-message">Trang bạn yêu cầu không tồn tại hoặc đã bị gỡ bỏ.</p>'
            '<p><a href="/">Quay về trang chủ</a></p>'
        )
        return self.html(
            self.render_simple("Không tìm thấy trang", inner, "/404"), validators=False, status=404
        )

    def render_search(self, query: str) -> str:
        inner = f'<p class="search-result">Không tìm thấy kết quả nào phù hợp với từ khóa “{esc(query)}”.</p>'
        return self.render_simple("Kết quả tìm kiếm", inner, self.search_path)

    def _build_routes(self) -> dict[RouteKey, Callable[[], Response]]:
        routes: dict[str, Callable[[], Response]] = {
            "/": lambda: self.html(self.render_home(), self.articles[0].published_at),
            "/robots.txt": self._robots,
            self.contact_path: lambda: self.html(self.render_contact(), validators=False),
            self.gallery_path: lambda: self.html(self.render_gallery(), self.articles[0].published_at),
            self.schedule_path: lambda: Response(200, b"", self.html_content_type),
            self.pdf_path: self._pdf,
            self.disallowed_path: lambda: self.html(self.render_admin(), validators=False),
        }
        for category in self.categories:
            for page in range(1, self.page_count(category) + 1):
                routes[self.listing_path(category, page)] = self._listing_handler(category, page)
        for article in self.articles:
            routes[article.path] = self._article_handler(article)
            for image in article.images:
                kind = "image/png" if image.src.endswith(".png") else "image/jpeg"
                body = PNG_BYTES if kind == "image/png" else JPEG_BYTES
                routes[image.src] = lambda body=body, kind=kind: Response(200, body, kind)
        for page in self.broken_pages().values():
            routes[page.path] = self._broken_handler(page)
        routes.update(self.extra_routes())
        return {route_key(target): handler for target, handler in routes.items()}

    def _listing_handler(self, category: Category, page: int) -> Callable[[], Response]:
        def handler() -> Response:
            items = self.listing_items(category, page)
            newest = max((a.published_at for a in items if a.published_at), default=None)
            return self.html(self.render_listing(category, page), newest)

        return handler

    def _article_handler(self, article: SampleArticle) -> Callable[[], Response]:
        return lambda: self.html(self.render_article(article), article.published_at)

    def _broken_handler(self, page: BrokenPage) -> Callable[[], Response]:
        if page.kind == "not_found":
            return self.not_found
        if page.kind == "server_error":
            return lambda: self.html(self.render_server_error(), validators=False, status=500)
        if page.kind == "empty":
            return lambda: Response(200, b"", self.html_content_type)
        return lambda: Response(200, self.truncated_body(page), self.html_content_type)

    def truncated_body(self, page: BrokenPage) -> bytes:
        """A full article page cut in the middle of its second paragraph, inside a multi-byte character."""
        fake = replace(
            self.articles[0],
            id="0",
            path=page.path,
            title=page.title,
            published_at=datetime(2023, 10, 5, 10, 30),
            paragraphs=TRUNCATED_PARAGRAPHS,
            images=(),
            author="Phóng viên",
            dateline=None,
            meta_published_time=False,
            attachment=False,
            source_line=None,
        )
        body = self.render_article(fake).encode("utf-8")
        middle = (
            body.index(TRUNCATED_PARAGRAPHS[1].encode("utf-8")) + len(TRUNCATED_PARAGRAPHS[1].encode()) // 2
        )
        while body[middle] < 0xC0:  # move to the lead byte of a multi-byte character
            middle += 1
        return body[: middle + 1]

    def _robots(self) -> Response:
        lines = ["User-agent: *", f"Disallow: {self.disallowed_path}", *self.robots_extra(), ""]
        return Response(200, "\n".join(lines).encode(), "text/plain; charset=utf-8")

    def robots_extra(self) -> list[str]:
        return []

    def _pdf(self) -> Response:
        lines = [
            "TINH UY " + _ascii_upper(self.province),
            "So 125-KH/TU",
            "",
            "KE HOACH",
            "To chuc cac hoat dong ky niem cac ngay le lon nam 2024",
            "",
            "Thuc hien Huong dan cua Ban Tuyen giao Trung uong ...",
            "(Trang 1/1)",
        ]
        return Response(
            200,
            make_pdf(self.pdf_title, lines),
            "application/pdf",
            self.pdf_date,
            validators=True,
            headers={"Content-Disposition": f'inline; filename="{self.pdf_path.rsplit("/", 1)[-1]}"'},
        )

    # ------------------------------------------------------------------ simple pages (shared content)
    def render_contact(self) -> str:
        inner = (
            f'<div class="contact-info"><p><strong>{esc(self.name)}</strong></p>'
            f"<p>Cơ quan chủ quản: Ban Thường vụ Tỉnh ủy {esc(self.province)}</p>"
            f"<p>Địa chỉ: Số 2 đường Trần Hưng Đạo, tỉnh {esc(self.province)}</p>"
            "<p>Điện thoại: 0263.3822 101 - Fax: 0263.3822 102</p><p>Email: bbt@tinhuy.dcs.vn</p></div>"
            '<div class="contact-form"><table class="tbl-contact">'
            '<tr><td>Họ và tên (*)</td><td><input type="text" name="fullname" /></td></tr>'
            '<tr><td>Email (*)</td><td><input type="text" name="email" /></td></tr>'
            '<tr><td>Tiêu đề</td><td><input type="text" name="subject" /></td></tr>'
            '<tr><td>Nội dung</td><td><textarea name="content" rows="6" cols="40"></textarea></td></tr>'
            '<tr><td></td><td><input type="button" value="Gửi liên hệ" /> <input type="reset" value="Nhập lại" />'
            "</td></tr></table></div>"
        )
        return self.render_simple("Liên hệ", inner, self.contact_path)

    def render_gallery(self) -> str:
        cells = []
        for article, image in self.images():
            cells.append(
                f'<div class="gallery-item"><a href="{esc(article.path)}"><img src="{esc(image.src)}" '
                f'alt="{esc(image.caption)}" width="220" height="150" /></a>'
                f'<p class="gallery-caption">{esc(image.caption)}</p>'
                f'<span class="gallery-date">{dmy(article.published_at)}</span></div>'
            )
        return self.render_simple(
            "Thư viện ảnh", '<div class="gallery">' + "".join(cells) + "</div>", self.gallery_path
        )

    def render_admin(self) -> str:
        inner = (
            '<div class="login"><p>Đăng nhập hệ thống quản trị</p><input type="text" name="username" />'
            '<input type="password" name="password" /><input type="button" value="Đăng nhập" /></div>'
        )
        return self.render_simple("Quản trị", inner, self.disallowed_path)


def _newest_first(article: SampleArticle) -> tuple[bool, float, int]:
    """Dated articles newest first, then undated ones (by id, newest first)."""
    if article.published_at is None:
        return True, 0.0, -int(article.id)
    return False, -(article.published_at - datetime(1970, 1, 1)).total_seconds(), -int(article.id)


def _ascii_upper(text: str) -> str:
    text = text.replace("đ", "d").replace("Đ", "D")
    return "".join(c for c in unicodedata.normalize("NFD", text) if unicodedata.category(c) != "Mn").upper()
