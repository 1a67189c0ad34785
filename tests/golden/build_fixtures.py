"""Author the golden fixtures: render each fixture article into its platform's page template and write
``<platform>/<name>.html`` plus ``<name>.json`` (the expected record, written from the article's own data, not
from extractor output).

Run when adding fixtures (``python tests/golden/build_fixtures.py``): only fixtures that do not exist yet are
written (``--force`` rewrites all).  The HTML files are then the saved pages, and ``regenerate.py`` refreshes
expectations from current output for review.  The
first five articles are the seed texts from ``/work/shared/seeds`` rebuilt as full pages with their furniture.
"""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE))

from fixture_articles import ARTICLES, LISTINGS, OTHERS, seed_articles
from fixture_articles_more import more_articles
from templates import TEMPLATES

log = logging.getLogger("build_fixtures")

COMMON_FURNITURE = [
    "Thống kê truy cập",
    "Đã truy cập",
    "Hôm nay:",
    "Bản quyền thuộc về",
    "Ghi rõ nguồn",
    "Tăng cường công tác phòng, chống dịch Covid-19 trong tình hình mới",
    "Trang chủ",
]
PLATFORM_FURNITURE = {
    "generic": [
        "Chia sẻ",
        "In bài viết",
        "Tin liên quan",
        "Bình luận",
        "Ban Thường vụ Tỉnh ủy cho ý kiến vào dự thảo",
    ],
    "dnn": [
        "Lượt xem",
        "In bài viết",
        "Gửi email",
        "Các tin khác",
        "Triển khai kế hoạch tuyên truyền kỷ niệm",
    ],
    "nukeviet": ["Lượt xem", "Những tin mới hơn", "Những tin cũ hơn", "Tweet", "Trình duyệt của bạn"],
    "detailview": [
        "Các ý kiến của bạn đọc",
        "Không có quảng cáo",
        "Số lần xem",
        "Cập nhật vào ngày",
        "Các tin khác",
        "Website liên kết",
    ],
    "sharepoint": [
        "Tin Nóng",
        "Tin tiêu điểm",
        "Lịch công tác",
        "Website liên kết",
        "Tìm kiếm theo chuyên mục",
        "Về đầu trang",
        "Tin cùng chuyên mục",
    ],
    "liferay": ["Lượt xem", "Đánh giá", "Tin liên quan", "Nhảy tới nội dung"],
}


def expected_paragraphs(article: dict) -> list[str]:
    paragraphs = [b[1] for b in article["blocks"] if b[0] in ("p", "h")]
    return paragraphs


def render(article: dict) -> bytes:
    blocks = list(article.get("blocks", []))
    if article.get("dateline_prefix"):
        first = next(i for i, b in enumerate(blocks) if b[0] == "p")
        blocks[first] = ("p", article["dateline_prefix"] + blocks[first][1])
    tail = []
    if article.get("byline_html"):
        tail.append(("raw", article["byline_html"]))
    elif article.get("byline"):
        tail.append(("raw", f'<p style="text-align: right;"><strong>{article["byline"]}</strong></p>'))
    page = TEMPLATES[article["template"]](
        {**article, "blocks": blocks + tail + article.get("after_blocks", [])}
    )
    legacy = article.get("legacy")
    if legacy:
        page = _legacy_font_page(article, page, legacy)
    if article.get("nfd"):
        import unicodedata

        page = unicodedata.normalize("NFD", page)
    encoding = article.get("encoding", "utf-8")
    if legacy and legacy.endswith("-page"):
        return page.encode("latin-1", errors="xmlcharrefreplace")
    if article.get("decompose"):
        return _legacy_vietnamese(page).encode(encoding)
    return page.encode(encoding, errors="xmlcharrefreplace")


def _to_legacy(text: str, table: dict[str, str], lower_capitals: bool) -> str:
    """Vietnamese letters to their TCVN3/VNI code points; other characters unchanged.  TCVN3 has no toned
    capitals: with ``lower_capitals`` they are typed as small letters (what a .VnTimeH user would do)."""
    import unicodedata

    out = []
    for ch in unicodedata.normalize("NFC", text):
        if ch in table:
            out.append(table[ch])
        elif lower_capitals and ch.lower() in table:
            out.append(table[ch.lower()])
        elif ord(ch) > 0x7F and unicodedata.category(ch).startswith("L"):
            raise ValueError(f"{ch!r} cannot be typed in this legacy encoding")
        else:
            out.append(ch)
    return "".join(out)


