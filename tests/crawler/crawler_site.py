"""A tiny provincial-portal look-alike served on 127.0.0.1, built to exercise every crawler rule.

Menus lead to two category listings (NukeViet ``/page-N`` and ``?page=N`` pagination, "Trang sau", "»" and
"Xem thêm" links); robots.txt disallows ``/private/`` and names a sitemap; an RSS feed and the sitemap each list
one article no page links to; some articles fail (404, permanent 500, a 503 that recovers, a slow page); there
is a small PDF, a PDF over the test size cap, an off-site redirect, and links the crawler must never follow
(assets, sign-in, search, print, other hosts and ports).  Every request is logged with its Host header.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

SLOW_SECONDS = 6.0


@dataclass
class RequestLog:
    entries: list[tuple[str, str, str]] = field(default_factory=list)  # (method, host header, path)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, method: str, host: str, path: str) -> None:
        with self.lock:
            self.entries.append((method, host, path))

    def paths(self) -> list[str]:
        with self.lock:
            return [path for _, _, path in self.entries]

    def count(self, path: str) -> int:
        return self.paths().count(path)


@dataclass
class LocalSite:
    url: str
    port: int
    log: RequestLog
    trap_url: str


def _page(title: str, body: str, extra_head: str = "") -> bytes:
    html = f"""<!DOCTYPE html>
<html lang="vi"><head><meta charset="utf-8"><title>{title}</title>
<link rel="stylesheet" href="/static/style.css">{extra_head}</head>
<body>
<div id="header"><a href="/"><img src="/images/logo.jpg" alt="Trang chủ"></a></div>
<nav class="main-menu"><ul>
  <li><a href="/">Trang chủ</a></li>
  <li><a href="/tin-tuc/">Tin tức</a></li>
  <li><a href="/xay-dung-dang/">Xây dựng Đảng</a></li>
  <li><a href="/gioi-thieu">Giới thiệu</a></li>
  <li><a href="javascript:void(0)">Liên kết</a></li>
</ul></nav>
<div class="content">{body}</div>
<div id="footer">
  <a href="/dang-nhap">Đăng nhập</a> <a href="/tim-kiem?q=dang">Tìm kiếm</a>
  <a href="mailto:banbientap@example.vn">Liên hệ</a>
  <script src="/static/app.js"></script>
</div>
</body></html>"""
    return html.encode("utf-8")


ARTICLES_TIN_TUC = [f"/tin-tuc/bai-viet-so-{n}-{1000 + n}.html" for n in range(1, 9)]
ARTICLES_XDD = [f"/xay-dung-dang/chi-bo/sinh-hoat-chi-bo-so-{n}-{2000 + n}.html" for n in range(1, 5)]
SITEMAP_ONLY = "/tin-tuc/chi-co-trong-sitemap-3001.html"
FEED_ONLY = "/tin-tuc/chi-co-trong-rss-3002.html"
BROKEN_404 = "/tin-tuc/bai-da-xoa-1404.html"
BROKEN_500 = "/tin-tuc/bai-loi-may-chu-1500.html"
FLAKY_503 = "/tin-tuc/bai-tam-loi-1503.html"
SLOW = "/tin-tuc/bai-cham-1599.html"
SMALL_PDF = "/files/nghi-quyet-so-1.pdf"
LARGE_PDF = "/files/bao-cao-rat-lon.pdf"
OFFSITE_REDIRECT = "/chuyen-trang"
MOVED_ARTICLE = "/tin-tuc/bai-cu-1777.html"  # 301 to ARTICLES_TIN_TUC[7] on the same portal
NEVER = ["/private/", "/dang-nhap", "/tim-kiem", "/static/", "/images/", "/in-bai/", "/trap"]


def _listing(title: str, links: list[str], pager: str) -> bytes:
    items = "\n".join(
        f'<li><a href="{href}" title="Bài {i}">Tiêu đề bài {i}: {title}</a> '
        f'<a href="/in-bai{href}">In bài</a></li>'
        for i, href in enumerate(links, 1)
    )
    return _page(title, f"<h1>{title}</h1><ul class='news-list'>{items}</ul>{pager}")


def build_routes(port: int, trap_port: int) -> dict[str, tuple[int, str, bytes]]:
    """path -> (status, content type, body); dynamic paths (errors, slow pages) are handled in the server."""
    html = "text/html; charset=utf-8"
    home_body = f"""
