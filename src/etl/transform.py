"""Extraction stage: a staged batch of raw pages in, READY Parquet tables out.

This is the bridge between ``etl.extract`` (one page → one record) and ``etl.store`` (tables): it walks a
batch, classifies and extracts every page, normalises the records into rows and writes them beside the raw
pages.  It is pure with respect to the archive: nothing here opens the database.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterator
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from datetime import UTC
from typing import Any

from etl.dedupe import FINGERPRINT_SCHEME, fingerprint_row
from etl.extract import parse_page
from etl.facts import fact_rows
from etl.memory import trim_heap_now_and_then
from etl.normalise.text import normalise_tone_marks
from etl.normalise.urls import portal_article_url
from etl.parallel import default_workers, discard_pool, ordered_map
from etl.portals.registry import Portal, Registry
from etl.records import Article, PageResult, RawPage
from etl.store.extracted import ExtractedWriter, mark_ready, row_line
from etl.store.staging import Batch

log = logging.getLogger(__name__)

NOT_MODIFIED = "not_modified"  # pages.kind of a 304 that had no stored copy to keep (normally it keeps its kind)


@dataclass
class TransformSummary:
    batch_id: str
    portal: str
    pages: int
    articles: int
    errors: int
    kinds: dict[str, int]


def article_id_for(url: str) -> str:
    return hashlib.sha1(url.encode("utf-8")).hexdigest()[:16]


def content_hash(article: Article) -> str:
    published = article.published_at.isoformat() if article.published_at else ""
    payload = "\x1f".join([article.title, published, article.author or "", article.category or "", article.text])
    return hashlib.sha1(payload.encode("utf-8")).hexdigest()


def page_row(raw: RawPage, result: PageResult, batch_id: str, article_id: str | None) -> dict[str, Any]:
    return {
        "url": raw.url,
        "portal": raw.portal,
        "fetched_at": raw.fetched_at.astimezone(UTC),
        "status": raw.status,
        "content_type": raw.content_type,
        "charset": result.charset,
        "html": result.html,
        "etag": raw.etag,
        "last_modified": raw.last_modified,
        "error": result.error if result.kind == "error" else raw.error,
        "kind": result.kind,
        "is_article": result.kind == "article",
        "article_id": article_id,
        "batch_id": batch_id,
        "source": raw.source,
    }


def article_rows(article: Article, portal: Portal | None, raw: RawPage) -> tuple[dict[str, Any], list[dict]]:
    url = portal_article_url(article.url, portal.url if portal else None)  # print views, http/https, www., "/"
    article_id = article_id_for(url)
    row = {
        "article_id": article_id,
        "portal": raw.portal,
        "province": portal.province if portal else None,
        "url": url,
        "title": article.title,
        "published_at": article.published_at,
        "date_source": article.date_source,
        "author": article.author,
        "category": article.category,
        "dateline": article.dateline,
        "text": article.text,
        "text_norm": normalise_tone_marks(article.text),
        "word_count": article.word_count,
        "content_hash": content_hash(article),
        "fetched_at": raw.fetched_at.astimezone(UTC),
    }
    images = [
        {"article_id": article_id, "position": i, "url": img.url, "caption": img.caption, "credit": img.credit}
        for i, img in enumerate(article.images)
    ]
    return row, images


# Batches of at least this many raw pages are extracted by the process pool (etl.parallel); smaller ones in
# this process (starting workers costs more than it saves).  Pages travel to the workers CHUNK at a time.
PARALLEL_MIN_PAGES = 200
CHUNK = 16


@dataclass
class PageRows:
    """What one raw page became: its kind and its rows, as JSON lines per table (see etl.store.extracted)."""

    portal: str
    kind: str
    tables: dict[str, list[str]]
    # A part of a multi-page article (raw, portal, result, seq): joined with its other parts once the batch is
    # read (join_parts_rows); a part after the first writes no rows of its own until then.
    part: tuple[RawPage, Portal | None, PageResult, int] | None = None


def transform_page(raw: RawPage, portal: Portal | None, batch_id: str, seq: int) -> PageRows:
    """Extract one raw page into its table rows (``seq``: its position in the batch; the last one wins)."""
    try:
        # 304: a conditional request found the archive's copy current; the loader keeps that copy.
        result = PageResult(kind=NOT_MODIFIED) if raw.status == 304 else parse_page(raw, portal)
    except Exception as exc:  # extraction must never lose the page: record it as an error
        log.exception("extraction crashed on %s", raw.url)
        result = PageResult(kind="error", error=f"extraction failed: {type(exc).__name__}: {exc}")
    if result.kind == "article" and result.article is not None and result.article.extras.get("part_of"):
        part = (raw, portal, result, seq)
        if int(result.article.extras.get("page_number") or 1) > 1:
            return PageRows(raw.portal, result.kind, {}, part)
        return PageRows(raw.portal, result.kind, _rows(raw, portal, result, batch_id, seq), part)
    return PageRows(raw.portal, result.kind, _rows(raw, portal, result, batch_id, seq))


def _rows(raw: RawPage, portal: Portal | None, result: PageResult, batch_id: str, seq: int) -> dict[str, list[str]]:
    tables: dict[str, list[str]] = {}
    article_id = None
    if result.kind == "article" and result.article is not None:
        row, imgs = article_rows(result.article, portal, raw)
        article_id = row["article_id"]
        doc_refs, people = fact_rows(article_id, row["text"], row["published_at"])
        tables["articles"] = [row_line(row, seq)]
        tables["images"] = [row_line(img, seq) for img in imgs]
        tables["doc_refs"] = [row_line(ref, seq) for ref in doc_refs]
        tables["people"] = [row_line(person, seq) for person in people]
        # duplicate detection's per-article work, done here (in the pool) so the merge is SQL only (etl.dedupe)
        tables["fingerprints"] = [row_line(fingerprint_row(article_id, row["content_hash"], row["text"]), seq)]
    tables["pages"] = [row_line(page_row(raw, result, batch_id, article_id), seq)]
    return tables


def join_parts_rows(parts: list[tuple[RawPage, Portal | None, PageResult, int]], batch_id: str,
                    first_seq: int) -> Iterator[dict[str, list[str]]]:
    """Rows of multi-page articles: the parts found in the batch joined in page order (etl.extract.multipage),
    written after every other row (``seq`` from ``first_seq`` on) so the joined article row wins over the first
    page's own; parts whose first page is not in the batch are written as they are."""
    from etl.extract.multipage import join_article_parts

    join_article_parts([result for _, _, result, _ in parts])
    for offset, (raw, portal, result, seq) in enumerate(parts):
        joined = result.article is not None and "pages_joined" in result.article.extras
        if joined or int(result.article.extras.get("page_number") or 1) > 1:  # type: ignore[union-attr]
            yield _rows(raw, portal, result, batch_id, first_seq + offset if joined else seq)