def _legacy_font_page(article: dict, page: str, legacy: str) -> str:
    """``tcvn3-body``/``vni-body``: the article text (blocks) typed in the legacy font inside a Unicode page;
    ``tcvn3-page``/``vni-page``: the whole page typed in it (markup is ASCII and unchanged)."""
    import html as html_module
    import re

    from etl.normalise.legacy import TCVN3_ENCODE, VNI_ENCODE

    table = TCVN3_ENCODE if legacy.startswith("tcvn3") else VNI_ENCODE
    face = ".VnTime" if legacy.startswith("tcvn3") else "VNI-Times"
    if legacy.endswith("-page"):
        parts = re.split(r"(<[^>]*>)", page)
        return "".join(p if p.startswith("<") else _to_legacy(p, table, True) for p in parts).replace(
            "<body", f'<body style="font-family: \'{face}\'"', 1)
    for text in [b[1] for b in article["blocks"] if b[0] == "p"]:
        escaped = html_module.escape(text)
        page = page.replace(escaped, f'<font face="{face}">{_to_legacy(escaped, table, False)}</font>', 1)
    return page


def _legacy_vietnamese(text: str) -> str:
    """Windows-1258 style: base letters precomposed where the code page has them, tone marks combining."""
    import unicodedata

    def encodable(s: str) -> bool:
        try:
            s.encode("cp1258")
            return True
        except UnicodeEncodeError:
            return False

    out = []
    for ch in text:
        if encodable(ch):
            out.append(ch)
            continue
        parts = unicodedata.normalize("NFD", ch)
        base, marks = parts[0], parts[1:]
        for k in range(len(marks), -1, -1):
            head = unicodedata.normalize("NFC", base + marks[:k])
            if encodable(head) and encodable(marks[k:]):
                out.append(head + marks[k:])
                break
        else:
            out.append(f"&#{ord(ch)};")
    return "".join(out)


def write(article: dict, force: bool = False) -> bool:
    """Write one fixture; an existing (reviewed) fixture is left alone unless ``force``."""
    folder = HERE / article["platform"]
    folder.mkdir(exist_ok=True)
    if (folder / f"{article['name']}.json").exists() and not force:
        return False
    (folder / f"{article['name']}.html").write_bytes(render(article))
    kind = article.get("kind", "article")
    record = {
        "input": {
            "url": article["url"],
            "portal": article["portal"],
            "fetched_at": article["fetched_at"],
            "content_type": article.get("content_type", "text/html; charset=utf-8"),
            "category_hint": article.get("category_hint"),
        },
        "kind": kind,
    }
    if kind == "article":
        record.update(
            {
                "title": article["expected_title"] if "expected_title" in article else article["title"],
                "published_at": article["expected_published_at"],
                "date_source": article.get("expected_date_source"),
                "author": article.get("expected_author"),
                "category": article.get("expected_category", article.get("category")),
                "dateline": article.get("expected_dateline"),
                "paragraphs": article.get("expected_paragraphs") or expected_paragraphs(article),
                "images": article.get("expected_images"),
            }
        )
        for key in ("legacy_font", "part_of", "page_number"):  # extras the golden test also checks
            if f"expected_{key}" in article:
                record.setdefault("extras", {})[key] = article[f"expected_{key}"]
    template = article["template"]
    record["must_not_contain"] = sorted(
        set(COMMON_FURNITURE + PLATFORM_FURNITURE.get(template, []) + article.get("must_not_contain", []))
    )
    if kind != "article":
        record["must_not_contain"] = []
    (folder / f"{article['name']}.json").write_text(
        json.dumps(record, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    return True


def main() -> None:
    logging.basicConfig(level=logging.INFO)
    force = "--force" in sys.argv
    everything = seed_articles() + ARTICLES + more_articles() + LISTINGS + OTHERS
    written = sum(write(article, force) for article in everything)
    log.info("wrote %d of %d fixtures (existing ones kept; --force rewrites them)", written, len(everything))


if __name__ == "__main__":
    main()
