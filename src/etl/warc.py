"""WARC in and out: web-archive captures become staged batches; stored raw pages become WARC records.

Import (``import_warcs``): every ``response`` record of a WARC (or ARC) file, as written by the Internet
Archive, Common Crawl, Heritrix, wget or ``export_warc``, becomes a ``RawPage`` with ``source="warc"``:

* ``url`` = ``WARC-Target-URI``; ``fetched_at`` = ``WARC-Date`` (the capture time, UTC);
* ``status``, ``content_type``, ``etag``, ``last_modified`` from the HTTP response block; the body is the
  payload with transfer and content encodings (chunked, gzip) undone;
* the portal is the one whose registry host (``url`` or ``allowed_domains``; ``www.`` ignored; host and port
  first, then host, then the longest registered parent domain) serves the URL, or the ``--portal`` given.
  Records of unknown hosts are counted and skipped; ``request``, ``metadata``, ``revisit`` (no payload) and
  ``warcinfo`` records are skipped.

Pages are written as staged batches (one per portal per file), extracted with ``etl.transform`` and merged by
the loader exactly like a crawl; the loader never lets an older capture replace a newer version of a page
or article.

Export (``export_warc``): each stored page that got a response becomes a ``response`` record: status line,
``Content-Type`` with ``charset=utf-8`` (the stored html is decoded text, re-encoded as UTF-8),
``Content-Length``, ``ETag``/``Last-Modified``; ``WARC-Date`` = ``fetched_at``, ``WARC-Target-URI`` = ``url``.
Three extension headers keep what the archive knew: ``WARC-Portal-ETL-Portal`` (registry id),
``WARC-Portal-ETL-Source`` (``crawl``/``warc``) and ``WARC-Portal-ETL-Category`` (percent-encoded category of
the article the page became, the listing hint a crawl had).  Pages whose body was not kept (attachments) and
fetches without any response cannot be written as responses and are counted as skipped.
"""

from __future__ import annotations

import http.client
import json
import logging
import os
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

from etl.portals.registry import Portal, Registry
from etl.records import RawPage
from etl.store.staging import CRAWL, Batch, new_batch, write_raw_pages

log = logging.getLogger(__name__)

Progress = Callable[[str], None]

PORTAL_HEADER = "WARC-Portal-ETL-Portal"
SOURCE_HEADER = "WARC-Portal-ETL-Source"
CATEGORY_HEADER = "WARC-Portal-ETL-Category"
_FLUSH_EVERY = 200


class WarcError(ValueError):
    """A file that cannot be read as WARC (missing, unreadable, not a web archive)."""


# --------------------------------------------------------------------------------------------- reading