def transform_chunk(chunk: tuple[Registry | None, str, list[tuple[int, str]]]) -> list[PageRows]:
    """(line number, raw JSON line) pairs of a batch -> their rows (runs in a worker process: etl.parallel)."""
    registry, batch_id, lines = chunk
    out = []
    for number, line in lines:
        try:
            raw = RawPage.from_json(line)
        except (ValueError, KeyError, TypeError) as exc:  # a torn last line (crash mid-write)
            log.warning("batch %s: skipping unreadable line %d of raw.jsonl: %s", batch_id, number, exc)
            continue
        out.append(transform_page(raw, _lookup(registry, raw.portal), batch_id, number))
    trim_heap_now_and_then()  # what the chunk's parse trees freed goes back to the OS (etl.memory)
    return out


def _chunks(batch: Batch, registry: Registry | None, size: int) -> Iterator[tuple]:
    if not batch.raw_path.exists():
        return
    lines: list[tuple[int, str]] = []
    with batch.raw_path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if line.strip():
                lines.append((number, line))
            if len(lines) >= size:
                yield registry, batch.id, lines
                lines = []
    if lines:
        yield registry, batch.id, lines


def iter_page_rows(batch: Batch, registry: Registry | None, workers: int = 1) -> Iterator[PageRows]:
    """Every raw page of ``batch`` extracted, in batch order (``workers`` > 1: over the process pool)."""
    for rows in ordered_map(transform_chunk, _chunks(batch, registry, CHUNK), workers):
        yield from rows


def transform_batch(batch: Batch, registry: Registry | None, workers: int | None = None) -> TransformSummary:
    """Extract every raw page of ``batch`` and write its READY tables.  Idempotent: rerunning rewrites them.

    Rows are streamed to disk as pages are extracted (memory does not grow with the batch) and de-duplicated
    when the Parquet tables are written (etl.store.extracted).  ``workers``: extraction processes (default:
    ``$PORTAL_ETL_WORKERS`` or the CPU count; batches under PARALLEL_MIN_PAGES pages run in this process)."""
    from etl.crawl import count_lines

    n_workers = default_workers(workers) if count_lines(batch.raw_path) >= PARALLEL_MIN_PAGES else 1
    try:
        return _transform(batch, registry, n_workers)
    except (BrokenProcessPool, EOFError) as exc:  # a worker died, or the pool could not start one
        log.warning("extraction pool failed on batch %s (%r); extracting it again in this process", batch.id, exc)
        discard_pool(n_workers)
        return _transform(batch, registry, 1)


def _transform(batch: Batch, registry: Registry | None, workers: int) -> TransformSummary:
    from etl.crawl import count_lines

    crawl = batch.crawl_info()
    portal_id = crawl.get("portal") or ""
    kinds: dict[str, int] = {}
    writer = ExtractedWriter(batch)
    parts: list[tuple[RawPage, Portal | None, PageResult, int]] = []  # multi-page articles: joined at the end
    try:
        for page in iter_page_rows(batch, registry, workers):
            portal_id = portal_id or page.portal
            kinds[page.kind] = kinds.get(page.kind, 0) + 1
            for table, lines in page.tables.items():
                writer.write(table, lines)
            if page.part is not None:
                parts.append(page.part)
        last_seq = max((seq for *_, seq in parts), default=0) + count_lines(batch.raw_path) + 1
        for tables in join_parts_rows(parts, batch.id, last_seq):
            for table, lines in tables.items():
                writer.write(table, lines)
        counts = writer.finish()
    except BaseException:
        writer.discard()
        raise
    manifest = {
        "batch_id": batch.id,
        "portal": portal_id,
        "crawl": crawl,
        "pages": counts["pages"],
        "articles": counts["articles"],
        "errors": counts["errors"],
        "kinds": kinds,
        "facts": True,  # doc_refs.parquet / people.parquet hold the facts of the staged articles
        "fingerprints": FINGERPRINT_SCHEME,  # fingerprints.parquet: etl.dedupe.fingerprint_row of each article
    }
    mark_ready(batch, manifest)
    return TransformSummary(batch.id, portal_id, counts["pages"], counts["articles"], counts["errors"], kinds)


def _lookup(registry: Registry | None, portal_id: str) -> Portal | None:
    if registry is None:
        return None
    for portal in registry.portals:
        if portal.id == portal_id:
            return portal
    return None
