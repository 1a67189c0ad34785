"""A local portal on 127.0.0.1 whose content changes between crawls and which can misbehave on purpose.

* One news section, ``/tin-tuc/``, newest first, ``per_page`` items a page (NukeViet-style ``/tin-tuc/page-N``
  with a numbered pager, "Trang sau" and "Trang cuối"); each item shows its date (``dd/mm/yyyy``) unless
  ``listing_dates=False``.  A home page with a menu and the three newest articles, an RSS feed of the five
  newest, a "Giới thiệu" page, a robots.txt that disallows ``/noi-bo/`` (and a link there from the home page).
* Every 200 answer carries an ETag and honours ``If-None-Match`` with a 304.
* ``add_articles`` / ``edit_article`` change the site between crawls; ``article_delay`` slows article pages
  down (kill-and-resume tests).
* ``faults=True`` adds, listed on the first listing page: a 503 that recovers on the third request, a 404, a
  redirect loop, a page slower than the test time-out, a truncated page, an empty 200, a page larger than the
  test size cap, and a JPEG where an article should be.
* ``log`` records every request: (method, path, status, If-None-Match sent, monotonic time).
"""

from __future__ import annotations

import hashlib
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

SECTION = "/tin-tuc/"
TRANSIENT_503 = "/tin-tuc/tam-thoi-loi-may-chu-9001.html"
GONE_404 = "/tin-tuc/bai-da-bi-xoa-9404.html"
LOOP_A = "/tin-tuc/vong-lap-chuyen-huong-9301.html"
LOOP_B = "/tin-tuc/vong-lap-chuyen-huong-b-9302.html"
SLOW = "/tin-tuc/trang-rat-cham-9501.html"
TRUNCATED = "/tin-tuc/trang-bi-cat-ngang-9601.html"
EMPTY = "/tin-tuc/trang-trong-rong-9701.html"
HUGE = "/tin-tuc/trang-qua-lon-9801.html"
NOT_HTML = "/tin-tuc/anh-thay-bai-viet-9901.html"
DISALLOWED = "/noi-bo/tai-lieu-noi-bo-9999.html"
FAULTS = [TRANSIENT_503, GONE_404, LOOP_A, SLOW, TRUNCATED, EMPTY, HUGE, NOT_HTML]
SLOW_SECONDS = 4.5  # well past FAST_SETTINGS' DOWNLOAD_TIMEOUT
HUGE_BYTES = 3 * 1024 * 1024

SENTENCES = [
    "Ban Thường vụ Tỉnh ủy đã tổ chức hội nghị quán triệt nghị quyết của Trung ương về công tác xây dựng Đảng.",
    "Hội nghị nhấn mạnh yêu cầu nâng cao năng lực lãnh đạo, sức chiến đấu của tổ chức cơ sở đảng.",
    "Các đại biểu đã thảo luận về những giải pháp phát triển kinh tế - xã hội trong thời gian tới.",
    "Đồng chí Bí thư Tỉnh ủy yêu cầu các cấp ủy tập trung chỉ đạo thực hiện tốt các nhiệm vụ trọng tâm.",
    "Công tác kiểm tra, giám sát được tăng cường, góp phần phòng ngừa sai phạm ngay từ cơ sở.",
    "Nhân dịp này, nhiều tập thể và cá nhân có thành tích xuất sắc đã được khen thưởng.",
]


@dataclass
class Article:
    number: int
    day: date
    title: str
    text: str

    @property
    def path(self) -> str:
        return f"/tin-tuc/bai-viet-thu-nghiem-so-{self.number}-{1000 + self.number}.html"


def make_article(number: int, day: date) -> Article:
    sentences = [SENTENCES[(number + i) % len(SENTENCES)] for i in range(5)]
    text = "\n".join(f"{s} (Bài số {number}, đoạn {i + 1}.)" for i, s in enumerate(sentences))
    return Article(number, day, f"Tin hoạt động số {number} của Đảng bộ tỉnh", text)


@dataclass
class RequestLog:
    entries: list[tuple[str, str, int, str | None, float]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, method: str, path: str, status: int, if_none_match: str | None) -> None:
        with self.lock:
            self.entries.append((method, path, status, if_none_match, time.monotonic()))

    def mark(self) -> int:
        with self.lock:
            return len(self.entries)

    def since(self, mark: int = 0) -> list[tuple[str, str, int, str | None, float]]:
        with self.lock:
            return list(self.entries[mark:])

    def paths(self, mark: int = 0) -> list[str]:
        return [path for _, path, _, _, _ in self.since(mark)]


