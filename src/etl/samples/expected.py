"""Ground truth for the sample portals, keyed by (site id, path) so it holds whatever port a server got.

* ``expected_articles()``: what a perfect crawl + extraction yields, one dict per article.
* ``broken_pages()`` / ``page_inventory()``: every page the sites serve on purpose, by kind.
* ``must_not_contain(article)``: furniture strings present on the article's page that must not reach its text.

Comparing text: ``paragraphs`` are NFC with single spaces; compare after ``" ".join(s.split())``.  Captions on
the page may end with a "." before "Ảnh: ..." that the ``caption`` value does not carry.
"""

from __future__ import annotations

from functools import cache
from typing import Any
from urllib.parse import urlsplit

from etl.samples.content import SampleArticle, load_articles, load_site_specs
from etl.samples.sites import build_sites

ArticleKey = tuple[str, str]  # (site id, path + query)

# Furniture every sample page carries (header, sidebars, tools, footer).
COMMON_FURNITURE = (
    "Thống kê truy cập",
    "Đã truy cập",
    "Đang truy cập",
    "Tin tiêu điểm",
    "Website liên kết",
    "Lịch công tác",
    "In bài viết",
    "Gửi email",
    "Bản quyền thuộc",
    "Ghi rõ nguồn",
    "Thứ Năm, 22/05/2025",
    "Cơ quan chủ quản",
    "Văn bản",
    "Quản trị",
)

# Furniture particular to one CMS family; the strings marked (inside) sit inside the article container.
FAMILY_FURNITURE = {
    "dnn": (
        "Tin nóng",
        "Các tin đã đưa",
        "Lượt xem",
        "Về đầu trang",
        "Gửi ý kiến",
        "Tin tức - Sự kiện",
        "Ý kiến bạn đọc",
    ),
    "nukeviet": (
        "Tin nóng",
        "Tin liên quan",
        "Các tin khác",
        "Ý kiến bạn đọc",  # (inside)
        "Mã bảo mật",
        "Gửi bình luận",
        "Trang nhất",
        "Bấm vào đây để duy trì trạng thái đăng nhập",
    ),
    "detailview": (
        "Tin Nóng",
        "Cập nhật vào ngày",
        "Số lần xem",
        "Các ý kiến của bạn đọc",  # (inside)
        "Không có quảng cáo",
        "Các tin khác",
        "Về đầu trang",
        "Trang chủ",
    ),
    "sharepoint": (
        "Tin Nóng",
        "Các tin đã đưa",
        "Ý kiến bạn đọc",
        "Về đầu trang",
        "Lịch công tác trống",
        "Tìm kiếm theo chuyên mục - nội dung - ngày tháng",
        "Văn bản chỉ đạo",
    ),
}


def article_key(site_id: str, path: str) -> ArticleKey:
    return site_id, path


def key_for_url(url: str, sites: dict[str, str]) -> ArticleKey | None:
    """Map an absolute URL from a running server back to (site id, path + query); None if off-site."""
    parts = urlsplit(url)
    for site_id, base in sites.items():
        base_parts = urlsplit(base)
        if (parts.scheme, parts.netloc) == (base_parts.scheme, base_parts.netloc):
            return site_id, (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return None


def _as_dict(article: SampleArticle) -> dict[str, Any]:
    return {
        "site": article.site,
        "path": article.path,
        "id": article.id,
        "title": article.title,
        "published_at": article.published_at.isoformat() if article.published_at else None,
        "date_precision": article.date_precision,
        "meta_published_time": article.meta_published_time,
        "author": article.author,
        "category": article.category,
        "dateline": article.dateline,
        "source_line": article.source_line,
        "attachment": article.attachment,
        "paragraphs": list(article.paragraphs),
        "text": article.text,
        "images": [
            {"file": i.file, "src": i.src, "caption": i.caption, "credit": i.credit} for i in article.images
        ],
        "source": article.source,
    }


def expected_articles(site_id: str | None = None) -> list[dict[str, Any]]:
    """Every sample article as a perfect pipeline would extract it (optionally for one site)."""
    return [_as_dict(a) for a in load_articles() if site_id in (None, a.site)]


def expected_by_key() -> dict[ArticleKey, dict[str, Any]]:
    return {article_key(a["site"], a["path"]): a for a in expected_articles()}


def site_info() -> list[dict[str, Any]]:
    """Id, name, province, platform and HTTP quirks of each sample site."""
    sites = build_sites()
    return [
        {
            "id": site_id,
            "name": spec["name"],
            "province": spec["province"],
            "platform": spec["platform"],
            "charset_in_header": spec["charset_in_header"],
            "disallowed_path": sites[site_id].disallowed_path,
        }
        for site_id, spec in load_site_specs().items()
    ]


@cache
def page_inventory() -> dict[str, dict[str, list[str]]]:
    """Site id -> page kind -> paths (+ query): home, article, listing, contact, gallery, attachment, robots,
    disallowed, broken_not_found, broken_server_error, broken_truncated, broken_empty (and sitemap, feed)."""
    return {site_id: site.inventory() for site_id, site in build_sites().items()}


def broken_pages() -> list[dict[str, Any]]:
    """The deliberately broken pages: site, path, kind (not_found, server_error, truncated, empty), status."""
    return [
        {"site": site_id, "path": page.path, "kind": page.kind, "status": page.status}
        for site_id, site in build_sites().items()
        for page in site.broken_pages().values()
    ]


def must_not_contain(article: dict[str, Any] | SampleArticle) -> list[str]:
    """Strings on this article's page that its extracted text must not contain (none occurs in the text)."""
    data = _as_dict(article) if isinstance(article, SampleArticle) else article
    platform = load_site_specs()[data["site"]]["platform"]
    candidates = [*COMMON_FURNITURE, *FAMILY_FURNITURE[platform], load_site_specs()[data["site"]]["name"]]
    if data["author"]:
        candidates.append(data["author"])
        if platform == "nukeviet":
            candidates.append("Tác giả:")
    if data["source_line"]:
        candidates.append("Nguồn tin:")
    if data["attachment"]:
        candidates.append("Tập tin đính kèm")
    for image in data["images"]:
        candidates.append(image["caption"])
        if image["credit"]:
            candidates.append(f"Ảnh: {image['credit']}")
        if platform == "detailview":
            candidates.append(image["file"])
    text = data["text"]
    return [s for s in dict.fromkeys(candidates) if s not in text]