<h2>Tin nổi bật</h2>
<a href="{ARTICLES_TIN_TUC[0]}">Tin nổi bật số 1</a>
<a href="/private/tai-lieu-mat-9999.html">Tài liệu nội bộ</a>
<a href="{SMALL_PDF}">Nghị quyết số 1 (PDF)</a>
<a href="{LARGE_PDF}">Báo cáo (PDF, lớn)</a>
<a href="{OFFSITE_REDIRECT}">Trang cũ</a>
<a href="{MOVED_ARTICLE}">Bài cũ (đã chuyển)</a>
<a href="http://127.0.0.1:{trap_port}/trap/bai-viet-1234.html">Cổng khác (cùng máy, khác cổng)</a>
<a href="http://localhost:{port}/tin-tuc/bai-viet-so-1-1001.html">Cùng máy, tên khác</a>
<a href="https://www.facebook.com/sharer/sharer.php?u=x">Chia sẻ</a>
<a href="http://example.com/tin-tuc/bai-ngoai-1234.html">Báo ngoài</a>
"""
    routes: dict[str, tuple[int, str, bytes]] = {
        "/": (
            200,
            html,
            _page(
                "Tỉnh ủy Thử nghiệm",
                home_body,
                '<link rel="alternate" type="application/rss+xml" href="/rss/tin-tuc.rss">',
            ),
        ),
        "/robots.txt": (
            200,
            "text/plain",
            (
                f"User-agent: *\nDisallow: /private/\nSitemap: http://127.0.0.1:{port}/sitemap-news.xml\n"
            ).encode(),
        ),
        "/sitemap-news.xml": (
            200,
            "application/xml",
            (
                '<?xml version="1.0" encoding="UTF-8"?>\n'
                '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                f"<url><loc>http://127.0.0.1:{port}{SITEMAP_ONLY}</loc></url>"
                f"<url><loc>http://127.0.0.1:{port}{ARTICLES_TIN_TUC[1]}</loc></url>"
                "</urlset>"
            ).encode(),
        ),
        "/rss/tin-tuc.rss": (
            200,
            "application/rss+xml; charset=utf-8",
            (
                '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Tin tức</title>'
                f"<item><title>Chỉ có trong RSS</title><link>http://127.0.0.1:{port}{FEED_ONLY}</link>"
                "<category>Tin tức</category></item>"
                "</channel></rss>"
            ).encode(),
        ),
        "/gioi-thieu": (200, html, _page("Giới thiệu", "<p>Giới thiệu chung về Đảng bộ tỉnh.</p>")),
        SMALL_PDF: (200, "application/pdf", b"%PDF-1.4\n" + b"0" * 200 + b"\n%%EOF\n"),
        LARGE_PDF: (200, "application/pdf", b"%PDF-1.4\n" + b"0" * 50_000 + b"\n%%EOF\n"),
        "/tin-tuc/": (
            200,
            html,
            _listing(
                "Tin tức",
                ARTICLES_TIN_TUC[:3] + [BROKEN_404, BROKEN_500],
                '<div class="pagination"><span>1</span> <a href="/tin-tuc/page-2">2</a> '
                '<a href="/tin-tuc/page-2">Trang sau</a></div>',
            ),
        ),
        "/tin-tuc/page-2": (
            200,
            html,
            _listing(
                "Tin tức",
                ARTICLES_TIN_TUC[3:6] + [FLAKY_503, SLOW],
                '<div class="paging"><a href="/tin-tuc/">1</a> <span>2</span> '
                '<a href="/tin-tuc/page-3">»</a></div>',
            ),
        ),
        "/tin-tuc/page-3": (200, html, _listing("Tin tức", ARTICLES_TIN_TUC[6:], "")),
        "/xay-dung-dang/": (
            200,
            html,
            _listing(
                "Xây dựng Đảng", ARTICLES_XDD[:2], '<p><a href="/xay-dung-dang/?page=2">Xem thêm</a></p>'
            ),
        ),
        "/xay-dung-dang/?page=2": (200, html, _listing("Xây dựng Đảng", ARTICLES_XDD[2:], "")),
    }
    for path in ARTICLES_TIN_TUC + ARTICLES_XDD + [SITEMAP_ONLY, FEED_ONLY, FLAKY_503, SLOW]:
        body = _page(
            "Bài viết",
            f"<article><h1>Bài viết {path}</h1><p>Nội dung bài viết về công tác xây dựng Đảng.</p>"
            f'<img src="/images/anh-{len(path)}.jpg"><a href="/in-bai{path}">In bài</a></article>',
        )
        routes[path] = (200, html, body)
    return routes


class _Handler(BaseHTTPRequestHandler):
    server: _SiteServer

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        site = self.server
        site.request_log.add("GET", self.headers.get("Host", ""), self.path)
        path = self.path
        if path == BROKEN_404:
            return self._send(404, "text/html", _page("Không tìm thấy", "<p>Trang không tồn tại</p>"))
        if path == BROKEN_500:
            return self._send(500, "text/html", b"<h1>Internal Server Error</h1>")
        if path == FLAKY_503 and site.request_log.count(FLAKY_503) <= 2:
            return self._send(503, "text/html", b"<h1>Service Unavailable</h1>")
        if path == MOVED_ARTICLE:
            self.send_response(301)
            self.send_header("Location", ARTICLES_TIN_TUC[7])
            self.send_header("Content-Length", "0")
            self.end_headers()
            return None
        if path == OFFSITE_REDIRECT:
            self.send_response(302)
            self.send_header("Location", f"http://127.0.0.1:{site.trap_port}/trap/da-chuyen")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return None
        if path == SLOW:
            time.sleep(SLOW_SECONDS)
        route = site.routes.get(path)
        if route is None:
            return self._send(404, "text/html", b"<h1>404</h1>")
        status, content_type, body = route
        return self._send(status, content_type, body)

    def _send(self, status: int, content_type: str, body: bytes) -> None:
        try:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the crawler gave up (timeout test)


class _SiteServer(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128  # the default 5 drops connections under load (see etl.samples.server)
    routes: dict[str, tuple[int, str, bytes]]
    request_log: RequestLog
    trap_port: int


class _TrapHandler(BaseHTTPRequestHandler):
    """Anything reaching this server (as a neighbour port or as the HTTP proxy) is a scope violation."""

    server: _SiteServer

    def log_message(self, format: str, *args: object) -> None:
        pass

    def _trap(self) -> None:
        self.server.request_log.add(self.command, self.headers.get("Host", ""), self.path)
        self.send_response(403)
        self.send_header("Content-Length", "0")
        self.end_headers()

    do_GET = do_HEAD = do_POST = do_CONNECT = _trap


@contextmanager
def serve_site() -> Iterator[tuple[LocalSite, RequestLog]]:
    """Serve the test portal and a trap server; yields the site and the trap's request log."""
    trap = _SiteServer(("127.0.0.1", 0), _TrapHandler)
    trap.request_log = RequestLog()
    server = _SiteServer(("127.0.0.1", 0), _Handler)
    port = server.server_address[1]
    trap_port = trap.server_address[1]
    server.routes = build_routes(port, trap_port)
    server.request_log = RequestLog()
    server.trap_port = trap_port
    threads = [threading.Thread(target=s.serve_forever, daemon=True) for s in (server, trap)]
    for thread in threads:
        thread.start()
    try:
        yield (
            LocalSite(
                f"http://127.0.0.1:{port}/", port, server.request_log, f"http://127.0.0.1:{trap_port}/"
            ),
            trap.request_log,
        )
    finally:
        for s in (server, trap):
            s.shutdown()
            s.server_close()
