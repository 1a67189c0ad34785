"""Errors, attachments, decoding: what parse_page says before any extraction happens."""

import codecs

from etl.extract import parse_page

from .pages import article_page, make_raw

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF"


def test_crawler_error_is_an_error() -> None:
    result = parse_page(make_raw(b"", status=None, error="timeout"))
    assert result.kind == "error" and "timeout" in result.error


def test_no_response_is_a_transient_error() -> None:
    result = parse_page(make_raw(b"", status=None))
    assert result.kind == "error" and "transient" in result.error


def test_http_status_says_whether_a_retry_can_help() -> None:
    assert parse_page(make_raw(article_page(), status=404)).error == "HTTP 404 (terminal)"
    assert parse_page(make_raw(article_page(), status=503)).error == "HTTP 503 (transient)"


def test_empty_body_is_an_error() -> None:
    result = parse_page(make_raw(b"  \n"))
    assert result.kind == "error" and "empty body" in result.error


def test_healthy_attachments_are_other_not_errors() -> None:
    result = parse_page(make_raw(PDF, url="https://x.vn/files/kh-125.pdf", content_type="application/pdf"))
    assert result.kind == "other" and "application/pdf" in result.error and result.html is None
    png = parse_page(make_raw(b"\x89PNG\r\n\x1a\n....", content_type="image/png"))
    assert png.kind == "other"
    # A PDF served as text/html is still a PDF.
    assert parse_page(make_raw(PDF, content_type="text/html")).kind == "other"


def test_feeds_and_robots_are_other() -> None:
    rss = b'<?xml version="1.0"?><rss version="2.0"><channel><title>x</title></channel></rss>'
    assert parse_page(make_raw(rss, content_type="application/rss+xml")).kind == "other"
    assert (
        parse_page(make_raw(b"User-agent: *\nDisallow: /admin/", content_type="text/plain")).kind == "other"
    )


def test_truncated_page_is_an_error() -> None:
    page = article_page()
    result = parse_page(make_raw(page[: len(page) // 2]))
    assert result.kind == "error" and result.error.startswith("truncated page")
    assert result.html  # the decoded part is kept for diagnosis


def test_charset_from_header_meta_and_bom() -> None:
    page = article_page()
    legacy = page.replace("<head>", '<head><meta charset="windows-1258">').encode(
        "cp1258", "xmlcharrefreplace"
    )
    result = parse_page(make_raw(legacy, content_type="text/html"))
    assert result.charset == "cp1258" and result.kind == "article"
    assert "Thường trực Tỉnh ủy" in result.article.text
    header = parse_page(make_raw(page.encode("utf-16"), content_type="text/html; charset=utf-16"))
    assert header.kind == "article"
    bom = parse_page(make_raw(codecs.BOM_UTF8 + page.encode("utf-8"), content_type="text/html"))
    assert bom.charset == "utf-8" and bom.kind == "article"


def test_decoded_html_is_nfc_and_kept() -> None:
    import unicodedata

    page = unicodedata.normalize("NFD", article_page())
    result = parse_page(make_raw(page))
    assert result.html == unicodedata.normalize("NFC", page)
    assert result.article.title == "Giao ban Khối Đảng quý II/2020"


def test_garbage_never_raises() -> None:
    for body in (b"\x00\xff" * 50, b"<html><body>", b"<<<>>>", "<html>ư</html>".encode()):
        result = parse_page(make_raw(body))
        assert result.kind in ("error", "other", "listing")