class FaultSite:
    def __init__(self, count: int = 23, per_page: int = 5, faults: bool = False, listing_dates: bool = True,
                 newest: date = date(2024, 6, 30)) -> None:
        self.per_page = per_page
        self.faults = faults
        self.listing_dates = listing_dates
        self.article_delay = 0.0
        self.lock = threading.Lock()
        # newest first; article n is dated newest - (count - n) days
        self.articles: list[Article] = [
            make_article(n, newest - timedelta(days=count - n)) for n in range(count, 0, -1)
        ]
        self.log = RequestLog()
        self.hits: dict[str, int] = {}
        self.agents: set[str] = set()
        self.url = ""

    # --- changing the site ---------------------------------------------------------------------------
    def add_articles(self, how_many: int) -> list[Article]:
        with self.lock:
            top = self.articles[0]
            new = [
                make_article(top.number + i, top.day + timedelta(days=i)) for i in range(how_many, 0, -1)
            ]
            self.articles = new + self.articles
            return new

    def edit_article(self, number: int, text: str) -> Article:
        with self.lock:
            article = next(a for a in self.articles if a.number == number)
            article.text = text
            return article

    def by_path(self) -> dict[str, Article]:
        with self.lock:
            return {a.path: a for a in self.articles}

    @property
    def pages(self) -> int:
        return max(1, -(-len(self.articles) // self.per_page))

    def listing_path(self, page: int) -> str:
        return SECTION if page == 1 else f"{SECTION}page-{page}"

    # --- rendering ------------------------------------------------------------------------------------
    def _page(self, title: str, body: str, head: str = "") -> str:
        return f"""<!DOCTYPE html>
<html lang="vi"><head><meta charset="utf-8"><title>{title} - Tỉnh ủy Thử nghiệm</title>{head}
<link rel="alternate" type="application/rss+xml" title="Tin tức" href="/rss/tin-tuc.rss"></head>
<body>
<div id="header"><a href="/">Cổng thông tin điện tử Tỉnh ủy Thử nghiệm</a></div>
<nav class="main-menu"><ul><li><a href="/">Trang chủ</a></li><li><a href="{SECTION}">Tin tức</a></li>
<li><a href="/gioi-thieu">Giới thiệu</a></li></ul></nav>
<div class="content">{body}</div>
<div id="footer"><p>Cơ quan chủ quản: Tỉnh ủy Thử nghiệm.</p></div>
</body></html>"""

    def render(self, path: str) -> tuple[int, str, bytes] | None:
        html = "text/html; charset=utf-8"
        with self.lock:
            articles = list(self.articles)
        if path == "/":
            hot = "".join(f'<li><a href="{a.path}">{a.title}</a></li>' for a in articles[:3])
            body = (f'<div class="hot-news"><h2>Tin mới</h2><ul>{hot}</ul></div>'
                    f'<p><a href="{DISALLOWED}">Tài liệu nội bộ</a></p>')
            return 200, html, self._page("Trang chủ", body).encode()
        if path == "/robots.txt":
            return 200, "text/plain", b"User-agent: *\nDisallow: /noi-bo/\n"
        if path == "/gioi-thieu":
            return 200, html, self._page("Giới thiệu", "<h1>Giới thiệu</h1><p>Đảng bộ tỉnh Thử nghiệm.</p>").encode()
        if path == "/rss/tin-tuc.rss":
            items = "".join(
                f"<item><title>{a.title}</title><link>{self.url.rstrip('/')}{a.path}</link></item>"
                for a in articles[:5]
            )
            rss = f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Tin tức</title>{items}</channel></rss>'
            return 200, "application/rss+xml; charset=utf-8", rss.encode()
        for page in range(1, self.pages + 1):
            if path == self.listing_path(page):
                return 200, html, self._listing(page, articles).encode()
        for article in articles:
            if path == article.path:
                return 200, html, self._article(article).encode()
        return None

    def _listing(self, page: int, articles: list[Article]) -> str:
        chunk = articles[(page - 1) * self.per_page: page * self.per_page]
        items = []
        for a in chunk:
            shown = f'<span class="date">{a.day:%d/%m/%Y}</span>' if self.listing_dates else ""
            items.append(f'<li class="item"><a href="{a.path}">{a.title}</a> {shown}<p>Tóm tắt bài số {a.number}.</p></li>')
        if self.faults and page == 1:
            items += [f'<li class="item"><a href="{p}">Bài có sự cố {p[-9:-5]}</a></li>' for p in FAULTS]
        last = self.pages
        window = [n for n in range(max(1, page - 2), min(last, page + 2) + 1)]
        pager = " ".join(f"<span>{n}</span>" if n == page else f'<a href="{self.listing_path(n)}">{n}</a>'
                         for n in window)
        if page < last:
            pager += f' <a href="{self.listing_path(page + 1)}">Trang sau</a>'
            pager += f' <a href="{self.listing_path(last)}">Trang cuối</a>'
        return self._page(
            "Tin tức",
            f'<h1>Tin tức</h1><ul class="news-list">{"".join(items)}</ul><div class="pagination">{pager}</div>',
        )

    def _article(self, a: Article) -> str:
        paragraphs = "".join(f"<p>{line}</p>" for line in a.text.split("\n"))
        head = f'<meta property="article:published_time" content="{a.day.isoformat()}T08:00:00+07:00">'
        body = (f'<div class="breadcrumb"><a href="/">Trang chủ</a> / <a href="{SECTION}">Tin tức</a></div>'
                f'<article><h1 class="title">{a.title}</h1><div class="date">{a.day:%d/%m/%Y} 08:00</div>'
                f'<div class="detail-content">{paragraphs}</div></article>')
        return self._page(a.title, body, head)


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.0"

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        site = self.server.site
        path = self.path
        inm = self.headers.get("If-None-Match")
        with site.lock:
            site.agents.add(self.headers.get("User-Agent", ""))
            site.hits[path] = site.hits.get(path, 0) + 1
            hits = site.hits[path]
        if site.faults and self._fault(site, path, hits, inm):
            return
        if path.startswith("/tin-tuc/bai-viet") and site.article_delay:
            time.sleep(site.article_delay)
        rendered = site.render(path)
        if rendered is None:
            return self._send(site, path, 404, "text/html; charset=utf-8", b"<h1>404</h1>", inm)
        status, content_type, body = rendered
        etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
        if inm and etag in [t.strip() for t in inm.split(",")]:
            site.log.add("GET", path, 304, inm)
            self.send_response(304)
            self.send_header("ETag", etag)
            self.end_headers()
            return None
        return self._send(site, path, status, content_type, body, inm, {"ETag": etag})

    def _fault(self, site: FaultSite, path: str, hits: int, inm: str | None) -> bool:
        html = "text/html; charset=utf-8"
        if path == TRANSIENT_503 and hits <= 2:
            self._send(site, path, 503, html, b"<h1>503 Service Unavailable</h1>", inm, {"Retry-After": "0"})
            return True
        if path == TRANSIENT_503:
            article = make_article(9001, date(2024, 6, 1))
            body = site._article(article).replace(article.path, path).encode()
            self._send(site, path, 200, html, body, inm)
            return True
        if path == GONE_404:
            self._send(site, path, 404, html, site._page("Không tìm thấy", "<p>Trang không tồn tại</p>").encode(), inm)
            return True
        if path in (LOOP_A, LOOP_B):
            site.log.add("GET", path, 302, inm)
            self.send_response(302)
            self.send_header("Location", LOOP_B if path == LOOP_A else LOOP_A)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return True
        if path == SLOW:
            # Logged on arrival: the crawler gives up (time-out) before the answer would be logged.
            site.log.add("GET", path, 200, inm)
            time.sleep(SLOW_SECONDS)
            try:
                self.send_response(200)
                self.send_header("Content-Type", html)
                self.end_headers()
                self.wfile.write(site._page("Chậm", "<p>Trang chậm.</p>").encode())
            except (BrokenPipeError, ConnectionResetError):
                pass
            return True
        if path == TRUNCATED:
            body = site._page("Cắt ngang", "<p>" + "Nội dung bị cắt ngang. " * 200 + "</p>").encode()
            site.log.add("GET", path, 200, inm)
            self.send_response(200)
            self.send_header("Content-Type", html)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body[: len(body) // 3])
            self.wfile.flush()
            self.connection.shutdown(socket.SHUT_RDWR)
            return True
        if path == EMPTY:
            self._send(site, path, 200, html, b"", inm)
            return True
        if path == HUGE:
            self._send(site, path, 200, html, b"<html><body>" + b"x" * HUGE_BYTES + b"</body></html>", inm)
            return True
        if path == NOT_HTML:
            self._send(site, path, 200, "image/jpeg", b"\xff\xd8\xff\xe0\x00\x10JFIF" + b"\x00" * 2000, inm)
            return True
        return False

    def _send(self, site: FaultSite, path: str, status: int, content_type: str, body: bytes, inm: str | None,
              headers: dict[str, str] | None = None) -> None:
        site.log.add("GET", path, status, inm)
        try:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128  # the default 5 drops connections under load (see etl.samples.server)
    site: FaultSite


@contextmanager
def serve_fault_site(**options: object) -> Iterator[FaultSite]:
    site = FaultSite(**options)  # type: ignore[arg-type]
    server = _Server(("127.0.0.1", 0), _Handler)
    server.site = site
    site.url = f"http://127.0.0.1:{server.server_address[1]}/"
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
    thread.start()
    try:
        yield site
    finally:
        server.shutdown()
        server.server_close()


def registry_toml(portal_id: str, url: str, concurrency: int = 4) -> str:
    return (
        f'[[portal]]\nid = "{portal_id}"\nname = "Tỉnh ủy Thử nghiệm"\nprovince = "Thử nghiệm"\n'
        f'url = "{url}"\nlevel = "sample"\nconcurrency = {concurrency}\ndelay = 0\n'
    )


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# Fast and deterministic against a loopback server: no AutoThrottle or delay, short time-outs and backoff,
# a 1 MB size cap (the huge page is 3 MB).  The time-out leaves a loaded CI machine room: loopback pages answer
# in milliseconds, and only the slow page (SLOW_SECONDS) is meant to time out.
FAST_SETTINGS = {
    "AUTOTHROTTLE_ENABLED": "False",
    "DOWNLOAD_DELAY": "0",
    "DOWNLOAD_TIMEOUT": "2",
    "RETRY_TIMES": "2",
    "RETRY_BACKOFF_BASE": "0.2",
    "DOWNLOAD_MAXSIZE": "1000000",
    "LOG_LEVEL": "INFO",
}
