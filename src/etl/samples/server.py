"""Serve the sample portals locally: one ``ThreadingHTTPServer`` per site, each on its own port.

    with serve_samples() as server:
        server.sites                # {"sample-lamdong": "http://127.0.0.1:41234/", ...}
        server.registry_toml()      # a portals.toml pointing at the live ports
        server.request_log          # [(site, method, path, status), ...]

``python -m etl.samples.server`` serves them in the foreground and prints the URLs.
"""

from __future__ import annotations

import argparse
import logging
import threading
from email.utils import format_datetime, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any, Self

from etl.portals.registry import Portal, portals_to_toml
from etl.samples.base import Response, SampleSite
from etl.samples.content import load_site_specs
from etl.samples.sites import build_sites

log = logging.getLogger(__name__)

SERVER_HEADERS = {
    "dnn": "Microsoft-IIS/8.5",
    "nukeviet": "Apache",
    "detailview": "Microsoft-IIS/7.5",
    "sharepoint": "Microsoft-IIS/8.5",
}

RequestRecord = tuple[str, str, str, int]  # (site id, method, path + query, status)


class _SiteHTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    # socketserver's default listen backlog is 5: a crawler opening more connections at once than that, on
    # a loaded machine, gets its SYN dropped and waits a second to resend it (a connect time-out).
    request_queue_size = 128
    site: SampleSite
    owner: SampleServer


class _Handler(BaseHTTPRequestHandler):
    server: _SiteHTTPServer
    protocol_version = "HTTP/1.1"

    def version_string(self) -> str:
        return SERVER_HEADERS.get(self.server.site.platform, "Apache")

    def log_message(self, format: str, *args: Any) -> None:
        log.debug("%s %s", self.server.site.id, format % args)

    def do_GET(self) -> None:
        self._answer(send_body=True)

    def do_HEAD(self) -> None:
        self._answer(send_body=False)

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        self._send(Response(405, b"", "text/plain; charset=utf-8", headers={"Allow": "GET, HEAD"}), 405, True)

    def _answer(self, send_body: bool) -> None:
        site = self.server.site
        try:
            response = site.handle(self.path)
        except Exception:  # a bug in a renderer must not hang the client
            log.exception("sample site %s failed on %s", site.id, self.path)
            response = Response(500, b"internal error", "text/plain; charset=utf-8")
        status = response.status
        if status == 200 and response.validators and self._not_modified(response):
            status = 304
        self._send(response, status, send_body)

    def _not_modified(self, response: Response) -> bool:
        if_none_match = self.headers.get("If-None-Match")
        if if_none_match is not None:
            tags = [tag.strip().removeprefix("W/") for tag in if_none_match.split(",")]
            return "*" in tags or response.etag in tags
        since = self.headers.get("If-Modified-Since")
        modified = response.last_modified_utc
        if since and modified:
            try:
                since_at = parsedate_to_datetime(since).replace(tzinfo=None)
            except (TypeError, ValueError):
                return False
            return modified <= since_at
        return False

    def _send(self, response: Response, status: int, send_body: bool) -> None:
        """Write ``response`` with ``status`` (304 keeps the validators and drops the body)."""
        self.server.owner._record(self.server.site.id, self.command, self.path, status)
        has_body = status != 304
        self.send_response(status)
        if response.content_type and has_body:
            self.send_header("Content-Type", response.content_type)
        if response.validators:
            self.send_header("ETag", response.etag)
            if response.last_modified_utc:
                self.send_header(
                    "Last-Modified",
                    format_datetime(response.last_modified_utc, usegmt=False).replace("-0000", "GMT"),
                )
        for name, value in response.headers.items():
            self.send_header(name, value)
        if has_body:
            self.send_header("Content-Length", str(len(response.body)))
        self.end_headers()
        if send_body and has_body:
            self.wfile.write(response.body)


