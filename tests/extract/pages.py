"""Test helpers: RawPages built from small HTML strings, without any I/O."""

from __future__ import annotations

from datetime import UTC, datetime

from etl.records import RawPage

FETCHED_AT = datetime(2024, 6, 1, 3, 0, tzinfo=UTC)


def make_raw(
    html: str | bytes,
    url: str = "https://tinhuy.example.vn/tin-tuc/bai-viet-123.html",
    *,
    status: int | None = 200,
    content_type: str | None = "text/html; charset=utf-8",
    fetched_at: datetime = FETCHED_AT,
    error: str | None = None,
    category_hint: str | None = None,
) -> RawPage:
    body = html.encode("utf-8") if isinstance(html, str) else html
    return RawPage(
        url=url,
        portal="test",
        fetched_at=fetched_at,
        status=status,
        content_type=content_type,
        body=body,
        error=error,
        category_hint=category_hint,
    )


PARAGRAPHS = [
    "Sáng 25/6, Thường trực Tỉnh ủy tổ chức Hội nghị giao ban Khối Đảng quý II/2020 và đánh giá kết quả lãnh đạo tổ chức đại hội điểm cấp huyện nhiệm kỳ 2020-2025.",
    "Trong quý II/2020, Ban Thường vụ Tỉnh ủy ban hành kịp thời các kế hoạch, công văn thực hiện các nghị quyết, chỉ thị, kết luận của Trung ương; tập trung lãnh đạo công tác chuẩn bị đại hội đảng bộ các cấp.",
    "Hội nghị thống nhất các nhiệm vụ trọng tâm quý III, trong đó chú trọng công tác phòng, chống dịch bệnh Covid-19 và phát triển kinh tế - xã hội của tỉnh.",
]


def article_page(
    *,
    title: str = "Giao ban Khối Đảng quý II/2020",
    head: str = "",
    header: str = "",
    paragraphs: list[str] | None = None,
    tail: str = "",
    sidebar: str = "",
) -> str:
    body = "".join(f"<p>{p}</p>" for p in (paragraphs or PARAGRAPHS))
    return (
        f"<!DOCTYPE html><html><head><title>{title} - Cổng TTĐT Tỉnh ủy Kon Tum</title>{head}</head><body>"
        f"<div class='menu'><a href='/'>Trang chủ</a><a href='/a'>Giới thiệu</a><a href='/b'>Tin tức</a></div>"
        f"<div class='sidebar'>{sidebar}</div>"
        f"<div class='detail'><h1>{title}</h1>{header}<div class='content'>{body}{tail}</div></div>"
        f"<div class='footer'>Bản quyền thuộc về Tỉnh ủy Kon Tum</div></body></html>"
    )
