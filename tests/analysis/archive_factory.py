"""A small but realistic archive for the analysis tests: several portals, gap months, failed runs, errors."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta
from pathlib import Path

from etl.normalise.text import normalise_tone_marks
from etl.store.loader import load_ready_batches
from etl.store.staging import new_batch, write_extracted

T0 = datetime(2024, 5, 1, 3, 0, tzinfo=UTC)

# (portal, province, [(published_at or None, title, text)])
PORTALS = {
    "lamdong": ("Lâm Đồng", [
        (datetime(2020, 1, 10, 8), "Tỉnh uỷ Lâm Đồng chỉ đạo phòng chống dịch",
         "Ban Thường vụ Tỉnh uỷ yêu cầu tăng cường công tác phòng chống dịch Covid-19.\n"
         "Thực hiện Chỉ thị số 15/CT-TTg của Thủ tướng Chính phủ và Chỉ thị số 35-CT/TW của Bộ Chính trị."),
        (datetime(2020, 2, 3, 9), "Hội nghị Ban Chấp hành Đảng bộ tỉnh",
         "Đảng bộ tỉnh tổng kết năm, bàn phương hướng hoà hợp dân tộc. Công tác phòng, chống tham nhũng "
         "được đẩy mạnh; dịch vụ công trực tuyến mở rộng."),
        (datetime(2020, 2, 20, 9), "Lâm Đồng đón khách du lịch",
         "Ngành du lịch phục hồi. Các điểm đến thực hiện các biện pháp phòng dịch."),
        (datetime(2020, 5, 5, 7), "Quán triệt Kết luận số 77-KL/TW",
         "Đồng chí Bí thư Tỉnh ủy quán triệt Kết luận số 77-KL/TW và Nghị quyết số 04-NQ/TW."),
    ]),
    "kontum": ("Kon Tum", [
        (datetime(2021, 3, 1, 7), "Kon Tum hoà nhịp phát triển",
         "Tỉnh Kon Tum phát triển kinh tế - xã hội; công tác phòng chống dịch bệnh trên đàn gia súc."),
        (datetime(2021, 4, 2, 7), "Huyện uỷ Đắk Hà tổng kết",
         "Huyện uỷ Đắk Hà tổng kết công tác xây dựng Đảng. Thực hiện Chỉ thị số 05-CT/TW."),
        (None, "Giới thiệu", "Trang giới thiệu Đảng bộ tỉnh Kon Tum."),
    ]),
    "hue": ("Thừa Thiên Huế", [
        (datetime(2021, 12, 30, 10), "Huế chuẩn bị lên thành phố trực thuộc Trung ương",
         "Thành uỷ Huế họp bàn. Công tác phòng chống dịch Covid-19 tiếp tục được duy trì."),
    ]),
    "tuyengiao": ("Trung ương", [
        (datetime(2020, 1, 15, 10), "Hướng dẫn học tập Nghị quyết", "Ban Tuyên giáo Trung ương hướng dẫn."),
    ]),
}


def _article(portal: str, province: str, n: int, published, title: str, text: str, fetched) -> dict:
    url = f"http://{portal}.example/tin/{n}"
    return {
        "article_id": hashlib.sha1(url.encode()).hexdigest()[:16], "portal": portal, "province": province,
        "url": url, "title": title, "published_at": published, "date_source": "visible" if published else None,
        "author": None, "category": "Tin tức", "dateline": None, "text": text,
        "text_norm": normalise_tone_marks(text), "word_count": len(text.split()),
        "content_hash": hashlib.sha1((title + text).encode()).hexdigest(), "fetched_at": fetched,
    }


def _page(url, portal, batch_id, fetched, article_id=None, error=None, status=200) -> dict:
    return {
        "url": url, "portal": portal, "fetched_at": fetched, "status": status, "content_type": "text/html",
        "charset": "utf-8", "html": "<html></html>", "etag": None, "last_modified": None, "error": error,
        "kind": "error" if error else ("article" if article_id else "listing"), "is_article": bool(article_id),
        "article_id": article_id, "batch_id": batch_id, "source": "crawl",
    }


def _stage(staging: Path, portal: str, when: datetime, articles: list[dict], error_urls=(), *, message=None,
           failed=False) -> None:
    batch = new_batch(staging, portal, now=when)
    pages = [] if failed else [_page(a["url"], portal, batch.id, when, a["article_id"]) for a in articles]
    if not failed:
        pages.append(_page(f"http://{portal}.example/", portal, batch.id, when))
    for url in error_urls:
        pages.append(_page(url, portal, batch.id, when, error="HTTP 404", status=404))
    errors = len(error_urls)
    write_extracted(batch, {"pages": pages, "articles": [] if failed else articles, "images": []}, {
        "portal": portal, "pages": len(pages), "articles": 0 if failed else len(articles), "errors": errors,
        "crawl": {"portal": portal, "started_at": when, "finished_at": when + timedelta(minutes=5),
                  "finish_reason": "finished", "message": message},
    })


def build_archive(root: Path) -> Path:
    """Stage and load the archive; returns the archive path (its snapshot, with the search index, is published)."""
    staging = root / "staging"
    db = root / "archive.duckdb"
    n = 0
    for portal, (province, items) in PORTALS.items():
        articles = []
        for published, title, text in items:
            n += 1
            articles.append(_article(portal, province, n, published, title, text, T0))
        errors = [f"http://{portal}.example/missing"] if portal == "lamdong" else []
        _stage(staging, portal, T0, articles, errors)
    # A later run of kontum fails entirely: crawl_health must still show the earlier successful one.
    _stage(staging, "kontum", T0 + timedelta(days=3), [], [f"http://kontum.example/{i}" for i in range(3)],
           message="DNS lookup failed for kontum.example", failed=True)
    load_ready_batches(db, staging)
    return db