def check_warc(path: Path) -> None:
    """Raise ``WarcError`` unless ``path`` is a readable WARC/ARC file (first record parses)."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    if not path.exists():
        raise WarcError(f"WARC file not found: {path}")
    if path.is_dir():
        raise WarcError(f"{path} is a directory, not a WARC file")
    try:
        with path.open("rb") as handle:
            for _record in ArchiveIterator(handle):
                return
    except PermissionError:
        raise WarcError(f"cannot read {path}: permission denied") from None
    except (ArchiveLoadFailed, OSError, EOFError, ValueError) as exc:
        reason = " ".join(str(exc).split())[:160] or type(exc).__name__
        raise WarcError(f"{path} is not a readable WARC file ({reason})") from None
    raise WarcError(f"{path} is not a readable WARC file (no records)")


def parse_warc_date(value: str | None) -> datetime | None:
    """``WARC-Date`` (ISO 8601, fractional seconds allowed) or an ARC 14-digit date, as aware UTC."""
    if not value:
        return None
    text = value.strip()
    try:
        if len(text) >= 14 and text[:14].isdigit():
            return datetime.strptime(text[:14], "%Y%m%d%H%M%S").replace(tzinfo=UTC)
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


@dataclass
class Capture:
    """One HTTP response record, before a portal is assigned."""

    url: str
    fetched_at: datetime
    status: int | None
    content_type: str | None
    body: bytes
    etag: str | None
    last_modified: str | None
    portal_hint: str | None = None
    category_hint: str | None = None


@dataclass
class FileStats:
    records: int = 0
    responses: int = 0
    skipped_types: Counter = field(default_factory=Counter)
    damaged: str | None = None  # why reading stopped early


def iter_captures(path: Path, stats: FileStats) -> Iterator[Capture]:
    """Yield the HTTP responses of one WARC file; damage part-way is recorded in ``stats.damaged``."""
    from warcio.archiveiterator import ArchiveIterator

    with path.open("rb") as handle:
        iterator = iter(ArchiveIterator(handle, arc2warc=True, check_digests=True))
        while True:
            try:
                record = next(iterator)
            except StopIteration:
                return
            except Exception as exc:  # truncated gzip member, garbage after a record...
                stats.damaged = " ".join(str(exc).split())[:160] or type(exc).__name__
                return
            stats.records += 1
            uri = record.rec_headers.get_header("WARC-Target-URI") or ""
            if record.rec_type != "response" or record.http_headers is None:
                stats.skipped_types[record.rec_type or "unknown"] += 1
                continue
            if not uri.lower().startswith(("http://", "https://")):
                stats.skipped_types["non-http"] += 1
                continue
            fetched_at = parse_warc_date(record.rec_headers.get_header("WARC-Date"))
            if fetched_at is None:
                stats.skipped_types["no WARC-Date"] += 1
                continue
            try:
                body = record.content_stream().read()
                status_text = record.http_headers.get_statuscode()
                status = int(status_text) if status_text and status_text.isdigit() else None
            except Exception as exc:
                stats.damaged = " ".join(str(exc).split())[:160] or type(exc).__name__
                return
            # A record cut short (the file ends inside it) or altered is still imported: extraction flags a
            # truncated page, and the file is reported as damaged.
            missing = getattr(record.raw_stream, "limit", 0) or 0
            checker = getattr(record, "digest_checker", None)
            if missing > 0:
                stats.damaged = f"the record of {uri} is cut short ({missing} bytes missing)"
            elif checker is not None and checker.passed is False:
                stats.damaged = f"{uri}: " + "; ".join(checker.problems)[:160]
            stats.responses += 1
            headers = record.http_headers
            category = record.rec_headers.get_header(CATEGORY_HEADER)
            yield Capture(
                url=uri.strip().strip("<>"),
                fetched_at=fetched_at,
                status=status,
                content_type=headers.get_header("Content-Type"),
                body=body,
                etag=headers.get_header("ETag"),
                last_modified=headers.get_header("Last-Modified"),
                portal_hint=record.rec_headers.get_header(PORTAL_HEADER),
                category_hint=unquote(category) if category else None,
            )


class PortalMatcher:
    """Which registered portal serves a URL: host and port, then host, then the longest parent domain."""

    def __init__(self, portals: tuple[Portal, ...] | list[Portal]) -> None:
        self.by_netloc: dict[str, set[str]] = {}
        self.by_host: dict[str, set[str]] = {}
        for portal in portals:
            parts = urlsplit(portal.url)
            if parts.port:
                self.by_netloc.setdefault(f"{_bare(parts.hostname)}:{parts.port}", set()).add(portal.id)
            for host in {parts.hostname or "", *portal.domains()}:
                if host:
                    self.by_host.setdefault(_bare(host), set()).add(portal.id)

    def match(self, url: str) -> str | None:
        parts = urlsplit(url)
        host = _bare(parts.hostname)
        if not host:
            return None
        try:
            port = parts.port
        except ValueError:
            port = None
        if port:
            ids = self.by_netloc.get(f"{host}:{port}")
            if ids:
                return next(iter(ids)) if len(ids) == 1 else None
        ids = self.by_host.get(host)
        if ids:
            return next(iter(ids)) if len(ids) == 1 else None
        best: tuple[int, set[str]] | None = None
        for domain, ids in self.by_host.items():
            if host.endswith("." + domain) and (best is None or len(domain) > best[0]):
                best = (len(domain), ids)
        if best and len(best[1]) == 1:
            return next(iter(best[1]))
        return None


def _bare(host: str | None) -> str:
    host = (host or "").lower().rstrip(".")
    return host.removeprefix("www.")


# --------------------------------------------------------------------------------------------- import


@dataclass
class ImportReport:
    files: int = 0
    records: int = 0
    responses: int = 0
    pages: int = 0  # staged
    unknown_hosts: Counter = field(default_factory=Counter)
    skipped_types: Counter = field(default_factory=Counter)
    damaged: list[str] = field(default_factory=list)  # "file: reason" for files read only in part
    batches: list[str] = field(default_factory=list)
    per_portal: Counter = field(default_factory=Counter)  # pages staged per portal
    articles: int = 0
    articles_new: int = 0
    articles_updated: int = 0
    staged_only: str | None = None  # the archive was locked: batches wait in staging


def stage_warc(
    path: Path,
    registry: Registry,
    staging_root: Path,
    report: ImportReport,
    *,
    portal_id: str | None = None,
    progress: Progress | None = None,
) -> list[Batch]:
    """Read one WARC file into staged raw batches, one per portal (not yet extracted)."""
    matcher = PortalMatcher(registry.portals)
    known = set(registry.ids)
    stats = FileStats()
    batches: dict[str, Batch] = {}
    buffers: dict[str, list[RawPage]] = {}
    spans: dict[str, list[datetime]] = {}
    counts: Counter = Counter()
    for capture in iter_captures(path, stats):
        portal = portal_id
        if portal is None:
            portal = capture.portal_hint if capture.portal_hint in known else matcher.match(capture.url)
        if portal is None:
            report.unknown_hosts[urlsplit(capture.url).netloc.lower() or "?"] += 1
            continue
        if portal not in batches:
            batches[portal] = new_batch(staging_root, portal)
            buffers[portal] = []
        buffers[portal].append(RawPage(
            url=capture.url, portal=portal, fetched_at=capture.fetched_at, status=capture.status,
            content_type=capture.content_type, body=capture.body, etag=capture.etag,
            last_modified=capture.last_modified, category_hint=capture.category_hint, source="warc",
        ))
        span = spans.setdefault(portal, [capture.fetched_at, capture.fetched_at])
        span[0], span[1] = min(span[0], capture.fetched_at), max(span[1], capture.fetched_at)
        counts[portal] += 1
        if len(buffers[portal]) >= _FLUSH_EVERY:
            write_raw_pages(batches[portal], buffers[portal])
            buffers[portal] = []
        if progress and stats.responses % 1000 == 0:
            progress(f"{path.name}: {stats.responses} responses read")
    for portal, batch in batches.items():
        if buffers[portal]:
            write_raw_pages(batch, buffers[portal])
        crawl = {
            "portal": portal,
            "started_at": spans[portal][0].isoformat(),
            "finished_at": spans[portal][1].isoformat(),
            "finish_reason": "warc-import",
            "message": f"WARC import of {path.name}: {counts[portal]} capture(s)",
            "source_file": str(path),
            "pages": counts[portal],
        }
        _write_json(batch.path / CRAWL, crawl)
    report.files += 1
    report.records += stats.records
    report.responses += stats.responses
    report.skipped_types.update(stats.skipped_types)
    report.pages += sum(counts.values())
    report.per_portal.update(counts)
    if stats.damaged:
        report.damaged.append(f"{path}: {stats.damaged}")
        log.warning("%s is damaged after %d record(s): %s", path, stats.records, stats.damaged)
    if progress:
        by_portal = ", ".join(f"{p} {n}" for p, n in sorted(counts.items())) or "none"
        progress(f"{path.name}: {stats.records} record(s), {stats.responses} response(s); pages by portal: {by_portal}")
    return list(batches.values())


def import_warcs(
    paths: list[Path],
    registry: Registry,
    db_path: Path,
    staging_root: Path,
    *,
    portal_id: str | None = None,
    lock_timeout: float = 30.0,
    progress: Progress | None = None,
) -> ImportReport:
    """Check every file, then stage, extract and merge each one (one batch per portal per file)."""
    from etl.store.loader import ArchiveLocked, load_ready_batches
    from etl.transform import transform_batch

    for path in paths:
        check_warc(path)
    if portal_id is not None:
        registry.get(portal_id)  # RegistryError for an unknown id
    report = ImportReport()
    for path in paths:
        batches = stage_warc(path, registry, staging_root, report, portal_id=portal_id, progress=progress)
        for batch in batches:
            summary = transform_batch(batch, registry)
            report.batches.append(batch.id)
            if progress:
                progress(f"extracted {batch.id}: {summary.pages} page(s), {summary.articles} article(s), "
                         f"{summary.errors} error(s)")
        if not batches:
            continue
        try:
            results = load_ready_batches(db_path, staging_root, batch_ids=[b.id for b in batches],
                                         lock_timeout=lock_timeout)
        except ArchiveLocked as exc:
            report.staged_only = str(exc)
            continue
        for result in results:
            report.articles += result.articles_found
            report.articles_new += result.articles_new
            report.articles_updated += result.articles_updated
        if progress:
            progress(f"merged {path.name}: {sum(r.articles_found for r in results)} article(s), "
                     f"{sum(r.articles_new for r in results)} new, {sum(r.articles_updated for r in results)} updated")
    return report


def _write_json(path: Path, data: dict) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    os.replace(tmp, path)


# --------------------------------------------------------------------------------------------- export


@dataclass
class ExportReport:
    records: int = 0
    skipped_no_response: int = 0
    skipped_no_body: int = 0
    per_portal: Counter = field(default_factory=Counter)
    source: str = ""


def _mime(content_type: str | None) -> str:
    mime = (content_type or "").split(";")[0].strip().lower()
    return mime or "text/html"


def export_warc(
    db_path: Path,
    output: Path,
    *,
    portal_id: str | None = None,
    live: bool = False,
    progress: Progress | None = None,
    chunk: int = 500,
) -> ExportReport:
    """Write the stored raw pages (all, or one portal's) to ``output`` as a gzipped WARC 1.1 file.

    Reads the published snapshot when there is one (so a long export never blocks a load), else the archive.
    """
    from io import BytesIO

    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    from etl.store.query import open_for_reading

    report = ExportReport()
    con, source, _ = open_for_reading(db_path, live=live)
    report.source = str(source)
    tmp = output.with_name(f".{output.name}.tmp-{os.getpid()}")
    try:
        con.execute("SET TimeZone = 'UTC'")
        where = "WHERE p.portal = ?" if portal_id else ""
        params = [portal_id] if portal_id else []
        cursor = con.execute(
            f"""
            SELECT p.url, p.portal, p.fetched_at, p.status, p.content_type, p.html, p.etag, p.last_modified,
                   p.source, a.category
            FROM pages p LEFT JOIN articles a ON a.article_id = p.article_id
            {where}
            ORDER BY p.portal, p.fetched_at, p.url
            """,
            params,
        )
        output.parent.mkdir(parents=True, exist_ok=True)
        with tmp.open("wb") as handle:
            writer = WARCWriter(handle, gzip=str(output).endswith(".gz"), warc_version="1.1")
            info = writer.create_warcinfo_record(output.name, {
                "software": "portal-etl export-warc",
                "format": "WARC File Format 1.1",
                "description": "Raw pages of Vietnamese provincial Party portals, as stored by portal-etl",
            })
            writer.write_record(info)
            while True:
                rows = cursor.fetchmany(chunk)
                if not rows:
                    break
                for url, portal, fetched_at, status, content_type, html, etag, last_modified, src, category in rows:
                    if status is None:
                        report.skipped_no_response += 1
                        continue
                    if html is None and 200 <= status < 300:
                        report.skipped_no_body += 1
                        continue
                    body = (html or "").encode("utf-8")
                    headers = [("Content-Type", f"{_mime(content_type)}; charset=utf-8"),
                               ("Content-Length", str(len(body)))]
                    if etag:
                        headers.append(("ETag", etag))
                    if last_modified:
                        headers.append(("Last-Modified", last_modified))
                    reason = http.client.responses.get(status, "Unknown")
                    http_headers = StatusAndHeaders(f"{status} {reason}", headers, protocol="HTTP/1.1")
                    moment = fetched_at.astimezone(UTC)
                    warc_headers = {
                        "WARC-Date": moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
                        PORTAL_HEADER: portal,
                        SOURCE_HEADER: src or "crawl",
                    }
                    if category:
                        warc_headers[CATEGORY_HEADER] = quote(category, safe="")
                    record = writer.create_warc_record(
                        url, "response", payload=BytesIO(body), length=len(body),
                        warc_headers_dict=warc_headers, http_headers=http_headers,
                    )
                    writer.write_record(record)
                    report.records += 1
                    report.per_portal[portal] += 1
                if progress:
                    progress(f"{report.records} record(s) written")
        os.replace(tmp, output)
    finally:
        con.close()
        if tmp.exists():
            tmp.unlink()
    return report