class SampleServer:
    """The running sample portals.  Use as a context manager, or call ``close()``."""

    def __init__(self, host: str = "127.0.0.1", ports: dict[str, int] | None = None) -> None:
        self.host = host
        self.request_log: list[RequestRecord] = []
        self._lock = threading.Lock()
        self._servers: dict[str, _SiteHTTPServer] = {}
        self._threads: list[threading.Thread] = []
        ports = ports or {}
        for site_id in load_site_specs():
            self._servers[site_id] = _SiteHTTPServer((host, ports.get(site_id, 0)), _Handler)
        self.site_objects: dict[str, SampleSite] = build_sites(
            {site_id: self._base_url(server) for site_id, server in self._servers.items()}
        )
        for site_id, server in self._servers.items():
            server.site = self.site_objects[site_id]
            server.owner = self
            thread = threading.Thread(
                target=server.serve_forever,
                kwargs={"poll_interval": 0.1},
                name=f"sample-{site_id}",
                daemon=True,
            )
            thread.start()
            self._threads.append(thread)

    def _base_url(self, server: _SiteHTTPServer) -> str:
        host, port = server.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def sites(self) -> dict[str, str]:
        """Site id -> base URL (with a trailing slash)."""
        return {site_id: site.base_url + "/" for site_id, site in self.site_objects.items()}

    def url(self, site_id: str, path: str = "/") -> str:
        """Absolute URL of a path on one sample site."""
        return self.site_objects[site_id].url(path)

    def fetched(self, site_id: str | None = None) -> list[str]:
        """Paths requested so far (optionally for one site), in order."""
        with self._lock:
            return [path for site, _, path, _ in self.request_log if site_id in (None, site)]

    def _record(self, site_id: str, method: str, path: str, status: int) -> None:
        with self._lock:
            self.request_log.append((site_id, method, path, status))

    def portals(self) -> list[Portal]:
        """Registry entries for the live sample sites."""
        portals = []
        for site_id, site in self.site_objects.items():
            hints = site.registry_hints()
            portals.append(
                Portal(
                    id=site_id,
                    name=site.name,
                    province=site.province,
                    url=site.base_url + "/",
                    level="sample",
                    platform=site.platform,
                    verified=True,
                    listing_urls=tuple(hints.get("listing_urls", ())),
                    feeds=tuple(hints.get("feeds", ())),
                    sitemaps=tuple(hints.get("sitemaps", ())),
                    article_url_pattern=hints.get("article_url_pattern"),
                    selectors=dict(hints.get("selectors", {})),
                    concurrency=4,
                    delay=0.0,
                    notes=f"Offline sample portal ({site.platform}) served by etl.samples; selectors are CSS.",
                )
            )
        return portals

    def registry_toml(self) -> str:
        """A portals.toml text for the live sample sites (hints included)."""
        return portals_to_toml(self.portals())

    def close(self) -> None:
        for server in self._servers.values():
            server.shutdown()
            server.server_close()
        for thread in self._threads:
            thread.join(timeout=5)
        self._threads.clear()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


def serve_samples(host: str = "127.0.0.1", ports: dict[str, int] | None = None) -> SampleServer:
    """Start every sample portal on ``host`` (ephemeral ports unless ``ports`` says otherwise)."""
    return SampleServer(host, ports)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m etl.samples.server",
        description="Serve the offline sample Party portals in the foreground.",
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument(
        "--port", type=int, default=0, help="first port (sites get consecutive ports); 0 = ephemeral ports"
    )
    parser.add_argument("--registry", metavar="FILE", help="also write a portals.toml for the live sites")
    args = parser.parse_args(argv)
    ports = {site_id: args.port + i for i, site_id in enumerate(load_site_specs())} if args.port else None
    server = serve_samples(args.host, ports)
    try:
        for site_id, url in server.sites.items():
            print(f"{site_id:<18} {server.site_objects[site_id].platform:<11} {url}")
        if args.registry:
            with open(args.registry, "w", encoding="utf-8") as handle:
                handle.write(server.registry_toml())
            print(f"registry written to {args.registry}")
        print("Ctrl-C to stop.", flush=True)
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
